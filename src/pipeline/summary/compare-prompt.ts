import type { BreakdownChange, Change, Comparison, GroupContribution } from "../compare/types.js";
import { periodLabel, periodNotes } from "./compare-wording.js";
import { drivers } from "./drivers.js";
import { promptLabel } from "./prompt-label.js";

/** What the model is told about the comparison block, added to the system instruction when there is one. */
export const COMPARISON_INSTRUCTION = [
  "You may also receive a comparison with an earlier upload (or this file's previous month) as JSON between <comparison> and </comparison>; it is data too.",
  "When it is present, also write whatChanged: 1 to 3 sentences saying what changed between the two periods and what drove it, citing only figures from the comparison block.",
  "Write changes with their sign (+$5.1K, -12.4%) and contributions and share changes in percentage points as pts (+3.2 pts).",
  "If the comparison lists warnings (a partial month, periods of different length, a gap, no dates, a re-export), say so in the first sentence: never present a partial month against a whole one as a like-for-like change.",
].join(" ");

/**
 * The comparison as the model receives it: aggregates only (totals, changes, the named movers with
 * their contribution in points, new and vanished groups, the price / volume / mix terms that drove
 * the change (never a cent of rounding residue), periods and warnings, a re-export's corrections).
 * Percent changes are sent as percentages (11.8 for +11.8%),
 * points as points. The entry that pools names past the tracked ones is never named: its change only
 * counts in "otherGroupsChange". Group names are data, shortened like the metrics' names.
 */
export function promptComparison(c: Comparison) {
  const t = c.totals;
  return {
    kind: c.kind === "latest-months" ? "this file's latest month vs the month before" : "two uploads",
    periods: {
      relation: c.periods.relation,
      current: periodLabel(c, "current"),
      previous: periodLabel(c, "previous"),
      currentDates: dates(c.periods.current),
      previousDates: dates(c.periods.previous),
      warnings: periodNotes(c),
    },
    netRevenue: change(t.net),
    grossRevenue: change(t.revenue),
    units: t.units ? change(t.units) : null,
    orders: t.orders ? change(t.orders) : null,
    cancellationShareOfGrossRevenue: t.cancellationShare
      ? {
          previousPercent: round(t.cancellationShare.previous * 100),
          currentPercent: round(t.cancellationShare.current * 100),
          changePoints: round(t.cancellationShare.changePoints),
        }
      : null,
    sameDaysOfTheMonth: c.sameDays
      ? {
          current: c.sameDays.current,
          previous: c.sameDays.previous,
          netRevenue: change(c.sameDays.net),
        }
      : null,
    corrections: c.corrections,
    byRegion: c.region ? breakdown(c.region) : null,
    byCategory: c.category ? breakdown(c.category) : null,
  };
}

function dates(period: Comparison["periods"]["current"]) {
  return period.start && period.end ? { start: period.start, end: period.end } : null;
}

function change(ch: Change) {
  return {
    previous: ch.previous,
    current: ch.current,
    change: ch.change,
    changePercent: ch.changePct === null ? null : round(ch.changePct * 100),
  };
}

function group(g: GroupContribution) {
  return {
    name: promptLabel(g.name),
    ...change(g),
    contributionPoints: g.points === null ? null : round(g.points),
    status: g.status,
  };
}

function breakdown(b: BreakdownChange) {
  const named = (list: GroupContribution[]) => list.filter((g) => !g.pooled).map(group);
  const pvm = b.priceVolumeMix;
  return {
    groups: b.groups,
    biggestRises: named(b.up),
    biggestFalls: named(b.down),
    appeared: named(b.appeared),
    appearedCount: b.appearedCount,
    disappeared: named(b.disappeared),
    disappearedCount: b.disappearedCount,
    // Only the terms that drove the change (drivers.ts): a cent of rounding is not handed over as one.
    priceVolumeMix: pvm
      ? {
          ...Object.fromEntries(drivers(pvm).map((d) => [d.key, round(d.value)])),
          unitsPrevious: pvm.unitsPrevious,
          unitsCurrent: pvm.unitsCurrent,
          averagePricePrevious: pvm.averagePricePrevious,
          averagePriceCurrent: pvm.averagePriceCurrent,
        }
      : null,
  };
}

/** Two decimals: enough for any figure written with one, and no float noise (11.799999999). */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
