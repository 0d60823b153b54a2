/**
 * Which stored upload is the previous one of the same series as a new upload.
 *
 * Two signals, and the rule that keeps unrelated files apart:
 * - Name: the same pattern once the period in the name is set aside (`sales_w46.csv` ->
 *   `sales_w47.csv`, `Q2 report.xlsx` -> `Q3 report.xlsx`, `export 2026-11-16.csv` -> `export
 *   2026-11-23.csv`), with the candidate's period not later than the new one's (or its dates earlier,
 *   for a wrap such as Q4 -> Q1). The same name again (a re-export) matches too. A name alone is never
 *   enough: `export (1).csv` and `export (2).csv` are whatever the browser called two downloads, so
 *   the columns must also be compatible: the same revenue column (the same header, or both computing
 *   revenue from the same units and price headers) and at least half of all roles read from the same
 *   headers.
 * - Headers: every role read from the same header, after normalising (case, accents, separators,
 *   bracketed currency). Only specific enough signatures count on their own: at least three roles
 *   (revenue and date alone, "Amount" and "Date", are shared by any two money files).
 * A candidate whose dates all come after the new upload's is never the previous one (an old week
 * uploaded late is compared with the week before it, not with the newest upload).
 * A name match wins over a header-only match (it says which file came before); among name matches
 * the closest earlier period wins, then the newest upload.
 */
import { foldText, normaliseHeader } from "../columns/normalise.js";
import type { HeaderSignature, SeriesCandidate, SeriesMatch, SeriesReason } from "./types.js";

/** Headers alone must name at least this many roles to tie two files together. */
export const MIN_SIGNATURE_ROLES = 3;
/** Share of all roles (of either file) read from the same header for a name match to count. */
const MIN_SHARED_ROLES = 0.5;

/** Role -> header as written (Metrics.columns) to role -> normalised header, roles without a column left out. */
export function headerSignature(columns: Readonly<Record<string, string | null>>): HeaderSignature {
  const signature: HeaderSignature = {};
  for (const role of Object.keys(columns).sort()) {
    const header = columns[role];
    if (header === null || header === undefined) continue;
    const normalised = normaliseHeader(header);
    // CJK headers have no spaced words: their unspaced form is what identifies them.
    signature[role] = normalised.words.length > 0 ? normalised.words.join(" ") : normalised.unspaced;
  }
  return signature;
}

/** What series.ts needs of the new upload. */
export interface SeriesSubject {
  fileName: string;
  headerSignature: HeaderSignature;
  dateRange: { start: string; end: string } | null;
}

/** Why a candidate is not the previous upload (for logs and tests). */
export type NoMatchReason =
  | "incompatible-columns"
  | "generic-headers"
  | "different-headers"
  | "later-in-series"
  | "no-candidates";

export type PairVerdict =
  | { match: true; reason: SeriesReason; nameOrder: NameOrder | null }
  | { match: false; why: NoMatchReason };

/** How a candidate's name sits in the series: before the new name, the same period, or after it. */
export type NameOrder = "earlier" | "same" | "later";

/** Whether one candidate belongs to the new upload's series, and why (or why not). */
export function judgeCandidate(subject: SeriesSubject, candidate: SeriesCandidate): PairVerdict {
  const compatible = columnsCompatible(subject.headerSignature, candidate.headerSignature);
  const headers =
    sameSignature(subject.headerSignature, candidate.headerSignature) &&
    Object.keys(subject.headerSignature).length >= MIN_SIGNATURE_ROLES;
  const order = compareNames(candidate.fileName, subject.fileName);
  const datedEarlier =
    subject.dateRange !== null &&
    candidate.dateRange !== null &&
    candidate.dateRange.end < subject.dateRange.start;
  if (order === "later" && !datedEarlier) return { match: false, why: "later-in-series" };
  // Dates wholly after the new upload's: whatever the name says, that file is not the one before.
  const datedLater =
    subject.dateRange !== null &&
    candidate.dateRange !== null &&
    candidate.dateRange.start > subject.dateRange.end;
  if (datedLater) return { match: false, why: "later-in-series" };
  const nameOrder = order === "later" ? "earlier" : order;
  const byName = nameOrder !== null && compatible;
  if (byName && headers) return { match: true, reason: "headers-and-name", nameOrder };
  if (byName) return { match: true, reason: "name", nameOrder };
  if (headers) return { match: true, reason: "headers", nameOrder: null };
  if (!compatible) return { match: false, why: "incompatible-columns" };
  return {
    match: false,
    why: sameSignature(subject.headerSignature, candidate.headerSignature)
      ? "generic-headers"
      : "different-headers",
  };
}

/**
 * The previous upload of the new one's series among stored candidates (newest first), or null when
 * none qualifies: then nothing is said about comparisons.
 */
export function findPrevious(
  subject: SeriesSubject,
  candidates: readonly SeriesCandidate[],
): SeriesMatch | null {
  let best: { candidate: SeriesCandidate; reason: SeriesReason; rank: number; index: number } | null = null;
  candidates.forEach((candidate, index) => {
    const verdict = judgeCandidate(subject, candidate);
    if (!verdict.match) return;
    const rank = verdict.nameOrder === null ? 0 : 1;
    if (
      !best ||
      rank > best.rank ||
      (rank === best.rank && rank === 1 && closer(candidate, best.candidate))
    ) {
      best = { candidate, reason: verdict.reason, rank, index };
    }
  });
  const found = best as { candidate: SeriesCandidate; reason: SeriesReason } | null;
  return found ? { candidate: found.candidate, reason: found.reason } : null;
}

/** Why candidates were passed over: one reason per refused candidate (for logs), or no-candidates. */
export function explainNoMatch(
  subject: SeriesSubject,
  candidates: readonly SeriesCandidate[],
): NoMatchReason[] {
  if (candidates.length === 0) return ["no-candidates"];
  const reasons: NoMatchReason[] = [];
  for (const candidate of candidates) {
    const verdict = judgeCandidate(subject, candidate);
    if (!verdict.match) reasons.push(verdict.why);
  }
  return reasons;
}

/**
 * Of two name matches, is `a` closer before the new upload than `b`? The later period (by the dates
 * when both files have them, else by the name's sequence); ties keep the newer upload (listed first).
 */
function closer(a: SeriesCandidate, b: SeriesCandidate): boolean {
  if (a.dateRange && b.dateRange) return a.dateRange.end > b.dateRange.end;
  const keyA = parseName(a.fileName);
  const keyB = parseName(b.fileName);
  return compareKeys(keyA.key, keyB.key) > 0;
}

function sameSignature(a: HeaderSignature, b: HeaderSignature): boolean {
  const roles = Object.keys(a);
  if (roles.length !== Object.keys(b).length) return false;
  return roles.every((role) => a[role] === b[role]);
}

function columnsCompatible(a: HeaderSignature, b: HeaderSignature): boolean {
  const sameRevenue =
    a.revenue !== undefined
      ? a.revenue === b.revenue
      : b.revenue === undefined &&
        a.units !== undefined &&
        a.units === b.units &&
        a.unitPrice !== undefined &&
        a.unitPrice === b.unitPrice;
  if (!sameRevenue) return false;
  const roles = new Set([...Object.keys(a), ...Object.keys(b)]);
  let shared = 0;
  for (const role of roles) if (a[role] !== undefined && a[role] === b[role]) shared++;
  return shared >= roles.size * MIN_SHARED_ROLES;
}

// ---------------------------------------------------------------------------------------------
// File names: a pattern with the period set aside, and the period as a sortable key.

/** A token's place in the sort: year first, then quarter or month, week, day, any other number. */
const RANK = { year: 0, month: 1, week: 2, day: 3, number: 4 } as const;

interface NameToken {
  rank: number;
  value: number;
  position: number;
}

export interface ParsedName {
  /** The name with each period token replaced by a placeholder of its kind. */
  pattern: string;
  /** The period tokens, most significant first. */
  key: number[];
}

const MONTH_NAMES: [RegExp, number][] = [
  [/^jan/, 1],
  [/^feb/, 2],
  [/^mar/, 3],
  [/^apr/, 4],
  [/^may/, 5],
  [/^jun/, 6],
  [/^jul/, 7],
  [/^aug/, 8],
  [/^sep/, 9],
  [/^oct/, 10],
  [/^nov/, 11],
  [/^dec/, 12],
];
const MONTH_WORD =
  /(?<![a-z])(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])/g;

interface Pass {
  regex: RegExp;
  placeholder: string;
  tokens: (m: RegExpExecArray) => { rank: number; value: number }[];
}

const num = (s: string | undefined) => Number(s);

/** In order: a pass's placeholder (upper case, never matched again) hides what later passes would misread. */
const PASSES: Pass[] = [
  {
    // 2026-11-23, 2026_11_23, 20261123
    regex: /(?<!\d)((?:19|20)\d{2})[-_. ]?(0[1-9]|1[0-2])[-_. ]?(0[1-9]|[12]\d|3[01])(?!\d)/g,
    placeholder: "\uE000D",
    tokens: (m) => [
      { rank: RANK.year, value: num(m[1]) },
      { rank: RANK.month, value: num(m[2]) },
      { rank: RANK.day, value: num(m[3]) },
    ],
  },
  {
    // 23.11.2026, 23-11-2026 (day first: file names cannot hold the US slash form)
    regex: /(?<!\d)(0?[1-9]|[12]\d|3[01])[-_.](0?[1-9]|1[0-2])[-_.]((?:19|20)\d{2})(?!\d)/g,
    placeholder: "\uE000D",
    tokens: (m) => [
      { rank: RANK.year, value: num(m[3]) },
      { rank: RANK.month, value: num(m[2]) },
      { rank: RANK.day, value: num(m[1]) },
    ],
  },
  {
    // 2026-Q3, 2026 q3, Q3 2026, Q3-2026
    regex: /(?<![\da-z])(?:((?:19|20)\d{2})[-_ ]?q([1-4])|q([1-4])[-_ ]?((?:19|20)\d{2}))(?![\da-z])/g,
    placeholder: "\uE000Q",
    tokens: (m) => [
      { rank: RANK.year, value: num(m[1] ?? m[4]) },
      { rank: RANK.month, value: num(m[2] ?? m[3]) },
    ],
  },
  {
    // 2026-11, 2026_11
    regex: /(?<!\d)((?:19|20)\d{2})[-_. ](0[1-9]|1[0-2])(?!\d)/g,
    placeholder: "\uE000M",
    tokens: (m) => [
      { rank: RANK.year, value: num(m[1]) },
      { rank: RANK.month, value: num(m[2]) },
    ],
  },
  {
    // w47, wk47, week 47, KW47 (German), CW47, semana 47
    regex: /(?<![a-z])(?:w|wk|week|kw|cw|semana|sem)[-_ ]?(\d{1,2})(?!\d)/g,
    placeholder: "\uE000W",
    tokens: (m) => [{ rank: RANK.week, value: num(m[1]) }],
  },
  {
    regex: /(?<![a-z\d])q([1-4])(?!\d)/g,
    placeholder: "\uE000Q",
    tokens: (m) => [{ rank: RANK.month, value: num(m[1]) }],
  },
  {
    regex: MONTH_WORD,
    placeholder: "\uE000N",
    tokens: (m) => [{ rank: RANK.month, value: MONTH_NAMES.find(([r]) => r.test(m[1] ?? ""))?.[1] ?? 0 }],
  },
  {
    regex: /(?<!\d)((?:19|20)\d{2})(?!\d)/g,
    placeholder: "\uE000Y",
    tokens: (m) => [{ rank: RANK.year, value: num(m[1]) }],
  },
  {
    regex: /\d+/g,
    placeholder: "\uE000#",
    tokens: (m) => [{ rank: RANK.number, value: num(m[0]) }],
  },
];

/** "Sales_W47 (1).csv" -> pattern "sales \uE000W", key [47]. */
export function parseName(fileName: string): ParsedName {
  let name = foldText(fileName.trim())
    .replace(/\.(csv|tsv|txt|xlsx|xlsm|xls)$/, "")
    // A browser's or the OS's duplicate marker is not part of the series: "export (1)", "sales - copy".
    .replace(/\s*\(\d{1,3}\)$/, "")
    .replace(/[\s_-]*(copy|kopie|copia)$/, "")
    .replace(/^copy of\s+/, "");
  const tokens: NameToken[] = [];
  for (const pass of PASSES) {
    name = name.replace(pass.regex, (...args) => {
      const match = args as unknown as RegExpExecArray;
      const position = args.at(-2) as number;
      for (const t of pass.tokens(match)) tokens.push({ ...t, position });
      return pass.placeholder;
    });
  }
  const pattern = name
    .replace(/[\s_\-.,]+/g, " ")
    .trim()
    .replace(/ ?\uE000/g, "\uE000");
  // Positions shift as earlier passes shorten the name; within one rank, order of appearance is kept
  // well enough for names (each pass scans left to right).
  tokens.sort((a, b) => a.rank - b.rank || a.position - b.position);
  return { pattern, key: tokens.map((t) => t.value) };
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Where `candidate` sits relative to `current` in a name series, or null when the names are no series. */
export function compareNames(candidate: string, current: string): NameOrder | null {
  const a = parseName(candidate);
  const b = parseName(current);
  if (a.pattern !== b.pattern || a.pattern === "") return null;
  const order = compareKeys(a.key, b.key);
  return order < 0 ? "earlier" : order === 0 ? "same" : "later";
}
