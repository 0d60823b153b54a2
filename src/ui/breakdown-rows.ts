import { monthEnd, monthStart } from "../pipeline/compare/calendar.js";
import { type MonthCoverage, partialMonthsOfSeries } from "../pipeline/compare/month-coverage.js";
import type { GroupRevenue, Metrics, PooledGroups } from "../pipeline/metrics.js";
import { ExactSum, roundMoney } from "../pipeline/sum.js";
import { formatInteger, formatPercent, formatShortMonth } from "./format.js";
import { ordinal } from "./words.js";

/**
 * A breakdown (regions or categories) as table rows, every group by name up to `maxRows`; past that
 * the largest `maxRows - 1` by name and one "Other (N more)" row holding the rest (with any names
 * the fold pooled past its first 5,000), so the rows always add up to the breakdown's total. Shared
 * by Slack's data_table and the e-mail's tables. Names are raw text: each medium escapes them.
 */
export interface BreakdownRow {
  name: string;
  /** Gross revenue (every row, cancellations included). */
  revenue: number;
  netRevenue: number;
  /** Of the file's gross revenue, 0-1. */
  share: number;
  rows: number;
  /** Units sold, or null when unknown (no units column, or names the fold pooled past 5,000). */
  units: number | null;
  /**
   * Gross revenue of the latest month vs the month before, as a fraction; null when not known (no
   * revenue the month before, a name past 5,000, the Other row). See `hasChange` for the column.
   */
  change: number | null;
  /** No revenue the month before, sales in the latest month (GroupRevenue.newInLatestMonth). */
  isNew: boolean;
  /** The pooled "Other" row. */
  other: boolean;
}

export function breakdownRows(
  groups: GroupRevenue[],
  pooled: PooledGroups | null,
  totalRevenue: number,
  maxRows: number,
): BreakdownRow[] {
  const needsOther = groups.length > maxRows || pooled !== null;
  const listed = needsOther ? groups.slice(0, Math.max(0, maxRows - 1)) : groups;
  const out: BreakdownRow[] = listed.map((g) => ({
    name: g.name,
    revenue: g.revenue,
    netRevenue: g.netRevenue,
    share: g.share,
    rows: g.rows,
    units: g.units ?? null,
    change: g.change ?? null,
    isNew: g.newInLatestMonth === true,
    other: false,
  }));
  if (!needsOther) return out;
  const rest = groups.slice(listed.length);
  const revenue = new ExactSum();
  const net = new ExactSum();
  const units = new ExactSum();
  let unitsKnown = true;
  let rows = 0;
  for (const g of rest) {
    revenue.add(g.revenue);
    net.add(g.netRevenue);
    rows += g.rows;
    if (typeof g.units === "number") units.add(g.units);
    else unitsKnown = false;
  }
  if (pooled) {
    revenue.add(pooled.revenue);
    net.add(pooled.netRevenue);
    rows += pooled.rows;
    unitsKnown = false;
  }
  const names = rest.length + (pooled?.names ?? 0);
  out.push({
    name: `Other (${formatInteger(names)}${pooled?.namesUncounted ? "+" : ""} more)`,
    revenue: roundMoney(revenue.value),
    netRevenue: roundMoney(net.value),
    share: totalRevenue !== 0 ? revenue.value / totalRevenue : 0,
    rows,
    units: unitsKnown ? Math.round(units.value * 10_000) / 10_000 : null,
    // The pooled groups' months are not kept apart, so the Other row has no change of its own.
    change: null,
    isNew: false,
    other: true,
  });
  return out;
}

/**
 * Whether a breakdown shows a change column: its groups carry `change` only when the month-over-month
 * comparison applies (two months or more, the latest one complete).
 */
export function hasChange(groups: GroupRevenue[]): boolean {
  return groups.length > 0 && groups.every((g) => g.change !== undefined);
}

/**
 * The change column's cell text: a signed percentage, "new" for a group with no sales the month
 * before, "n/a" when not known (a name past the first 5,000, the Other row, no sales in either month).
 */
export function changeText(row: Pick<BreakdownRow, "change" | "isNew">): string {
  if (row.change !== null) return formatChange(row.change);
  return row.isNew ? "new" : "n/a";
}

/**
 * The change column's title, naming the two months it compares ("Mar vs Feb", from
 * Metrics.monthOverMonth); "Change" when they are not known. A month the comparisons would call
 * partial says how far its data goes, "Mar (to the 20th) vs Feb", so a month in progress is never
 * read as a whole one (Slack, the e-mail and the CLI report all title the column here).
 */
export function changeColumnTitle(
  analysis: Pick<Metrics, "monthOverMonth" | "dateRange" | "revenueByMonth">,
): string {
  const months = analysis.monthOverMonth;
  if (!months) return "Change";
  const partial = partialMonthsOfSeries(analysis);
  const name = (month: string) => {
    const cut = partial.find((p) => p.month === month);
    return `${formatShortMonth(month)}${cut ? ` (${coverage(cut)})` : ""}`;
  };
  return `${name(months.to)} vs ${name(months.from)}`;
}

/** "to the 20th", "from the 15th", or both for a month cut at each end. */
function coverage(cut: MonthCoverage): string {
  const from = cut.first === monthStart(cut.month) ? null : `from the ${ordinal(Number(cut.first.slice(8)))}`;
  const to = cut.last === monthEnd(cut.month) ? null : `to the ${ordinal(Number(cut.last.slice(8)))}`;
  return [from, to].filter((part) => part !== null).join(" ");
}

/** A change as a signed percentage: 0.5 -> "+50%", -0.125 -> "-12.5%", 0 -> "0%". */
export function formatChange(change: number): string {
  return `${change > 0 ? "+" : ""}${formatPercent(change)}`;
}

/** Exact money with thousands separators, cents only when there are any: "$1,234,567.50", "-€12". */
export function exactMoney(value: number, prefix: string): string {
  const abs = Math.abs(value).toLocaleString("en-US", {
    minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
    maximumFractionDigits: 2,
  });
  const sign = value < 0 && abs !== "0" ? "-" : "";
  return `${sign}${prefix}${abs}`;
}
