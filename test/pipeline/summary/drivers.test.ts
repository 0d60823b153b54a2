import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { compareSnapshots } from "../../../src/pipeline/compare/compare.js";
import { buildSnapshot } from "../../../src/pipeline/compare/snapshot.js";
import type { Comparison, PriceVolumeMix } from "../../../src/pipeline/compare/types.js";
import { deriveComparisonFacts } from "../../../src/pipeline/summary/compare-facts.js";
import { writeOfflineWhatChanged } from "../../../src/pipeline/summary/compare-offline.js";
import { promptComparison } from "../../../src/pipeline/summary/compare-prompt.js";
import { unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { whatChangedContent } from "../../../src/ui/comparison-text.js";
import { tempFiles } from "../../helpers/files.js";
import { context, weeklyComparison } from "../../ui/compare-fixtures.js";

const files = tempFiles();

/**
 * The price / volume / mix split adds up to the change to the cent, so a term can be a cent of
 * rounding ("other -$0.01", "mix +$0.01"): such residue is no driver and is never printed or sent.
 */
function withSplit(pvm: Partial<PriceVolumeMix>): Comparison {
  const base = weeklyComparison().category?.priceVolumeMix as PriceVolumeMix;
  return weeklyComparison({ priceVolumeMix: { category: { ...base, ...pvm } } });
}

/** The weekly fixture's split with cent residues moved into mix and "other" (still summing to the change). */
const residue = () =>
  withSplit({ volume: 3_700, mix: 0.01, price: 4_099.98, unpriced: 0.02, unassigned: -0.01 });

describe("drivers leave rounding residue out", () => {
  it("the offline sentence names no term under one currency unit", () => {
    const text = writeOfflineWhatChanged(residue()).join(" ");
    expect(text).toContain("Behind the change: volume +$3.7K, price +$4.1K and vanished categories -$1.1K");
    expect(text).not.toMatch(/other|mix/);
  });

  it("the section's drivers line names no term under one currency unit", () => {
    const drivers = whatChangedContent(context(residue())).drivers;
    expect(drivers).toBe("volume +$3.7K · price +$4.1K · vanished categories -$1.1K");
  });

  it("a term under half a percent of the change is noise too, whatever its size in money", () => {
    // 0.4% of a $6.7K change: $27 of mix beside thousands of volume and price.
    const text = writeOfflineWhatChanged(withSplit({ mix: 27, price: 4_073 })).join(" ");
    expect(text).toContain("Behind the change: volume +$3.7K, price +$4.1K and vanished categories -$1.1K");
  });

  it("keeps every term that matters, and says nothing when none does", () => {
    expect(writeOfflineWhatChanged(weeklyComparison()).join(" ")).toContain(
      "volume +$3.7K, price +$3.3K, mix +$800 and vanished categories -$1.1K",
    );
    const none = withSplit({ volume: 0.4, mix: -0.3, price: 0, vanishedGroups: 0, unassigned: 0 });
    expect(writeOfflineWhatChanged(none).join(" ")).not.toContain("Behind the change");
  });

  it("the model is not handed the residue as a driver", () => {
    const sent = promptComparison(residue()).byCategory?.priceVolumeMix;
    expect(sent).toMatchObject({ volume: 3_700, price: 4_099.98, vanishedGroups: -1_100 });
    expect(sent).not.toHaveProperty("mix");
    expect(sent).not.toHaveProperty("other");
    expect(sent).not.toHaveProperty("newGroups");
  });

  it("the figure check still accepts the sentences written from the split", () => {
    const c = residue();
    const facts = deriveComparisonFacts(c);
    for (const s of writeOfflineWhatChanged(c)) expect(unsupportedFigures(s, facts), s).toEqual([]);
    const model = "Volume added +$3.7K and price +$4.1K, while vanished categories took -$1.1K.";
    expect(unsupportedFigures(model, facts)).toEqual([]);
  });
});

describe("drivers from two real files", () => {
  it("a cent of price left by rounding the old prices is in the split, not in the words", async () => {
    // Tools 3 units for 1,000 then 4 for 1,333.34 (1,333.33 at the old price), Toys 7 for 1,000 then 8
    // for 1,142.86 (1,142.857 at the old price): price is the +0.01 left by rounding, nothing more.
    const header = "Order Date,Region,Category,Quantity,Revenue,Status";
    const before = files.write(
      "w46.csv",
      `${header}\n2026-11-09,North,Tools,3,1000,Shipped\n2026-11-10,North,Toys,7,1000,Shipped\n`,
    );
    const after = files.write(
      "w47.csv",
      `${header}\n2026-11-16,North,Tools,4,1333.34,Shipped\n2026-11-17,North,Toys,8,1142.86,Shipped\n`,
    );
    const c = compareSnapshots(
      buildSnapshot(await analyzeFile(before)),
      buildSnapshot(await analyzeFile(after)),
    );
    const pvm = c.category?.priceVolumeMix;
    expect(pvm).toMatchObject({ volume: 400, mix: 76.19, price: 0.01 });
    // The split still adds up to the change exactly.
    const cents = (n: number) => Math.round(n * 100);
    const terms = pvm
      ? [pvm.volume, pvm.mix, pvm.price, pvm.newGroups, pvm.vanishedGroups, pvm.unpriced, pvm.unassigned]
      : [];
    expect(terms.reduce((sum, t) => sum + cents(t), 0)).toBe(cents(c.totals.net.change));
    const text = writeOfflineWhatChanged(c).join(" ");
    expect(text).toContain("Behind the change: volume +400 and mix +76.19; units went from 10 to 12.");
    expect(text).not.toContain("price");
    expect(whatChangedContent(context(c)).drivers).not.toMatch(/price/);
  });
});
