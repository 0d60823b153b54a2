import type { BreakdownChange, Comparison, PriceVolumeMix } from "../compare/types.js";

/**
 * Which price / volume / mix terms are worth naming as what drove a change, for every medium (the
 * offline sentences, the section's drivers line, the comparison sent to Gemini), so none of them
 * names a term another leaves out.
 *
 * The split adds up to the change exactly, to the cent (compare/decompose.ts), so a term can be no
 * more than the cent left over by rounding a price ("other -$0.01", "mix +$0.01"). Such a term is
 * not a cause: it is left out of the wording, never out of the decomposition.
 */

export type DriverKey = "volume" | "price" | "mix" | "newGroups" | "vanishedGroups" | "other";

export interface Driver {
  key: DriverKey;
  value: number;
}

/** Under one unit of the currency, a term is rounding residue whatever the size of the change. */
const MIN_DRIVER = 1;
/**
 * Under half a percent of the change, a term does not move it in any sense a reader would act on
 * (and "$27" beside "+$3.7K" is read as noise).
 */
const MIN_DRIVER_SHARE = 0.005;

/** The breakdown whose split is worded: categories first, where price and volume say most. */
export function driverSource(c: Comparison): { breakdown: BreakdownChange; noun: string } | null {
  if (c.category?.priceVolumeMix) return { breakdown: c.category, noun: "categories" };
  if (c.region?.priceVolumeMix) return { breakdown: c.region, noun: "regions" };
  return null;
}

/** The terms that drove the change, in reading order; every term under the thresholds is left out. */
export function drivers(pvm: PriceVolumeMix): Driver[] {
  const terms: Driver[] = [
    { key: "volume", value: pvm.volume },
    { key: "price", value: pvm.price },
    { key: "mix", value: pvm.mix },
    { key: "newGroups", value: pvm.newGroups },
    { key: "vanishedGroups", value: pvm.vanishedGroups },
    { key: "other", value: cents(pvm.unpriced + pvm.unassigned) },
  ];
  // The terms sum to the change in net revenue; summed in cents so no float noise moves the bar.
  const change = Math.abs(terms.reduce((sum, t) => sum + Math.round(t.value * 100), 0) / 100);
  const floor = Math.max(MIN_DRIVER, change * MIN_DRIVER_SHARE);
  return terms.filter((t) => Math.abs(t.value) >= floor);
}

/** The terms as people name them: "volume", "new categories", "other". */
export function driverTerms(pvm: PriceVolumeMix, noun: string): [string, number][] {
  return drivers(pvm).map(({ key, value }) => [driverName(key, noun), value]);
}

function driverName(key: DriverKey, noun: string): string {
  switch (key) {
    case "newGroups":
      return `new ${noun}`;
    case "vanishedGroups":
      return `vanished ${noun}`;
    default:
      return key;
  }
}

/** Two money figures added without float noise (0.1 + 0.2). */
function cents(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}
