import { formatDecimal } from "../pipeline/decimal-format.js";
import type { Currency } from "../pipeline/numbers.js";

/**
 * Number formatting for people: "$684K", "$1.2M", "12.4%", "Jan-Mar 2026". The same functions write
 * the offline summary and the renderers, so a figure reads identically everywhere, and the figure
 * checker can parse back what they produce.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function currencyPrefix(currency: Currency | null): string {
  if (!currency) return "";
  return currency.symbol.length <= 2 && !/^[A-Z]{3}$/.test(currency.symbol)
    ? currency.symbol
    : `${currency.symbol} `;
}

/**
 * What a formatter prints for a value that is not a finite number. The pipeline never hands one over
 * (amounts are bounded and totals finite), but a renderer must not print "NaN" or "Infinity" if a bug
 * ever lets one through.
 */
const NOT_A_NUMBER = "n/a";

/** Compact money: $684K, $1.2M, $3.4B, $2.1T, $950, -$12K. */
export function formatMoney(value: number, currency: Currency | null): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  const text = compactNumber(Math.abs(value));
  // A value that rounds to zero is written without a sign ("$0", not "-$0").
  const sign = value < 0 && /[1-9]/.test(text) ? "-" : "";
  return `${sign}${currencyPrefix(currency)}${text}`;
}

const COMPACT_UNITS: [number, string][] = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "K"],
];

export function compactNumber(value: number): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  const abs = Math.abs(value);
  for (const [size, suffix] of COMPACT_UNITS) {
    if (abs >= size * 0.9995) {
      const scaled = value / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : 1;
      return `${trimZero(plainFixed(scaled, digits))}${suffix}`;
    }
  }
  return abs >= 100 || Number.isInteger(value) ? plainFixed(Math.round(value), 0) : plainFixed(value, 2);
}

export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  const rounded = Math.round(value);
  // Every digit, never exponent form (as toLocaleString("en-US"), without Intl's start-up cost);
  // `|| 0` turns -0 into 0.
  return formatDecimal(rounded || 0, 0);
}

/** A fraction as a percentage: 0.1244 -> "12.4%". */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return NOT_A_NUMBER;
  return `${trimZero(plainFixed(fraction * 100, digits))}%`;
}

/**
 * `value.toFixed(digits)` without its two surprises: exponent form from 1e21 up ("1e+21"), and "-0.0"
 * for a negative value that rounds to zero.
 */
function plainFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  // Every double from 2^53 up is an integer, so BigInt spells it out exactly.
  const text = Math.abs(value) < 1e21 ? value.toFixed(digits) : BigInt(value).toString();
  return /^-0(?:\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** "2026-01" -> "Jan 2026". */
/** "2026-03" -> "Mar": for a column title where the year is plain from the table. */
export function formatShortMonth(month: string): string {
  const m = month.split("-")[1];
  return MONTHS[Number(m) - 1] ?? month;
}

export function formatMonth(month: string): string {
  const [year, m] = month.split("-");
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

/** A date range as people say it: "Jan-Mar 2026", "Nov 2025-Feb 2026", "5 Jan 2026". */
export function formatDateRange(range: { start: string; end: string } | null): string {
  if (!range) return "no dates";
  const [sy, sm, sd] = range.start.split("-").map(Number) as [number, number, number];
  const [ey, em, ed] = range.end.split("-").map(Number) as [number, number, number];
  const month = (m: number) => MONTHS[m - 1] ?? String(m);
  if (range.start === range.end) return `${sd} ${month(sm)} ${sy}`;
  if (sy === ey && sm === em) return `${sd}-${ed} ${month(sm)} ${sy}`;
  if (sy === ey) return `${month(sm)}-${month(em)} ${sy}`;
  return `${month(sm)} ${sy}-${month(em)} ${ey}`;
}

function trimZero(text: string): string {
  return text.includes(".") ? text.replace(/\.0+$/, "").replace(/(\.\d*?)0+$/, "$1") : text;
}

/** A change in money with its sign: "+$5.1K", "-$900", "$0" (a change that rounds to zero has none). */
export function formatMoneyChange(value: number, currency: Currency | null): string {
  const text = formatMoney(value, currency);
  return value > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** A fractional change as a signed percentage: 0.118 -> "+11.8%", -0.05 -> "-5%", 0 -> "0%". */
export function formatPercentChange(fraction: number): string {
  const text = formatPercent(fraction);
  return fraction > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/**
 * Percentage points, signed, one decimal: 3.2 -> "+3.2 pts", -0.75 -> "-0.8 pts", 0.01 -> "0 pts".
 * Points are what a share moves by (a cancellation share from 3.9% to 3.1%) or what one group adds
 * to the total's % change; "pts" keeps them apart from a % change of the share itself.
 */
export function formatPoints(points: number): string {
  if (!Number.isFinite(points)) return NOT_A_NUMBER;
  const text = trimZero(plainFixed(points, 1));
  const sign = points > 0 && /[1-9]/.test(text) ? "+" : "";
  return `${sign}${text} pts`;
}
