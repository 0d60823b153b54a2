import type { Cell } from "./cell.js";
import { monthFromWord } from "./month-names.js";

/**
 * Dates are folded as integer day keys so a million rows cost one small Map, not a million Date
 * objects. A resolved key is yyyymmdd (positive). Numeric dates whose day/month order cannot be told
 * from the cell alone ("05/01/19") get a negative key -(yyyy*10000 + first*100 + second); the order is
 * decided once per column from all of them (see resolveDayOrder).
 */
export type DayKey = number;

export type DayOrder = "month-first" | "day-first";

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const EXCEL_EPOCH_1900 = Date.UTC(1899, 11, 30);
const EXCEL_EPOCH_1904 = Date.UTC(1904, 0, 1);
const DAY_MS = 86_400_000;

export function ymdKey(year: number, month: number, day: number): DayKey {
  if (!isValidDate(year, month, day)) return Number.NaN;
  return year * 10000 + month * 100 + day;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_LENGTHS[month - 1] ?? 0;
}

export function excelSerialToKey(serial: number, date1904 = false): DayKey {
  // 10,000 is 1927: smaller "serials" in a date column are day numbers or noise, not sales dates.
  if (!(serial >= 10_000 && serial < 110_000)) return Number.NaN;
  const d = new Date((date1904 ? EXCEL_EPOCH_1904 : EXCEL_EPOCH_1900) + Math.floor(serial) * DAY_MS);
  return ymdKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export interface DateReading {
  /** The column's header says "date", so bare numbers in it are Excel serial dates. */
  serialNumbers: boolean;
  date1904: boolean;
  /** Counts of numeric dates whose order the cell itself proved ("13/01/19" is day-first). */
  evidence: DayOrderEvidence;
}

export interface DayOrderEvidence {
  dayFirst: number;
  monthFirst: number;
  /** Ambiguous cells written with "-" or "." (European, UK and Indian habit) versus "/" (the US habit). */
  ambiguousDashOrDot: number;
  ambiguousSlash: number;
}

export function dateReading(serialNumbers: boolean, date1904 = false): DateReading {
  return {
    serialNumbers,
    date1904,
    evidence: { dayFirst: 0, monthFirst: 0, ambiguousDashOrDot: 0, ambiguousSlash: 0 },
  };
}

/** Reads one cell; NaN when it is not a date. */
export function parseDateCell(cell: Cell, reading: DateReading): DayKey {
  if (typeof cell === "string") return parseDateText(cell, reading);
  if (cell instanceof Date) {
    const t = cell.getTime();
    if (Number.isNaN(t)) return Number.NaN;
    return ymdKey(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  }
  if (typeof cell === "number") return parseDateNumber(cell, reading);
  return Number.NaN;
}

/** 2000-01-01 and 2100-01-01 in Unix seconds: the sales dates a timestamp column can hold. */
const UNIX_SECONDS_FROM = 946_684_800;
const UNIX_SECONDS_TO = 4_102_444_800;

function parseDateNumber(n: number, reading: DateReading): DayKey {
  if (n >= 19000101 && n <= 22001231 && Number.isInteger(n)) {
    return ymdKey(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100);
  }
  if (!reading.serialNumbers) return Number.NaN;
  // Under a date or month header, 202401 is January 2024 (Google Analytics' "Month of Year").
  if (n >= 190001 && n <= 220012 && Number.isInteger(n) && n % 100 >= 1 && n % 100 <= 12) {
    return ymdKey(Math.floor(n / 100), n % 100, 1);
  }
  // Under a date header, numbers this large are Unix timestamps (databases, Stripe, Shopify APIs), in
  // seconds or milliseconds; the calendar day is taken in UTC, like every other date here.
  if (n >= UNIX_SECONDS_FROM && n < UNIX_SECONDS_TO) return unixDay(n * 1000);
  if (n >= UNIX_SECONDS_FROM * 1000 && n < UNIX_SECONDS_TO * 1000) return unixDay(n);
  return excelSerialToKey(n, reading.date1904);
}

function unixDay(ms: number): DayKey {
  const d = new Date(ms);
  return ymdKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** 2024-1-5, 2024/01/05, and Korean 2024. 1. 5. (spaces after the dots, a final dot). */
const TWO_PART_YEAR_FIRST = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?(?:$|[T\s])/;
/** Chinese and Japanese 2024年1月5日, Korean 2024년 1월 5일. */
const CJK_YEAR_MONTH_DAY = /^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/;
const NUMERIC_DAY_MONTH = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:$|[T\s,])/;
// Month names are letters of any script ("März", "févr.", "août"); "3 de marzo de 2024" is Spanish
// and Portuguese for 3 March 2024.
const DAY_NAME_MONTH_YEAR =
  /^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+(?:de\s+)?(\p{L}{3,12})\.?(?:\s+de)?[\s\-/.,]+(\d{4}|\d{2})(?:$|[T\s,])/iu;
const MONTH_NAME_DAY_YEAR =
  /^(\p{L}{3,12})\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4})(?:$|[T\s,])/iu;
const MONTH_NAME_YEAR = /^(\p{L}{3,12})\.?(?:\s+de)?[\s\-/]+(\d{4})$/iu;
/** Excel's "mmm-yy" ("Mar-24") and "Mar '24"; "Mar 24" alone is left alone: it may be 24 March. */
const MONTH_NAME_SHORT_YEAR = /^(\p{L}{3,12})\.?(?:-|\s*'|\s*\u2019)(\d{2})$/iu;
const YEAR_MONTH = /^(\d{4})[-/](\d{1,2})$/;
/** ISO 8601 weeks as BI tools export weekly figures: 2024-W05, 2024W05. */
const ISO_WEEK = /^(\d{4})-?W(\d{2})$/i;
const WEEKDAY_PREFIX = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;

const TRAILING_TIME =
  /[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** The calendar-day part of a timestamp, so "04/19/19 08:46" and "04/19/19 21:01" share a cache entry. */
export function withoutTime(text: string): string {
  return text.includes(":") ? text.replace(TRAILING_TIME, "") : text;
}

export function parseDateText(raw: string, reading: DateReading): DayKey {
  const s = raw.trim();
  const length = s.length;
  if (length < 4) return Number.NaN;
  const iso = parseIsoDate(s);
  if (iso > 0) return iso;
  // Every form below has a year in digits: a label ("Electronics", "Delivered") skips eight regexes.
  // Schema inference tries each of the sample's 1,000 rows of every column as a date.
  if (!hasDigit(s)) return Number.NaN;
  let m = TWO_PART_YEAR_FIRST.exec(s);
  if (m) return ymdKey(Number(m[1]), Number(m[2]), Number(m[3]));
  m = CJK_YEAR_MONTH_DAY.exec(s);
  if (m) return ymdKey(Number(m[1]), Number(m[2]), Number(m[3]));
  m = NUMERIC_DAY_MONTH.exec(s);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[3]);
    const year = fullYear(m[4] as string);
    if (first > 12 && second <= 12) {
      reading.evidence.dayFirst++;
      return ymdKey(year, second, first);
    }
    if (second > 12 && first <= 12) {
      reading.evidence.monthFirst++;
      return ymdKey(year, first, second);
    }
    if (first > 12 || second > 12 || first < 1 || second < 1) return Number.NaN;
    if (m[2] === "/") reading.evidence.ambiguousSlash++;
    else reading.evidence.ambiguousDashOrDot++;
    return -(year * 10000 + first * 100 + second);
  }
  const text = s.replace(WEEKDAY_PREFIX, "");
  m = DAY_NAME_MONTH_YEAR.exec(text);
  if (m) {
    const month = monthNumber(m[2] as string);
    if (month) return ymdKey(fullYear(m[3] as string), month, Number(m[1]));
  }
  m = MONTH_NAME_DAY_YEAR.exec(text);
  if (m) {
    const month = monthNumber(m[1] as string);
    if (month) return ymdKey(Number(m[3]), month, Number(m[2]));
  }
  m = MONTH_NAME_YEAR.exec(text);
  if (m) {
    const month = monthNumber(m[1] as string);
    if (month) return ymdKey(Number(m[2]), month, 1);
  }
  m = MONTH_NAME_SHORT_YEAR.exec(text);
  if (m) {
    const month = monthNumber(m[1] as string);
    if (month) return ymdKey(fullYear(m[2] as string), month, 1);
  }
  m = YEAR_MONTH.exec(s);
  if (m) return ymdKey(Number(m[1]), Number(m[2]), 1);
  m = ISO_WEEK.exec(s);
  if (m) return isoWeekMonday(Number(m[1]), Number(m[2]));
  if (/^\d+(?:\.\d+)?$/.test(s)) return parseDateNumber(Number(s), reading);
  return Number.NaN;
}

/** The Monday of ISO week `week` of `year` (week 1 holds the year's first Thursday). */
function isoWeekMonday(year: number, week: number): DayKey {
  if (week < 1 || week > 53) return Number.NaN;
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  const monday = new Date(jan4 + ((week - 1) * 7 - weekday) * DAY_MS);
  // Week 53 exists only in years whose week 53 still holds a Thursday of that year.
  if (week === 53 && new Date(monday.getTime() + 3 * DAY_MS).getUTCFullYear() !== year) return Number.NaN;
  return ymdKey(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/**
 * Fast path for ISO yyyy-mm-dd (optionally followed by a time), the format of most machine exports.
 * Returns NaN for anything else, so callers fall through to the general parser.
 */
export function parseIsoDate(s: string): DayKey {
  const length = s.length;
  if (length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  if (length > 10 && s.charCodeAt(10) !== 84 && s.charCodeAt(10) !== 32) return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0) return Number.NaN;
  return ymdKey(year, month, day);
}

function digits(s: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** English by its first letters ("January", "Febr"), then a month word of another listed language. */
function monthNumber(name: string): number | undefined {
  return (
    MONTHS[name.slice(0, name.toLowerCase().startsWith("sept") ? 4 : 3).toLowerCase()] ?? monthFromWord(name)
  );
}

function fullYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

/**
 * Decides the day/month order for a column's ambiguous keys. Cells like "13/01/19" already settled
 * themselves; for the rest, a sales log runs over consecutive days, so the reading that packs the
 * dates into fewer distinct months is the right one ("01-12-10", "02-12-10" ... is December, not
 * January, February ...). A tie goes by the separator: "/" is month-first (US), "-" and "." day-first.
 */
export function resolveDayOrder(
  ambiguous: Iterable<DayKey>,
  evidence: DayOrderEvidence,
): { order: DayOrder; reason: string } {
  if (evidence.dayFirst !== evidence.monthFirst) {
    return {
      order: evidence.dayFirst > evidence.monthFirst ? "day-first" : "month-first",
      reason: "other dates in the column can only be read that way",
    };
  }
  const monthsIfMonthFirst = new Set<number>();
  const monthsIfDayFirst = new Set<number>();
  for (const key of ambiguous) {
    const k = -key;
    const year = Math.floor(k / 10000);
    const first = Math.floor(k / 100) % 100;
    const second = k % 100;
    monthsIfMonthFirst.add(year * 100 + first);
    monthsIfDayFirst.add(year * 100 + second);
  }
  if (monthsIfDayFirst.size !== monthsIfMonthFirst.size) {
    return {
      order: monthsIfDayFirst.size < monthsIfMonthFirst.size ? "day-first" : "month-first",
      reason: "that keeps the dates in consecutive months",
    };
  }
  return evidence.ambiguousDashOrDot > evidence.ambiguousSlash
    ? { order: "day-first", reason: 'dates written with "-" or "." are usually day first' }
    : { order: "month-first", reason: 'dates written with "/" are usually month first (US style)' };
}

export function resolveKey(key: DayKey, order: DayOrder): DayKey {
  if (key >= 0) return key;
  const k = -key;
  const year = Math.floor(k / 10000);
  const first = Math.floor(k / 100) % 100;
  const second = k % 100;
  return order === "month-first" ? ymdKey(year, first, second) : ymdKey(year, second, first);
}

export function keyToIso(key: DayKey): string {
  const year = Math.floor(key / 10000);
  const month = Math.floor(key / 100) % 100;
  const day = key % 100;
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
