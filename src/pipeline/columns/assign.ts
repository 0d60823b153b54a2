import type { Concept } from "./concepts.js";
import {
  findProductTriple,
  isNumericColumn,
  looksLikeIdentifier,
  moneyLikeness,
  orderIdLikeness,
  placeShare,
  statusShare,
} from "./content-score.js";
import { scoreHeader } from "./header-score.js";
import type { ColumnProfile } from "./profile.js";
import { type ColumnReason, ROLE_ORDER, type Role } from "./roles.js";

/** One column that could play a role, with how strongly and why. */
export interface Candidate {
  column: number;
  /** 0-100; header scores and content scores share the scale so they can be compared. */
  score: number;
  reason: ColumnReason;
  why: string;
}

/** The column chosen for a role and how sure the reading is. */
export interface RoleReading {
  column: number;
  /** 0-1. */
  confidence: number;
  reason: ColumnReason;
  why: string;
  /** The role the column was found as, when it stands in for this one (a product column as category). */
  standIn: Role | null;
}

export interface ColumnAssignment {
  /** Column index for each role, or -1. */
  index: Record<Role, number>;
  readings: Partial<Record<Role, RoleReading>>;
  /** Every role's header candidates, best first: what an outside classifier's answer is checked against. */
  candidates: Record<Role, Candidate[]>;
}

type Kind = "number" | "date" | "text";
const KIND: Record<Role, Kind> = {
  revenue: "number",
  units: "number",
  unitPrice: "number",
  date: "date",
  region: "text",
  category: "text",
  status: "text",
  product: "text",
  customer: "text",
  orderId: "text",
  currency: "text",
};

/** Whether a column's values can play a role at all, whatever its header says. */
export function fits(role: Role, p: ColumnProfile): boolean {
  if (p.nonEmpty === 0) return false;
  const kind = KIND[role];
  // A column where more than a fifth of the values are 10 trillion or more holds ids, not amounts.
  if (kind === "number") return p.amounts / p.nonEmpty >= 0.8;
  if (kind === "date") return p.dates / p.nonEmpty >= 0.8;
  // Text dimensions: mostly non-numeric (an id column of digits is still fine for orderId).
  if (role === "orderId" || role === "customer" || role === "product") return true;
  if (p.numeric / p.nonEmpty > 0.5) return false;
  return p.distinct <= (role === "status" ? 60 : 2_000);
}

const ONE_VALUE_PENALTY = 40;
const BREAKDOWN_MAX = 50;
const MANY_VALUES_PENALTY = 30;

function headerCandidate(role: Role, p: ColumnProfile): Candidate | null {
  const { score, why } = scoreHeader(role, p.meaning);
  if (score === 0 || !fits(role, p)) return null;
  let s = score;
  const breakdown = role === "region" || role === "category" || role === "status";
  // A column with one value ("IN" for every row) cannot break anything down.
  if (breakdown && p.distinct < 2) s -= ONE_VALUE_PENALTY;
  // Region: the coarsest level that still splits the data (region over state over city).
  if (role === "region" && p.distinct > BREAKDOWN_MAX) s -= MANY_VALUES_PENALTY;
  // "Estado" is a status in one file and a state in the next: the values tell.
  if (role === "status" && placeShare(p) >= 0.5) s -= 60;
  if (role === "region" && statusShare(p) >= 0.5) s -= 60;
  return s > 0 ? { column: p.index, score: s, reason: "header", why } : null;
}

/** Concepts that say a numeric column is something other than revenue, quantity or price. */
const NOT_SALES_NUMBER: Concept[] = [
  "cost",
  "tax",
  "discount",
  "profit",
  "shipping",
  "period",
  "rate",
  "plan",
  "listPrice",
  "id",
  "postal",
  "address",
  "date",
  "time",
  "notSaleDate",
  "otherDate",
  "count",
];
const NOT_ORDER_ID: Concept[] = [
  ...NOT_SALES_NUMBER.filter((c) => c !== "id"),
  "customer",
  "product",
  "productCode",
  "category",
  "region",
  "country",
  "state",
  "city",
  "location",
  "quantity",
  "price",
  "money",
  "sales",
];
const ANONYMOUS =
  /^(col(umn)?|field|var|x|c|f|v|spalte|colonne|columna|coluna|kolom|kolumna|sutun|kolumn|kolonne|unnamed|untitled)?\s*\d*$/;

/** A header that says nothing: empty, "col3", "Unnamed: 4", "Field 7". */
export function isAnonymousHeader(p: ColumnProfile): boolean {
  return ANONYMOUS.test(p.normalised.words.join(" ")) && p.meaning.concepts.size === 0;
}

export function assignColumns(profiles: ColumnProfile[]): ColumnAssignment {
  const index = Object.fromEntries(ROLE_ORDER.map((r) => [r, -1])) as Record<Role, number>;
  const readings: Partial<Record<Role, RoleReading>> = {};
  const candidates = {} as Record<Role, Candidate[]>;
  const taken = new Set<number>();
  const take = (role: Role, reading: RoleReading) => {
    index[role] = reading.column;
    readings[role] = reading;
    taken.add(reading.column);
  };

  // 1. Headers, role by role in a fixed order, each from the columns still free.
  for (const role of ROLE_ORDER) {
    const list: Candidate[] = [];
    for (const p of profiles) {
      const c = headerCandidate(role, p);
      if (c) list.push(c);
    }
    list.sort((a, b) => b.score - a.score || a.column - b.column);
    candidates[role] = list;
    const free = list.filter((c) => !taken.has(c.column));
    const [best, runnerUp] = free;
    if (!best) continue;
    // Two columns named almost equally well: the reading is less sure.
    const close = runnerUp !== undefined && best.score - runnerUp.score <= 5 ? 0.15 : 0;
    take(role, {
      column: best.column,
      confidence: round(Math.max(0.3, best.score / 100 - close)),
      reason: "header",
      why: best.why,
      standIn: null,
    });
  }

  // 2. Content, for the roles no header named.
  const free = (p: ColumnProfile) => !taken.has(p.index);
  const concepts = (p: ColumnProfile, list: Concept[]) => list.some((c) => p.meaning.concepts.has(c));
  const numericRoles = ["revenue", "units", "unitPrice"] as const;
  if (numericRoles.some((r) => index[r] === -1)) {
    const pool = profiles.filter(
      (p) =>
        numericRoles.some((r) => index[r] === p.index) ||
        (free(p) && isNumericColumn(p) && !looksLikeIdentifier(p) && !concepts(p, NOT_SALES_NUMBER)),
    );
    const triple = findProductTriple(pool);
    const agrees = triple && numericRoles.every((r) => index[r] === -1 || index[r] === triple[r]);
    if (triple && agrees) {
      for (const role of numericRoles) {
        if (index[role] !== -1) continue;
        take(role, {
          column: triple[role],
          confidence: round(0.5 + 0.4 * triple.agreement),
          reason: "content",
          why: `${Math.round(triple.agreement * 100)}% of rows agree: revenue = quantity x price`,
          standIn: null,
        });
      }
    }
  }
  if (index.revenue === -1 && (index.units === -1 || index.unitPrice === -1)) {
    let best: ColumnProfile | null = null;
    let bestScore = 0;
    for (const p of profiles) {
      if (!free(p) || concepts(p, [...NOT_SALES_NUMBER, "quantity", "price", "perUnit"])) continue;
      const s = moneyLikeness(p);
      if (s >= 0.5 && s > bestScore) [best, bestScore] = [p, s];
    }
    if (best)
      take("revenue", {
        column: best.index,
        confidence: round(0.3 + 0.4 * bestScore),
        reason: "content",
        why: "the values look like money",
        standIn: null,
      });
  }
  if (index.date === -1) {
    let best: ColumnProfile | null = null;
    for (const p of profiles) {
      if (!free(p) || concepts(p, ["notSaleDate", "id", "period"]) || !fits("date", p)) continue;
      if (!best || p.dates + p.typedDates > best.dates + best.typedDates) best = p;
    }
    if (best) {
      const typed = best.typedDates / best.nonEmpty >= 0.8;
      take("date", {
        column: best.index,
        confidence: typed ? 0.8 : 0.7,
        reason: "content",
        why: typed ? "the workbook formats the cells as dates" : "the values are dates",
        standIn: null,
      });
    }
  }
  if (index.orderId === -1) {
    let best: ColumnProfile | null = null;
    let bestScore = 0;
    for (const p of profiles) {
      if (!free(p) || concepts(p, NOT_ORDER_ID)) continue;
      const s = orderIdLikeness(p);
      if (s > bestScore) [best, bestScore] = [p, s];
    }
    if (best)
      take("orderId", {
        column: best.index,
        confidence: round(bestScore),
        reason: "content",
        why: "ids repeated over a few line rows each",
        standIn: null,
      });
  }
  const textBreakdown = (p: ColumnProfile) =>
    free(p) && fits("region", p) && p.distinct >= 2 && p.distinct <= BREAKDOWN_MAX;
  if (index.region === -1) {
    const best = profiles
      .filter((p) => textBreakdown(p) && !concepts(p, ["customer", "product", "status", "name"]))
      .map((p) => ({ p, s: placeShare(p) }))
      .filter((x) => x.s >= 0.5)
      .sort((a, b) => b.s - a.s || a.p.distinct - b.p.distinct)[0];
    if (best)
      take("region", {
        column: best.p.index,
        confidence: round(0.4 + 0.4 * best.s),
        reason: "content",
        why: "the values are places",
        standIn: null,
      });
  }
  if (index.status === -1) {
    const best = profiles
      .filter((p) => free(p) && fits("status", p) && p.distinct >= 2)
      .map((p) => ({ p, s: statusShare(p) }))
      .filter((x) => x.s >= 0.6)
      .sort((a, b) => b.s - a.s)[0];
    if (best)
      take("status", {
        column: best.p.index,
        confidence: round(0.4 + 0.4 * best.s),
        reason: "content",
        why: "the values are order or deal states",
        standIn: null,
      });
  }
  if (index.category === -1) standInCategory(profiles, index, readings, take, free);
  return { index, readings, candidates };
}

/** Few enough distinct values to be a breakdown, each repeated over many rows. */
const STAND_IN_MAX = 12;

/**
 * No category column: a product column with a handful of values (product lines sold under a plain
 * "Product" header), or a column with a meaningless header and a handful of text values, stands in.
 */
function standInCategory(
  profiles: ColumnProfile[],
  index: Record<Role, number>,
  readings: Partial<Record<Role, RoleReading>>,
  take: (role: Role, reading: RoleReading) => void,
  free: (p: ColumnProfile) => boolean,
): void {
  const handful = (p: ColumnProfile, max: number) =>
    fits("category", p) && p.distinct >= 2 && p.distinct <= max && p.nonEmpty >= 5 * p.distinct;
  const product = index.product >= 0 ? profiles[index.product] : undefined;
  if (product && handful(product, STAND_IN_MAX)) {
    const from = readings.product;
    index.product = -1;
    delete readings.product;
    take("category", {
      column: product.index,
      confidence: round(Math.min(0.7, from?.confidence ?? 0.6)),
      reason: from?.reason ?? "header",
      why: `a product column with ${product.distinct} values`,
      standIn: "product",
    });
    return;
  }
  const anonymous = profiles.find((p) => free(p) && isAnonymousHeader(p) && handful(p, BREAKDOWN_MAX));
  if (anonymous)
    take("category", {
      column: anonymous.index,
      confidence: 0.5,
      reason: "content",
      why: `a text column with ${anonymous.distinct} repeated values`,
      standIn: null,
    });
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * An outside classifier's answer (role -> column), checked against the content before it counts: a
 * role is taken from it only when the column's values can play the role, and never when it would
 * override a header reading with 0.9 or more confidence. Returns the merged assignment.
 */
export function mergeExternalReading(
  assignment: ColumnAssignment,
  profiles: ColumnProfile[],
  answer: Partial<Record<Role, number>>,
): ColumnAssignment {
  const index = { ...assignment.index };
  const readings = { ...assignment.readings };
  for (const role of ROLE_ORDER) {
    const column = answer[role];
    if (column === undefined || column === index[role]) continue;
    const p = profiles[column];
    if (!p || !fits(role, p)) continue;
    if (KIND[role] === "number" && looksLikeIdentifier(p)) continue;
    const current = readings[role];
    if (current && current.reason === "header" && current.confidence >= 0.9) continue;
    // The column leaves any role it held, so one column never plays two roles.
    for (const other of ROLE_ORDER) {
      if (index[other] === column) {
        index[other] = -1;
        delete readings[other];
      }
    }
    index[role] = column;
    readings[role] = { column, confidence: 0.6, reason: "gemini", why: "suggested by Gemini", standIn: null };
  }
  return { index, readings, candidates: assignment.candidates };
}
