/**
 * Comparing two snapshots (two uploads, or one file's latest month with the month before): the
 * figures of each side as periods.ts chose them, their changes, and the drivers of the change in net
 * revenue by region and by category. All money arithmetic is in integer cents (decompose.ts).
 */
import { roundRatio } from "../sum.js";
import {
  type Contributions,
  contributions,
  fromCents,
  type GroupDelta,
  type GroupFigure,
  priceVolumeMix,
  toCents,
} from "./decompose.js";
import { type PeriodPlan, planLatestMonths, planPeriods, type Selection } from "./periods.js";
import type {
  BreakdownChange,
  Change,
  Comparison,
  Correction,
  GroupContribution,
  PriceVolumeMix,
  SameDaysChange,
  Snapshot,
  SnapshotBreakdown,
  TotalsChange,
} from "./types.js";

/** Movers listed per direction and breakdown. */
export const MOVERS = 3;
/** Contributions (and appeared / disappeared groups) listed per breakdown; the rest are summed. */
export const LISTED = 10;

export function compareSnapshots(previous: Snapshot, current: Snapshot): Comparison {
  return build("files", previous, current, planPeriods(previous, current));
}

/** Within one file: the latest month against the one before; null with fewer than two months. */
export function compareLatestMonths(snapshot: Snapshot): Comparison | null {
  const plan = planLatestMonths(snapshot);
  return plan ? build("latest-months", snapshot, snapshot, plan) : null;
}

// ---------------------------------------------------------------------------------------------

/** One side's figures in cents (units as counted). */
interface SideFigures {
  revenue: number;
  net: number;
  rows: number;
  units: number | null;
  orders: number | null;
  /** Cancelled rows / rows, whole files only. */
  cancellationRate: number | null;
  hasCancellations: boolean;
  region: GroupFigure[] | null;
  category: GroupFigure[] | null;
}

function build(
  kind: Comparison["kind"],
  previous: Snapshot,
  current: Snapshot,
  plan: PeriodPlan,
): Comparison {
  const source = (s: Selection) => (s.from === "previous" ? previous : current);
  const before = figures(source(plan.previous), plan.previous);
  const after = figures(source(plan.current), plan.current);
  const totals = totalsChange(before, after);
  return {
    kind,
    previousFile: previous.fileName,
    currentFile: current.fileName,
    currency: current.currency,
    periods: plan.periods,
    totals,
    sameDays: sameDaysChange(plan, previous, current),
    corrections: plan.periods.relation === "same-period" ? corrections(previous, current) : null,
    measure: "net",
    region: breakdownChange(before.region, after.region, before.net, after.net),
    category: breakdownChange(before.category, after.category, before.net, after.net),
  };
}

function figures(snapshot: Snapshot, selection: Selection): SideFigures {
  const hasCancellations = snapshot.totals.cancellations !== null;
  if (selection.basis === "whole-file") {
    const t = snapshot.totals;
    // Group units are counted with cancelled rows; they only price net revenue when nothing was cancelled.
    const unitsAreNet = !t.cancellations || t.cancellations.count === 0;
    return {
      revenue: toCents(t.revenue),
      net: toCents(t.net),
      rows: t.rows,
      units: t.units,
      orders: t.orders,
      cancellationRate: t.cancellations?.rate ?? null,
      hasCancellations,
      region: wholeFileGroups(snapshot.region, snapshot.months.length, unitsAreNet),
      category: wholeFileGroups(snapshot.category, snapshot.months.length, unitsAreNet),
    };
  }
  if (selection.basis === "days") {
    let revenue = 0;
    let net = 0;
    let rows = 0;
    for (const day of snapshot.days ?? []) {
      if (day.day < selection.start || day.day > selection.end) continue;
      revenue += toCents(day.revenue);
      net += toCents(day.net);
      rows += day.rows;
    }
    return {
      revenue,
      net,
      rows,
      units: null,
      orders: null,
      cancellationRate: null,
      hasCancellations,
      region: null,
      category: null,
    };
  }
  const wanted = new Set(selection.months);
  const indices: number[] = [];
  let revenue = 0;
  let net = 0;
  let rows = 0;
  snapshot.months.forEach((m, i) => {
    if (!wanted.has(m.month)) return;
    indices.push(i);
    revenue += toCents(m.revenue);
    net += toCents(m.net);
    rows += m.rows;
  });
  const region = gridGroups(snapshot.region, indices);
  const category = gridGroups(snapshot.category, indices);
  return {
    revenue,
    net,
    rows,
    units: gridUnits(snapshot.region, indices) ?? gridUnits(snapshot.category, indices),
    orders: null,
    cancellationRate: null,
    hasCancellations,
    region,
    category,
  };
}

/** A group counts on a side when it has any figure there (a grid row of zeros is not there). */
function present(group: GroupFigure): boolean {
  return group.cents !== 0 || (group.units !== null && group.units !== 0);
}

function wholeFileGroups(
  breakdown: SnapshotBreakdown | null,
  months: number,
  unitsAreNet: boolean,
): GroupFigure[] | null {
  if (!breakdown) return null;
  // The grid (every month) holds net units; without it, the whole-file totals.
  if (breakdown.months) {
    const all = Array.from({ length: months }, (_, i) => i);
    return gridGroups(breakdown, all);
  }
  return breakdown.totals
    .map((g) => ({
      name: g.name,
      pooled: g.pooled === true,
      cents: toCents(g.net),
      units: unitsAreNet ? g.units : null,
    }))
    .filter(present);
}

function gridGroups(breakdown: SnapshotBreakdown | null, indices: readonly number[]): GroupFigure[] | null {
  const grid = breakdown?.months;
  if (!grid) return null;
  const months = grid.names.length === 0 ? 0 : grid.netCents.length / grid.names.length;
  const groups: GroupFigure[] = [];
  for (let row = 0; row < grid.names.length; row++) {
    const from = row * months;
    let cents = 0;
    let units = 0;
    for (const i of indices) {
      cents += grid.netCents[from + i] as number;
      if (grid.units) units += grid.units[from + i] as number;
    }
    const group = {
      name: grid.names[row] as string,
      pooled: row === grid.pooledRow,
      cents,
      units: grid.units ? units : null,
    };
    if (present(group)) groups.push(group);
  }
  return groups;
}

function gridUnits(breakdown: SnapshotBreakdown | null, indices: readonly number[]): number | null {
  const grid = breakdown?.months;
  if (!grid?.units || grid.names.length === 0) return null;
  const months = grid.units.length / grid.names.length;
  let units = 0;
  for (let row = 0; row < grid.names.length; row++) {
    for (const i of indices) units += grid.units[row * months + i] as number;
  }
  return units;
}

// ---------------------------------------------------------------------------------------------

function change(previous: number, current: number): Change {
  const diff = current - previous;
  return {
    previous,
    current,
    change: diff === 0 ? 0 : diff,
    changePct: previous === 0 ? null : roundRatio(diff / Math.abs(previous)),
  };
}

/** A change of money held in cents, reported in money. */
function moneyChange(previousCents: number, currentCents: number): Change {
  const c = change(previousCents, currentCents);
  return {
    ...c,
    previous: fromCents(previousCents),
    current: fromCents(currentCents),
    change: fromCents(c.change),
  };
}

function points(previous: number, current: number) {
  return { previous, current, changePoints: roundRatio((current - previous) * 100, 2) };
}

function totalsChange(before: SideFigures, after: SideFigures): TotalsChange {
  const share = (s: SideFigures) => (s.revenue === 0 ? 0 : roundRatio((s.revenue - s.net) / s.revenue));
  return {
    revenue: moneyChange(before.revenue, after.revenue),
    net: moneyChange(before.net, after.net),
    units: before.units !== null && after.units !== null ? change(before.units, after.units) : null,
    orders: before.orders !== null && after.orders !== null ? change(before.orders, after.orders) : null,
    rows: change(before.rows, after.rows),
    cancellationShare:
      before.hasCancellations || after.hasCancellations ? points(share(before), share(after)) : null,
    cancellationRate:
      before.cancellationRate !== null && after.cancellationRate !== null
        ? points(before.cancellationRate, after.cancellationRate)
        : null,
  };
}

function sameDaysChange(plan: PeriodPlan, previous: Snapshot, current: Snapshot): SameDaysChange | null {
  if (!plan.sameDays) return null;
  const sum = (window: { from: "previous" | "current"; start: string; end: string }) => {
    const snapshot = window.from === "previous" ? previous : current;
    let revenue = 0;
    let net = 0;
    for (const day of snapshot.days ?? []) {
      if (day.day < window.start || day.day > window.end) continue;
      revenue += toCents(day.revenue);
      net += toCents(day.net);
    }
    return { revenue, net };
  };
  const before = sum(plan.sameDays.previous);
  const after = sum(plan.sameDays.current);
  return {
    previous: { start: plan.sameDays.previous.start, end: plan.sameDays.previous.end },
    current: { start: plan.sameDays.current.start, end: plan.sameDays.current.end },
    revenue: moneyChange(before.revenue, after.revenue),
    net: moneyChange(before.net, after.net),
  };
}

function corrections(previous: Snapshot, current: Snapshot): Correction[] {
  const p = previous.totals;
  const c = current.totals;
  const out: Correction[] = [];
  const add = (field: Correction["field"], before: number | null, after: number | null, money: boolean) => {
    if (before === null || after === null) return;
    const diff = money ? fromCents(toCents(after) - toCents(before)) : after - before;
    if (diff !== 0) out.push({ field, previous: before, current: after, change: diff });
  };
  add("revenue", p.revenue, c.revenue, true);
  add("net", p.net, c.net, true);
  add("units", p.units, c.units, false);
  add("orders", p.orders, c.orders, false);
  add("rows", p.rows, c.rows, false);
  add("cancellations", p.cancellations?.count ?? 0, c.cancellations?.count ?? 0, false);
  return out;
}

// ---------------------------------------------------------------------------------------------

function breakdownChange(
  before: GroupFigure[] | null,
  after: GroupFigure[] | null,
  previousTotal: number,
  currentTotal: number,
): BreakdownChange | null {
  if (!before || !after) return null;
  const result = contributions(before, after, previousTotal, currentTotal);
  const contribution = (g: GroupDelta): GroupContribution => ({
    name: g.name,
    previous: fromCents(g.previous),
    current: fromCents(g.current),
    change: fromCents(g.change),
    changePct: g.status === "new" || g.previous === 0 ? null : roundRatio(g.change / Math.abs(g.previous)),
    points: previousTotal === 0 ? null : roundRatio((g.change / Math.abs(previousTotal)) * 100, 2),
    status: g.status,
    pooled: g.pooled,
  });
  const impact = (g: GroupDelta) => Math.abs(g.change);
  const listed = top(result.groups, LISTED, impact);
  const listedSet = new Set(listed);
  let otherGroups = 0;
  for (const g of result.groups) if (!listedSet.has(g)) otherGroups += g.change;
  const named = result.groups.filter((g) => !g.pooled);
  const movers = named.filter((g) => g.status === "both");
  const up = top(
    movers.filter((g) => g.change > 0),
    MOVERS,
    (g) => g.change,
  );
  const down = top(
    movers.filter((g) => g.change < 0),
    MOVERS,
    (g) => -g.change,
  );
  const appeared = named.filter((g) => g.status === "new");
  const disappeared = named.filter((g) => g.status === "vanished");
  return {
    contributions: listed.map(contribution),
    otherGroups: fromCents(otherGroups),
    unassigned: fromCents(result.unassigned),
    groups: result.groups.length,
    up: up.map(contribution),
    down: down.map(contribution),
    appeared: top(appeared, LISTED, (g) => Math.abs(g.current)).map(contribution),
    appearedCount: appeared.length,
    disappeared: top(disappeared, LISTED, (g) => Math.abs(g.previous)).map(contribution),
    disappearedCount: disappeared.length,
    priceVolumeMix: pvmOf(result),
  };
}

/**
 * The k groups with the largest `weight`, largest first, ties by name (code-unit order, not the
 * locale's: the same everywhere). A pass keeping k entries instead of sorting all 5,000 groups.
 */
function top(groups: readonly GroupDelta[], k: number, weight: (g: GroupDelta) => number): GroupDelta[] {
  const before = (a: GroupDelta, b: GroupDelta) => {
    const d = weight(a) - weight(b);
    return d > 0 || (d === 0 && a.name < b.name);
  };
  const kept: GroupDelta[] = [];
  for (const g of groups) {
    if (kept.length === k && !before(g, kept[k - 1] as GroupDelta)) continue;
    let at = kept.length === k ? k - 1 : kept.length;
    while (at > 0 && before(g, kept[at - 1] as GroupDelta)) {
      kept[at] = kept[at - 1] as GroupDelta;
      at--;
    }
    kept[at] = g;
  }
  return kept;
}

function pvmOf(result: Contributions): PriceVolumeMix | null {
  const pvm = priceVolumeMix(result);
  if (!pvm) return null;
  return {
    volume: fromCents(pvm.volume),
    mix: fromCents(pvm.mix),
    price: fromCents(pvm.price),
    newGroups: fromCents(pvm.newGroups),
    vanishedGroups: fromCents(pvm.vanishedGroups),
    unpriced: fromCents(pvm.unpriced),
    unassigned: fromCents(pvm.unassigned),
    unitsPrevious: pvm.unitsPrevious,
    unitsCurrent: pvm.unitsCurrent,
    averagePricePrevious:
      pvm.unitsPrevious > 0 ? roundRatio(pvm.pricedPrevious / 100 / pvm.unitsPrevious) : null,
    averagePriceCurrent: pvm.unitsCurrent > 0 ? roundRatio(pvm.pricedCurrent / 100 / pvm.unitsCurrent) : null,
  };
}
