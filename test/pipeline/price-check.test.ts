import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { MismatchRatios } from "../../src/pipeline/price-check.js";
import { writeOfflineDraft } from "../../src/pipeline/summary/offline.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();
let counter = 0;

/** Rows of Quantity, Unit price and a Total that is `total(qty, price, i)`. */
function csv(total: (qty: number, price: number, i: number) => number, rows = 200): string {
  const lines = ["Date,Region,Quantity,Unit price,Total"];
  for (let i = 0; i < rows; i++) {
    const qty = 1 + (i % 9);
    const price = 10 + ((i * 37) % 90) + 0.49;
    lines.push(
      `2026-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, "0")},R${i % 4},${qty},${price},${total(qty, price, i).toFixed(4)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const analyse = (text: string) => analyzeFile(files.write(`price-${++counter}.csv`, text));

describe("revenue against units x price", () => {
  it("a tax included throughout (Total = Quantity x Unit price x 1.05) is one stated fact, not a risk", async () => {
    const a = await analyse(csv((q, p) => q * p * 1.05));
    expect(a.quality.revenueMismatchRows).toBe(200);
    expect(a.quality.revenueMismatchRatio).toBe(1.05);
    expect(a.notes.join(" ")).toContain(
      "Total is 5% above Quantity x Unit price on 200 rows, the same ratio throughout (a tax or fee included, most likely)",
    );
    expect(JSON.stringify(writeOfflineDraft(a))).not.toMatch(/differs from units times price/);
  });

  it("a discount applied throughout reads as one too (19% VAT, 10% off)", async () => {
    expect((await analyse(csv((q, p) => q * p * 1.19))).quality.revenueMismatchRatio).toBe(1.19);
    const off = await analyse(csv((q, p) => q * p * 0.9));
    expect(off.quality.revenueMismatchRatio).toBe(0.9);
    expect(off.notes.join(" ")).toContain("10% below Quantity x Unit price");
  });

  it("rows off by a power of ten are a scale error on those rows, still a risk", async () => {
    const a = await analyse(csv((q, p, i) => (i % 2 === 0 ? q * p * 10 : q * p)));
    expect(a.quality.revenueMismatchRows).toBe(100);
    expect(a.quality.revenueMismatchRatio).toBe(10);
    expect(a.notes.join(" ")).toContain("100 rows have Total exactly 10 times Quantity x Unit price");
    expect(JSON.stringify(writeOfflineDraft(a))).toMatch(/differs from units times price/);
  });

  it("rows off in different ways stay a data-quality risk", async () => {
    const a = await analyse(csv((q, p, i) => q * p * (1 + (i % 7) * 0.03 + 0.02)));
    expect(a.quality.revenueMismatchRows).toBe(200);
    expect(a.quality.revenueMismatchRatio).toBeNull();
    expect(a.notes.join(" ")).toMatch(/discounts, or an error in the file/);
    expect(JSON.stringify(writeOfflineDraft(a))).toMatch(/differs from units times price/);
  });

  it("a few odd rows among matching ones are not called a consistent ratio unless they agree", async () => {
    const a = await analyse(csv((q, p, i) => (i % 50 === 0 ? q * p * (2 + i / 100) : q * p)));
    expect(a.quality.revenueMismatchRows).toBe(4);
    expect(a.quality.revenueMismatchRatio).toBeNull();
  });
});

describe("MismatchRatios", () => {
  it("needs 90% of all mismatching rows on one ratio, counting the unmeasurable ones against it", () => {
    const ratios = new MismatchRatios();
    for (let i = 0; i < 9; i++) ratios.add(105, 100);
    ratios.add(300, 100);
    expect(ratios.commonRatio(10)).toBe(1.05);
    // Ten more rows too small to measure (expected below 10): 9 of 20 no longer carry it.
    expect(ratios.commonRatio(20)).toBeNull();
  });

  it("joins neighbouring buckets (a ratio on a bucket edge) and ignores signs that make no ratio", () => {
    const ratios = new MismatchRatios();
    for (let i = 0; i < 5; i++) ratios.add(104.95, 100);
    for (let i = 0; i < 5; i++) ratios.add(105.04, 100);
    ratios.add(-50, 100);
    expect(ratios.commonRatio(10)).not.toBeNull();
  });
});
