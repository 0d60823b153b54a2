/** ISO calendar arithmetic on "YYYY-MM-DD" days and "YYYY-MM" months (UTC, no time of day). */

import { daysInMonth as daysInYearMonth, pad } from "../dates.js";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01. */
export function dayNumber(iso: string): number {
  return Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

export function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return isoDay(dayNumber(iso) + days);
}

/** Inclusive length of a range in days. */
export function lengthInDays(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start) + 1;
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

export function daysInMonth(month: string): number {
  return daysInYearMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
}

export function monthStart(month: string): string {
  return `${month}-01`;
}

export function monthEnd(month: string): string {
  return `${month}-${pad(daysInMonth(month))}`;
}

export function addMonths(month: string, count: number): string {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + count;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** The months a range touches, ascending. */
export function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  for (let m = monthOf(start); m <= monthOf(end); m = addMonths(m, 1)) months.push(m);
  return months;
}
