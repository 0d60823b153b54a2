import { foldText } from "./normalise.js";
import type { ColumnProfile } from "./profile.js";
import { PLACE_VALUES, STATUS_VALUES } from "./vocabulary/values.js";

const STATUSES = new Set(STATUS_VALUES.map((v) => foldText(v)));
const PLACES = new Set(PLACE_VALUES.map((v) => foldText(v)));

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** Numbers in 80% of the cells, small enough to be amounts. */
export function isNumericColumn(p: ColumnProfile): boolean {
  return p.nonEmpty > 0 && p.amounts / p.nonEmpty >= 0.8;
}

/**
 * Numbers that are names, not quantities: row numbers and ids (a run of distinct whole numbers), years,
 * and fixed-width codes (zips, phone numbers, 6-digit invoice numbers).
 */
export function looksLikeIdentifier(p: ColumnProfile): boolean {
  if (p.numeric === 0) return false;
  if (p.sequential) return true;
  if (share(p.yearLike, p.numeric) >= 0.9) return true;
  if (p.fixedWidthDigits) return true;
  const allWhole = p.decimals === 0;
  // Large whole numbers that are nearly all different: ids, not amounts someone sold.
  return allWhole && p.min >= 10_000 && share(p.distinct, p.nonEmpty) >= 0.9;
}

/**
 * How much a numeric column looks like money, 0-1: decimals (cents), currency marks, a wide spread of
 * values, mostly positive; never an identifier.
 */
export function moneyLikeness(p: ColumnProfile): number {
  if (!isNumericColumn(p) || looksLikeIdentifier(p)) return 0;
  if (p.max <= 0) return 0;
  let s = 0.3;
  if (share(p.decimals, p.numeric) >= 0.3) s += 0.25;
  if (share(p.currencyMarks, p.numeric) >= 0.5) s += 0.3;
  if (p.min > 0 && p.max / p.min >= 20) s += 0.1;
  if (share(p.distinct, p.nonEmpty) >= 0.3) s += 0.1;
  if (share(p.negatives, p.numeric) > 0.3) s -= 0.2;
  // Small whole numbers (1-100) are counts, ratings or positions, not amounts.
  if (p.decimals === 0 && p.max <= 100) s -= 0.25;
  return Math.max(0, Math.min(1, s));
}

/** Whole, positive, mostly small numbers with few distinct values: a quantity. */
export function quantityLikeness(p: ColumnProfile): number {
  if (!isNumericColumn(p) || looksLikeIdentifier(p)) return 0;
  let s = 0.3;
  if (share(p.decimals, p.numeric) <= 0.05) s += 0.3;
  if (p.median <= 50) s += 0.2;
  if (share(p.currencyMarks, p.numeric) > 0.2) s -= 0.4;
  return Math.max(0, Math.min(1, s));
}

/** Share of a column's distinct values that are known order, payment or deal states. */
export function statusShare(p: ColumnProfile): number {
  return shareKnown(p, STATUSES);
}

/** Share of a column's distinct values that are known places (regions, countries, states). */
export function placeShare(p: ColumnProfile): number {
  return shareKnown(p, PLACES);
}

function shareKnown(p: ColumnProfile, known: Set<string>): number {
  if (p.distinctValues.length === 0) return 0;
  let hits = 0;
  for (const v of p.distinctValues) if (known.has(foldText(v).replace(/[_-]+/g, " ").trim())) hits++;
  return hits / p.distinctValues.length;
}

/**
 * Order or invoice numbers by their values: codes or whole numbers that repeat across a few line rows
 * each (an order with several lines) without being one per row or a handful in all.
 */
export function orderIdLikeness(p: ColumnProfile): number {
  if (p.nonEmpty < 10) return 0;
  const codes = share(p.codeLike, p.nonEmpty);
  const wholeNumbers = p.numeric === p.nonEmpty && p.decimals === 0 && p.min >= 100;
  if (codes < 0.8 && !wholeNumbers) return 0;
  if (share(p.yearLike, p.nonEmpty) > 0.5 || p.dates / p.nonEmpty > 0.5) return 0;
  const rowsPerId = p.nonEmpty / p.distinct;
  if (rowsPerId < 1.15 || rowsPerId > 20) return 0;
  return codes >= 0.8 ? 0.7 : 0.6;
}

export interface ProductTriple {
  revenue: number;
  units: number;
  unitPrice: number;
  /** Share of the sample rows where revenue = units x unit price (within a cent or 0.5%). */
  agreement: number;
}

/**
 * Among numeric columns, the (revenue, quantity, price) triple where revenue = quantity x price on most
 * rows: settles which is which when headers do not. Runs on the sample only (columns^3 x rows: 12
 * columns and 1,000 rows is 1.3M multiplications, under 10 ms).
 */
export function findProductTriple(candidates: ColumnProfile[]): ProductTriple | null {
  const columns = candidates.slice(0, 12);
  let best: ProductTriple | null = null;
  for (const a of columns) {
    for (const b of columns) {
      if (b === a) continue;
      for (const c of columns) {
        if (c === a || c.index <= b.index) continue;
        const agreement = productAgreement(a.values, b.values, c.values);
        if (agreement < 0.6 || (best && agreement <= best.agreement)) continue;
        // The quantity is the whole-number side; between two, the one with the smaller values.
        const [q, price] = quantityFirst(b, c);
        best = { revenue: a.index, units: q.index, unitPrice: price.index, agreement };
      }
    }
  }
  return best;
}

function quantityFirst(b: ColumnProfile, c: ColumnProfile): [ColumnProfile, ColumnProfile] {
  const bWhole = b.decimals === 0;
  const cWhole = c.decimals === 0;
  if (bWhole !== cWhole) return bWhole ? [b, c] : [c, b];
  return b.median <= c.median ? [b, c] : [c, b];
}

export function productAgreement(a: number[], b: number[], c: number[]): number {
  let rows = 0;
  let agree = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? Number.NaN;
    const y = b[i] ?? Number.NaN;
    const z = c[i] ?? Number.NaN;
    if (Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(z)) continue;
    // A trivial product (0 = 0 x anything, x = x x 1) proves nothing about which column is which.
    if (x === 0 || y === 1 || z === 1) continue;
    rows++;
    if (Math.abs(x - y * z) <= Math.max(0.011, Math.abs(x) * 0.005)) agree++;
  }
  return rows >= 3 ? agree / rows : 0;
}
