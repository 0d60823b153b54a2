/**
 * Finance reports state their unit in the header: "Revenue ($000)", "Sales (in thousands)",
 * "Umsatz (TEUR)", "Sales ($M)". The cells then hold 1.2345 for 1,234.50, and a summary that quotes
 * them as they stand tells an executive about a business a thousand times smaller than it is.
 */
export type AmountScale = 1 | 1_000 | 1_000_000;

const THOUSANDS =
  /\(\s*[$€£¥]?\s*'?0{3}s?\s*[$€£¥]?\s*\)|\(\s*[$€£¥]?\s*k\s*[$€£¥]?\s*\)|\bin\s+thousands\b|\bthousands\b|\bt(?:eur|usd|chf|€)\b|\bin\s+tsd\b|\btsd\.?\s*(?:€|eur)|\bk€|€k\b|\$k\b/i;
const MILLIONS =
  /\(\s*[$€£¥]?\s*(?:m|mm|mn|mio\.?)\s*[$€£¥]?\s*\)|\bin\s+millions\b|\bmillions\b|\bmio\.?\s*(?:€|eur)|\bm(?:eur|usd)\b|\$m\b|€m\b/i;

/** The multiplier a money header states (1 when it states none). */
export function amountScale(header: string): AmountScale {
  if (MILLIONS.test(header)) return 1_000_000;
  if (THOUSANDS.test(header)) return 1_000;
  return 1;
}
