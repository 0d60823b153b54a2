import { InputError } from "../errors.js";
import { type AmountScale, amountScale } from "./amount-scale.js";
import type { Cell } from "./cell.js";
import {
  assignColumns,
  type Candidate,
  type ColumnAssignment,
  fits,
  type RoleReading,
} from "./columns/assign.js";
import { type ColumnAnswer, type ColumnsRead, checkedMerge } from "./columns/classify.js";
import { scoreHeader } from "./columns/header-score.js";
import { type ColumnProfile, isDateHeader, profileColumns } from "./columns/profile.js";
import type { Role } from "./columns/roles.js";
import { type Currency, detectDecimalComma } from "./numbers.js";
import { findPeriodColumn, type PeriodColumn } from "./period-column.js";
import type { ShapePlan } from "./shapes/plan.js";

export type { Candidate, RoleReading } from "./columns/assign.js";
export type { ColumnProfile } from "./columns/profile.js";
export { profileColumns } from "./columns/profile.js";
export {
  type ColumnReason,
  EXTRA_ROLES,
  METRIC_ROLES,
  type MetricRole,
  type Role,
} from "./columns/roles.js";

export interface Schema {
  headers: string[];
  /** Column index for each role, or -1 when the table has no such column. */
  index: Record<Role, number>;
  /** How each role's column was found (header, content, Gemini) and how sure the reading is. */
  readings: Partial<Record<Role, RoleReading>>;
  /** Every role's candidates by header, best first (for an outside classifier's answer to be checked against). */
  candidates: Record<Role, Candidate[]>;
  revenueSource: "column" | "units x unit price";
  decimalComma: boolean;
  /** Invoice numbers starting with "C" mark cancellations (the UCI / SAP convention). */
  cancelByInvoicePrefix: boolean;
  /** Currency named in the revenue header, e.g. "Amount (INR)". */
  headerCurrency: Currency | null;
  /** The revenue header states its amounts in thousands or millions ("Revenue ($000)"): the multiplier. */
  revenueScale: AmountScale;
  dateSerialNumbers: boolean;
  /** With no date column, a column of reporting periods ("2024-Q1"): named in the notes. */
  periodColumn: PeriodColumn | null;
  /** A shape beyond one row per sale (deals, multi-line orders, discounts): see shapes/detect.ts. */
  shape?: ShapePlan;
}

export interface InferOptions {
  /** An outside classifier's answer for this table, merged where the values allow (second pass). */
  classifierAnswer?: ColumnAnswer;
  /** Told what the columns read as, before a missing revenue column is refused. */
  onRead?: (read: ColumnsRead) => void;
  /** The CSV's delimiter: ";" is the list separator of the locales that write decimal commas. */
  listSeparator?: string;
}

/**
 * Which column plays which role, read from a sample of rows: headers first (any listed language, see
 * columns/vocabulary), then the values for the roles no header named. Refuses only when no column
 * can be revenue and there is no quantity x price.
 */
export function inferSchema(headers: string[], sample: Cell[][], options: InferOptions = {}): Schema {
  const decimalComma = detectDecimalComma(
    numericLookingCells(sample),
    options.listSeparator === ";" || hasDottedDates(sample),
  );
  const profiles = profileColumns(headers, sample, decimalComma);
  const heuristic = assignColumns(profiles);
  const read = { headers, profiles, assignment: heuristic, sampleRows: sample.length };
  options.onRead?.(read);
  const assignment = options.classifierAnswer ? checkedMerge(read, options.classifierAnswer) : heuristic;
  return schemaFrom(headers, profiles, assignment, decimalComma, sample.length);
}

/** The schema for an assignment: also the way in for a reading merged from an outside classifier. */
export function schemaFrom(
  headers: string[],
  profiles: ColumnProfile[],
  assignment: ColumnAssignment,
  decimalComma: boolean,
  sampleRows: number,
): Schema {
  const { index } = assignment;
  let revenueSource: Schema["revenueSource"] = "column";
  if (index.revenue === -1) {
    if (index.units === -1 || index.unitPrice === -1)
      throw noRevenueError(headers, index, { profiles, rows: sampleRows });
    revenueSource = "units x unit price";
  }

  const orderProfile = index.orderId >= 0 ? profiles[index.orderId] : undefined;
  const cancelByInvoicePrefix =
    orderProfile?.meaning.concepts.has("invoice") === true &&
    orderProfile.numeric / Math.max(1, orderProfile.nonEmpty) >= 0.5;

  // The currency named in the revenue header, or in the unit price header when revenue is a product.
  const revenueProfile = profiles[index.revenue >= 0 ? index.revenue : index.unitPrice];
  const dateProfile = index.date >= 0 ? profiles[index.date] : undefined;
  return {
    headers,
    index,
    readings: assignment.readings,
    candidates: assignment.candidates,
    revenueSource,
    decimalComma,
    cancelByInvoicePrefix,
    headerCurrency: revenueProfile?.normalised.currency ?? null,
    revenueScale: revenueProfile ? amountScale(revenueProfile.header) : 1,
    dateSerialNumbers:
      dateProfile !== undefined &&
      (isDateHeader(dateProfile.compact) || dateProfile.meaning.concepts.has("date")),
    periodColumn: index.date === -1 ? findPeriodColumn(profiles) : null,
  };
}

function numericLookingCells(sample: Cell[][]): string[] {
  const out: string[] = [];
  for (const row of sample) {
    for (const cell of row) {
      if (typeof cell === "string" && /\d[.,]\d/.test(cell) && cell.length < 30) out.push(cell);
    }
  }
  return out;
}

const DOTTED_DATE = /^\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?:$|\s)/;

/** Dates written 31.01.2024 (German, Dutch, Nordic, Polish, Turkish ...): a decimal-comma locale. */
function hasDottedDates(sample: Cell[][]): boolean {
  let dotted = 0;
  for (const row of sample) {
    for (const cell of row) {
      if (typeof cell === "string" && DOTTED_DATE.test(cell) && ++dotted >= 3) return true;
    }
  }
  return false;
}

/** What the sample showed, so the error can say what is wrong with a column that is named right. */
export interface SampleEvidence {
  profiles: ColumnProfile[];
  /** Data rows the profiles were taken from. */
  rows: number;
}

const SHOWN_HEADER = 60;

export function noRevenueError(
  headers: string[],
  index?: Record<Role, number>,
  evidence?: SampleEvidence,
): InputError {
  const named = headers.filter((h) => h.trim() !== "");
  const shown = named.slice(0, 30).map((h) => clip(h, SHOWN_HEADER));
  const more = headers.length > shown.length ? `, … (${headers.length} in all)` : "";
  const columns = `Columns: ${shown.join(", ")}${more}.`;
  const why = (role: "revenue" | "units" | "unitPrice") => (evidence ? unusableColumn(role, evidence) : null);
  let hint = "";
  if (index && index.units >= 0) {
    hint = ` Found a quantity column (${clip(headers[index.units] ?? "", SHOWN_HEADER)}) but no unit price.`;
    const price = why("unitPrice");
    if (price) hint += ` ${price}`;
  } else if (index && index.unitPrice >= 0) {
    hint = ` Found a price column (${clip(headers[index.unitPrice] ?? "", SHOWN_HEADER)}) but no quantity.`;
    const units = why("units");
    if (units) hint += ` ${units}`;
  }
  const revenue = why("revenue");
  if (revenue) {
    return new InputError("no-revenue", `No usable revenue column. ${revenue}${hint} ${columns}`, {
      detail: `No usable revenue column in ${evidence?.rows ?? 0} sample rows. ${revenue}`,
    });
  }
  return new InputError(
    "no-revenue",
    `No revenue column found. ${columns} Expected one of: Revenue, Sales, Amount, Total, or Quantity and Unit Price.${hint}`,
  );
}

/**
 * Why the column whose name best says `role` (such as "Revenue") was not taken, in words that tell the
 * user what to fix; null when no column is named that way, or the name was not the problem.
 */
function unusableColumn(role: "revenue" | "units" | "unitPrice", evidence: SampleEvidence): string | null {
  let best: ColumnProfile | null = null;
  let bestScore = 0;
  for (const p of evidence.profiles) {
    const s = scoreHeader(role, p.meaning).score;
    if (s > bestScore && !fits(role, p)) {
      best = p;
      bestScore = s;
    }
  }
  if (!best) return null;
  const name = `“${clip(best.header.trim(), SHOWN_HEADER)}”`;
  const where = `in the first ${plural(evidence.rows, "row")}`;
  if (best.nonEmpty === 0) {
    return `The column ${name} is empty ${where}. If it holds formulas, the workbook was saved without their calculated values: open it in Excel and save it again.`;
  }
  if (best.typedDates > 0 && best.typedDates >= (best.nonEmpty - best.numeric) * 0.8) {
    return `The column ${name} is formatted as dates in the workbook, so its amounts show as dates (such as ${quote(best.textExample ?? "")}). In Excel, select the column, format it as Number, save and upload again.`;
  }
  const text = best.nonEmpty - best.numeric;
  const tooLarge = best.numeric - best.amounts;
  if (tooLarge > text && best.tooLargeExample !== null) {
    return `The column ${name} holds numbers of 10 trillion or more (such as ${quote(best.tooLargeExample)}), too large to be amounts: it looks like a column of ids or codes.`;
  }
  const example = best.textExample === null ? "" : ` such as ${quote(best.textExample)}`;
  if (best.numeric === 0) return `The column ${name} has no numbers ${where}: it holds text${example}.`;
  return `Only ${fmt(best.amounts)} of the ${fmt(best.nonEmpty)} values of the column ${name} ${where} are numbers; the others are text${example}. Remove the text, or put it in another column.`;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string) => `${fmt(n)} ${n === 1 ? one : `${one}s`}`;

/** A cell or header for a message: one line, no control characters, at most `max` characters. */
function clip(text: string, max: number): string {
  const flat = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function quote(text: string): string {
  return `“${clip(text, 40)}”`;
}
