import type {
  BreakdownChange,
  Change,
  Comparison,
  GroupContribution,
  PriceVolumeMix,
} from "../compare/types.js";
import { FactSets, type Facts } from "./facts.js";

/**
 * Every value a "What changed" sentence may cite, derived from the comparison alone (not from this
 * file's metrics: a sentence about the change must be backed by the change): both periods' totals,
 * the changes in money, % and points, each named group's figures, the price / volume / mix terms,
 * the corrections of a re-export, and the day counts the period warnings quote. Checked by the same
 * verify.ts as the rest of the summary.
 */
export function deriveComparisonFacts(c: Comparison): Facts {
  const sets = new FactSets();
  const { percents, multiples, money } = sets;
  const percent = (v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) percents.add(Math.abs(v));
  };
  const change = (ch: Change | null | undefined) => {
    if (!ch) return;
    money(ch.previous);
    money(ch.current);
    money(ch.change);
    if (ch.changePct !== null) percent(ch.changePct * 100);
    if (ch.previous !== 0 && ch.current / ch.previous > 0) multiples.add(ch.current / ch.previous);
  };

  const t = c.totals;
  for (const ch of [t.revenue, t.net, t.units, t.orders, t.rows]) change(ch);
  // Cancelled revenue is gross minus net, in each period and its change.
  money(t.revenue.previous - t.net.previous);
  money(t.revenue.current - t.net.current);
  money(t.revenue.current - t.net.current - (t.revenue.previous - t.net.previous));
  for (const share of [t.cancellationShare, t.cancellationRate]) {
    if (!share) continue;
    percent(share.previous * 100);
    percent(share.current * 100);
    percent(share.changePoints);
  }
  if (c.sameDays) {
    change(c.sameDays.revenue);
    change(c.sameDays.net);
  }
  for (const correction of c.corrections ?? []) {
    money(correction.previous);
    money(correction.current);
    money(correction.change);
    if (correction.previous !== 0) percent((correction.change / correction.previous) * 100);
  }

  const names = sets.names;
  names.add(c.previousFile);
  names.add(c.currentFile);
  for (const b of [c.region, c.category]) {
    if (!b) continue;
    breakdown(b, t.net.previous, money, percent, change);
    for (const g of listed(b)) if (!g.pooled) names.add(g.name);
  }

  const p = c.periods;
  for (const side of [p.previous, p.current]) {
    money(side.lengthDays);
    money(side.months.length);
  }
  for (const w of p.warnings) {
    if (w.kind === "partial-period") {
      money(w.daysWithData);
      money(w.daysInMonth);
    } else if (w.kind === "unequal-length") {
      money(w.previousDays);
      money(w.currentDays);
    } else if (w.kind === "gap") money(w.days);
  }

  for (const day of [
    p.previous.start,
    p.previous.end,
    p.current.start,
    p.current.end,
    p.previousRange?.start,
    p.previousRange?.end,
    p.currentRange?.start,
    p.currentRange?.end,
  ]) {
    if (day) sets.years.add(Number(day.slice(0, 4)));
  }
  return sets.toFacts();
}

function listed(b: BreakdownChange): GroupContribution[] {
  return [...b.contributions, ...b.up, ...b.down, ...b.appeared, ...b.disappeared];
}

function breakdown(
  b: BreakdownChange,
  previousTotal: number,
  money: (v: number | null | undefined) => void,
  percent: (v: number | null | undefined) => void,
  change: (ch: Change) => void,
): void {
  for (const g of listed(b)) {
    if (g.pooled) continue;
    change(g);
    percent(g.points);
  }
  money(b.otherGroups);
  money(b.unassigned);
  money(b.groups);
  money(b.appearedCount);
  money(b.disappearedCount);
  // "North and West together added $5.3K (+12.3 pts)": the movers' running sums.
  for (const list of [b.up, b.down, b.appeared, b.disappeared]) {
    let sum = 0;
    let points = 0;
    for (const g of list) {
      if (g.pooled) continue;
      sum += g.change;
      points += g.points ?? 0;
      money(sum);
      percent(points);
    }
  }
  if (b.priceVolumeMix) priceVolumeMix(b.priceVolumeMix, previousTotal, money, percent);
}

function priceVolumeMix(
  pvm: PriceVolumeMix,
  previousTotal: number,
  money: (v: number | null | undefined) => void,
  percent: (v: number | null | undefined) => void,
): void {
  const terms = [
    pvm.volume,
    pvm.mix,
    pvm.price,
    pvm.newGroups,
    pvm.vanishedGroups,
    pvm.unpriced,
    pvm.unassigned,
    // Volume and mix are often read together ("more units, and of the dearer kinds").
    pvm.volume + pvm.mix,
    pvm.unpriced + pvm.unassigned,
    pvm.newGroups + pvm.vanishedGroups,
  ];
  for (const term of terms) {
    money(term);
    // Each term in points of the total's % change, like the groups' contributions.
    if (previousTotal !== 0) percent((term / Math.abs(previousTotal)) * 100);
  }
  money(pvm.unitsPrevious);
  money(pvm.unitsCurrent);
  money(pvm.unitsCurrent - pvm.unitsPrevious);
  if (pvm.unitsPrevious !== 0) percent(((pvm.unitsCurrent - pvm.unitsPrevious) / pvm.unitsPrevious) * 100);
  const before = pvm.averagePricePrevious;
  const after = pvm.averagePriceCurrent;
  money(before);
  money(after);
  if (before !== null && after !== null) {
    money(after - before);
    if (before !== 0) percent(((after - before) / before) * 100);
  }
}
