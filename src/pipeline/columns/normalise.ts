import { type Currency, findCurrency } from "../numbers.js";

export interface NormalisedHeader {
  /** The header as written. */
  raw: string;
  /** Lower-case ASCII-folded words: "Gesamtbetrag (€)" -> ["gesamtbetrag"], "unitPrice" -> ["unit", "price"]. */
  words: string[];
  /** The words run together ("unitprice"), for messages and quick checks. */
  compact: string;
  /** Full-width forms folded (NFKC), spaces and punctuation removed: what CJK terms are looked for in. */
  unspaced: string;
  /** A currency named in brackets or as a word ("Amount (EUR)", "Betrag (€)", "Valor [R$]", "Sales USD"). */
  currency: Currency | null;
}

// Letters with no decomposition under NFKD, folded by hand (Polish ł, German ß, Nordic ø/æ, Turkish ı).
const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss",
  ł: "l",
  Ł: "l",
  ø: "o",
  Ø: "o",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  đ: "d",
  Đ: "d",
  ı: "i",
  þ: "th",
};
const SPECIAL = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join("")}]`, "g");
const BRACKETED = /[([{【（［]([^)\]}】）］]*)[)\]}】）］]/g;
const ISO_WORD =
  /^(usd|eur|gbp|jpy|inr|krw|rub|try|thb|vnd|ils|php|ngn|brl|cny|rmb|aud|cad|chf|sek|nok|dkk|pln|mxn|zar|sgd|hkd|nzd|aed|sar|idr|ars|clp|cop|pen)$/;

/** Folds accents, case and the ß-style letters: "Preço Unitário" -> "preco unitario". */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(SPECIAL, (c) => SPECIAL_LETTERS[c] ?? c)
    .toLowerCase();
}

/** Splits camelCase, PascalCase and letter-digit runs: "unitPriceEUR2" -> "unit Price EUR 2". */
function splitCase(text: string): string {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\p{Nd})/gu, "$1 $2")
    .replace(/(\p{Nd})(\p{L})/gu, "$1 $2");
}

export function normaliseHeader(raw: string): NormalisedHeader {
  const wide = raw.normalize("NFKC");
  let currency: Currency | null = null;
  const outside = wide.replace(BRACKETED, (_, inner: string) => {
    currency ??= findCurrency(inner.toUpperCase()) ?? findCurrency(inner);
    return " ";
  });
  const words: string[] = [];
  for (const word of foldText(splitCase(mainClause(outside))).split(/[^\p{L}\p{Nd}]+/u)) {
    if (word === "") continue;
    if (ISO_WORD.test(word) && words.length > 0) {
      // "Sales USD": the code names the currency; it is not part of the meaning.
      currency ??= findCurrency(word.toUpperCase()) ?? {
        code: word.toUpperCase(),
        symbol: word.toUpperCase(),
      };
      continue;
    }
    words.push(word);
  }
  // A bare currency mark outside brackets ("Total €", "Valor R$").
  currency ??= /[$€£¥₹₩₽₺฿₫₪₱₦]|R\$|zł/.test(outside) ? findCurrency(outside) : null;
  return {
    raw,
    words,
    compact: words.join(""),
    unspaced: unspacedForm(outside),
    currency,
  };
}

/** NFKC and lower case only: folding marks would merge distinct kana (ダ and タ) and split Hangul. */
export function unspacedForm(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "");
}

const LONG_HEADER_WORDS = 5;

/**
 * A header written as a sentence ("Total revenue in USD, net of returns, as booked...") means what its
 * first clause says; the rest qualifies it and must not veto it ("returns" is not the column).
 */
function mainClause(text: string): string {
  if (text.split(/\s+/).length <= LONG_HEADER_WORDS) return text;
  const first = text.split(/[,;:]/)[0] ?? text;
  return first
    .split(/\s+/)
    .slice(0, LONG_HEADER_WORDS + 1)
    .join(" ");
}
