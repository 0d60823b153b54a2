import type { Analysis } from "../analyze.js";
import { type GroupRevenue, MAX_GROUPS, type PooledGroups } from "../metrics.js";

/** How many groups of each kind the prompt shows by name; the rest are pooled as "Other". */
export const PROMPT_GROUPS = 8;
const MONTHS_SHOWN = 24;

/**
 * Every value a summary may cite, derived from the metrics: the figures themselves and the simple
 * derivations an analyst writes (shares, changes between months, ratios and gaps between groups).
 * The figure checker accepts a number only if it is one of these, at the precision it was written.
 */
export interface Facts {
  /** Money and plain quantities (revenue, units, counts). */
  amounts: number[];
  /** Percentages as percent values (68.2 for 68.2%), always non-negative: "fell 12%" cites 12. */
  percents: number[];
  /** Ratios such as "2.4x". */
  multiples: number[];
  /** Years the data covers: "2026" in a sentence is a date, not a figure. */
  years: number[];
  /** Labels from the file (groups, statuses), longest first: "Store 12" or "$9.9M Club" are names, not figures. */
  names: string[];
}

/**
 * The sets a Facts is gathered in, and the one way they become a Facts: this file's facts and a
 * comparison's (compare-facts.ts) keep the same kinds of values by the same rules.
 */
export class FactSets {
  readonly amounts = new Set<number>();
  readonly percents = new Set<number>();
  readonly multiples = new Set<number>();
  readonly years = new Set<number>();
  readonly names = new Set<string>();

  /** A money figure or plain quantity, sign dropped; nothing for a missing or non-finite value. */
  readonly money = (v: number | null | undefined): void => {
    if (v !== null && v !== undefined && Number.isFinite(v)) this.amounts.add(Math.abs(v));
  };

  toFacts(): Facts {
    return {
      amounts: [...this.amounts],
      percents: [...this.percents],
      multiples: [...this.multiples],
      years: [...this.years],
      // Only a name with a digit in it could be taken for a figure; the longest is matched first.
      names: [...this.names].filter((n) => /\d/.test(n)).sort((x, y) => y.length - x.length),
    };
  }
}

export function deriveFacts(a: Analysis): Facts {
  const sets = new FactSets();
  const { amounts, percents, multiples, money } = sets;
  const share = (fraction: number | null | undefined) => {
    if (fraction !== null && fraction !== undefined && Number.isFinite(fraction))
      percents.add(Math.abs(fraction * 100));
  };

  for (const v of [a.totalRevenue, a.netRevenue, a.totalUnits, a.orders, a.averageOrderValue, a.rows])
    money(v);
  money(a.totalRevenue - a.netRevenue);
  money(a.rowsSkipped.count);
  for (const count of Object.values(a.rowsSkipped.reasons)) money(count);
  // The data-quality notes travel with the metrics, so their counts are citable too.
  for (const v of Object.values(a.quality)) if (typeof v === "number") money(v);
  money(a.source.headerRow);
  if (a.cancellations) {
    const c = a.cancellations;
    for (const v of [c.count, c.revenue, c.units]) money(v);
    share(c.rate);
    share(c.revenueShare);
  }
  if (a.topTransaction) money(a.topTransaction.revenue);
  if (a.pipeline) {
    const { won, lost, open } = a.pipeline;
    for (const b of [won, lost, open]) {
      money(b.count);
      money(b.value);
      if (b.count > 0) money(b.value / b.count);
    }
    // Closed deals, and every deal in the export, with their values.
    money(won.count + lost.count);
    money(won.value + lost.value);
    money(won.count + lost.count + open.count);
    money(won.value + lost.value + open.value);
    share(a.pipeline.winRate);
    share(a.pipeline.winRateByValue);
    if (a.pipeline.winRate !== null) share(1 - a.pipeline.winRate);
    if (a.pipeline.winRateByValue !== null) share(1 - a.pipeline.winRateByValue);
  }
  if (a.shape?.discount) {
    money(a.shape.discount.total);
    money(a.netRevenue + a.shape.discount.total);
    money(a.totalRevenue + a.shape.discount.total);
  }
  if (a.shape?.orderLines) money(a.shape.orderLines.continuationRows);
  // "12 monthly columns were read as rows": the notes count the columns of a wide table.
  if (a.shape?.wide) money(a.shape.wide.periodColumns.length);
  if (a.statusCounts) {
    for (const count of Object.values(a.statusCounts)) {
      money(count);
      share(count / Math.max(1, a.rows));
    }
  }

  // Pools of names past the first 5,000 (see the notes): their counts and money are citable.
  for (const pooled of Object.values(a.pooled)) {
    if (!pooled) continue;
    for (const v of [MAX_GROUPS, pooled.names, pooled.rows, pooled.revenue, pooled.netRevenue]) money(v);
    share(pooled.share);
  }

  for (const [list, pooled] of [
    [a.revenueByRegion, a.pooled.region],
    [a.revenueByCategory, a.pooled.category],
  ] as const) {
    if (!list) continue;
    money(list.length);
    if (pooled) money(list.length + pooled.names);
    const shown = list.slice(0, PROMPT_GROUPS);
    for (const g of shown) {
      for (const v of [g.revenue, g.netRevenue, g.rows]) money(v);
      share(g.share);
    }
    const other = otherGroup(list, pooled);
    if (other) {
      money(other.revenue);
      share(other.share);
    }
    addPairs(
      shown.map((g) => g.revenue),
      amounts,
      percents,
      multiples,
    );
    // "The top three regions make up 85%": running totals of the leading groups.
    let running = 0;
    let runningShare = 0;
    for (const g of shown) {
      running += g.revenue;
      runningShare += g.share;
      money(running);
      share(runningShare);
    }
  }

  const months = a.revenueByMonth.slice(-MONTHS_SHOWN);
  money(months.length);
  for (const m of months) {
    for (const v of [m.revenue, m.netRevenue, m.rows, m.daysWithData]) money(v);
    share(m.change);
    if (a.totalRevenue !== 0) share(m.revenue / a.totalRevenue);
  }
  addPairs(
    months.map((m) => m.revenue),
    amounts,
    percents,
    multiples,
  );

  const names = sets.names;
  for (const list of [a.revenueByRegion, a.revenueByCategory]) for (const g of list ?? []) names.add(g.name);
  for (const status of Object.keys(a.statusCounts ?? {})) names.add(status);
  // A wide table's column headers ("Jan-24", "Q1 2024", "FY2024") are names the notes quote.
  for (const header of [...(a.shape?.wide?.periodColumns ?? []), ...(a.shape?.wide?.ignoredColumns ?? [])])
    names.add(header);

  if (a.dateRange) {
    const first = Number(a.dateRange.start.slice(0, 4));
    const last = Number(a.dateRange.end.slice(0, 4));
    for (let y = first; y <= last && y - first < 200; y++) sets.years.add(y);
  }
  return sets.toFacts();
}

/** Differences, percentage differences and ratios between every pair of values in a short list. */
function addPairs(
  values: number[],
  amounts: Set<number>,
  percents: Set<number>,
  multiples: Set<number>,
): void {
  for (const x of values) {
    for (const y of values) {
      if (x === y) continue;
      amounts.add(Math.abs(x - y));
      if (y !== 0) {
        percents.add(Math.abs(((x - y) / y) * 100));
        if (x / y > 0) multiples.add(x / y);
      }
    }
  }
}

/**
 * The groups past the first PROMPT_GROUPS, together with any names the fold pooled (past the first
 * 5,000), as the prompt shows them.
 */
export function otherGroup(
  list: GroupRevenue[],
  pooled: PooledGroups | null = null,
): { count: number; revenue: number; share: number } | null {
  const rest = list.slice(PROMPT_GROUPS);
  if (rest.length === 0 && !pooled) return null;
  const revenue = rest.reduce((sum, g) => sum + g.revenue, pooled?.revenue ?? 0);
  const share = rest.reduce((sum, g) => sum + g.share, pooled?.share ?? 0);
  return {
    count: rest.length + (pooled?.names ?? 0),
    revenue: Math.round(revenue * 100) / 100,
    share: Math.round(share * 10_000) / 10_000,
  };
}
