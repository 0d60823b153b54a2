import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();
let counter = 0;

const row = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 12 }),
  region: fc.constantFrom("North", "South", "East, Inc.", 'West "Coast"', "Nord\nOst"),
  cents: fc.integer({ min: -50_000, max: 10_000_000 }),
  status: fc.constantFrom("Shipped", "Cancelled", "Delivered"),
});

async function totals(
  rows: { day: number; month: number; region: string; cents: number; status: string }[],
  quoteAll: boolean,
) {
  const table = [
    ["Date", "Region", "Revenue", "Status"],
    ...rows.map((r) => [
      `2025-${String(r.month).padStart(2, "0")}-${String(r.day).padStart(2, "0")}`,
      r.region,
      (r.cents / 100).toFixed(2),
      r.status,
    ]),
  ];
  const path = files.write(`p${counter++}.csv`, Papa.unparse(table, { quotes: quoteAll }));
  const a = await analyzeFile(path);
  return {
    rows: a.rows,
    total: a.totalRevenue,
    net: a.netRevenue,
    regions: Object.fromEntries((a.revenueByRegion ?? []).map((g) => [g.name, g.revenue])),
    months: a.revenueByMonth.map((m) => [m.month, m.revenue]),
    cancellations: a.cancellations,
  };
}

describe("metrics invariants (property)", () => {
  it("totals are exact to the cent, and do not depend on row order or on CSV quoting", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.integer(), async (rows, seed) => {
        const base = await totals(rows, false);
        const shuffled = [...rows].sort(
          (a, b) => ((a.cents * 31 + seed) % 97) - ((b.cents * 31 + seed) % 97),
        );
        expect(await totals(shuffled, true)).toEqual(base);
        const exactCents = rows.reduce((sum, r) => sum + r.cents, 0);
        expect(Math.round(base.total * 100)).toBe(exactCents);
        expect(base.rows).toBe(rows.length);
      }),
      { numRuns: 40 },
    );
  });
});
