/**
 * Snapshots built from a handful of sales, for the engine's tests: the aggregation an analysis does,
 * written plainly (whole cents, no pooling) so each test states its rows and its expected figures.
 */
import { gridOf } from "../../../src/pipeline/compare/snapshot.js";
import {
  SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotGrid,
  type SnapshotGroup,
} from "../../../src/pipeline/compare/types.js";

export interface Sale {
  day: string;
  region?: string;
  category?: string;
  /** Net revenue in cents (0 for a cancelled row, whose gross is `cancelled`). */
  cents: number;
  cancelled?: number;
  units?: number;
}

export interface FixtureOptions {
  signature?: Record<string, string>;
  /** Extend the date range past the sales (an export cut on a day without sales). */
  range?: { start: string; end: string };
  units?: boolean;
  currency?: string;
}

const DEFAULT_SIGNATURE = { revenue: "revenue", date: "order date", region: "region", category: "category" };

function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function snapshotOf(fileName: string, sales: Sale[], options: FixtureOptions = {}): Snapshot {
  const withUnits = options.units ?? sales.some((s) => s.units !== undefined);
  const sorted = sales.map((s) => s.day).sort();
  const start = options.range?.start ?? sorted[0] ?? null;
  const end = options.range?.end ?? sorted.at(-1) ?? null;
  const allDays = start && end ? daysBetween(start, end) : [];
  const months = [...new Set(allDays.map((d) => d.slice(0, 7)))];
  const gross = (s: Sale) => s.cents + (s.cancelled ?? 0);
  const monthFigures = months.map((month) => {
    const inMonth = sales.filter((s) => s.day.startsWith(month));
    return {
      month,
      revenue: inMonth.reduce((a, s) => a + gross(s), 0) / 100,
      net: inMonth.reduce((a, s) => a + s.cents, 0) / 100,
      rows: inMonth.length,
      daysWithData: new Set(inMonth.map((s) => s.day)).size,
      partial: false,
    };
  });
  const breakdown = (key: "region" | "category") => {
    const names = [...new Set(sales.map((s) => s[key]).filter((n): n is string => n !== undefined))];
    if (names.length === 0) return null;
    const totals: SnapshotGroup[] = names.map((name) => {
      const rows = sales.filter((s) => s[key] === name);
      return {
        name,
        revenue: rows.reduce((a, s) => a + gross(s), 0) / 100,
        net: rows.reduce((a, s) => a + s.cents, 0) / 100,
        units: withUnits ? rows.reduce((a, s) => a + (s.units ?? 0), 0) : null,
        rows: rows.length,
      };
    });
    const rows = names.map((name) => ({
      name,
      revenue: [],
      net: months.map(
        (m) =>
          sales.filter((s) => s[key] === name && s.day.startsWith(m)).reduce((a, s) => a + s.cents, 0) / 100,
      ),
      units: withUnits
        ? months.map((m) =>
            sales
              .filter((s) => s[key] === name && s.day.startsWith(m) && !s.cancelled)
              .reduce((a, s) => a + (s.units ?? 0), 0),
          )
        : null,
    }));
    return { totals, months: gridOf(rows) };
  };
  const cancelledRows = sales.filter((s) => (s.cancelled ?? 0) > 0);
  const totalGross = sales.reduce((a, s) => a + gross(s), 0);
  return {
    version: SNAPSHOT_VERSION,
    fileName,
    headerSignature: options.signature ?? DEFAULT_SIGNATURE,
    currency: options.currency ? { code: options.currency, symbol: options.currency } : null,
    totals: {
      revenue: totalGross / 100,
      net: sales.reduce((a, s) => a + s.cents, 0) / 100,
      units: withUnits ? sales.reduce((a, s) => a + (s.units ?? 0), 0) : null,
      orders: sales.length,
      rows: sales.length,
      cancellations: {
        count: cancelledRows.length,
        revenue: cancelledRows.reduce((a, s) => a + (s.cancelled ?? 0), 0) / 100,
        rate: sales.length ? cancelledRows.length / sales.length : 0,
        revenueShare: totalGross ? cancelledRows.reduce((a, s) => a + (s.cancelled ?? 0), 0) / totalGross : 0,
      },
    },
    dateRange: start && end ? { start, end } : null,
    months: monthFigures,
    days:
      allDays.length > 0 && allDays.length <= 93
        ? allDays.map((day) => {
            const on = sales.filter((s) => s.day === day);
            return {
              day,
              revenue: on.reduce((a, s) => a + gross(s), 0) / 100,
              net: on.reduce((a, s) => a + s.cents, 0) / 100,
              rows: on.length,
            };
          })
        : null,
    region: breakdown("region"),
    category: breakdown("category"),
    products: null,
  };
}

/** One sale per day from start to end (inclusive) for each region, `cents` each. */
export function dailySales(
  start: string,
  end: string,
  perRegion: Record<string, { cents: number; units?: number; category?: string }>,
): Sale[] {
  const out: Sale[] = [];
  for (const day of daysBetween(start, end)) {
    for (const [region, s] of Object.entries(perRegion)) {
      out.push({ day, region, category: s.category ?? "General", cents: s.cents, units: s.units });
    }
  }
  return out;
}

export interface TestGridRow {
  name: string;
  net: number[];
  units: number[] | null;
  pooled?: boolean;
}

/** A grid's rows back as arrays (money, not cents), to add a row or compare one. */
export function gridRows(grid: SnapshotGrid | null): TestGridRow[] {
  if (!grid) return [];
  const months = grid.names.length === 0 ? 0 : grid.netCents.length / grid.names.length;
  return grid.names.map((name, r) => ({
    name,
    net: Array.from(grid.netCents.subarray(r * months, (r + 1) * months), (c) => c / 100),
    units: grid.units ? Array.from(grid.units.subarray(r * months, (r + 1) * months)) : null,
    ...(r === grid.pooledRow ? { pooled: true } : {}),
  }));
}

/** A grid from rows given as money (the fold's shape, gross left out). */
export function gridFrom(rows: TestGridRow[]): SnapshotGrid {
  return gridOf(rows.map((r) => ({ ...r, revenue: [] })));
}
