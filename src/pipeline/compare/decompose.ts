/**
 * Exact decompositions of a change in revenue between two periods: by group (each group's share of
 * the change) and, where units exist, into price, volume and mix.
 *
 * Everything here is in integer cents, so the identities hold exactly: the groups' changes plus the
 * unassigned remainder equal the total change, and the price/volume/mix terms add up to it too. The
 * only rounding is where a term is a product of a price (a ratio) and units; it happens once per
 * term, and the last term (price) is taken as the remainder, so nothing is lost or invented.
 * Safe range: totals below 90 trillion (cents below 2^53), far above any sales file.
 */
import { ExactSum } from "../sum.js";

/** One group's figures in one period. `cents` is the measure (net revenue) in integer cents. */
export interface GroupFigure {
  name: string;
  pooled: boolean;
  cents: number;
  /** Units in the period; null when the file has no units. */
  units: number | null;
}

export type GroupStatusCode = "both" | "new" | "vanished";

export interface GroupDelta {
  name: string;
  pooled: boolean;
  status: GroupStatusCode;
  previous: number;
  current: number;
  change: number;
  unitsPrevious: number | null;
  unitsCurrent: number | null;
}

export interface Contributions {
  previousTotal: number;
  currentTotal: number;
  /** currentTotal - previousTotal. */
  change: number;
  /** Every group present on either side, in no particular order. */
  groups: GroupDelta[];
  /** change - sum(groups.change): rows that no group accounts for (e.g. undated rows). */
  unassigned: number;
}

export interface PriceVolumeMixCents {
  volume: number;
  mix: number;
  price: number;
  newGroups: number;
  vanishedGroups: number;
  unpriced: number;
  unassigned: number;
  unitsPrevious: number;
  unitsCurrent: number;
  /** Cents of the groups priced on both sides (what volume, mix and price split). */
  pricedPrevious: number;
  pricedCurrent: number;
}

/** Money to integer cents, rounded as roundMoney rounds (figures arrive already rounded to the cent). */
export function toCents(value: number): number {
  const cents = Math.round(value * 100);
  return cents === 0 ? 0 : cents;
}

export function fromCents(cents: number): number {
  const value = cents / 100;
  return value === 0 ? 0 : value;
}

/**
 * Groups match across periods by name; the pooled entry only matches the other pooled entry. Named
 * groups are keyed by the name string itself (its hash is cached on the string: building a key
 * string per group measured slower over 10,000 groups); the pooled one has its own slot.
 */
class GroupTable {
  private readonly named = new Map<string, GroupDelta>();
  private pooled: GroupDelta | undefined;

  get(group: { name: string; pooled: boolean }): GroupDelta | undefined {
    return group.pooled ? this.pooled : this.named.get(group.name);
  }

  set(delta: GroupDelta): void {
    if (delta.pooled) this.pooled = delta;
    else this.named.set(delta.name, delta);
  }

  values(): GroupDelta[] {
    const all = [...this.named.values()];
    if (this.pooled) all.push(this.pooled);
    return all;
  }
}

/**
 * Each group's change between the periods. The totals are passed separately (they are the headline
 * figures, which may include rows no group holds), and what the groups do not explain is `unassigned`.
 */
export function contributions(
  previous: readonly GroupFigure[],
  current: readonly GroupFigure[],
  previousTotal: number,
  currentTotal: number,
): Contributions {
  assertCents(previousTotal);
  assertCents(currentTotal);
  const table = new GroupTable();
  for (const group of previous) {
    assertCents(group.cents);
    const found = table.get(group);
    if (found) {
      // A name listed twice (should not happen) is summed rather than dropped.
      found.previous += group.cents;
      found.unitsPrevious = addUnits(found.unitsPrevious, group.units);
      continue;
    }
    table.set({
      name: group.name,
      pooled: group.pooled,
      status: "vanished",
      previous: group.cents,
      current: 0,
      change: 0,
      unitsPrevious: group.units,
      unitsCurrent: null,
    });
  }
  // Entries already met in `current` (a name listed twice is summed, as above).
  const seenCurrent = new Set<GroupDelta>();
  for (const group of current) {
    assertCents(group.cents);
    const found = table.get(group);
    if (!found) {
      const delta: GroupDelta = {
        name: group.name,
        pooled: group.pooled,
        status: "new",
        previous: 0,
        current: group.cents,
        change: 0,
        unitsPrevious: null,
        unitsCurrent: group.units,
      };
      table.set(delta);
      seenCurrent.add(delta);
    } else if (seenCurrent.has(found)) {
      found.current += group.cents;
      found.unitsCurrent = addUnits(found.unitsCurrent, group.units);
    } else {
      found.current = group.cents;
      found.unitsCurrent = group.units;
      if (found.status === "vanished") found.status = "both";
      seenCurrent.add(found);
    }
  }
  const groups = table.values();
  let explained = 0;
  for (const group of groups) {
    group.change = group.current - group.previous;
    explained += group.change;
  }
  const change = currentTotal - previousTotal;
  return { previousTotal, currentTotal, change, groups, unassigned: change - explained };
}

function addUnits(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a + b;
}

function assertCents(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of cents: ${value}`);
}

/**
 * Price / volume / mix over the groups of one breakdown, from their contributions. Groups priced on
 * both sides (units > 0 in each) are split:
 *   volume = Q1 x P0 - R0            (all units at the old average price, minus the old revenue)
 *   mix    = sum(q1 x p0) - Q1 x P0  (the units moved between cheaper and dearer groups)
 *   price  = R1 - sum(q1 x p0)       (each group's own price change, on the new units)
 * where p0 = r0 / q0 per group and P0 = R0 / Q0. sum(q1 x p0) is rounded to the cent once; volume is
 * rounded, and mix and price are what remains, so volume + mix + price = R1 - R0 exactly. New and
 * vanished groups, groups without positive units on a side, and the unassigned remainder are their
 * own terms. Null when no group has units.
 */
export function priceVolumeMix(contribution: Contributions): PriceVolumeMixCents | null {
  if (!contribution.groups.some((g) => g.unitsPrevious !== null || g.unitsCurrent !== null)) return null;
  let newGroups = 0;
  let vanishedGroups = 0;
  let unpriced = 0;
  let pricedPrevious = 0;
  let pricedCurrent = 0;
  const unitsPrevious = new ExactSum();
  const unitsCurrent = new ExactSum();
  const currentAtOldPrices = new ExactSum();
  for (const group of contribution.groups) {
    if (group.status === "new") {
      newGroups += group.change;
      continue;
    }
    if (group.status === "vanished") {
      vanishedGroups += group.change;
      continue;
    }
    const q0 = group.unitsPrevious ?? 0;
    const q1 = group.unitsCurrent ?? 0;
    if (!(q0 > 0 && q1 > 0)) {
      unpriced += group.change;
      continue;
    }
    pricedPrevious += group.previous;
    pricedCurrent += group.current;
    unitsPrevious.add(q0);
    unitsCurrent.add(q1);
    currentAtOldPrices.add((q1 * group.previous) / q0);
  }
  const q0 = unitsPrevious.value;
  const q1 = unitsCurrent.value;
  let volume = 0;
  let mix = 0;
  let price = 0;
  if (q0 > 0) {
    const atOldPrices = Math.round(currentAtOldPrices.value);
    volume = zero(Math.round((q1 * pricedPrevious) / q0 - pricedPrevious));
    mix = atOldPrices - pricedPrevious - volume;
    price = pricedCurrent - atOldPrices;
  }
  return {
    volume,
    mix: zero(mix),
    price: zero(price),
    newGroups,
    vanishedGroups,
    unpriced,
    unassigned: contribution.unassigned,
    unitsPrevious: q0,
    unitsCurrent: q1,
    pricedPrevious,
    pricedCurrent,
  };
}

/** -0 never reaches the output (it would print as "-0.00"). */
function zero(value: number): number {
  return value === 0 ? 0 : value;
}
