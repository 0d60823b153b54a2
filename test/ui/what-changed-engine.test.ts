import { beforeAll, describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { compareSnapshots } from "../../src/pipeline/compare/compare.js";
import type { ComparisonContext } from "../../src/pipeline/compare/context.js";
import { buildSnapshot } from "../../src/pipeline/compare/snapshot.js";
import { deriveComparisonFacts } from "../../src/pipeline/summary/compare-facts.js";
import type { SummaryModel } from "../../src/pipeline/summary/model.js";
import { summarize } from "../../src/pipeline/summary/summarize.js";
import { unsupportedFigures } from "../../src/pipeline/summary/verify.js";
import { buildSummaryEmail } from "../../src/ui/email/summary-email.js";
import { formatMoney, formatMoneyChange, formatPercentChange } from "../../src/ui/format.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { tempFiles } from "../helpers/files.js";
import { dataBlockErrors } from "../helpers/slack-block-rules.js";
import { csv, expectWithinLimits, textObjects } from "./helpers.js";

/**
 * The section driven by the real comparison engine (src/pipeline/compare): two weekly exports are
 * analysed, snapshotted and compared, and the summary, Slack message and e-mail are checked against
 * figures computed here from the two analyses, not from the comparison.
 */

const files = tempFiles();

type Day = { region: string; category: string; units: number; revenue: number; status?: string };

function export_(days: string[], perDay: (day: number) => Day[]): string {
  const rows: (string | number)[][] = [["Order Date", "Region", "Category", "Units", "Revenue", "Status"]];
  days.forEach((day, i) => {
    for (const r of perDay(i))
      rows.push([day, r.region, r.category, r.units, r.revenue, r.status ?? "Shipped"]);
  });
  return csv(rows);
}

const week = (firstDay: number) =>
  Array.from({ length: 7 }, (_, i) => `2026-11-${String(firstDay + i).padStart(2, "0")}`);

/** Week 46: North, South, West and Old; one South order cancelled. */
const W46 = export_(week(9), (d) => [
  { region: "North", category: "Electronics", units: 4, revenue: 2_000 + d * 10 },
  {
    region: "South",
    category: "Garden",
    units: 3,
    revenue: 1_500.5,
    status: d === 2 ? "Cancelled" : "Shipped",
  },
  { region: "West", category: "Electronics", units: 2, revenue: 800 },
  { region: "Old", category: "Garden", units: 1, revenue: 120 },
]);
/** Week 47: North grows most, South shrinks, Old is gone and Central appears. */
const W47 = export_(week(16), (d) => [
  { region: "North", category: "Electronics", units: 5, revenue: 2_600 + d * 10 },
  { region: "South", category: "Garden", units: 3, revenue: 1_200.25 },
  { region: "West", category: "Electronics", units: 2, revenue: 850 },
  { region: "Central", category: "Garden", units: 1, revenue: 300 },
]);

function netByRegion(a: Analysis): Map<string, number> {
  return new Map((a.revenueByRegion ?? []).map((g) => [g.name, g.netRevenue]));
}

describe("What changed from the real engine: week 46 -> week 47", () => {
  let w46: Analysis;
  let w47: Analysis;
  let ctx: ComparisonContext;
  beforeAll(async () => {
    w46 = await analyzeFile(files.write("sales_w46.csv", W46));
    w47 = await analyzeFile(files.write("sales_w47.csv", W47));
    ctx = {
      comparison: compareSnapshots(buildSnapshot(w46), buildSnapshot(w47)),
      previous: { fileName: "sales_w46.csv", postedAt: "2026-11-16T08:30:00Z", link: null },
      chosenBy: "series",
    };
  });

  it("shows the two analyses' totals and their change, in the summary, Slack and e-mail", async () => {
    const summary = await summarize(w47, { model: null, comparison: ctx });
    const money = (n: number) => formatMoney(n, w47.currency);
    const change = w47.netRevenue - w46.netRevenue;
    const expected = `*Net revenue*\n${money(w46.netRevenue)} → ${money(w47.netRevenue)}\n${formatMoneyChange(change, w47.currency)} (${formatPercentChange(change / w46.netRevenue)})`;
    const gross = w47.totalRevenue - w46.totalRevenue;

    const m = buildSummaryMessage(w47, summary, { comparison: ctx, fileName: "sales_w47.csv" });
    const texts = textObjects(m.blocks).map((t) => t.text);
    expect(texts).toContain(expected);
    expect(
      texts.some((t) =>
        t.startsWith(
          `*Gross revenue*\n${money(w46.totalRevenue)} → ${money(w47.totalRevenue)}\n${formatMoneyChange(gross, w47.currency)}`,
        ),
      ),
    ).toBe(true);
    expect(texts[2]?.startsWith("*What changed* · Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)")).toBe(
      true,
    );
    expectWithinLimits(m.blocks);
    expect(dataBlockErrors(m.blocks)).toEqual([]);

    const email = await buildSummaryEmail(w47, summary, { comparison: ctx, charts: false });
    expect(email.text).toContain(
      `${money(w46.netRevenue)} -> ${money(w47.netRevenue)}, ${formatMoneyChange(change, w47.currency)}`,
    );
  });

  it("names the region that grew most and the one that shrank, and the new and gone ones", async () => {
    const before = netByRegion(w46);
    const after = netByRegion(w47);
    const changes = [...after.keys()]
      .filter((r) => before.has(r))
      .map((r) => [r, (after.get(r) ?? 0) - (before.get(r) ?? 0)] as const)
      .sort((x, y) => y[1] - x[1]);
    const [topName, topChange] = changes[0] as readonly [string, number];
    const [lowName, lowChange] = changes.at(-1) as readonly [string, number];
    expect([topName, lowName]).toEqual(["North", "South"]);

    const summary = await summarize(w47, { model: null, comparison: ctx });
    const section = textObjects(buildSummaryMessage(w47, summary, { comparison: ctx }).blocks)
      .map((t) => t.text)
      .join("\n");
    expect(section).toContain(`*Regions up:* ${topName} ${formatMoneyChange(topChange, w47.currency)}`);
    expect(section).toContain(`*Regions down:* ${lowName} ${formatMoneyChange(lowChange, w47.currency)}`);
    expect(section).toContain(
      `*New regions:* Central ${formatMoneyChange(after.get("Central") ?? 0, w47.currency)}`,
    );
    expect(section).toContain(
      `*Regions gone:* Old ${formatMoneyChange(-(before.get("Old") ?? 0), w47.currency)}`,
    );
  });

  it("the offline sentences cite only figures the real comparison holds", async () => {
    const summary = await summarize(w47, { model: null, comparison: ctx });
    const facts = deriveComparisonFacts(ctx.comparison);
    expect(summary.whatChanged?.length).toBeGreaterThan(0);
    for (const s of summary.whatChanged ?? []) expect(unsupportedFigures(s.text, facts), s.text).toEqual([]);
  });

  it("catches Gemini citing a change the real comparison does not hold", async () => {
    const pct = ((w47.netRevenue - w46.netRevenue) / w46.netRevenue) * 100;
    const right = `Net revenue rose ${pct.toFixed(1)}% in week 47.`;
    const wrong = `Net revenue rose ${(pct + 7).toFixed(1)}% in week 47.`;
    const reply = (whatChanged: string[]) =>
      JSON.stringify({
        headline: "Sales were steady.",
        keyFindings: ["North led."],
        risks: [],
        actions: ["Keep going."],
        whatChanged,
      });
    const answers = [reply([right, wrong]), reply([right, wrong])];
    const model: SummaryModel = { model: "fake", generate: async () => answers.shift() ?? "" };
    const summary = await summarize(w47, { model, comparison: ctx });
    expect(summary.whatChanged?.[0]).toEqual({ text: right, source: "gemini" });
    expect(summary.whatChanged?.[1]?.source).toBe("offline");
    expect(summary.rejectedFigures).toContain(`${(pct + 7).toFixed(1)}%`);
  });
});

describe("What changed from the real engine: a partial month against a whole one", () => {
  it("says so in the sentences, Slack and the e-mail", async () => {
    const october = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, "0")}`);
    const november = Array.from({ length: 10 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
    const rows = () => [{ region: "North", category: "Tools", units: 1, revenue: 100 }];
    const previous = await analyzeFile(files.write("sales_oct.csv", export_(october, rows)));
    const current = await analyzeFile(files.write("sales_nov.csv", export_(november, rows)));
    const comparison = compareSnapshots(buildSnapshot(previous), buildSnapshot(current));
    expect(comparison.periods.warnings.some((w) => w.kind === "partial-period")).toBe(true);
    const ctx: ComparisonContext = {
      comparison,
      previous: { fileName: "sales_oct.csv", postedAt: "2026-11-01T08:00:00Z", link: null },
      chosenBy: "series",
    };
    const summary = await summarize(current, { model: null, comparison: ctx });
    const partial = /Nov 2026 has data for only 10 of its 30 days/;
    expect(summary.whatChanged?.[0]?.text).toMatch(/only 10 of 30 days/);
    const slack = textObjects(buildSummaryMessage(current, summary, { comparison: ctx }).blocks)
      .map((t) => t.text)
      .join("\n");
    expect(slack).toMatch(partial);
    const email = await buildSummaryEmail(current, summary, { comparison: ctx, charts: false });
    expect(email.html).toMatch(partial);
    expect(email.text).toMatch(partial);
  });
});
