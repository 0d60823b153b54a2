import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { type ComparisonStep, compareUpload } from "../../src/compare-uploads.js";
import { createLogger } from "../../src/logger.js";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { summarize } from "../../src/pipeline/summary/summarize.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";
import type { Store } from "../../src/services/store.js";
import { whatChangedContent } from "../../src/ui/comparison-text.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { tempFiles } from "../helpers/files.js";
import { csv } from "../ui/helpers.js";

/**
 * `analyze FILE` shows the "What changed" section the Slack summary shows for a first upload (no
 * earlier one in the channel): the file's latest month against the month before. The app's side is
 * run for real (the use case's comparison step against a SQLite store, the offline summary, the Slack
 * message), and the CLI must say the same.
 */
const files = tempFiles();

/** Every day of January (North 2 x 100, South 1 x 50) and February 2026 (North 3 x 100, South 1 x 50). */
function twoMonths(): string {
  const rows: (string | number)[][] = [
    ["Order Date", "Region", "Category", "Units", "Unit Price", "Revenue"],
  ];
  const day = (month: number, d: number) => `2026-0${month}-${String(d).padStart(2, "0")}`;
  for (let d = 1; d <= 31; d++) {
    rows.push([day(1, d), "North", "Tools", 2, "100.00", "200.00"]);
    rows.push([day(1, d), "South", "Toys", 1, "50.00", "50.00"]);
  }
  for (let d = 1; d <= 28; d++) {
    rows.push([day(2, d), "North", "Tools", 3, "100.00", "300.00"]);
    rows.push([day(2, d), "South", "Toys", 1, "50.00", "50.00"]);
  }
  return csv(rows);
}

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let path: string;
let store: Store;
let analysis: Analysis;
let step: ComparisonStep;
let appSummary: ExecutiveSummary;
let slackText: string;

beforeAll(async () => {
  path = files.write("sales_jan_feb.csv", twoMonths());
  analysis = await analyzeFile(path, { fileName: "sales_jan_feb.csv" });
  store = openSqliteStore(":memory:");
  step = await compareUpload(
    analysis,
    {
      channel: "C1",
      fileId: "F1",
      threadTs: "1767000000.000100",
      contentHash: "h1",
      fileName: "sales_jan_feb.csv",
      postedAt: 1_767_000_000_000,
      compareWith: null,
    },
    { store, logger: createLogger({ level: "silent" }), save: "always" },
  );
  appSummary = await summarize(analysis, {
    model: null,
    offlineReason: "offline mode (--offline)",
    comparison: step.context,
  });
  const message = buildSummaryMessage(analysis, appSummary, { comparison: step.context });
  slackText = JSON.stringify(message.blocks);
});

afterAll(async () => {
  await store?.close();
});

describe("analyze FILE: What changed", () => {
  it("the app compares this first upload's latest month with the one before (the case the CLI mirrors)", () => {
    expect(step.context?.chosenBy).toBe("latest-months");
    expect(appSummary.whatChanged?.length ?? 0).toBeGreaterThan(0);
    for (const sentence of appSummary.whatChanged ?? []) expect(slackText).toContain(sentence.text);
  });

  it("prints the Slack section's sentences and the key figures before and after", async () => {
    const { code, stdout, stderr } = await run(["analyze", path, "--offline"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    const title = lines.findIndex((l) => l.startsWith("What changed: "));
    expect(title).toBeGreaterThan(-1);
    // First, as in the Slack message: before the summary's headline and the figures.
    expect(title).toBeLessThan(lines.findIndex((l) => l.includes("Written without Gemini")));
    expect(title).toBeLessThan(lines.findIndex((l) => l.startsWith("  Rows analysed")));
    expect(lines[title]).toMatch(/Feb 2026 vs Jan 2026/);
    for (const sentence of appSummary.whatChanged ?? []) expect(stdout).toContain(`  - ${sentence.text}`);
    const content = whatChangedContent(step.context ?? fail(), appSummary.whatChanged);
    expect(content.figures.map((f) => f.label)).toEqual(
      expect.arrayContaining(["Net revenue", "Gross revenue", "Units"]),
    );
    for (const f of content.figures) {
      const line = lines.find((l) => l.trimStart().startsWith(f.label));
      expect(line, f.label).toBeDefined();
      expect(line).toContain(`${f.previous} -> ${f.current}  (${f.change})`);
    }
    // North grew (200 -> 300 a day); South stayed flat: North is the region that moved up.
    expect(stdout).toMatch(/Regions up: North \+/);
    expect(stdout).toContain("(Compared within this file: its latest month against the month before.)");
  });

  it("puts the comparison in --json, the same figures as the app's", async () => {
    const { code, stdout } = await run(["analyze", path, "--json", "--offline"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.comparison).toEqual(JSON.parse(JSON.stringify(step.context?.comparison)));
    // January: 31 days x 250; February: 28 days x 350.
    expect(json.comparison.totals.net).toMatchObject({ previous: 7750, current: 9800, change: 2050 });
    expect(json.comparison.periods.relation).toBe("latest-months");
    expect(json.summary.whatChanged).toEqual(JSON.parse(JSON.stringify(appSummary.whatChanged)));
  });

  it("has no section and a null comparison for a file with one month", async () => {
    const oneMonth = files.write(
      "one_month.csv",
      csv([
        ["Order Date", "Region", "Revenue"],
        ["2026-01-05", "North", "100.00"],
        ["2026-01-20", "South", "50.00"],
      ]),
    );
    const text = await run(["analyze", oneMonth, "--offline"]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toContain("What changed");
    const json = JSON.parse((await run(["analyze", oneMonth, "--json", "--offline"])).stdout);
    expect(json.comparison).toBeNull();
    expect(json.summary.whatChanged ?? []).toEqual([]);
  });
});

function fail(): never {
  throw new Error("no comparison");
}
