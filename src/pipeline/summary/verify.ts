import type { Facts } from "./facts.js";

export type FigureKind = "amount" | "percent" | "multiple";

export interface Figure {
  /** The text as written, e.g. "$1.2M", "68.2%", "2.4x". */
  raw: string;
  value: number;
  kind: FigureKind;
  /** Half of the last written digit's unit: "$1.2M" is anything from $1.15M to $1.25M. */
  tolerance: number;
}

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
/** Dates are not figures: "15 Feb 2026", "Feb 15, 2026", "Jan-Mar 2026", "2026-02", "Q1 2026". */
const DATE_PHRASES = [
  /\b\d{4}-\d{2}(?:-\d{2})?\b/g,
  new RegExp(
    `\\b(?:\\d{1,2}(?:st|nd|rd|th)?(?:\\s*[-–]\\s*\\d{1,2}(?:st|nd|rd|th)?)?\\s+)?${MONTH}\\.?(?:\\s*[-–]\\s*${MONTH}\\.?)?(?:\\s+\\d{1,2}(?:st|nd|rd|th)?(?:\\s*[-–]\\s*\\d{1,2}(?:st|nd|rd|th)?)?)?(?:,?\\s+\\d{4})?\\b`,
    "gi",
  ),
  /\bQ[1-4](?:\s+\d{4})?\b/gi,
  /\bH[12]\s+\d{4}\b/g,
  // "week 47" (or "wk 47") names a period (comparisons say "week 47 vs week 46"), it is not a count.
  /\b(?:weeks?|wk)\s*\d{1,2}\b/gi,
];
// Not preceded by a letter or digit (or "letters-"), so "UTF-8", "Windows-1252" and "A4" are names.
const FIGURE =
  /(?<![\p{L}\p{N}_.]|\p{L}[-–])(?<sign>[-+−])?(?<currency>[$€£¥₹]|\b(?:USD|EUR|GBP|INR|JPY|CAD|AUD|Rs\.?)\s?)?(?<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?<suffix>%|percent\b|percentage points?\b|points?\b|pts?\b|pp\b|x\b|×|times\b|[kKmMbBT]\b|bn\b|thousand\b|million\b|billion\b|trillion\b))?(?![\p{L}\p{N}])/gu;
const SCALE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  t: 1e12,
  trillion: 1e12,
};
/** Small integers are ranks and list sizes ("the top 3 regions"), not claims about the data. */
const RANK_LIMIT = 5;

export function extractFigures(text: string): Figure[] {
  let cleaned = text;
  for (const pattern of DATE_PHRASES) cleaned = cleaned.replace(pattern, " ");
  const figures: Figure[] = [];
  for (const match of cleaned.matchAll(FIGURE)) {
    const groups = match.groups ?? {};
    const numberText = groups.number ?? "";
    const decimals = numberText.includes(".") ? (numberText.split(".")[1]?.length ?? 0) : 0;
    const base = Number(numberText.replaceAll(",", ""));
    const suffix = (groups.suffix ?? "").toLowerCase();
    let kind: FigureKind = "amount";
    let scale = 1;
    // "%", "percent", and percentage points ("pp", "pts", "points"), which the facts list as percents.
    if (suffix === "%" || suffix.startsWith("p")) kind = "percent";
    else if (suffix === "x" || suffix === "×" || suffix === "times") kind = "multiple";
    else if (suffix) scale = SCALE[suffix] ?? 1;
    figures.push({
      raw: match[0].trim(),
      value: base * scale,
      kind,
      tolerance: (0.5 * scale) / 10 ** decimals + 1e-9,
    });
  }
  return figures;
}

/** The figures in `text` that no fact supports (empty when the sentence is fully backed by the data). */
export function unsupportedFigures(text: string, facts: Facts): string[] {
  let claims = text;
  for (const name of facts.names) claims = claims.replaceAll(name, " ");
  const bad: string[] = [];
  for (const figure of extractFigures(claims)) {
    if (!isSupported(figure, facts)) bad.push(figure.raw);
  }
  return bad;
}

function isSupported(figure: Figure, facts: Facts): boolean {
  const { value, kind, tolerance } = figure;
  if (kind === "percent") return facts.percents.some((p) => Math.abs(p - value) <= tolerance);
  if (kind === "multiple") return facts.multiples.some((m) => Math.abs(m - value) <= tolerance);
  const plainInteger =
    Number.isInteger(value) && !figure.raw.match(/[$€£¥₹]|[kmbt]\b|bn|thousand|million|billion|trillion/i);
  if (plainInteger && value >= 1 && value <= RANK_LIMIT) return true;
  if (plainInteger && facts.years.includes(value)) return true;
  // Rounded to the written precision, and never further off than 5%: "$1M" is not a fair way to
  // write $684K even though it is $684K rounded to the nearest million.
  return facts.amounts.some(
    (a) => Math.abs(a - value) <= tolerance && Math.abs(a - value) <= Math.abs(a) * 0.05 + 0.005,
  );
}
