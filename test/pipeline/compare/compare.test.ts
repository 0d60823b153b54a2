import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareLatestMonths, compareSnapshots } from "../../../src/pipeline/compare/compare.js";
import { toCents } from "../../../src/pipeline/compare/decompose.js";
import { POOLED_NAME } from "../../../src/pipeline/compare/snapshot.js";
import type { BreakdownChange, Comparison, Snapshot } from "../../../src/pipeline/compare/types.js";
import { dailySales, gridFrom, gridRows, type Sale, snapshotOf } from "./fixtures.js";

/** The identities every comparison keeps, checked in cents. */
function expectIdentities(comparison: Comparison) {
  for (const breakdown of [comparison.region, comparison.category]) {
    if (!breakdown) continue;
    const listed = breakdown.contributions.reduce((s, g) => s + toCents(g.change), 0);
    expect(listed + toCents(breakdown.otherGroups) + toCents(breakdown.unassigned)).toBe(
      toCents(comparison.totals.net.change),
    );
    const pvm = breakdown.priceVolumeMix;
    if (pvm) {
      const terms = [
        pvm.volume,
        pvm.mix,
        pvm.price,
        pvm.newGroups,
        pvm.vanishedGroups,
        pvm.unpriced,
        pvm.unassigned,
      ];
      expect(terms.reduce((s, t) => s + toCents(t), 0)).toBe(toCents(comparison.totals.net.change));
    }
    for (const g of [...breakdown.up, ...breakdown.down]) expect(g.pooled).toBe(false);
  }
  expect(toCents(comparison.totals.net.current) - toCents(comparison.totals.net.previous)).toBe(
    toCents(comparison.totals.net.change),
  );
}

const names = (groups: { name: string }[]) => groups.map((g) => g.name);

describe("compareSnapshots: consecutive weeks", () => {
  const w46 = snapshotOf(
    "sales_w46.csv",
    dailySales("2026-11-09", "2026-11-15", {
      North: { cents: 10_000, units: 10, category: "Tools" },
      South: { cents: 5_000, units: 5, category: "Toys" },
      East: { cents: 2_000, units: 4, category: "Tools" },
      West: { cents: 1_000, units: 1, category: "Games" },
      Gone: { cents: 700, units: 1, category: "Games" },
    }),
  );
  const w47 = snapshotOf(
    "sales_w47.csv",
    dailySales("2026-11-16", "2026-11-22", {
      North: { cents: 13_000, units: 12, category: "Tools" },
      South: { cents: 4_000, units: 4, category: "Toys" },
      East: { cents: 2_500, units: 5, category: "Tools" },
      West: { cents: 900, units: 1, category: "Games" },
      Fresh: { cents: 3_000, units: 2, category: "Garden" },
    }),
  );
  const comparison = compareSnapshots(w46, w47);

  it("gives total and net change, absolute and %", () => {
    // Per day: 18,700 -> 23,400 cents; over 7 days 1,309.00 -> 1,638.00.
    expect(comparison.totals.net).toEqual({ previous: 1309, current: 1638, change: 329, changePct: 0.2513 });
    expect(comparison.totals.revenue.change).toBe(329);
    expect(comparison.totals.units).toEqual({ previous: 147, current: 168, change: 21, changePct: 0.1429 });
    expect(comparison.periods.relation).toBe("consecutive");
    expect(comparison.corrections).toBeNull();
    expect(comparison.sameDays).toBeNull();
  });

  it("names the movers up and down with their points of the total change, and new and gone groups apart", () => {
    const region = comparison.region as BreakdownChange;
    expect(names(region.up)).toEqual(["North", "East"]);
    expect(names(region.down)).toEqual(["South", "West"]);
    // North: +30.00 a day x 7 = +210.00, 210 / 1,309 = 16.04 points.
    expect(region.up[0]).toMatchObject({ change: 210, points: 16.04, status: "both", changePct: 0.3 });
    expect(names(region.appeared)).toEqual(["Fresh"]);
    expect(region.appeared[0]).toMatchObject({ current: 210, change: 210, status: "new", changePct: null });
    expect(names(region.disappeared)).toEqual(["Gone"]);
    expect(region.disappeared[0]).toMatchObject({ previous: 49, change: -49, status: "vanished" });
    expect(region.appearedCount).toBe(1);
    expect(region.unassigned).toBe(0);
    expect(region.groups).toBe(6);
    expectIdentities(comparison);
  });

  it("splits the change into price, volume and mix", () => {
    const pvm = comparison.region?.priceVolumeMix;
    expect(pvm).toMatchObject({ newGroups: 210, vanishedGroups: -49, unpriced: 0, unassigned: 0 });
    // Continuing groups: units 20 -> 22 a day, revenue 180 -> 204 a day (x7).
    expect(pvm?.unitsPrevious).toBe(140);
    expect(pvm?.unitsCurrent).toBe(154);
    expect((pvm?.volume ?? 0) + (pvm?.mix ?? 0) + (pvm?.price ?? 0)).toBeCloseTo(168, 6);
    expect(pvm?.volume).toBeGreaterThan(0);
  });

  it("category drivers sum to the same change", () => {
    expect(names(comparison.category?.appeared ?? [])).toEqual(["Garden"]);
    expect(comparison.category?.disappeared).toEqual([]);
    expectIdentities(comparison);
  });
});

describe("compareSnapshots: other relations", () => {
  it("a re-export lists the totals that changed and by how much", () => {
    const sales = dailySales("2026-11-16", "2026-11-22", {
      North: { cents: 10_000 },
      South: { cents: 5_000 },
    });
    const before = snapshotOf("sales_w47.csv", sales);
    const corrected = snapshotOf("sales_w47.csv", [
      ...sales.slice(0, -1),
      { ...(sales.at(-1) as Sale), cents: 4_250, cancelled: 750 },
    ]);
    const comparison = compareSnapshots(before, corrected);
    expect(comparison.periods.relation).toBe("same-period");
    expect(comparison.corrections).toEqual([
      { field: "net", previous: 1050, current: 1042.5, change: -7.5 },
      { field: "cancellations", previous: 0, current: 1, change: 1 },
    ]);
    expect(comparison.totals.cancellationShare?.changePoints).toBeCloseTo(0.71, 2);
    expect(names(comparison.region?.down ?? [])).toEqual(["South"]);
    expectIdentities(comparison);
  });

  it("the same file twice: no correction", () => {
    const s = snapshotOf("a.csv", dailySales("2026-11-16", "2026-11-22", { North: { cents: 100 } }));
    expect(compareSnapshots(s, s).corrections).toEqual([]);
  });

  it("a year-to-date file that grew by a month compares the new month with the month before it", () => {
    const january = dailySales("2026-01-01", "2026-01-31", { North: { cents: 1_000, units: 1 } });
    const february = dailySales("2026-02-01", "2026-02-28", {
      North: { cents: 1_500, units: 1 },
      South: { cents: 200, units: 2 },
    });
    const ytdJan = snapshotOf("ytd.csv", january);
    const ytdFeb = snapshotOf("ytd.csv", [...january, ...february]);
    const comparison = compareSnapshots(ytdJan, ytdFeb);
    expect(comparison.periods.relation).toBe("overlapping");
    expect(comparison.totals.net).toMatchObject({ previous: 310, current: 476 });
    expect(comparison.totals.orders).toBeNull();
    expect(comparison.totals.units).toMatchObject({ previous: 31, current: 84 });
    expect(comparison.region?.up[0]).toMatchObject({ name: "North", change: 110 });
    expect(names(comparison.region?.appeared ?? [])).toEqual(["South"]);
    // North's price rose 10.00 -> 15.00 on 28 units: +140.00 price.
    expect(comparison.region?.priceVolumeMix).toMatchObject({ price: 140, newGroups: 56 });
    expectIdentities(comparison);
  });

  it("a month after a year-to-date backfill is compared with the backfill's last month, with drivers", () => {
    const backfill = snapshotOf("sales 2026 ytd.csv", [
      ...dailySales("2026-01-01", "2026-09-30", { North: { cents: 5_000, units: 5 } }),
      ...dailySales("2026-10-01", "2026-10-31", {
        North: { cents: 1_000, units: 1 },
        South: { cents: 500, units: 1 },
      }),
    ]);
    const november = snapshotOf(
      "sales 2026-11.csv",
      dailySales("2026-11-01", "2026-11-30", {
        North: { cents: 1_200, units: 1 },
        South: { cents: 500, units: 1 },
      }),
    );
    const comparison = compareSnapshots(backfill, november);
    expect(comparison.periods.previous.months).toEqual(["2026-10"]);
    expect(comparison.totals.net).toMatchObject({ previous: 465, current: 510, change: 45 });
    expect(comparison.region?.up[0]).toMatchObject({ name: "North", change: 50 });
    expect(comparison.region?.priceVolumeMix).toMatchObject({ price: 60 });
    expectIdentities(comparison);
  });

  it("a partial month against a whole one is flagged and also compared on the same days", () => {
    const oct = snapshotOf(
      "sales 2026-10.csv",
      dailySales("2026-10-01", "2026-10-31", { North: { cents: 1_000 } }),
    );
    const nov = snapshotOf(
      "sales 2026-11.csv",
      dailySales("2026-11-01", "2026-11-10", { North: { cents: 1_200 } }),
    );
    const comparison = compareSnapshots(oct, nov);
    expect(comparison.periods.warnings[0]).toMatchObject({ kind: "partial-period", month: "2026-11" });
    // Whole periods: 310.00 -> 120.00 (a fall that is only the short month).
    expect(comparison.totals.net.change).toBe(-190);
    // Days 1-10 of each: 100.00 -> 120.00, +20%.
    expect(comparison.sameDays?.net).toEqual({ previous: 100, current: 120, change: 20, changePct: 0.2 });
    expect(comparison.sameDays?.previous).toEqual({ start: "2026-10-01", end: "2026-10-10" });
  });

  it("rows outside every group (undated) are unassigned, never pinned on a group", () => {
    const sales = dailySales("2026-11-16", "2026-11-22", { North: { cents: 1_000 } });
    const before = snapshotOf("w47.csv", sales);
    const base = snapshotOf("w48.csv", dailySales("2026-11-23", "2026-11-29", { North: { cents: 1_000 } }));
    // The later file also has 5.00 on rows with no date: in its totals, in no month.
    const after: Snapshot = {
      ...base,
      totals: { ...base.totals, net: base.totals.net + 5, revenue: base.totals.revenue + 5 },
    };
    const comparison = compareSnapshots(before, after);
    expect(comparison.totals.net.change).toBe(5);
    expect(comparison.region?.unassigned).toBe(5);
    expect(comparison.region?.priceVolumeMix).toBeNull();
    expectIdentities(comparison);
  });

  it("never names the pooled entry as a mover, but counts it in the sums", () => {
    const before = snapshotOf("a.csv", dailySales("2026-11-09", "2026-11-15", { North: { cents: 100 } }));
    const after = snapshotOf("b.csv", dailySales("2026-11-16", "2026-11-22", { North: { cents: 200 } }));
    const pool = (s: Snapshot, cents: number): Snapshot => ({
      ...s,
      totals: { ...s.totals, net: s.totals.net + (cents * 7) / 100 },
      region: s.region && {
        totals: s.region.totals,
        months: gridFrom([
          ...gridRows(s.region.months),
          { name: POOLED_NAME, net: s.months.map(() => (cents * 7) / 100), units: null, pooled: true },
        ]),
      },
    });
    const comparison = compareSnapshots(pool(before, 1_000), pool(after, 5_000));
    expect(names(comparison.region?.up ?? [])).toEqual(["North"]);
    expect(comparison.region?.contributions[0]).toMatchObject({
      name: POOLED_NAME,
      pooled: true,
      change: 280,
    });
    expectIdentities(comparison);
  });

  it("without a month grid, contributions come from the whole-file group totals", () => {
    const before = snapshotOf(
      "a.csv",
      dailySales("2026-11-09", "2026-11-15", { North: { cents: 100 }, South: { cents: 50 } }),
    );
    const after = snapshotOf("b.csv", dailySales("2026-11-16", "2026-11-22", { North: { cents: 300 } }));
    const noGrid = (s: Snapshot): Snapshot => ({ ...s, region: s.region && { ...s.region, months: null } });
    const comparison = compareSnapshots(noGrid(before), noGrid(after));
    expect(comparison.region?.up[0]).toMatchObject({ name: "North", change: 14 });
    expect(names(comparison.region?.disappeared ?? [])).toEqual(["South"]);
    expectIdentities(comparison);
  });
});

describe("compareLatestMonths", () => {
  it("the latest month against the one before, with drivers", () => {
    const s = snapshotOf("q4.csv", [
      ...dailySales("2026-10-01", "2026-10-31", {
        North: { cents: 1_000, units: 1 },
        South: { cents: 500, units: 1 },
      }),
      ...dailySales("2026-11-01", "2026-11-30", {
        North: { cents: 800, units: 1 },
        South: { cents: 900, units: 1 },
      }),
    ]);
    const comparison = compareLatestMonths(s);
    expect(comparison?.kind).toBe("latest-months");
    expect(comparison?.totals.net).toMatchObject({ previous: 465, current: 510, change: 45 });
    expect(comparison?.region?.up[0]).toMatchObject({ name: "South", change: 115 });
    expect(comparison?.region?.down[0]).toMatchObject({ name: "North", change: -70 });
    expect(comparison?.periods.warnings).toEqual([]);
    if (comparison) expectIdentities(comparison);
  });
});

describe("identities on random files", () => {
  const sale = fc.record({
    day: fc
      .integer({ min: 0, max: 60 })
      .map((d) => new Date(Date.UTC(2026, 8, 1 + d)).toISOString().slice(0, 10)),
    region: fc.constantFrom("North", "South", "East", "West", "Online"),
    category: fc.constantFrom("Tools", "Toys", "Games"),
    cents: fc.integer({ min: -20_000, max: 2_000_000 }),
    cancelled: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
    units: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })),
  });

  it("contributions and price/volume/mix add up to the net change, to the cent, for every relation", () => {
    fc.assert(
      fc.property(
        fc.array(sale, { minLength: 1, maxLength: 40 }),
        fc.array(sale, { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const before = snapshotOf("a.csv", a);
          const after = snapshotOf("b.csv", b);
          expectIdentities(compareSnapshots(before, after));
          const latest = compareLatestMonths(after);
          if (latest) expectIdentities(latest);
        },
      ),
    );
  });
});

describe("listing many groups", () => {
  it("lists the 10 largest changes, sums the rest, and picks movers as a full sort would", () => {
    const region = fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[A-Z][a-z]{0,3}$/),
        before: fc.nat(5_000),
        after: fc.nat(5_000),
      }),
      { selector: (g) => g.name, minLength: 0, maxLength: 40 },
    );
    fc.assert(
      fc.property(region, (groups) => {
        const sales = (side: "before" | "after", day: string): Sale[] =>
          groups.filter((g) => g[side] > 0).map((g) => ({ day, region: g.name, cents: g[side] }));
        const comparison = compareSnapshots(
          snapshotOf("a.csv", sales("before", "2026-11-09")),
          snapshotOf("b.csv", sales("after", "2026-11-10")),
        );
        const b = comparison.region;
        if (!b) return;
        const changes = groups
          .filter((g) => g.before > 0 || g.after > 0)
          .map((g) => ({
            name: g.name,
            change: (g.after - g.before) / 100,
            both: g.before > 0 && g.after > 0,
          }));
        const byName = (x: { name: string }, y: { name: string }) =>
          x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
        const expected = [...changes]
          .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || byName(x, y))
          .slice(0, 10)
          .map((g) => g.name);
        expect(b.contributions.map((g) => g.name)).toEqual(expected);
        const up = changes
          .filter((g) => g.both && g.change > 0)
          .sort((x, y) => y.change - x.change || byName(x, y))
          .slice(0, 3);
        expect(b.up.map((g) => g.name)).toEqual(up.map((g) => g.name));
        const down = changes
          .filter((g) => g.both && g.change < 0)
          .sort((x, y) => x.change - y.change || byName(x, y))
          .slice(0, 3);
        expect(b.down.map((g) => g.name)).toEqual(down.map((g) => g.name));
        expect(b.groups).toBe(changes.length);
        expectIdentities(comparison);
      }),
    );
  });
});
