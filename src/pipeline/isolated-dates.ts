import type { DayKey } from "./dates.js";

/**
 * Dates far from all the others: a 1900-01-01 or 1970-01-01 placeholder written where a date was
 * missing, a year mistyped as 2124. Left in, one such row stretches the period over a century of
 * empty months, and "the latest month" becomes an empty month decades away.
 *
 * The dated days are split where two neighbours are more than GAP_MONTHS apart; the cluster holding
 * the most rows is the file's period, and any other cluster small enough to be noise (at most
 * max(3, 1%) of the dated rows) is isolated. Two real stretches of history with a gap between them
 * (2015 and 2020, each with many rows) are both kept.
 */
const GAP_MONTHS = 36;
const NOISE_ROWS = 3;
const NOISE_SHARE = 0.01;

export function isolatedDays(days: ReadonlyMap<DayKey, { rows: number }>): DayKey[] {
  if (days.size < 2) return [];
  const keys = [...days.keys()].sort((a, b) => a - b);
  const clusters: { keys: DayKey[]; rows: number }[] = [];
  let current: { keys: DayKey[]; rows: number } | null = null;
  let previousMonth = 0;
  let dated = 0;
  for (const key of keys) {
    const month = monthIndex(key);
    if (current === null || month - previousMonth > GAP_MONTHS) {
      current = { keys: [], rows: 0 };
      clusters.push(current);
    }
    const rows = days.get(key)?.rows ?? 0;
    current.keys.push(key);
    current.rows += rows;
    dated += rows;
    previousMonth = month;
  }
  if (clusters.length === 1) return [];
  const main = clusters.reduce((best, c) => (c.rows > best.rows ? c : best));
  const noise = Math.max(NOISE_ROWS, dated * NOISE_SHARE);
  return clusters.filter((c) => c !== main && c.rows <= noise).flatMap((c) => c.keys);
}

function monthIndex(key: DayKey): number {
  return Math.floor(key / 10000) * 12 + (Math.floor(key / 100) % 100);
}
