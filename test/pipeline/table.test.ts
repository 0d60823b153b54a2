import { describe, expect, it } from "vitest";
import type { Cell } from "../../src/pipeline/cell.js";
import { DEFAULT_LIMITS } from "../../src/pipeline/limits.js";
import { TableBuilder, type TableProblem, type TableResult } from "../../src/pipeline/table.js";

function build(rows: Cell[][]): TableResult | TableProblem {
  const table = new TableBuilder(DEFAULT_LIMITS);
  for (const row of rows) table.push(row);
  return table.finish();
}

function headerOf(rows: Cell[][]): { row: number; headers: string[] } {
  const result = build(rows);
  if (!("metrics" in result)) throw result.error;
  return { row: result.headerRow, headers: result.schema.headers };
}

const DATA: Cell[][] = [
  ["2026-01-05", "North", "1200.50"],
  ["2026-01-06", "South", "800"],
];

describe("header detection", () => {
  it.each([81, 200, 5_000])("takes a header row with one %i-character column name", (length) => {
    const long = `Notes ${"x".repeat(length - 6)}`;
    const { row, headers } = headerOf([
      ["Date", "Region", "Revenue", long],
      ...DATA.map((r) => [...r, "fine"]),
    ]);
    expect(row).toBe(1);
    expect(headers).toEqual(["Date", "Region", "Revenue", long]);
  });

  it("takes a header whose every name is long when it has only long names", () => {
    const names = [
      "Order date (as entered by the sales rep, local time)",
      "Sales region".padEnd(120, "."),
      "Total revenue in USD, net of returns, as booked in the ERP system",
    ];
    const { row } = headerOf([names, ...DATA]);
    expect(row).toBe(1);
  });

  it("passes over a title row of long sentences above the real header", () => {
    const title =
      "This report lists every order booked in the first quarter, including cancelled orders.".repeat(3);
    const note =
      "Figures are in US dollars and were exported from the ERP system on the fifth of April.".repeat(3);
    const { row, headers } = headerOf([[title, note, ""], ["Date", "Region", "Revenue"], ...DATA]);
    expect(row).toBe(2);
    expect(headers).toEqual(["Date", "Region", "Revenue"]);
  });

  it("does not take a data row with a date or a number as the header", () => {
    const result = build([
      ["2026-01-04", "Region", "Revenue"],
      ["1/3/2026", "North", "Revenue"],
      ["Date", "Region", "Revenue"],
      ...DATA,
    ]);
    expect("metrics" in result && result.headerRow).toBe(3);
  });
});

describe("totals row", () => {
  /** Data rows, then a last row labelled `label` in `column` whose revenue is the sum of those above. */
  function withLastRow(label: string, column: 0 | 1): TableResult {
    const rows: Cell[][] = [["Region", "Category", "Revenue"]];
    for (let i = 0; i < 40; i++) rows.push([`Region ${i % 3}`, `Category ${i % 4}`, "10"]);
    rows.push(column === 0 ? [label, "", "400"] : ["", label, "400"]);
    const result = build(rows);
    if (!("metrics" in result)) throw result.error;
    return result;
  }

  it.each([
    "Total",
    "TOTAL",
    "totals:",
    "Grand Total",
    "grand  totals",
    "Sum",
    "SUM",
    "Total Sales",
    "total revenue",
  ])("sets aside a row labelled %j that adds up to everything above it", (label) => {
    for (const column of [0, 1] as const) {
      const { metrics } = withLastRow(label, column);
      expect(metrics.rowsSkipped.reasons, `column ${column}`).toEqual({ "totals row": 1 });
      expect(metrics.totalRevenue).toBe(400);
    }
  });

  // Names that start like a totals label but are not one: kept as data, even when they add up.
  it.each(["South", "Sports", "Summer", "Superstore", "Toys", "Tools", "Garden", "Gross", "Sumatra"])(
    "keeps a row labelled %j as data",
    (label) => {
      for (const column of [0, 1] as const) {
        const { metrics } = withLastRow(label, column);
        expect(metrics.rowsSkipped.reasons, `column ${column}`).toEqual({});
        expect(metrics.totalRevenue).toBe(800);
      }
    },
  );
});
