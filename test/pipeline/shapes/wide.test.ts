import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { headerPeriod } from "../../../src/pipeline/shapes/wide.js";
import { deriveFacts } from "../../../src/pipeline/summary/facts.js";
import { writeOfflineDraft } from "../../../src/pipeline/summary/offline.js";
import { unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { tempFiles } from "../../helpers/files.js";
import { toCsv } from "../../helpers/shapes.js";

const files = tempFiles();
let counter = 0;
const write = (text: string) => files.write(`wide-${++counter}.csv`, text);
const round2 = (n: number) => Math.round(n * 100) / 100;

const REGIONS = ["North", "South", "East", "West", "Central"];

/** A region x period table of values with cents; some cells left empty. */
function grid(periods: number) {
  return REGIONS.map((region, r) => ({
    region,
    values: Array.from({ length: periods }, (_, p) =>
      (r + p) % 7 === 6 ? null : round2(100 + r * 37.25 + p * 11.5),
    ),
  }));
}

const HEADER_STYLES: { name: string; headers: string[]; months: string[] }[] = [
  {
    name: "ISO months",
    headers: ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"],
    months: ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"],
  },
  {
    name: "Mon-YY",
    headers: ["Nov-23", "Dec-23", "Jan-24", "Feb-24"],
    months: ["2023-11", "2023-12", "2024-01", "2024-02"],
  },
  {
    name: "German month names with year",
    headers: ["Januar 2025", "Februar 2025", "März 2025", "April 2025"],
    months: ["2025-01", "2025-02", "2025-03", "2025-04"],
  },
  {
    name: "quarters",
    headers: ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"],
    months: ["2024-01", "2024-04", "2024-07", "2024-10"],
  },
  {
    name: "Japanese months",
    headers: ["2024年1月", "2024年2月", "2024年3月"],
    months: ["2024-01", "2024-02", "2024-03"],
  },
];

describe("wide tables: one column per month or quarter, read as long", () => {
  for (const style of HEADER_STYLES) {
    it(`${style.name}: ${style.headers.join(", ")}`, async () => {
      const rows = grid(style.headers.length);
      const body = rows.map((r) => [r.region, ...r.values.map((v) => (v === null ? "" : v.toFixed(2)))]);
      const a = await analyzeFile(write(toCsv([["Region", ...style.headers], ...body])));
      const all = rows.flatMap((r) => r.values.filter((v): v is number => v !== null));
      expect(a.totalRevenue).toBe(round2(all.reduce((s, v) => s + v, 0)));
      expect(a.rows).toBe(all.length);
      expect(a.shape?.wide?.periodColumns).toEqual(style.headers);
      // Each month's figure is its column's sum, never a whole column taken as "revenue".
      const byMonth = new Map(a.revenueByMonth.map((m) => [m.month, m.revenue]));
      style.months.forEach((month, p) => {
        const column = rows.reduce((s, r) => s + (r.values[p] ?? 0), 0);
        expect(byMonth.get(month)).toBe(round2(column));
      });
      for (const g of a.revenueByRegion ?? []) {
        const row = rows.find((r) => r.region === g.name);
        expect(g.revenue).toBe(round2((row?.values ?? []).reduce((s: number, v) => s + (v ?? 0), 0)));
      }
      expect(a.notes.join(" ")).toMatch(/one column per (month|quarter)/);
      // Every figure of the offline summary is backed by the facts the checker accepts.
      const draft = writeOfflineDraft(a);
      const facts = deriveFacts(a);
      for (const text of [draft.headline, ...draft.keyFindings, ...draft.risks, ...draft.actions, ...a.notes])
        expect(unsupportedFigures(text, facts)).toEqual([]);
    });
  }

  it("a row-total column and a totals row are left out, not added again", async () => {
    const rows = grid(4);
    const sums = rows.map((r) => round2(r.values.reduce((s: number, v) => s + (v ?? 0), 0)));
    const body = rows.map((r, i) => [
      r.region,
      ...r.values.map((v) => (v === null ? "" : v.toFixed(2))),
      sums[i] ?? 0,
    ]);
    const columnSums = [0, 1, 2, 3].map((p) => round2(rows.reduce((s, r) => s + (r.values[p] ?? 0), 0)));
    const grand = round2(sums.reduce((s, v) => s + v, 0));
    const table = [
      ["Region", "Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "Total"],
      ...body,
      ["Total", ...columnSums, grand],
    ];
    const a = await analyzeFile(write(toCsv(table)));
    expect(a.totalRevenue).toBe(grand);
    expect(a.shape?.wide?.ignoredColumns).toEqual(["Total"]);
    expect(a.rowsSkipped.reasons["totals row"]).toBe(1);
  });

  it("month names with the year in a Year column are dated by it", async () => {
    const body = [
      ["2023", "West", 10, 20, 30],
      ["2024", "West", 40, 50, 60],
    ];
    const a = await analyzeFile(write(toCsv([["Year", "Region", "Jan", "Feb", "Mar"], ...body])));
    expect(a.totalRevenue).toBe(210);
    expect(a.revenueByMonth.find((m) => m.month === "2024-02")?.revenue).toBe(50);
    expect(a.revenueByMonth.find((m) => m.month === "2023-03")?.revenue).toBe(30);
  });

  it("month names with no year anywhere: totals right, the months listed by name", async () => {
    const rows = grid(6);
    const body = rows.map((r) => [r.region, ...r.values.map((v) => (v === null ? "" : v.toFixed(2)))]);
    const a = await analyzeFile(
      write(toCsv([["Region", "Jan", "Feb", "Mar", "Apr", "May", "Jun"], ...body])),
    );
    const all = rows.flatMap((r) => r.values.filter((v): v is number => v !== null));
    expect(a.totalRevenue).toBe(round2(all.reduce((s, v) => s + v, 0)));
    expect(a.dateRange).toBeNull();
    expect(a.revenueByCategory?.map((g) => g.name).sort()).toEqual([
      "Apr",
      "Feb",
      "Jan",
      "Jun",
      "Mar",
      "May",
    ]);
    expect(a.notes.join(" ")).toMatch(/name no year/);
  });
});

describe("wide tables: one column per product", () => {
  const PRODUCTS = ["Laptop", "Phone", "Tablet", "Monitor", "Headset"];
  const months = ["2024-01", "2024-02", "2024-03"];
  const cells = REGIONS.flatMap((region, r) =>
    months.map((month, m) => ({
      region,
      month,
      values: PRODUCTS.map((_, p) =>
        (r + m + p) % 6 === 5 ? null : round2(50 + r * 13.5 + m * 7.25 + p * 101),
      ),
    })),
  );

  it("every cell is read, the header becoming the product", async () => {
    const body = cells.map((c) => [
      c.region,
      c.month,
      ...c.values.map((v) => (v === null ? "" : v.toFixed(2))),
    ]);
    const a = await analyzeFile(write(toCsv([["Region", "Month", ...PRODUCTS], ...body])));
    const all = cells.flatMap((c) => c.values.filter((v): v is number => v !== null));
    expect(a.totalRevenue).toBe(round2(all.reduce((s, v) => s + v, 0)));
    expect(a.shape?.wide?.kind).toBe("product");
    // The product column, or the product standing in as the category (a handful of values).
    const byProduct = a.revenueByProduct ?? a.revenueByCategory ?? [];
    for (const g of byProduct) {
      const p = PRODUCTS.indexOf(g.name);
      expect(g.revenue).toBe(round2(cells.reduce((s, c) => s + (c.values[p] ?? 0), 0)));
    }
    expect(byProduct.length).toBe(PRODUCTS.length);
  });

  it("a table whose header names its revenue is not product-wide, however many other numbers it has", async () => {
    const body = cells.map((c) => [
      c.region,
      c.month,
      ...c.values.map((v) => (v === null ? "0" : v.toFixed(2))),
    ]);
    const headers = ["Region", "Month", "Revenue", "Alpha", "Beta", "Gamma", "Delta"];
    const a = await analyzeFile(write(toCsv([headers, ...body])));
    expect(a.shape?.wide ?? null).toBeNull();
    expect(a.columns.revenue).toBe("Revenue");
    expect(a.totalRevenue).toBe(round2(cells.reduce((s, c) => s + (c.values[0] ?? 0), 0)));
  });
});

describe("period headers", () => {
  it.each([
    ["2024-01", { year: 2024, month: 1 }],
    ["01/2024", { year: 2024, month: 1 }],
    ["Jan", { year: null, month: 1 }],
    ["Sept 2024", { year: 2024, month: 9 }],
    ["févr. 2024", { year: 2024, month: 2 }],
    ["Q3", { year: null, month: 7 }],
    ["2024 Q2", { year: 2024, month: 4 }],
    ["3월", { year: null, month: 3 }],
  ] as const)("%s", (header, expected) => {
    expect(headerPeriod(header)).toMatchObject(expected);
  });

  it.each(["Revenue", "Region", "Sales 2024", "2024", "Order Date", "Marketing"])(
    "%s is not a period",
    (header) => {
      expect(headerPeriod(header)).toBeNull();
    },
  );
});
