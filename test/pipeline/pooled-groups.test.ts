import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import type { Cell } from "../../src/pipeline/cell.js";
import { MAX_GROUPS, type Metrics, MetricsFold } from "../../src/pipeline/metrics.js";
import { inferSchema } from "../../src/pipeline/schema.js";
import { deriveFacts } from "../../src/pipeline/summary/facts.js";
import { writeOfflineDraft, writeOfflineSummary } from "../../src/pipeline/summary/offline.js";
import { buildSummaryRequest, promptMetrics } from "../../src/pipeline/summary/prompt.js";
import { unsupportedFigures } from "../../src/pipeline/summary/verify.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { tempFiles } from "../helpers/files.js";
import { allStrings, csv } from "../ui/helpers.js";

const HEADERS = ["Region", "Product", "Revenue", "Status"];
const SCHEMA = inferSchema(HEADERS, [
  ["North", "Widget", "10.00", "Shipped"],
  ["South", "Gadget", "12.50", "Cancelled"],
]);

/** Folds rows of [region, revenue in cents] (product = region, status Shipped) and returns the metrics. */
function fold(rows: [string, number][], status: (i: number) => string = () => "Shipped"): Metrics {
  const f = new MetricsFold(SCHEMA);
  rows.forEach(([name, cents], i) => {
    const cells: Cell[] = [name, name, (cents / 100).toFixed(2), status(i)];
    f.add(cells, i + 2);
  });
  return f.finish({});
}

/** The exact totals by name, in cents, computed independently of the fold. */
function exactCents(rows: [string, number][]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [name, cents] of rows) totals.set(name, (totals.get(name) ?? 0) + cents);
  return totals;
}

const cents = (money: number) => Math.round(money * 100);
const files = tempFiles();

function expectExactAndComplete(m: Metrics, rows: [string, number][]): void {
  const truth = exactCents(rows);
  const list = m.revenueByRegion ?? [];
  for (const g of list) expect(cents(g.revenue), g.name).toBe(truth.get(g.name));
  const listed = list.reduce((sum, g) => sum + cents(g.revenue), 0);
  expect(listed + cents(m.pooled.region?.revenue ?? 0)).toBe(cents(m.totalRevenue));
  expect(list.reduce((n, g) => n + g.rows, 0) + (m.pooled.region?.rows ?? 0)).toBe(m.rows);
  expect(list.some((g) => g.name === "(other)")).toBe(false);
}

describe("breakdowns with more than MAX_GROUPS names", () => {
  it("reports the 5,500th of 6,000 names with its exact total when it is 90% of revenue", () => {
    const rows: [string, number][] = [];
    for (let i = 1; i <= 6_000; i++) rows.push([`R${i}`, i === 5_500 ? 5_399_100 : 100]);
    const m = fold(rows);
    expect(m.totalRevenue).toBe(59_990);
    expect(m.topRegion).toMatchObject({ name: "R5500", revenue: 53_991, share: 0.9 });
    expect(m.revenueByProduct?.[0]).toMatchObject({ name: "R5500", revenue: 53_991 });
    expectExactAndComplete(m, rows);
    expect(m.pooled.region).toMatchObject({ names: expect.any(Number), namesUncounted: false });
    expect((m.pooled.region?.names ?? 0) + (m.revenueByRegion?.length ?? 0)).toBe(6_000);
  });

  it.each([
    [
      "appears once with a cent before a flood of 20,000 other names, then sells",
      () => {
        const rows: [string, number][] = [];
        for (let i = 0; i < MAX_GROUPS; i++) rows.push([`early${i}`, 100]);
        rows.push(["Heavy", 1]);
        for (let i = 0; i < 20_000; i++) rows.push([`flood${i}`, 100 + (i % 7)]);
        for (let i = 0; i < 500; i++) rows.push(["Heavy", 1_000_000]);
        return rows;
      },
    ],
    [
      "appears only in the very last row",
      () => {
        const rows: [string, number][] = [];
        for (let i = 0; i < 30_000; i++) rows.push([`n${i}`, 100]);
        rows.push(["Heavy", 500_000_000]);
        return rows;
      },
    ],
    [
      "is spread thinly between ever larger newcomers",
      () => {
        const rows: [string, number][] = [];
        for (let i = 0; i < 15_000; i++) {
          rows.push([`rising${i}`, i * 10]);
          rows.push(["Heavy", 20_000]);
        }
        return rows;
      },
    ],
  ])("keeps the exact total of a name that %s", (_, make) => {
    const rows = make();
    const m = fold(rows);
    const heavy = exactCents(rows).get("Heavy") as number;
    expect(m.topRegion?.name).toBe("Heavy");
    expect(cents(m.topRegion?.revenue ?? 0)).toBe(heavy);
    expectExactAndComplete(m, rows);
    expect(m.pooled.region?.names).toBeGreaterThan(0);
  });

  it("lists the true top 20 with exact totals, whatever the order (property)", () => {
    const row = fc.tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 9_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) },
      ),
      fc.integer({ min: 0, max: 500_000 }),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 6_000, maxLength: 9_000 }), (raw) => {
        const rows = raw.map(([n, c]) => [`name ${n}`, c] as [string, number]);
        const m = fold(rows);
        expectExactAndComplete(m, rows);
        const truth = [...exactCents(rows)]
          .map(([name, c]) => ({ name, c }))
          .sort((a, b) => b.c - a.c || a.name.localeCompare(b.name))
          .slice(0, 20);
        expect(m.revenueByProduct?.map((g) => [g.name, cents(g.revenue)])).toEqual(
          truth.map((t) => [t.name, t.c]),
        );
      }),
      { numRuns: 15 },
    );
  });

  it("keeps tracked totals + pool = total exactly with returns (negative amounts) too (property)", () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: -300_000, max: 500_000 }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 6_000, maxLength: 9_000 }), (raw) => {
        const rows = raw.map(([n, c]) => [`name ${n}`, c] as [string, number]);
        expectExactAndComplete(fold(rows), rows);
      }),
      { numRuns: 10 },
    );
  });

  it("still adds up exactly when names keep coming after the overflow table is full", () => {
    const rows: [string, number][] = [];
    for (let i = 0; i < 110_000; i++) rows.push([`n${i}`, 100 + (i % 13)]);
    rows.push(["n7000", 90_000_000]);
    const m = fold(rows);
    expect(m.topRegion).toMatchObject({ name: "n7000" });
    expectExactAndComplete(m, rows);
    expect(m.pooled.region?.namesUncounted).toBe(true);
  });

  it("counts a late, dominant status by name and still sees late cancellations", () => {
    const rows: [string, number][] = [];
    const statuses: string[] = [];
    for (let i = 0; i < MAX_GROUPS + 1_000; i++) {
      rows.push(["North", 100]);
      statuses.push(`batch ${i}`);
    }
    for (let i = 0; i < 20_000; i++) {
      rows.push(["North", 100]);
      statuses.push(i % 4 === 0 ? "Cancelled" : "Shipped");
    }
    const m = fold(rows, (i) => statuses[i] as string);
    expect(Object.keys(m.statusCounts ?? {})[0]).toBe("Shipped");
    expect(m.statusCounts?.Shipped).toBe(15_000);
    expect(m.statusCounts?.Cancelled).toBe(5_000);
    expect(m.cancellations?.count).toBe(5_000);
    expect(m.statusCounts?.["(other)"]).toBeUndefined();
    expect(m.pooled.status?.rows).toBeGreaterThan(0);
  });
});

describe("what the summary says about a file with more than MAX_GROUPS names", () => {
  it("leads with the real top region, never '(other)', and says that names were pooled", async () => {
    const rows: (string | number)[][] = [["Date", "Region", "Category", "Revenue"]];
    for (let i = 1; i <= 6_000; i++) {
      rows.push(["2026-01-05", `Region ${i}`, `Cat ${i % 7_000}`, i === 5_500 ? "53991.00" : "1.00"]);
    }
    const a = await analyzeFile(files.write("many-regions.csv", csv(rows)));
    expect(a.topRegion).toMatchObject({ name: "Region 5500", revenue: 53_991, share: 0.9 });
    expect(a.topCategory?.name).toBe("Cat 5500");

    const draft = writeOfflineDraft(a);
    expect(draft.headline).toMatch(/led by Region 5500 with 90% of revenue/);
    const summary = writeOfflineSummary(a, "test");
    const everything = [...allStrings(buildSummaryMessage(a, summary)), buildSummaryRequest(a).prompt];
    for (const text of everything) expect(text).not.toMatch(/\(other\)/);

    const note = a.notes.find((n) => n.startsWith("Region has more than 5,000 distinct values"));
    expect(note).toMatch(
      /the largest are listed with exact totals, and [\d,]+ values \([\d,]+ rows, [\d,.]+ or [\d.]+% of revenue\) are counted together/,
    );
    const pooled = a.pooled.region;
    expect(pooled).not.toBeNull();
    expect(note).toContain(`${pooled?.names.toLocaleString("en-US")} values`);

    const regions = promptMetrics(a).revenueByRegion ?? [];
    expect(regions[0]).toMatchObject({ name: "Region 5500", revenue: 53_991 });
    expect(regions.at(-1)?.name).toBe(`Other (${6_000 - 8} regions)`);
    // The mrkdwn lists (what Slack gets without the table block) and the table both count the rest.
    const lists = buildSummaryMessage(a, summary, { rich: { charts: false, table: false } });
    const more = allStrings(lists).find((t) => t.includes("more regions"));
    expect(more).toContain("+5,995 more regions");
    const others = allStrings(buildSummaryMessage(a, summary)).filter((t) =>
      /^Other \([\d,]+ more\)$/.test(t),
    );
    expect(others).toHaveLength(2);

    const facts = deriveFacts(a);
    const sentences = [draft.headline, ...draft.keyFindings, ...draft.risks, ...draft.actions, ...a.notes];
    expect(sentences.flatMap((t) => unsupportedFigures(t, facts))).toEqual([]);
  });
});
