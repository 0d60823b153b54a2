/**
 * The version of what the engine computes from a file. Stored analyses are keyed by content hash
 * AND this number, so a file analysed by an older engine is analysed again rather than answered from
 * the cache with the old figures. Bump it whenever the output for some file can change (reader,
 * schema inference, metrics, notes).
 *
 * 1: everything cached before versioning.
 * 2: issue 8 (new XLSX reader, date styles, finite money range, heavy-hitter groups, CR handling).
 * 3: issue 9 (columns read in any listed language and from their values; stand-in category; reading
 *    confidence and reason in the output).
 * 4: issue 9 shapes (deal exports, payments tables, multi-line orders, discounts, wide tables).
 * 5: issue 11 (daily series of short files for the charts, units per region/category/product).
 * 6: issue 11 (change vs the previous month per region and category).
 * 7: issue 12 (region/category x month grid, `groupMonths`: comparisons split a period's change by
 *    group from it; an analysis cached before it has none, so its uploads could not be compared by month).
 * 8: the reading of real exports changed figures (thousands dots, headers in $000 or TEUR, subtotal
 *    rows, a second table below the first, placeholder dates, failed payments) and added quality keys
 *    (formula errors, outlier dates, column alternatives, revenue scale): an earlier analysis of the
 *    same bytes may be wrong and lacks them.
 */
export const ANALYSIS_VERSION = 8;
