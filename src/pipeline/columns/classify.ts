import { type ColumnAssignment, mergeExternalReading } from "./assign.js";
import {
  buildColumnClassifyRequest,
  type ColumnAnswer,
  type ColumnClassifyRequest,
} from "./classify-prompt.js";
import { isNumericColumn, looksLikeIdentifier, productAgreement } from "./content-score.js";
import type { ColumnProfile } from "./profile.js";
import { METRIC_ROLES, ROLE_ORDER, type Role } from "./roles.js";

export type { ColumnAnswer, ColumnClassifyRequest } from "./classify-prompt.js";

/**
 * An outside classifier of columns (Gemini), asked only when the heuristics are unsure. It sees
 * header names and statistics, never cells (see classify-prompt.ts). Resolves to null when it has no
 * usable answer (down, slow, malformed): the heuristics then stand. Never rejects.
 */
export interface ColumnClassifier {
  classify(request: ColumnClassifyRequest, signal?: AbortSignal): Promise<ColumnAnswer | null>;
}

/** What reading one table's columns produced: what the classifier is asked about and checked against. */
export interface ColumnsRead {
  headers: string[];
  profiles: ColumnProfile[];
  assignment: ColumnAssignment;
  sampleRows: number;
}

/** Below this, a metric role's reading is unsure enough to ask for help. */
const UNSURE_CONFIDENCE = 0.5;
/** A header reading this sure is never overridden, not even by taking its column for another role. */
const SURE_HEADER = 0.9;
/** Share of rows where revenue = quantity x price that proves the three columns from the values. */
const PROVEN_PRODUCT = 0.8;

/** Why the heuristics are unsure of this reading (worth asking a classifier), or null when they are sure. */
export function unsureReason(read: ColumnsRead): string | null {
  const { index, readings } = read.assignment;
  if (index.revenue === -1 && (index.units === -1 || index.unitPrice === -1)) {
    const held = new Set(Object.values(index));
    const spare = read.profiles.some(
      (p) => !held.has(p.index) && isNumericColumn(p) && !looksLikeIdentifier(p),
    );
    return spare ? "no revenue column was found, yet some numeric columns play no role" : null;
  }
  if (readings.revenue?.reason === "content") return "revenue was read from the values, not a header";
  for (const role of METRIC_ROLES) {
    const reading = readings[role];
    if (reading && reading.confidence < UNSURE_CONFIDENCE) return `the ${role} column is a weak match`;
  }
  return null;
}

/**
 * The classifier's answer merged into the heuristic reading, keeping the heuristics wherever they can
 * prove the answer wrong: a column whose values cannot play the role, a header named with 0.9 or more
 * confidence (for its role, and as a column no other role may take), and a revenue = quantity x price
 * relation that holds on most rows. Deterministic, so a second pass over the same sample merges alike.
 */
export function checkedMerge(read: ColumnsRead, answer: ColumnAnswer): ColumnAssignment {
  const { assignment, profiles } = read;
  const { index, readings } = assignment;
  const sureColumns = new Set(
    ROLE_ORDER.filter((r) => {
      const reading = readings[r];
      return reading?.reason === "header" && reading.confidence >= SURE_HEADER;
    }).map((r) => index[r]),
  );
  let kept: ColumnAnswer = pick(answer, (role, column) => column === index[role] || !sureColumns.has(column));
  let merged = mergeExternalReading(assignment, profiles, kept);
  const numeric = ["revenue", "units", "unitPrice"] as const;
  const proven = agreement(profiles, index) >= PROVEN_PRODUCT;
  if (proven && numeric.some((r) => merged.index[r] !== index[r])) {
    // The values prove which column is revenue, quantity and price: those three stay as they are.
    const triple = new Set(numeric.map((r) => index[r]));
    kept = pick(kept, (role, column) => !numeric.includes(role as never) && !triple.has(column));
    merged = mergeExternalReading(assignment, profiles, kept);
  }
  return merged;
}

export type ColumnHelp =
  | { asked: false; unsure: string | null }
  | {
      asked: true;
      unsure: string;
      /** The classifier's answer as received (validated in shape), or null when it gave none. */
      answer: ColumnAnswer | null;
      /** Roles whose column changed once the answer was checked against the values. */
      changed: Role[];
    };

/**
 * Asks the classifier about an unsure reading. Never throws: a classifier that fails or answers
 * nothing usable leaves the heuristic reading as it is (changed is empty).
 */
export async function askColumnClassifier(
  read: ColumnsRead,
  classifier: ColumnClassifier,
  signal?: AbortSignal,
): Promise<ColumnHelp> {
  const unsure = unsureReason(read);
  if (unsure === null) return { asked: false, unsure };
  let answer: ColumnAnswer | null = null;
  try {
    answer = await classifier.classify(buildColumnClassifyRequest(read.profiles, read.sampleRows), signal);
  } catch {
    // The interface says never reject; a classifier that does anyway is treated as having no answer.
    answer = null;
  }
  if (!answer) return { asked: true, unsure, answer: null, changed: [] };
  const merged = checkedMerge(read, answer);
  const changed = ROLE_ORDER.filter((r) => merged.index[r] !== read.assignment.index[r]);
  return { asked: true, unsure, answer, changed };
}

function pick(answer: ColumnAnswer, keep: (role: Role, column: number) => boolean): ColumnAnswer {
  const out: ColumnAnswer = {};
  for (const role of ROLE_ORDER) {
    const column = answer[role];
    if (column !== undefined && keep(role, column)) out[role] = column;
  }
  return out;
}

/** Share of sample rows where revenue = quantity x price for these columns (0 when one is missing). */
function agreement(profiles: ColumnProfile[], index: Record<Role, number>): number {
  const [revenue, units, price] = [profiles[index.revenue], profiles[index.units], profiles[index.unitPrice]];
  if (!revenue || !units || !price) return 0;
  return productAgreement(revenue.values, units.values, price.values);
}
