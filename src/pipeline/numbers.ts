import type { Cell } from "./cell.js";

/** Currency marks we recognise in cells and headers, mapped to ISO codes for display. */
const SYMBOL_TO_CODE: Record<string, string> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  // Full-width yen and the yen, yuan and won written after the number (1,234円, 1,234元, 1,234원).
  "￥": "JPY",
  円: "JPY",
  元: "CNY",
  원: "KRW",
  "₹": "INR",
  "₩": "KRW",
  "₽": "RUB",
  "₺": "TRY",
  "฿": "THB",
  "₫": "VND",
  "₪": "ILS",
  "₱": "PHP",
  "₦": "NGN",
  R$: "BRL",
  // Dollars named by their country, as exports outside the US write them.
  US$: "USD",
  CA$: "CAD",
  C$: "CAD",
  A$: "AUD",
  AU$: "AUD",
  NZ$: "NZD",
  HK$: "HKD",
  S$: "SGD",
  MX$: "MXN",
  NT$: "TWD",
  Rs: "INR",
  "Rs.": "INR",
  zł: "PLN",
  kr: "SEK",
  CHF: "CHF",
};
const CODE_TO_SYMBOL: Record<string, string> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  INR: "₹",
  KRW: "₩",
  RUB: "₽",
  TRY: "₺",
  THB: "฿",
  VND: "₫",
  ILS: "₪",
  PHP: "₱",
  NGN: "₦",
  BRL: "R$",
  CNY: "¥",
  AUD: "A$",
  CAD: "C$",
};
const ISO_CODE =
  /\b(USD|EUR|GBP|JPY|INR|KRW|RUB|TRY|THB|VND|ILS|PHP|NGN|BRL|CNY|AUD|CAD|CHF|SEK|NOK|DKK|PLN|MXN|ZAR|SGD|HKD|NZD|AED|SAR)\b/;
const CURRENCY_MARK = /(?:US|CA|AU|NZ|HK|MX|NT|[ACS])\$|R\$|Rs\.?|zł|CHF|kr|[$€£¥￥円元원₹₩₽₺฿₫₪₱₦]/;

export interface Currency {
  code: string | null;
  symbol: string;
}

export function currencyFromCode(code: string): Currency {
  const upper = code.toUpperCase();
  return { code: upper, symbol: CODE_TO_SYMBOL[upper] ?? upper };
}

/** Finds a currency mark or ISO code in free text such as a header ("Amount (INR)") or a cell ("$1,200"). */
export function findCurrency(text: string): Currency | null {
  const code = ISO_CODE.exec(text);
  if (code?.[1]) return currencyFromCode(code[1]);
  const mark = CURRENCY_MARK.exec(text);
  if (mark) {
    const symbol = mark[0];
    const isoCode = SYMBOL_TO_CODE[symbol] ?? null;
    return { code: isoCode, symbol: isoCode ? (CODE_TO_SYMBOL[isoCode] ?? symbol) : symbol };
  }
  return null;
}

export interface NumberReading {
  /** Decimal separator of the file: decided once per table from a sample, never per cell. */
  decimalComma: boolean;
  /** Set by parseNumber when a cell carried a currency mark; the caller resets it as it needs. */
  lastCurrency: string | null;
}

export function numberReading(decimalComma: boolean): NumberReading {
  return { decimalComma, lastCurrency: null };
}

/**
 * Largest magnitude read as an amount (money, units or price); larger cells are set aside by the fold
 * and counted, never added. 10 trillion is above any single sale in any currency we meet (a USD 100M
 * deal is 2.5 trillion VND), and it keeps each cell exact: below 1e13 a value with cents has at most
 * 15 significant digits, which a double holds exactly. A million such values sum to under 1e19: far
 * from Infinity, and printable without exponent notation (see ExactSum for when totals stay exact to
 * the cent). Bigger "amounts" are nearly always ids or codes read as numbers (a 22-digit order id).
 */
export const MAX_AMOUNT = 1e13;

/** True for a number that may be counted as money or a quantity (false for NaN and for ±Infinity). */
export function isAmount(value: number): boolean {
  return value < MAX_AMOUNT && value > -MAX_AMOUNT;
}

/**
 * Parses a money or quantity cell. Returns a finite number, or NaN for anything that is not a number:
 * formulas such as "=1+1" (which are data to us, never something to evaluate), "Infinity", "NaN",
 * hex/binary/octal literals, and exponent notation ("1e5", "1.23457E+21"): no sales export writes an
 * amount that way, while Excel writes long ids that way in CSV after rounding away their digits, so
 * such a cell is an id or noise, not money. Handles currency marks and codes, thousands separators,
 * spaces, (negative) parentheses, leading or trailing minus and the unicode minus sign. The result
 * may still be too large to be an amount: callers check `isAmount`.
 */
export function parseNumber(cell: Cell, reading: NumberReading): number {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : Number.NaN;
  if (typeof cell !== "string") return Number.NaN;
  const first = cell.charCodeAt(0);
  // Fast path: plain "123", "-4.5", "0.99" (the shape of almost every cell in a big export).
  if (!reading.decimalComma && ((first >= 48 && first <= 57) || first === 45) && isPlainDecimal(cell)) {
    const n = +cell;
    return Number.isFinite(n) ? n : Number.NaN;
  }
  return parseMessyNumber(cell, reading);
}

/** [-]digits[.digits] and nothing else: what `+text` reads the same way we do (no "1e5", "0x1F"). */
function isPlainDecimal(text: string): boolean {
  let digits = 0;
  let dot = false;
  for (let i = text.charCodeAt(0) === 45 ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

const SPACES = /[\s\u00a0\u202f']/g;
const PLAIN = /^\d+(?:\.\d+)?$|^\.\d+$/;
const GROUPED_THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;
const MANY_DOT_GROUPS = /^\d{1,3}(?:\.\d{3}){2,}$/;
const MANY_COMMA_GROUPS = /^\d{1,3}(?:,\d{3}){2,}$/;

/** Zero-width spaces and joiners, word joiner, BOM: invisible, pasted from web pages and PDFs. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;
/** Full-width ASCII forms (１２３４．５０, ￥), as Japanese and Chinese software writes them. */
const FULL_WIDTH = /[\uff01-\uff5e\uffe5]/;
/** Excel's ="1234.50", written to keep a value as typed: a string literal, nothing to evaluate. */
const TEXT_LITERAL = /^="([^"]*)"$/;
/** Excel's Accounting format shows zero as a dash, and "Save as CSV" writes what is shown. */
const DASH_ZERO = /^[-\u2013\u2014]$/;

/** Anything beyond ASCII: the full-width and invisible forms above are, and most cells are not. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Digits and separators only, maybe a leading minus: "1.234,56", "-1,234.56", "12,5". */
const SEPARATED_DIGITS = /^-?[\d.,]+$/;

function parseMessyNumber(raw: string, reading: NumberReading): number {
  // The shape of nearly every cell of a decimal-comma file: no currency, space or sign to look for.
  if (SEPARATED_DIGITS.test(raw)) {
    const negative = raw.charCodeAt(0) === 45;
    const normalised = normaliseSeparators(negative ? raw.slice(1) : raw, reading.decimalComma);
    if (normalised === null || !PLAIN.test(normalised)) return Number.NaN;
    const value = Number(normalised);
    if (!Number.isFinite(value)) return Number.NaN;
    return negative ? -value : value;
  }
  let s = raw;
  // Every cell of a decimal-comma file comes here: the rarer forms are looked for only when a
  // cheap test says they may be there.
  if (NON_ASCII.test(s)) {
    if (FULL_WIDTH.test(s)) s = s.normalize("NFKC");
    s = s.replace(INVISIBLE, "");
  }
  s = s.trim();
  if (s.charCodeAt(0) === 61) {
    const literal = TEXT_LITERAL.exec(s);
    if (literal) s = (literal[1] as string).trim();
  }
  if (s === "") return Number.NaN;
  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  const currency = CURRENCY_MARK.exec(s) ?? ISO_CODE.exec(s);
  if (currency) {
    reading.lastCurrency = currency[0];
    s = s.replace(currency[0], "").trim();
  }
  if (s.length === 1 && DASH_ZERO.test(s)) return 0;
  if (s.startsWith("-") || s.startsWith("\u2212")) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith("+")) {
    s = s.slice(1);
  }
  if (s.endsWith("-")) {
    negative = !negative;
    s = s.slice(0, -1);
  }
  if (s.endsWith("%")) s = s.slice(0, -1);
  // A currency mark may also sit after the sign: "-$5".
  if (!currency) {
    const inner = CURRENCY_MARK.exec(s);
    if (inner) {
      reading.lastCurrency = inner[0];
      s = s.replace(inner[0], "");
    }
  }
  s = s.replace(SPACES, "");
  const normalised = normaliseSeparators(s, reading.decimalComma);
  if (normalised === null || !PLAIN.test(normalised)) return Number.NaN;
  const value = Number(normalised);
  // A few hundred digits overflow to Infinity: not a number we can count.
  if (!Number.isFinite(value)) return Number.NaN;
  return negative ? -value : value;
}

function normaliseSeparators(s: string, decimalComma: boolean): string | null {
  const comma = s.indexOf(",");
  const dot = s.indexOf(".");
  if (decimalComma) {
    if (comma === -1) return dot !== -1 && /^\d{1,3}(?:\.\d{3})+$/.test(s) ? s.replaceAll(".", "") : s;
    // A cell that settles itself overrides the file's habit: "1,234.50" (a dot after the commas) and
    // "1,234,567" (two commas) can only group thousands with commas.
    if (dot > comma || (comma !== s.lastIndexOf(",") && MANY_COMMA_GROUPS.test(s)))
      return s.replaceAll(",", "");
    return s.replaceAll(".", "").replace(",", ".");
  }
  if (comma === -1) {
    // "1.500.000": a number has one decimal point, so two or more dots can only group thousands.
    return dot !== s.lastIndexOf(".") && MANY_DOT_GROUPS.test(s) ? s.replaceAll(".", "") : s;
  }
  if (dot !== -1) {
    // Both present: whichever comes last is the decimal separator ("1,234.50" or "1.234,50").
    return s.lastIndexOf(",") > s.lastIndexOf(".")
      ? s.replaceAll(".", "").replace(",", ".")
      : s.replaceAll(",", "");
  }
  if (GROUPED_THOUSANDS.test(s)) return s.replaceAll(",", "");
  // A lone comma not followed by exactly three digits ("12,5") can only be a decimal comma.
  return /^\d+,\d+$/.test(s) ? s.replace(",", ".") : null;
}

/**
 * Decides whether a table writes decimals with a comma, from evidence that cannot be read both ways:
 * "74,69", "1.234,5" or "1.500.000" say comma; "74.69" or "1,234.5" say dot. "1,234" alone is
 * ambiguous, and so is "1.234", unless the file speaks a decimal-comma locale (`localeHint`: a
 * semicolon delimiter, or dates written 31.01.2024, both what Excel writes where the comma is the
 * decimal separator): there a column of whole amounts written "1.234" and "120.000" is in thousands.
 * Without the hint "3.459" stays a decimal (a fuel price); with it, a lone three-decimal dot value
 * has not been met in such exports.
 */
export function detectDecimalComma(samples: Iterable<string>, localeHint = false): boolean {
  let comma = 0;
  let dot = 0;
  let dotThousands = 0;
  for (const raw of samples) {
    const s = raw.replace(/[^\d.,-]/g, "");
    if (/^-?\d+(?:\.\d{3})*,(?:\d{1,2}|\d{4,})$/.test(s) || /^-?\d{1,3}(?:\.\d{3})+,\d+$/.test(s)) comma++;
    else if (/^-?\d+(?:,\d{3})*\.(?:\d{1,2}|\d{4,})$/.test(s) || /^-?\d{1,3}(?:,\d{3})+\.\d+$/.test(s)) dot++;
    else if (/^-?[1-9]\d{0,2}(?:\.\d{3}){2,}$/.test(s)) comma++;
    else if (/^-?[1-9]\d{0,2}\.\d{3}$/.test(s)) dotThousands++;
  }
  if (comma !== dot) return comma > dot;
  return localeHint && comma === 0 && dotThousands > 0;
}
