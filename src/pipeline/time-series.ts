import { type DayKey, daysInMonth, keyToIso, pad } from "./dates.js";
import { Group, mergeGroup } from "./group.js";
import type { DayRevenue, MonthRevenue } from "./metrics-types.js";
import { roundMoney, roundRatio } from "./sum.js";

/** ~3 months: longer spans are charted by month, so the daily series stays small (<= 93 entries). */
export const DAILY_SERIES_MAX_DAYS = 92;

/**
 * Whether a log has sales on at least half of the days it spans: only such a log can call an edge
 * month "partial" (six orders over a quarter are sparse by nature, but 30 days of data followed by one
 * day of May means May is a stub). The monthly series and the comparisons both go by this.
 */
export function isDailyDense(daysWithData: number, spanDays: number): boolean {
  return daysWithData / spanDays >= 0.5;
}

export function monthSeries(days: Map<DayKey, Group>): MonthRevenue[] {
  if (days.size === 0) return [];
  const months = new Map<number, { group: Group; days: number }>();
  for (const [key, group] of days) {
    const month = Math.floor(key / 100);
    const entry = months.get(month) ?? { group: new Group(), days: 0 };
    mergeGroup(entry.group, group);
    entry.days++;
    months.set(month, entry);
  }
  const startKey = minKey(days);
  const endKey = maxKey(days);
  const first = Math.floor(startKey / 100);
  const last = Math.floor(endKey / 100);
  const dense = isDailyDense(days.size, daySpan(startKey, endKey) + 1);
  const series: MonthRevenue[] = [];
  // Months with no sales stay in the series as zeros: a gap is news, not something to skip over.
  for (let m = first, guard = 0; m <= last && guard < 1200; m = nextMonth(m), guard++) {
    const entry = months.get(m);
    const year = Math.floor(m / 100);
    const month = m % 100;
    const length = daysInMonth(year, month);
    const covered =
      Math.min(m === last ? endKey % 100 : length, length) - (m === first ? (startKey % 100) - 1 : 0);
    const revenue = entry ? entry.group.revenue.value : 0;
    const prev = series.at(-1);
    series.push({
      month: `${year}-${pad(month)}`,
      revenue: roundMoney(revenue),
      netRevenue: roundMoney(entry ? entry.group.net.value : 0),
      rows: entry?.group.rows ?? 0,
      daysWithData: entry?.days ?? 0,
      partial: dense && first !== last && covered < length / 3,
      change:
        prev && prev.revenue !== 0 ? roundRatio((revenue - prev.revenue) / Math.abs(prev.revenue)) : null,
    });
  }
  return series;
}

export function daySeries(days: Map<DayKey, Group>): DayRevenue[] | null {
  if (days.size === 0) return null;
  const start = minKey(days);
  const end = maxKey(days);
  const span = daySpan(start, end);
  if (span > DAILY_SERIES_MAX_DAYS) return null;
  const first = Date.UTC(Math.floor(start / 10000), (Math.floor(start / 100) % 100) - 1, start % 100);
  const series: DayRevenue[] = [];
  for (let i = 0; i <= span; i++) {
    const d = new Date(first + i * 86_400_000);
    const key = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    const group = days.get(key);
    series.push({
      day: keyToIso(key),
      revenue: roundMoney(group ? group.revenue.value : 0),
      netRevenue: roundMoney(group ? group.net.value : 0),
      rows: group?.rows ?? 0,
    });
  }
  return series;
}

export function daySpan(startKey: DayKey, endKey: DayKey): number {
  const toTime = (k: DayKey) => Date.UTC(Math.floor(k / 10000), (Math.floor(k / 100) % 100) - 1, k % 100);
  return Math.round((toTime(endKey) - toTime(startKey)) / 86_400_000);
}

function nextMonth(m: number): number {
  return m % 100 === 12 ? (Math.floor(m / 100) + 1) * 100 + 1 : m + 1;
}

export function minKey(days: Map<DayKey, Group>): DayKey {
  let min = Number.POSITIVE_INFINITY;
  for (const k of days.keys()) if (k < min) min = k;
  return min;
}

export function maxKey(days: Map<DayKey, Group>): DayKey {
  let max = Number.NEGATIVE_INFINITY;
  for (const k of days.keys()) if (k > max) max = k;
  return max;
}
