import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { compareLatestMonths, compareSnapshots } from "../../../src/pipeline/compare/compare.js";
import { findPrevious } from "../../../src/pipeline/compare/series.js";
import { buildSnapshot, decodeSnapshot, encodeSnapshot } from "../../../src/pipeline/compare/snapshot.js";
import { tempFiles } from "../../helpers/files.js";

const files = tempFiles();

function csv(rows: [string, string, string, number, number, string][]): string {
  return [
    "Order Date,Region,Category,Quantity,Revenue,Status",
    ...rows.map((r) =>
      r.map((c) => (typeof c === "number" ? c.toFixed(2).replace(/\.00$/, "") : c)).join(","),
    ),
  ].join("\n");
}

/** Two weekly exports, analysed from files, stored and read back, then compared. */
describe("two weekly exports, end to end", async () => {
  const w46 = files.write(
    "sales_w46.csv",
    csv([
      ["2026-11-09", "North", "Tools", 2, 200, "Shipped"],
      ["2026-11-10", "North", "Toys", 1, 50.5, "Shipped"],
      ["2026-11-11", "South", "Tools", 3, 300, "Shipped"],
      ["2026-11-12", "South", "Toys", 1, 40, "Cancelled"],
      ["2026-11-15", "East", "Tools", 1, 99.99, "Shipped"],
    ]),
  );
  const w47 = files.write(
    "sales_w47.csv",
    csv([
      ["2026-11-16", "North", "Tools", 3, 300, "Shipped"],
      ["2026-11-17", "North", "Toys", 2, 101, "Shipped"],
      ["2026-11-18", "South", "Tools", 2, 220, "Shipped"],
      ["2026-11-20", "West", "Garden", 1, 75.25, "Shipped"],
      ["2026-11-22", "South", "Toys", 1, 40, "Returned"],
    ]),
  );
  const previous = decodeSnapshot(encodeSnapshot(buildSnapshot(await analyzeFile(w46))));
  const currentSnapshot = buildSnapshot(await analyzeFile(w47));

  it("recognises the series and compares the weeks", () => {
    if (!previous) throw new Error("the stored snapshot did not read back");
    const match = findPrevious(
      {
        fileName: currentSnapshot.fileName,
        headerSignature: currentSnapshot.headerSignature,
        dateRange: currentSnapshot.dateRange,
      },
      [
        {
          id: "1",
          fileName: previous.fileName,
          headerSignature: previous.headerSignature,
          postedAt: "2026-11-16T08:00:00Z",
          dateRange: previous.dateRange,
        },
      ],
    );
    expect(match?.reason).toBe("headers-and-name");
    const comparison = compareSnapshots(previous, currentSnapshot);
    expect(comparison.periods.relation).toBe("consecutive");
    expect(comparison.periods.granularity).toBe("week");
    // Net: 200 + 50.50 + 300 + 99.99 = 650.49 -> 300 + 101 + 220 + 75.25 = 696.25.
    expect(comparison.totals.net).toEqual({
      previous: 650.49,
      current: 696.25,
      change: 45.76,
      changePct: 0.0703,
    });
    expect(comparison.totals.revenue).toMatchObject({ previous: 690.49, current: 736.25, change: 45.76 });
    const region = comparison.region;
    expect(region?.up.map((g) => [g.name, g.change])).toEqual([["North", 150.5]]);
    expect(region?.down.map((g) => [g.name, g.change])).toEqual([["South", -80]]);
    expect(region?.appeared.map((g) => g.name)).toEqual(["West"]);
    expect(region?.disappeared.map((g) => g.name)).toEqual(["East"]);
    expect(region?.unassigned).toBe(0);
    // Whole-file units count every row (as the analysis does); the split uses rows not cancelled.
    expect(comparison.totals.units).toMatchObject({ previous: 8, current: 9 });
    expect(region?.priceVolumeMix).toMatchObject({
      unitsPrevious: 6,
      unitsCurrent: 7,
      newGroups: 75.25,
      vanishedGroups: -99.99,
    });
    expect(comparison.category?.appeared.map((g) => g.name)).toEqual(["Garden"]);
  });

  it("compares the latest month of one file with the month before", async () => {
    const path = files.write(
      "oct-nov.csv",
      csv([
        ["2026-10-05", "North", "Tools", 1, 100, "Shipped"],
        ["2026-10-25", "South", "Tools", 1, 100, "Shipped"],
        ["2026-11-03", "North", "Tools", 2, 260, "Shipped"],
        ["2026-11-28", "South", "Tools", 1, 90, "Shipped"],
      ]),
    );
    const comparison = compareLatestMonths(buildSnapshot(await analyzeFile(path)));
    expect(comparison?.totals.net).toMatchObject({ previous: 200, current: 350, change: 150 });
    expect(comparison?.region?.up[0]).toMatchObject({ name: "North", change: 160, points: 80 });
    expect(comparison?.region?.priceVolumeMix).toMatchObject({ volume: 100, mix: 0, price: 50 });
    // Both groups sold at 100.00 in October: one more unit is volume (+100); North's 130.00 a unit on 2
    // units (+60) and South's 90.00 (-10) are price; no mix, as the old prices were equal.
  });
});
