/**
 * Rows whose revenue differs from units x unit price usually mean discounts or errors, row by row.
 * When nearly all of them differ by the same ratio (Total = Quantity x Unit price x 1.05), the file
 * simply includes a tax or fee in its revenue column: one consistent fact, not a data-quality risk.
 * This tallies the ratios of the mismatching rows to tell the two apart.
 */

/** Ratios are bucketed to 0.1%: fine enough to tell 5% from 7.5% tax, coarse enough for rounded cents. */
const BUCKETS_PER_UNIT = 1_000;
/** Below this, rounding to the cent alone moves the ratio past a bucket (1.29 vs 1.2915). */
const MIN_MEASURABLE = 10;
/** Distinct ratios kept; past this the rows differ in too many ways to share one. */
const MAX_BUCKETS = 64;
const MIN_ROWS = 5;
const MIN_SHARE = 0.9;

/**
 * What a shared ratio most likely means: within +-50% a tax, fee or discount on every row (a fact of
 * the file, not an error); a power of ten a column in other units on those rows (still an error).
 */
export function ratioMeaning(ratio: number | null | undefined): "surcharge" | "discount" | "scale" | null {
  if (ratio === null || ratio === undefined) return null;
  if (ratio > 1 && ratio <= 1.5) return "surcharge";
  if (ratio >= 0.5 && ratio < 1) return "discount";
  const exponent = Math.log10(ratio);
  if (Math.abs(exponent - Math.round(exponent)) < 1e-9 && Math.round(exponent) !== 0) return "scale";
  return null;
}

export class MismatchRatios {
  private readonly counts = new Map<number, number>();
  private measurable = 0;

  /** One mismatching row: its revenue and units x unit price. */
  add(revenue: number, expected: number): void {
    if (!(Math.abs(expected) >= MIN_MEASURABLE) || !(revenue / expected > 0)) return;
    this.measurable++;
    const bucket = Math.round((revenue / expected) * BUCKETS_PER_UNIT);
    const count = this.counts.get(bucket);
    if (count !== undefined) this.counts.set(bucket, count + 1);
    else if (this.counts.size < MAX_BUCKETS) this.counts.set(bucket, 1);
  }

  /**
   * The ratio nearly every mismatching row shares (1.05), or null. `mismatches` is every mismatching
   * row, measurable or not: the shared ratio must hold for at least 90% of them.
   */
  commonRatio(mismatches: number): number | null {
    if (this.measurable < MIN_ROWS) return null;
    let best: { bucket: number; rows: number } | null = null;
    for (const bucket of this.counts.keys()) {
      // A bucket with its neighbours: a ratio right on a bucket edge splits between two.
      const rows =
        (this.counts.get(bucket - 1) ?? 0) +
        (this.counts.get(bucket) ?? 0) +
        (this.counts.get(bucket + 1) ?? 0);
      if (!best || rows > best.rows) best = { bucket, rows };
    }
    if (!best || best.rows < MIN_SHARE * Math.max(mismatches, this.measurable)) return null;
    return best.bucket / BUCKETS_PER_UNIT;
  }
}
