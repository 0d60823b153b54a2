/**
 * The snapshot kept of each analysis (aggregates only, never a row), built from the analysis. Apart
 * from its stored form (snapshot.ts) because that one loads zod to check what it reads back, and the
 * CLI's offline start-up (src/cli/config.ts) must not pay for zod to compare a file's own months.
 */
import type { GroupMonthGrid, GroupMonthRow, GroupRevenue, Metrics, PooledGroups } from "../metrics-types.js";
import { roundMoney } from "../sum.js";
import { toCents } from "./decompose.js";
import { headerSignature } from "./series.js";
import {
  SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotBreakdown,
  type SnapshotGrid,
  type SnapshotGroup,
} from "./types.js";

/** What buildSnapshot reads of an analysis (Analysis fits; groupMonths may be missing or null). */
export type SnapshotSource = Pick<
  Metrics,
  | "columns"
  | "currency"
  | "totalRevenue"
  | "netRevenue"
  | "totalUnits"
  | "orders"
  | "rows"
  | "cancellations"
  | "dateRange"
  | "revenueByMonth"
  | "revenueByDay"
  | "revenueByRegion"
  | "revenueByCategory"
  | "revenueByProduct"
  | "pooled"
> & { source: { name: string }; groupMonths?: GroupMonthGrid | null };

/** Label of the entry that pools the names past the tracked ones (the UI never names it a mover). */
export const POOLED_NAME = "(other names)";

export function buildSnapshot(analysis: SnapshotSource): Snapshot {
  const grid = analysis.groupMonths ?? null;
  // The grid must line up with the months; an analysis cached before it existed has none.
  const aligned =
    grid !== null &&
    grid.months.length === analysis.revenueByMonth.length &&
    grid.months.every((m, i) => m === analysis.revenueByMonth[i]?.month);
  const c = analysis.cancellations;
  return {
    version: SNAPSHOT_VERSION,
    fileName: analysis.source.name,
    headerSignature: headerSignature(analysis.columns),
    currency: analysis.currency ? { code: analysis.currency.code, symbol: analysis.currency.symbol } : null,
    totals: {
      revenue: roundMoney(analysis.totalRevenue),
      net: roundMoney(analysis.netRevenue),
      units: analysis.totalUnits,
      orders: analysis.orders,
      rows: analysis.rows,
      cancellations: c
        ? { count: c.count, revenue: roundMoney(c.revenue), rate: c.rate, revenueShare: c.revenueShare }
        : null,
    },
    dateRange: analysis.dateRange ? { start: analysis.dateRange.start, end: analysis.dateRange.end } : null,
    months: analysis.revenueByMonth.map((m) => ({
      month: m.month,
      revenue: m.revenue,
      net: m.netRevenue,
      rows: m.rows,
      daysWithData: m.daysWithData,
      partial: m.partial,
    })),
    days: analysis.revenueByDay
      ? analysis.revenueByDay.map((d) => ({
          day: d.day,
          revenue: d.revenue,
          net: d.netRevenue,
          rows: d.rows,
        }))
      : null,
    region: breakdown(
      analysis.revenueByRegion,
      analysis.pooled.region,
      aligned ? (grid?.region ?? null) : null,
    ),
    category: breakdown(
      analysis.revenueByCategory,
      analysis.pooled.category,
      aligned ? (grid?.category ?? null) : null,
    ),
    products: analysis.revenueByProduct ? analysis.revenueByProduct.map(groupOf) : null,
  };
}

function groupOf(g: GroupRevenue): SnapshotGroup {
  return {
    name: g.name,
    revenue: roundMoney(g.revenue),
    net: roundMoney(g.netRevenue),
    units: g.units ?? null,
    rows: g.rows,
  };
}

function breakdown(
  groups: GroupRevenue[] | null,
  pooled: PooledGroups | null,
  rows: GroupMonthGrid["region"],
): SnapshotBreakdown | null {
  if (!groups) return null;
  const totals = groups.map(groupOf);
  if (pooled) {
    totals.push({
      name: POOLED_NAME,
      revenue: roundMoney(pooled.revenue),
      net: roundMoney(pooled.netRevenue),
      units: null,
      rows: pooled.rows,
      pooled: true,
    });
  }
  return { totals, months: rows ? gridOf(rows) : null };
}

/** The fold's rows as one block of cents and units (see SnapshotGrid). */
export function gridOf(rows: readonly GroupMonthRow[]): SnapshotGrid {
  const months = rows[0]?.net.length ?? 0;
  const hasUnits = rows.some((r) => r.units !== null);
  const netCents = new Float64Array(rows.length * months);
  // A row without units (none should have them apart) counts 0: price/volume/mix leaves it unpriced.
  const units = hasUnits ? new Float64Array(rows.length * months) : null;
  rows.forEach((r, i) => {
    if (r.net.length !== months || (r.units && r.units.length !== months)) {
      throw new RangeError("grid rows of different lengths");
    }
    const from = i * months;
    for (let m = 0; m < months; m++) netCents[from + m] = toCents(r.net[m] as number);
    if (units && r.units) units.set(r.units, from);
  });
  return {
    names: rows.map((r) => (r.pooled ? POOLED_NAME : r.name)),
    pooledRow: rows.findIndex((r) => r.pooled === true),
    netCents,
    units,
  };
}
