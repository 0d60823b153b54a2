import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { tempFiles } from "../../helpers/files.js";
import { toCsv } from "../../helpers/shapes.js";

const files = tempFiles();
let counter = 0;
const write = (text: string) => files.write(`discount-${++counter}.csv`, text);
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Line {
  units: number;
  price: number;
  discountAmount: number;
  discountPercent: number;
}

function lines(count = 80): Line[] {
  return Array.from({ length: count }, (_, i) => ({
    units: 1 + (i % 5),
    price: round2(9.99 + ((i * 37) % 200)),
    discountAmount: i % 3 === 0 ? round2(1 + (i % 7)) : 0,
    discountPercent: i % 4 === 0 ? 10 : i % 4 === 1 ? 25 : 0,
  }));
}
const gross = (l: Line) => round2(l.units * l.price);
const sum = (values: number[]) => round2(values.reduce((s, v) => s + v, 0));

describe("discount columns: revenue net of discount next to a gross line value", () => {
  const rows = lines();

  it("quantity x price with a discount amount (no revenue column): net = gross - discount", async () => {
    const body = rows.map((l, i) => [
      `2024-02-${String(1 + (i % 28)).padStart(2, "0")}`,
      l.units,
      l.price.toFixed(2),
      l.discountAmount.toFixed(2),
    ]);
    const a = await analyzeFile(write(toCsv([["Date", "Quantity", "Unit Price", "Discount"], ...body])));
    const net = sum(rows.map((l) => gross(l) - l.discountAmount));
    expect(a.totalRevenue).toBe(net);
    expect(a.shape?.discount).toMatchObject({ column: "Discount", kind: "amount" });
    expect(a.shape?.discount?.total).toBe(sum(rows.map((l) => l.discountAmount)));
    expect(a.notes.join(" ")).toMatch(/net of discount/);
  });

  it("a gross Sales column (= quantity x price) with a discount percentage, in German", async () => {
    const body = rows.map((l) => [l.units, l.price.toFixed(2), l.discountPercent, gross(l).toFixed(2)]);
    const a = await analyzeFile(write(toCsv([["Menge", "Einzelpreis", "Rabatt %", "Umsatz"], ...body])));
    const net = sum(rows.map((l) => gross(l) * (1 - l.discountPercent / 100)));
    expect(a.totalRevenue).toBeCloseTo(net, 2);
    expect(a.shape?.discount?.kind).toBe("percent");
  });

  it("a revenue column already net of the discount is used as written", async () => {
    const body = rows.map((l) => [
      l.units,
      l.price.toFixed(2),
      l.discountAmount.toFixed(2),
      (gross(l) - l.discountAmount).toFixed(2),
    ]);
    const a = await analyzeFile(write(toCsv([["Qty", "Unit Price", "Discount", "Sales"], ...body])));
    expect(a.totalRevenue).toBe(sum(rows.map((l) => gross(l) - l.discountAmount)));
    expect(a.shape?.discount ?? null).toBeNull();
  });

  it("a file with a net column next to the discount takes nothing off", async () => {
    const body = rows.map((l) => [
      gross(l).toFixed(2),
      l.discountAmount.toFixed(2),
      (gross(l) - l.discountAmount).toFixed(2),
    ]);
    const a = await analyzeFile(write(toCsv([["Gross Sales", "Discounts", "Net Sales"], ...body])));
    expect(a.totalRevenue).toBe(sum(rows.map((l) => gross(l) - l.discountAmount)));
    expect(a.shape?.discount ?? null).toBeNull();
  });
});
