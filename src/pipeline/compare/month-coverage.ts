import type { MonthRevenue } from "../metrics-types.js";
import { isDailyDense } from "../time-series.js";
import { daysInMonth, lengthInDays, monthEnd, monthStart, monthsBetween } from "./calendar.js";

/**
 * When a month of data counts as partial: the comparison engine's rule (its "partial-period"
 * warning), shared with the tables that compare a file's latest month with the month before, so a
 * month the comparison calls partial is never shown elsewhere as if it were whole.
 */

/** Sides whose lengths differ by more days than this are not like for like (31 vs 30 days is). */
export const LENGTH_TOLERANCE = 3;

/** The days of `month` a range covers: from `first` to `last`, `covered` days in all. */
export interface MonthCoverage {
  month: string;
  first: string;
  last: string;
  covered: number;
}

/** Months of a range covered for fewer than all but LENGTH_TOLERANCE of their days. */
export function partialMonths(range: { start: string; end: string }): MonthCoverage[] {
  const out: MonthCoverage[] = [];
  for (const month of monthsBetween(range.start, range.end)) {
    const first = later(range.start, monthStart(month));
    const last = earlier(range.end, monthEnd(month));
    const covered = lengthInDays(first, last);
    if (covered < daysInMonth(month) - LENGTH_TOLERANCE) out.push({ month, first, last, covered });
  }
  return out;
}

/**
 * The partial months of a file's monthly series (its first and last, at most). None when the file
 * has sales on too few of its days to call an edge month partial: six orders over a quarter ending on
 * 10 March say nothing about March being cut short (the monthly series' and the comparisons' rule).
 */
export function partialMonthsOfSeries(series: {
  dateRange: { start: string; end: string } | null;
  revenueByMonth: readonly Pick<MonthRevenue, "daysWithData">[];
}): MonthCoverage[] {
  const range = series.dateRange;
  if (!range) return [];
  const days = series.revenueByMonth.reduce((sum, m) => sum + m.daysWithData, 0);
  if (!isDailyDense(days, lengthInDays(range.start, range.end))) return [];
  return partialMonths(range);
}

/** ISO days sort as text. */
function later(a: string, b: string): string {
  return a > b ? a : b;
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}
