import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { writeOfflineSummary } from "../../src/pipeline/summary/offline.js";
import { buildSummaryRequest } from "../../src/pipeline/summary/prompt.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { tempFiles } from "../helpers/files.js";
import { allStrings, csv } from "../ui/helpers.js";

const files = tempFiles();
let counter = 0;

const HEADER = ["Date", "Region", "Revenue", "Units", "Status"];
const NORMAL: (string | number)[][] = [
  ["2026-01-05", "North", "1200.50", "3", "Shipped"],
  ["2026-01-06", "South", "800", "2", "Shipped"],
  ["2026-02-07", "East", "99.50", "1", "Cancelled"],
];

/**
 * Plain rows around the stray ones: a column with more than a fifth of its values out of range is
 * not taken as revenue at all (see unusable-column.test.ts), so these tests put a few in a larger file.
 */
const plain = (n: number) =>
  Array.from({ length: n }, (_, i) => [`2026-03-${(i % 28) + 1}`, "West", "10.00", "1", "Shipped"]);

async function analyzeRows(extra: (string | number)[][]): Promise<Analysis> {
  const path = files.write(`range-${counter++}.csv`, csv([HEADER, ...NORMAL, ...extra]));
  return analyzeFile(path);
}

/** Everything a user or Gemini could read about the analysis, as text. */
function everythingShown(a: Analysis): string[] {
  const summary = writeOfflineSummary(a, "test");
  return [
    ...allStrings(buildSummaryMessage(a, summary)),
    buildSummaryRequest(a).prompt,
    ...a.notes,
    JSON.stringify(a),
  ];
}

function expectNoExponentOrNonFinite(a: Analysis): void {
  for (const text of everythingShown(a)) {
    expect(text).not.toMatch(/NaN|Infinity|\d[eE][+-]?\d/);
  }
  for (const v of [a.totalRevenue, a.netRevenue, a.totalUnits, a.averageOrderValue]) {
    if (v !== null) expect(Number.isFinite(v)).toBe(true);
  }
}

describe("values outside a sane money range", () => {
  it("sets aside revenue cells too large to be amounts and keeps the rest exact", async () => {
    const huge = `1${"0".repeat(308)}`; // 1e308 written out in digits
    const a = await analyzeRows([
      ...plain(30),
      ["2026-02-08", "West", huge, "1", "Shipped"],
      ["2026-02-09", "West", huge, "1", "Shipped"],
      ["2026-02-10", "West", `1${"0".repeat(300)}`, "1", "Shipped"],
      ["2026-02-11", "West", "1234567890123456789012", "1", "Shipped"], // a 22-digit id
    ]);
    expect(a.rows).toBe(37);
    expect(a.totalRevenue).toBe(2400);
    expect(a.netRevenue).toBe(2300.5);
    expect(a.quality.outOfRangeRevenue).toBe(4);
    expect(a.notes.join(" ")).toMatch(/4 rows have a Revenue of 10 trillion or more/);
    expectNoExponentOrNonFinite(a);
  });

  it("does not read exponent notation, Infinity or NaN text as money", async () => {
    const a = await analyzeRows([
      ...plain(30),
      ["2026-02-08", "West", "1e308", "1", "Shipped"],
      ["2026-02-09", "West", "1.23457E+21", "1", "Shipped"],
      ["2026-02-10", "West", "1e5", "1", "Shipped"],
      ["2026-02-11", "West", "Infinity", "1", "Shipped"],
      ["2026-02-12", "West", "-Infinity", "1", "Shipped"],
      ["2026-02-13", "West", "NaN", "1", "Shipped"],
      ["2026-02-14", "West", "$1e6", "1", "Shipped"],
    ]);
    expect(a.totalRevenue).toBe(2400);
    expect(a.quality.invalidRevenue).toBe(7);
    expectNoExponentOrNonFinite(a);
  });

  it("sets aside huge unit counts and huge prices when revenue is units x price", async () => {
    const path = files.write(
      `range-${counter++}.csv`,
      csv([
        ["Date", "Region", "Qty", "Unit Price"],
        ["2026-01-05", "North", "2", "10.25"],
        ["2026-01-06", "North", "99999999999999999999", "1"],
        ["2026-01-07", "South", "3", "99999999999999"],
        ["2026-01-08", "South", "9999999", "9999999"], // each fine, the product is not
        ...Array.from({ length: 30 }, () => ["2026-01-09", "North", "1", "10"]),
      ]),
    );
    const a = await analyzeFile(path);
    expect(a.totalRevenue).toBe(320.5);
    expect(a.quality.outOfRangeRevenue).toBe(3);
    expect(a.quality.outOfRangeUnits).toBe(1);
    expect(a.totalUnits).toBe(2 + 3 + 9999999 + 30);
    expectNoExponentOrNonFinite(a);
  });

  it("sets aside huge numeric cells from a workbook (numbers, not text)", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("Sales");
    s.addRow(["Date", "Region", "Revenue"]);
    s.addRow(["2026-01-05", "North", 1000.25]);
    s.addRow(["2026-01-06", "North", 1e308]);
    s.addRow(["2026-01-07", "South", 1e308]);
    s.addRow(["2026-01-08", "South", -1e300]);
    s.addRow(["2026-01-09", "South", 12345678901234567000]);
    for (let i = 0; i < 30; i++) s.addRow(["2026-01-10", "East", 10]);
    const path = `${files.dir}/huge.xlsx`;
    await wb.xlsx.writeFile(path);
    const a = await analyzeFile(path);
    expect(a.totalRevenue).toBe(1300.25);
    expect(a.quality.outOfRangeRevenue).toBe(4);
    expectNoExponentOrNonFinite(a);
  });

  it("keeps amounts just below the bound exact to the cent", async () => {
    const a = await analyzeRows([
      ["2026-02-08", "West", "9999999999999.99", "1", "Shipped"],
      ["2026-02-09", "West", "-9999999999999.98", "1", "Shipped"],
    ]);
    expect(a.quality.outOfRangeRevenue).toBe(0);
    expect(a.totalRevenue).toBe(2100.01);
    expectNoExponentOrNonFinite(a);
  });
});
