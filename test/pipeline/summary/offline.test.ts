import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { deriveFacts } from "../../../src/pipeline/summary/facts.js";
import { writeOfflineDraft, writeOfflineSummary } from "../../../src/pipeline/summary/offline.js";
import { unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { FIXTURES, SAMPLE_DATA } from "../../helpers/files.js";
import { SHARED_DATASETS, sharedDatasetsAvailable } from "../../helpers/shared.js";

describe("writeOfflineSummary", () => {
  it("writes an executive summary of the sample from the metrics alone", async () => {
    const a = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    const s = writeOfflineSummary(a, "no Gemini API key is configured (GEMINI_API_KEY)");
    expect(s.headline.text).toBe("Net revenue of 660K for Jan-Mar 2026, led by North with 68.2% of revenue.");
    expect(s.keyFindings.map((f) => f.text)).toEqual([
      "North brought in 467K, 68.2% of revenue; West followed with 109K (16%).",
      "Electronics brought in 640K, 93.5% of revenue; Home Appliances followed with 44.3K (6.5%).",
      "Revenue fell 61.9% from 287K in Feb 2026 to 109K in Mar 2026.",
      "The largest single sale was 263K (North, Electronics) on 15 Feb 2026.",
      "Sales came from 640 units, 5 orders, an average order value of 132K.",
    ]);
    expect(s.risks[0]?.text).toBe("1 row was a cancellation or return (16.7% of rows), worth 24K.");
    expect(s.actions.length).toBeGreaterThan(0);
    expect(s).toMatchObject({ writer: "offline", verified: true, model: null });
    expect(s.offlineReason).toMatch(/GEMINI_API_KEY/);
  });

  it("writes one order, one unit, in the singular", async () => {
    const dir = mkdtempSync(join(tmpdir(), "offline-singular-"));
    const file = join(dir, "one.csv");
    writeFileSync(file, "Date,Region,Units,Revenue\n2024-01-05,North,1,10\n");
    const draft = writeOfflineDraft(await analyzeFile(file));
    rmSync(dir, { recursive: true, force: true });
    expect(draft.keyFindings).toContain("Sales came from 1 unit, 1 order, an average order value of 10.");
  });

  it("uses the file's currency", async () => {
    const a = await analyzeFile(`${FIXTURES}messy-numbers.csv`);
    expect(writeOfflineDraft(a).headline).toMatch(/^Net revenue of \$4\.2K/);
  });

  const files = [
    `${SAMPLE_DATA}sales_q1_2026.csv`,
    `${SAMPLE_DATA}sales_2025_large.csv`,
    `${SAMPLE_DATA}sales_2025_large.xlsx`,
    ...["evil.csv", "european.csv", "messy-numbers.csv", "title-rows.csv", "units-price.csv"].map(
      (f) => `${FIXTURES}${f}`,
    ),
    ...(sharedDatasetsAvailable()
      ? readdirSync(SHARED_DATASETS)
          .filter((f) => /\.(csv|xlsx)$/.test(f))
          .map((f) => `${SHARED_DATASETS}${f}`)
      : []),
  ];
  it.each(files)("passes its own figure check: %s", async (path) => {
    const a = await analyzeFile(path);
    const draft = writeOfflineDraft(a);
    const facts = deriveFacts(a);
    const sentences = [draft.headline, ...draft.keyFindings, ...draft.risks, ...draft.actions];
    expect(sentences.flatMap((s) => unsupportedFigures(s, facts))).toEqual([]);
    expect(draft.keyFindings.length).toBeGreaterThanOrEqual(3);
    expect(draft.keyFindings.length).toBeLessThanOrEqual(5);
  });
});
