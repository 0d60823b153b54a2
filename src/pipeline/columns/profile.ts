import { type Cell, cellText, isBlankCell, isExcelError } from "../cell.js";
import { dateReading, parseDateCell } from "../dates.js";
import { isAmount, numberReading, parseNumber } from "../numbers.js";
import { type HeaderMeaning, headerMeaning } from "./lexicon.js";
import { type NormalisedHeader, normaliseHeader } from "./normalise.js";

/**
 * What the sample shows about one column: the header's meaning and the statistics content scoring
 * (and an outside classifier, which may see these but never the cells) reads.
 */
export interface ColumnProfile {
  index: number;
  header: string;
  normalised: NormalisedHeader;
  meaning: HeaderMeaning;
  /** The header's words run together, lower case: kept for messages and quick checks. */
  compact: string;
  nonEmpty: number;
  /** Cells that read as numbers, of any size. */
  numeric: number;
  /** Numbers small enough to be amounts (see MAX_AMOUNT): what a money or quantity column needs. */
  amounts: number;
  dates: number;
  /** Cells the reader typed as dates (XLSX date-formatted cells), whatever the header says. */
  typedDates: number;
  distinct: number;
  negatives: number;
  /** Numbers with a fractional part (12.50), and cells written with a currency mark ($12). */
  decimals: number;
  currencyMarks: number;
  /** Whole numbers between 1900 and 2100: years, not money. */
  yearLike: number;
  /** Whole numbers with a fixed number of digits (5 or more): codes, zips, phone numbers. */
  fixedWidthDigits: boolean;
  /** Whole numbers, all different, forming a run (1, 2, 3...): row numbers or ids. */
  sequential: boolean;
  min: number;
  max: number;
  median: number;
  /** Text cells shaped like codes with digits ("#1001", "INV-0042", "SO12345", "405-8078784-5731545"). */
  codeLike: number;
  /** The column's values in sample order (NaN where not a number), for cross-column checks. */
  values: number[];
  /** Up to 200 distinct values, lower case and trimmed, for vocabulary checks (statuses, places). */
  distinctValues: string[];
  /** The first cell that is not a number, and the first number too large to be an amount, as examples. */
  textExample: string | null;
  tooLargeExample: string | null;
}

const CODE_LIKE = /^#?[a-z]{0,6}[-_/ #]?\d[\d-]{2,}[a-z\d-]*$/i;
const CURRENCY_MARK = /[$€£¥￥円元원₹₩₽₺฿₫₪₱₦]|R\$|zł|\b[A-Z]{3}\b/;

export function isDateHeader(compact: string): boolean {
  return /date|day|time|period|created|month|week|when|datum|fecha|data|tarih|tanggal/.test(compact);
}

export function profileColumns(headers: string[], sample: Cell[][], decimalComma: boolean): ColumnProfile[] {
  const reading = numberReading(decimalComma);
  return headers.map((header, index) => {
    const normalised = normaliseHeader(header);
    const meaning = headerMeaning(normalised);
    const compact = normalised.compact;
    const dates = dateReading(isDateHeader(compact) || meaning.concepts.has("date"));
    const seen = new Set<string>();
    const values: number[] = [];
    const numbers: number[] = [];
    const widths = new Set<number>();
    let nonEmpty = 0;
    let numeric = 0;
    let amounts = 0;
    let dateCount = 0;
    let typedDates = 0;
    let negatives = 0;
    let decimals = 0;
    let currencyMarks = 0;
    let yearLike = 0;
    let codeLike = 0;
    let integers = 0;
    let textExample: string | null = null;
    let tooLargeExample: string | null = null;
    for (const row of sample) {
      const cell = row[index];
      // A failed formula ("#N/A") says nothing about what the column holds: it counts as empty.
      if (isBlankCell(cell) || isExcelError(cell)) {
        values.push(Number.NaN);
        continue;
      }
      nonEmpty++;
      const n = cell instanceof Date ? Number.NaN : parseNumber(cell, reading);
      values.push(n);
      const text = typeof cell === "string" ? cell.trim() : "";
      if (!Number.isNaN(n)) {
        numeric++;
        numbers.push(n);
        if (n < 0) negatives++;
        if (isAmount(n)) amounts++;
        else tooLargeExample ??= typeof cell === "number" ? plainDigits(cell) : cellText(cell);
        if (Number.isInteger(n)) {
          integers++;
          if (n >= 1900 && n <= 2100) yearLike++;
          widths.add(String(Math.abs(n)).length);
        } else decimals++;
        if (text !== "" && CURRENCY_MARK.test(text)) currencyMarks++;
      } else {
        textExample ??= cellText(cell);
        if (CODE_LIKE.test(text)) codeLike++;
      }
      if (!Number.isNaN(parseDateCell(typeof cell === "string" ? cell.trim() : cell, dates))) dateCount++;
      if (cell instanceof Date) typedDates++;
      if (seen.size < 10_000) seen.add(cellText(cell).trim().toLowerCase());
    }
    numbers.sort((a, b) => a - b);
    const [onlyWidth] = widths;
    const fixedWidthDigits =
      integers === numeric && widths.size === 1 && onlyWidth !== undefined && onlyWidth >= 5;
    let sequential = numbers.length >= 3 && integers === numeric;
    for (let i = 1; sequential && i < numbers.length; i++) {
      if ((numbers[i] ?? 0) - (numbers[i - 1] ?? 0) !== 1) sequential = false;
    }
    return {
      index,
      header,
      normalised,
      meaning,
      compact,
      nonEmpty,
      numeric,
      amounts,
      dates: dateCount,
      typedDates,
      distinct: seen.size,
      negatives,
      decimals,
      currencyMarks,
      yearLike,
      fixedWidthDigits,
      sequential,
      min: numbers[0] ?? Number.NaN,
      max: numbers.at(-1) ?? Number.NaN,
      median: numbers[Math.floor(numbers.length / 2)] ?? Number.NaN,
      codeLike,
      values,
      distinctValues: [...seen].slice(0, 200),
      textExample,
      tooLargeExample,
    };
  });
}

/** A number in plain digits, never exponent form (String(1e21) is "1e+21"). */
export function plainDigits(n: number): string {
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}
