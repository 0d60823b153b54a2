import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import type { Cell } from "../../src/pipeline/cell.js";
import {
  type GroupMonthGrid,
  type GroupMonthRow,
  MAX_GROUPS,
  type Metrics,
  MetricsFold,
} from "../../src/pipeline/metrics.js";
import { inferSchema } from "../../src/pipeline/schema.js";
import { tempFiles } from "../helpers/files.js";

const cents = (money: number) => Math.round(money * 100);
const sumCents = (values: number[]) => values.reduce((s, v) => s + cents(v), 0);

interface Row {
  date: string;
  region: string;
  category: string;
  cents: number;
  units: number;
  status: string;
}

const HEADERS = ["Date", "Region", "Category", "Units", "Revenue", "Status"];
const SCHEMA = inferSchema(HEADERS, [
  ["2025-01-03", "North", "Toys", "2", "10.00", "Shipped"],
  ["2025-02-04", "South", "Books", "1", "12.50", "Cancelled"],
]);

function fold(rows: Row[], schema = SCHEMA): { metrics: Metrics; grid: GroupMonthGrid } {
  const f = new MetricsFold(schema);
  rows.forEach((r, i) => {
    const cells: Cell[] = [
      r.date,
      r.region,
      r.category,
      String(r.units),
      (r.cents / 100).toFixed(2),
      r.status,
    ];
    f.add(cells, i + 2);
  });
  const metrics = f.finish({});
  return { metrics, grid: f.groupMonthGrid() };
}

/** Exact truth in cents (and whole units), by group and month, computed apart from the fold. */
function truth(rows: Row[], key: "region" | "category") {
  const cell = new Map<string, { gross: number; net: number; units: number }>();
  for (const r of rows) {
    const id = `${r.region === "" && key === "region" ? "(blank)" : r[key]}|${r.date.slice(0, 7)}`;
    const c = cell.get(id) ?? { gross: 0, net: 0, units: 0 };
    c.gross += r.cents;
    const cancelled = /cancel|refund/i.test(r.status) || r.cents < 0 || r.units < 0;
    if (!cancelled) {
      c.net += r.cents;
      c.units += r.units;
    }
    cell.set(id, c);
  }
  return cell;
}

function rowNamed(rows: GroupMonthRow[] | null, name: string): GroupMonthRow {
  const row = rows?.find((r) => r.name === name && !r.pooled);
  if (!row) throw new Error(`no row ${name}`);
  return row;
}

const rowArb = fc.record({
  date: fc
    .record({
      year: fc.constantFrom(2024, 2025),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    .map(
      ({ year, month, day }) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    ),
  region: fc.constantFrom("North", "South", "East", ""),
  category: fc.constantFrom("Toys", "Books", "Garden"),
  cents: fc.integer({ min: -20_000, max: 5_000_000 }),
  units: fc.integer({ min: -3, max: 40 }),
  status: fc.constantFrom("Shipped", "Cancelled", "Delivered", "Refunded"),
});

describe("MetricsFold.groupMonthGrid", () => {
  it("sums each group by month exactly: rows add up to the group totals, columns to revenueByMonth", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 300 }), (rows) => {
        const { metrics, grid } = fold(rows);
        expect(grid.months).toEqual(metrics.revenueByMonth.map((m) => m.month));
        for (const [key, list, rowsOf] of [
          ["region", metrics.revenueByRegion, grid.region],
          ["category", metrics.revenueByCategory, grid.category],
        ] as const) {
          const exact = truth(rows, key);
          expect(rowsOf?.length).toBe(list?.length);
          for (const group of list ?? []) {
            const row = rowNamed(rowsOf, group.name);
            expect(row.revenue).toHaveLength(grid.months.length);
            expect(sumCents(row.revenue)).toBe(cents(group.revenue));
            expect(sumCents(row.net)).toBe(cents(group.netRevenue));
            grid.months.forEach((month, i) => {
              const c = exact.get(`${group.name}|${month}`) ?? { gross: 0, net: 0, units: 0 };
              expect(cents(row.revenue[i] ?? Number.NaN)).toBe(c.gross);
              expect(cents(row.net[i] ?? Number.NaN)).toBe(c.net);
              expect(row.units?.[i]).toBe(c.units);
            });
          }
          metrics.revenueByMonth.forEach((m, i) => {
            expect(sumCents((rowsOf ?? []).map((r) => r.revenue[i] ?? Number.NaN))).toBe(cents(m.revenue));
            expect(sumCents((rowsOf ?? []).map((r) => r.net[i] ?? Number.NaN))).toBe(cents(m.netRevenue));
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("keeps a month with no sales as zeros, like revenueByMonth", () => {
    const row = (date: string, cents: number): Row => ({
      date,
      region: "North",
      category: "Toys",
      cents,
      units: 1,
      status: "Shipped",
    });
    const { grid } = fold([row("2025-01-10", 1_000), row("2025-03-10", 250)]);
    expect(grid.months).toEqual(["2025-01", "2025-02", "2025-03"]);
    expect(grid.region).toEqual([
      { name: "North", revenue: [10, 0, 2.5], net: [10, 0, 2.5], units: [1, 0, 1] },
    ]);
  });

  it("sums the names past MAX_GROUPS into one pooled row, month by month", () => {
    const rows: Row[] = [];
    for (let i = 0; i < MAX_GROUPS + 300; i++) {
      rows.push({
        date: i % 2 === 0 ? "2025-01-15" : "2025-02-15",
        region: `R${i}`,
        category: "Toys",
        cents: 100 + i,
        units: 1,
        status: i % 10 === 0 ? "Cancelled" : "Shipped",
      });
    }
    const { metrics, grid } = fold(rows);
    const region = grid.region ?? [];
    expect(region).toHaveLength(MAX_GROUPS + 1);
    expect(region.filter((r) => r.pooled)).toHaveLength(1);
    const pooled = region.at(-1) as GroupMonthRow;
    expect(pooled.pooled).toBe(true);
    const late = rows.slice(MAX_GROUPS);
    const lateIn = (month: string, net: boolean) =>
      late
        .filter((r) => r.date.startsWith(month) && (!net || r.status === "Shipped"))
        .reduce((s, r) => s + r.cents, 0);
    expect(pooled.revenue.map(cents)).toEqual([lateIn("2025-01", false), lateIn("2025-02", false)]);
    expect(pooled.net.map(cents)).toEqual([lateIn("2025-01", true), lateIn("2025-02", true)]);
    // Every row is somewhere: named rows plus the pool make the month totals.
    metrics.revenueByMonth.forEach((m, i) => {
      expect(sumCents(region.map((r) => r.revenue[i] ?? Number.NaN))).toBe(cents(m.revenue));
    });
    expect(grid.category?.some((r) => r.pooled)).toBe(false);
  });

  it("places ambiguous dates in the months of the day order finally chosen", () => {
    // Day first ("-" separator, and 13/01 settles it): 01-02-2025 is 1 February, not 2 January.
    const rows: Row[] = [
      { date: "13-01-2025", region: "North", category: "Toys", cents: 500, units: 1, status: "Shipped" },
      { date: "01-02-2025", region: "North", category: "Toys", cents: 700, units: 2, status: "Shipped" },
      { date: "02-02-2025", region: "South", category: "Toys", cents: 900, units: 3, status: "Shipped" },
    ];
    const { metrics, grid } = fold(rows);
    expect(metrics.quality.dayOrder).toBe("day-first");
    expect(grid.months).toEqual(["2025-01", "2025-02"]);
    expect(rowNamed(grid.region, "North").revenue).toEqual([5, 7]);
    expect(rowNamed(grid.region, "South").units).toEqual([0, 3]);
  });

  it("has null breakdowns without the column or without dates, and null units without a units column", () => {
    const noRegion = inferSchema(["Date", "Category", "Revenue"], [["2025-01-03", "Toys", "10.00"]]);
    const f = new MetricsFold(noRegion);
    f.add(["2025-01-03", "Toys", "10.00"], 2);
    f.finish({});
    const grid = f.groupMonthGrid();
    expect(grid.region).toBeNull();
    expect(grid.category).toEqual([{ name: "Toys", revenue: [10], net: [10], units: null }]);

    const noDate = inferSchema(["Region", "Revenue"], [["North", "10.00"]]);
    const g = new MetricsFold(noDate);
    g.add(["North", "10.00"], 2);
    g.finish({});
    expect(g.groupMonthGrid()).toEqual({ months: [], region: null, category: null });
  });

  it("needs finish() first, which settles the months", () => {
    expect(() => new MetricsFold(SCHEMA).groupMonthGrid()).toThrow(/finish/);
  });
});

describe("analyzeFile's groupMonths", () => {
  const files = tempFiles();

  it("comes with the analysis of a CSV", async () => {
    const path = files.write(
      "grid.csv",
      "Date,Region,Category,Units,Revenue\n2025-01-03,North,Toys,2,10.10\n2025-02-03,North,Books,1,5.05\n2025-02-04,South,Toys,3,1.01\n",
    );
    const a = await analyzeFile(path);
    expect(a.groupMonths).toEqual({
      months: ["2025-01", "2025-02"],
      region: [
        { name: "North", revenue: [10.1, 5.05], net: [10.1, 5.05], units: [2, 1] },
        { name: "South", revenue: [0, 1.01], net: [0, 1.01], units: [0, 3] },
      ],
      category: [
        { name: "Toys", revenue: [10.1, 1.01], net: [10.1, 1.01], units: [2, 3] },
        { name: "Books", revenue: [0, 5.05], net: [0, 5.05], units: [0, 1] },
      ],
    });
  });
});
