import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { deriveFacts } from "../../../src/pipeline/summary/facts.js";
import { unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { tempFiles } from "../../helpers/files.js";
import { shopifyExport, toCsv } from "../../helpers/shapes.js";

const files = tempFiles();
let counter = 0;
const write = (text: string) => files.write(`orders-${++counter}.csv`, text);
const cents = (n: number) => Math.round(n * 100);

describe("multi-line orders (Shopify-style export)", () => {
  const table = shopifyExport(150, 9);

  it("counts each order's total once, and every line for units and products", async () => {
    const a = await analyzeFile(write(table.csv));
    expect(a.rows).toBe(table.lines);
    expect(cents(a.totalRevenue)).toBe(cents(table.total));
    expect(a.totalUnits).toBe(table.units);
    expect(a.shape?.orderLines?.orderColumn).toBe("Name");
    expect(a.shape?.orderLines?.continuationRows).toBe(table.lines - table.orders);
    // The line-item breakdown (product, or the product standing in as category) earns quantity x price.
    const lineBreakdown = a.revenueByProduct ?? a.revenueByCategory ?? [];
    expect(lineBreakdown.length).toBeGreaterThan(0);
    for (const g of lineBreakdown)
      expect(cents(g.revenue)).toBe(cents(table.productValue.get(g.name) ?? Number.NaN));
    // No order-level revenue leaked into the figures twice: units x price never mismatch row by row.
    expect(a.quality.revenueMismatchRows).toBe(0);
    expect(a.quality.missingRevenue).toBe(0);
    expect(a.notes.join(" ")).toMatch(/Orders span several lines/);
    const facts = deriveFacts(a);
    for (const note of a.notes) expect(unsupportedFigures(note, facts)).toEqual([]);
  });

  it("continuation lines are not blank statuses or regions", async () => {
    const a = await analyzeFile(write(table.csv));
    expect(a.statusCounts).not.toBeNull();
    expect(Object.keys(a.statusCounts ?? {})).not.toContain("(blank)");
    expect(Object.values(a.statusCounts ?? {}).reduce((s, n) => s + n, 0)).toBe(table.orders);
    for (const [status, n] of table.statuses) expect(a.statusCounts?.[status]).toBe(n);
    expect(a.revenueByRegion?.map((g) => g.name)).not.toContain("(blank)");
    const regionRows = (a.revenueByRegion ?? []).reduce((s, g) => s + g.rows, 0);
    expect(regionRows).toBe(table.orders);
  });

  it("a line-item file whose order id repeats on fully filled rows is not multi-line", async () => {
    const rows: (string | number)[][] = [
      ["Order ID", "Date", "Region", "Product", "Quantity", "Unit Price", "Sales"],
    ];
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const units = 1 + (i % 4);
      const price = 5 + (i % 7);
      rows.push([
        `SO-${Math.floor(i / 3)}`,
        `2024-03-${String(1 + (i % 28)).padStart(2, "0")}`,
        i % 2 ? "East" : "West",
        `P${i % 5}`,
        units,
        price.toFixed(2),
        (units * price).toFixed(2),
      ]);
      total += units * price;
    }
    const a = await analyzeFile(write(toCsv(rows)));
    expect(a.shape).toBeNull();
    expect(a.totalRevenue).toBe(total);
    expect(a.orders).toBe(20);
  });

  it("line-level revenue with order-level fields on the first line: each line keeps its value, the order's region filled in", async () => {
    const rows: (string | number)[][] = [["Order", "Date", "Region", "Status", "Product", "Qty", "Price"]];
    let total = 0;
    const byRegion = new Map<string, number>();
    for (let o = 0; o < 30; o++) {
      const region = ["North", "South", "East"][o % 3] ?? "North";
      for (let l = 0; l < 1 + (o % 3); l++) {
        const qty = 1 + l;
        const price = 10 + o;
        total += qty * price;
        byRegion.set(region, (byRegion.get(region) ?? 0) + qty * price);
        rows.push(
          l === 0
            ? [`#${100 + o}`, "2024-05-02", region, "paid", `P${l}`, qty, price]
            : [`#${100 + o}`, "", "", "", `P${l}`, qty, price],
        );
      }
    }
    const a = await analyzeFile(write(toCsv(rows)));
    expect(a.shape?.orderLines).not.toBeNull();
    expect(a.totalRevenue).toBe(total);
    for (const g of a.revenueByRegion ?? []) expect(g.revenue).toBe(byRegion.get(g.name));
    expect(a.revenueByMonth.map((m) => m.revenue)).toEqual([total]);
    expect(Object.keys(a.statusCounts ?? {})).toEqual(["paid"]);
  });
});
