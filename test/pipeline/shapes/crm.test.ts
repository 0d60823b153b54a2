import { describe, expect, it } from "vitest";
import { renderTextReport } from "../../../src/cli/report.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { stageOutcome } from "../../../src/pipeline/shapes/crm.js";
import { deriveFacts } from "../../../src/pipeline/summary/facts.js";
import { writeOfflineDraft } from "../../../src/pipeline/summary/offline.js";
import { buildSummaryRequest } from "../../../src/pipeline/summary/prompt.js";
import { unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { tempFiles } from "../../helpers/files.js";
import { dealExport, STAGE_WORDS, toCsv } from "../../helpers/shapes.js";

const files = tempFiles();
let counter = 0;
const write = (text: string) => files.write(`deals-${++counter}.csv`, text);
const cents = (n: number) => Math.round(n * 100);

describe("CRM/opportunity exports: revenue is won deals only", () => {
  for (const words of STAGE_WORDS) {
    it(`${words.language}: ${words.won} / ${words.lost} next to a deal value`, async () => {
      const table = dealExport(words);
      const a = await analyzeFile(write(table.csv));
      expect(cents(a.totalRevenue)).toBe(cents(table.won.value));
      expect(a.pipeline).not.toBeNull();
      expect(a.pipeline?.won.count).toBe(table.won.count);
      expect(cents(a.pipeline?.lost.value ?? 0)).toBe(cents(table.lost.value));
      expect(a.pipeline?.lost.count).toBe(table.lost.count);
      expect(cents(a.pipeline?.open.value ?? 0)).toBe(cents(table.open.value));
      expect(a.pipeline?.open.count).toBe(table.open.count);
      const closed = table.won.count + table.lost.count;
      expect(a.pipeline?.winRate).toBeCloseTo(table.won.count / closed, 4);
      expect(a.pipeline?.winRateByValue).toBeCloseTo(
        table.won.value / (table.won.value + table.lost.value),
        4,
      );
      // Orders are won deals, so the average order value is the average won deal.
      expect(a.orders).toBe(table.won.count);
      expect(a.notes.join(" ")).toMatch(/deal export: revenue counts only won deals/);
    });
  }

  it("every stage is still listed in the stage counts", async () => {
    const table = dealExport(STAGE_WORDS[0] ?? { language: "en", won: "Won", lost: "Lost", open: ["Open"] });
    const a = await analyzeFile(write(table.csv));
    const counted = Object.values(a.statusCounts ?? {}).reduce((s, n) => s + n, 0);
    expect(counted).toBe(a.rows);
  });

  it("the offline summary and the text report cite the pipeline, and the figure check accepts it", async () => {
    const table = dealExport({ language: "en", won: "Won", lost: "Lost", open: ["Negotiation"] });
    const a = await analyzeFile(write(table.csv));
    const draft = writeOfflineDraft(a);
    const sentences = [draft.headline, ...draft.keyFindings, ...draft.risks, ...draft.actions];
    expect(sentences.join(" ")).toMatch(/open pipeline/i);
    const facts = deriveFacts(a);
    for (const s of [...sentences, ...a.notes]) expect(unsupportedFigures(s, facts)).toEqual([]);
    // A model citing the win rate, the lost value or the whole pipeline is backed by the facts.
    const p = a.pipeline;
    if (!p || p.winRate === null) throw new Error("expected a win rate");
    const cited = `Win rate was ${(p.winRate * 100).toFixed(1)}%, with ${p.lost.value.toFixed(2)} lost and ${(p.open.value + p.lost.value + p.won.value).toFixed(2)} in all deals.`;
    expect(unsupportedFigures(cited, facts)).toEqual([]);
    expect(renderTextReport(a)).toMatch(/Win rate\s+\d/);
    // The model is told the revenue is won deals, and sees the lost and open pipeline apart.
    const prompt = buildSummaryRequest(a).prompt;
    expect(prompt).toContain("dealPipeline");
    expect(prompt).toContain(String(p.open.value));
  });

  it("an order file whose statuses are not deal outcomes is read as before", async () => {
    const rows: (string | number)[][] = [["Order ID", "Status", "Amount"]];
    const statuses = ["Shipped", "Delivered", "Cancelled", "Pending", "Open"];
    let total = 0;
    for (let i = 0; i < 50; i++) {
      rows.push([`SO-${i}`, statuses[i % statuses.length] ?? "Shipped", (10 + i).toFixed(2)]);
      total += 10 + i;
    }
    const a = await analyzeFile(write(toCsv(rows)));
    expect(a.pipeline).toBeNull();
    expect(a.totalRevenue).toBe(total);
  });
});

describe("stage values", () => {
  it.each([
    ["Closed Won", "won"],
    ["6 - Closed Won", "won"],
    ["Closed Lost", "lost"],
    ["Fechado ganho", "won"],
    ["Chiuso perso", "lost"],
    ["Gagnée", "won"],
    ["Kazanıldı", "won"],
    ["Negotiation/Review", null],
    ["Shipped", null],
    ["受注", "won"],
  ] as const)("%s -> %s", (value, outcome) => {
    expect(stageOutcome(value)).toBe(outcome);
  });
});
