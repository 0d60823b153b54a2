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

/** Compact money: $684K, $1.2M, $3.4B, $950, -$12K. */
export function formatMoney(value: number, currency: Currency | null): string {
  const sign = value < 0 ? "-" : "";
  return `${sign}${currencyPrefix(currency)}${compactNumber(Math.abs(value))}`;
}

export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const scaled = value / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : 1;
      return `${trimZero(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return abs >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(2);
}

export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** A fraction as a percentage: 0.1244 -> "12.4%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${trimZero((fraction * 100).toFixed(digits))}%`;
}

/** "2026-01" -> "Jan 2026". */
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
