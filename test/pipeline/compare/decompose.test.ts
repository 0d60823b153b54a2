import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  contributions,
  type GroupFigure,
  priceVolumeMix,
  toCents,
} from "../../../src/pipeline/compare/decompose.js";

const NAMES = ["North", "South", "East", "West", "Central", "Online", "(blank)"];

/** A period's groups: distinct names, each with integer cents and (optionally) units. */
function periodGroups(withUnits: boolean) {
  return fc
    .uniqueArray(
      fc.record({
        name: fc.constantFrom(...NAMES),
        cents: fc.integer({ min: -5_000_000, max: 500_000_000 }),
        units: withUnits ? fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 10_000 })) : fc.constant(null),
        pooled: fc.boolean(),
      }),
      { selector: (g) => `${g.pooled}:${g.name}` },
    )
    .map((groups) => groups.map((g) => ({ ...g, name: g.pooled ? "(pooled)" : g.name })))
    .map((groups) => {
      // At most one pooled entry per period, as the grid holds.
      const firstPooled = groups.findIndex((g) => g.pooled);
      return groups.filter((g, i) => !g.pooled || i === firstPooled);
    });
}

const sum = (groups: GroupFigure[]) => groups.reduce((s, g) => s + g.cents, 0);

describe("contributions", () => {
  it("the groups' changes plus the unassigned remainder equal the total change, to the cent", () => {
    fc.assert(
      fc.property(
        periodGroups(false),
        periodGroups(false),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        (previous, current, undatedPrevious, undatedCurrent) => {
          const result = contributions(
            previous,
            current,
            sum(previous) + undatedPrevious,
            sum(current) + undatedCurrent,
          );
          const explained = result.groups.reduce((s, g) => s + g.change, 0);
          expect(explained + result.unassigned).toBe(result.change);
          expect(result.change).toBe(sum(current) + undatedCurrent - sum(previous) - undatedPrevious);
          expect(result.unassigned).toBe(undatedCurrent - undatedPrevious);
          for (const g of result.groups) {
            expect(Number.isSafeInteger(g.change)).toBe(true);
            expect(g.change).toBe(g.current - g.previous);
          }
        },
      ),
    );
  });

  it("marks groups only in the current period new and those only in the previous one vanished", () => {
    fc.assert(
      fc.property(periodGroups(false), periodGroups(false), (previous, current) => {
        const result = contributions(previous, current, sum(previous), sum(current));
        const key = (g: { name: string; pooled: boolean }) => `${g.pooled}:${g.name}`;
        const before = new Set(previous.map(key));
        const after = new Set(current.map(key));
        for (const g of result.groups) {
          const expected = before.has(key(g)) ? (after.has(key(g)) ? "both" : "vanished") : "new";
          expect(g.status).toBe(expected);
          if (g.status === "new") expect(g.change).toBe(g.current);
          if (g.status === "vanished") expect(g.change).toBe(0 - g.previous);
        }
        expect(result.groups.length).toBe(new Set([...before, ...after]).size);
      }),
    );
  });

  it("never matches the pooled entry with a group that happens to bear its name", () => {
    const result = contributions(
      [{ name: "(pooled)", pooled: true, cents: 500, units: null }],
      [{ name: "(pooled)", pooled: false, cents: 700, units: null }],
      500,
      700,
    );
    expect(result.groups.map((g) => [g.pooled, g.status]).sort()).toEqual([
      [false, "new"],
      [true, "vanished"],
    ]);
  });

  it("refuses amounts that are not whole cents instead of drifting", () => {
    expect(() => contributions([{ name: "A", pooled: false, cents: 1.5, units: null }], [], 1.5, 0)).toThrow(
      RangeError,
    );
  });

  it("converts money to cents as roundMoney rounds", () => {
    expect(toCents(0.29)).toBe(29);
    expect(toCents(1234.56)).toBe(123456);
    expect(toCents(-0.001)).toBe(0);
    expect(Object.is(toCents(-0.001), -0)).toBe(false);
  });
});

describe("price / volume / mix", () => {
  it("volume + mix + price + new + vanished + unpriced + unassigned = total change, to the cent", () => {
    fc.assert(
      fc.property(
        periodGroups(true),
        periodGroups(true),
        fc.integer({ min: -100_000, max: 100_000 }),
        (previous, current, undated) => {
          const c = contributions(previous, current, sum(previous), sum(current) + undated);
          const pvm = priceVolumeMix(c);
          if (!pvm) {
            // Only a breakdown with no group at all has no units to split.
            expect(previous.length + current.length).toBe(0);
            return;
          }
          const terms = [
            pvm.volume,
            pvm.mix,
            pvm.price,
            pvm.newGroups,
            pvm.vanishedGroups,
            pvm.unpriced,
            pvm.unassigned,
          ];
          for (const t of terms) expect(Number.isSafeInteger(t)).toBe(true);
          expect(terms.reduce((s, t) => s + t, 0)).toBe(c.change);
          expect(pvm.volume + pvm.mix + pvm.price).toBe(pvm.pricedCurrent - pvm.pricedPrevious);
        },
      ),
    );
  });

  // Groups sold at whole-cent prices, so revenue = units x price holds exactly.
  const priced = fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...NAMES),
      price: fc.integer({ min: 1, max: 100_000 }),
      q0: fc.integer({ min: 1, max: 5_000 }),
      q1: fc.integer({ min: 1, max: 5_000 }),
    }),
    { selector: (g) => g.name, minLength: 1 },
  );

  it("unchanged prices: the whole change is volume and mix, price is exactly zero", () => {
    fc.assert(
      fc.property(priced, (groups) => {
        const previous = groups.map((g) => ({
          name: g.name,
          pooled: false,
          cents: g.price * g.q0,
          units: g.q0,
        }));
        const current = groups.map((g) => ({
          name: g.name,
          pooled: false,
          cents: g.price * g.q1,
          units: g.q1,
        }));
        const pvm = priceVolumeMix(contributions(previous, current, sum(previous), sum(current)));
        expect(pvm?.price).toBe(0);
        expect((pvm?.volume ?? 0) + (pvm?.mix ?? 0)).toBe(sum(current) - sum(previous));
        // More units everywhere at the same prices can only be growth in volume.
        if (groups.every((g) => g.q1 >= g.q0)) expect(pvm?.volume).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("unchanged units: volume and mix are zero and the change is all price", () => {
    fc.assert(
      fc.property(priced, fc.integer({ min: -50, max: 50 }), (groups, priceStep) => {
        const previous = groups.map((g) => ({
          name: g.name,
          pooled: false,
          cents: g.price * g.q0,
          units: g.q0,
        }));
        const current = groups.map((g) => ({
          name: g.name,
          pooled: false,
          cents: Math.max(1, g.price + priceStep) * g.q0,
          units: g.q0,
        }));
        const pvm = priceVolumeMix(contributions(previous, current, sum(previous), sum(current)));
        expect(pvm?.volume).toBe(0);
        expect(pvm?.mix).toBe(0);
        expect(pvm?.price).toBe(sum(current) - sum(previous));
        if (priceStep > 0) expect(pvm?.price).toBeGreaterThan(0);
      }),
    );
  });

  it("a single group has no mix", () => {
    const pvm = priceVolumeMix(
      contributions(
        [{ name: "A", pooled: false, cents: 10_000, units: 100 }],
        [{ name: "A", pooled: false, cents: 13_200, units: 120 }],
        10_000,
        13_200,
      ),
    );
    // 20 more units at the old 1.00 = 20.00 volume; the 0.10 rise on 120 units = 12.00 price.
    expect(pvm).toMatchObject({ volume: 2_000, mix: 0, price: 1_200 });
  });

  it("shifting units to the dearer group at unchanged prices and volume is mix", () => {
    const pvm = priceVolumeMix(
      contributions(
        [
          { name: "Cheap", pooled: false, cents: 100 * 100, units: 100 },
          { name: "Dear", pooled: false, cents: 100 * 1_000, units: 100 },
        ],
        [
          { name: "Cheap", pooled: false, cents: 50 * 100, units: 50 },
          { name: "Dear", pooled: false, cents: 150 * 1_000, units: 150 },
        ],
        110_000,
        155_000,
      ),
    );
    expect(pvm).toMatchObject({ volume: 0, price: 0, mix: 45_000 });
  });

  it("new and vanished groups and groups without units on one side are their own terms", () => {
    const pvm = priceVolumeMix(
      contributions(
        [
          { name: "Kept", pooled: false, cents: 1_000, units: 10 },
          { name: "Gone", pooled: false, cents: 700, units: 7 },
          { name: "Free samples", pooled: false, cents: 300, units: 0 },
        ],
        [
          { name: "Kept", pooled: false, cents: 1_000, units: 10 },
          { name: "Fresh", pooled: false, cents: 2_500, units: 5 },
          { name: "Free samples", pooled: false, cents: 900, units: 3 },
        ],
        2_000,
        4_400,
      ),
    );
    expect(pvm).toMatchObject({
      volume: 0,
      mix: 0,
      price: 0,
      newGroups: 2_500,
      vanishedGroups: -700,
      unpriced: 600,
      unassigned: 0,
      unitsPrevious: 10,
      unitsCurrent: 10,
    });
  });

  it("is null when the breakdown has no units at all", () => {
    const c = contributions(
      [{ name: "A", pooled: false, cents: 100, units: null }],
      [{ name: "A", pooled: false, cents: 200, units: null }],
      100,
      200,
    );
    expect(priceVolumeMix(c)).toBeNull();
  });
});
