import { type Cell, isBlankCell } from "../cell.js";
import type { Concept } from "../columns/concepts.js";
import { foldText } from "../columns/normalise.js";
import { isAmount, type NumberReading, parseNumber } from "../numbers.js";
import type { Schema } from "../schema.js";
import type { PaymentsPlan } from "./plan.js";

/**
 * Counts that sit in payment tables beside the amount: instalments and the sequence of a payment
 * within its order. Numbers, but never money and never units sold.
 */
const INSTALMENT_WORDS =
  /\b(installments?|instalments?|parcelas?|parcelamento|cuotas?|raten|ratenanzahl|echeances?|mensualites?|termijnen|raty|taksit|taksitler|taksit sayisi|cicilan|angsuran|sequential|sequence|seq|afbetalingen|avbetalningar)\b/;
const INSTALMENT_CJK = /分割|分期|할부|回数/;
/** A word that, next to a payment word, makes a column the kind of payment ("payment type", "Zahlungsart"). */
const KIND_WORDS =
  /\b(type|types|method|methods|mode|kind|channel|forma|tipo|metodo|medio|art|methode|moyen|sposob|metoda|rodzaj|yontemi?|turu|metode|jenis|cara|betaalmethode|betalningsmetod|betalingsmetode|betaalwijze)\b|zahlungsart|zahlart|betaalwijze/;
const KIND_CJK = /方法|方式|種別|类型|類型|수단|방법/;
const MAX_KINDS = 30;

const words = (header: string) =>
  ` ${foldText(header)
    .replace(/[^a-z]+/g, " ")
    .trim()} `;
const isInstalment = (header: string) => INSTALMENT_WORDS.test(words(header)) || INSTALMENT_CJK.test(header);

/**
 * A payments or invoice table: the paid amount is revenue, the payment type is the breakdown when the
 * file has no category, and instalment counts are never summed as units (or taken for money). Returns
 * the schema with those roles set, and what was changed, or null when nothing needed changing.
 */
export function readPayments(
  schema: Schema,
  sample: Cell[][],
  concepts: Set<Concept>[],
  numbers: NumberReading,
): { schema: Schema; plan: PaymentsPlan } | null {
  const paidColumns = concepts.flatMap((c, i) => (c.has("paid") ? [i] : []));
  if (paidColumns.length === 0) return null;
  const index = { ...schema.index };
  const readings = { ...schema.readings };
  const plan: PaymentsPlan = { amountColumn: -1, typeColumn: -1, instalmentColumn: -1 };

  const amount = bestPaidAmount(schema, sample, paidColumns, concepts, numbers);
  if (amount >= 0 && index.revenue !== amount && index.revenue >= 0) {
    const current = index.revenue;
    if (isInstalment(schema.headers[current] ?? "") || wholeSmallNumbers(sample, current, numbers)) {
      index.revenue = amount;
      readings.revenue = {
        column: amount,
        confidence: 0.8,
        reason: "header",
        why: "paid amount",
        standIn: null,
      };
      if (index.units === amount) index.units = -1;
      plan.amountColumn = amount;
    }
  }
  // A count of instalments is not a quantity sold (unless it is all the file has to multiply by).
  if (index.units >= 0 && index.revenue >= 0 && isInstalment(schema.headers[index.units] ?? "")) {
    plan.instalmentColumn = index.units;
    index.units = -1;
    delete readings.units;
  }
  if (index.category < 0) {
    const taken = new Set(Object.values(index));
    const kind = paidColumns.find((i) => {
      const header = schema.headers[i] ?? "";
      return (
        !taken.has(i) && (KIND_WORDS.test(words(header)) || KIND_CJK.test(header)) && fewTextValues(sample, i)
      );
    });
    if (kind !== undefined) {
      index.category = kind;
      readings.category = {
        column: kind,
        confidence: 0.7,
        reason: "header",
        why: "payment type",
        standIn: null,
      };
      plan.typeColumn = kind;
    }
  }
  if (plan.amountColumn < 0 && plan.typeColumn < 0 && plan.instalmentColumn < 0) return null;
  return { schema: { ...schema, index, readings }, plan };
}

/** The paid-amount column: a payment word with money or value, holding amounts, most of them with cents. */
function bestPaidAmount(
  schema: Schema,
  sample: Cell[][],
  paidColumns: number[],
  concepts: Set<Concept>[],
  numbers: NumberReading,
): number {
  let best = -1;
  let bestDecimals = -1;
  for (const i of paidColumns) {
    if (isInstalment(schema.headers[i] ?? "")) continue;
    const c = concepts[i];
    if (!c || !(c.has("money") || c.has("value") || c.has("sales"))) continue;
    let filled = 0;
    let amounts = 0;
    let decimals = 0;
    for (const row of sample) {
      if (isBlankCell(row[i])) continue;
      filled++;
      const v = parseNumber(row[i], numbers);
      if (!isAmount(v)) continue;
      amounts++;
      if (!Number.isInteger(v)) decimals++;
    }
    if (filled === 0 || amounts / filled < 0.8) continue;
    if (decimals > bestDecimals) {
      best = i;
      bestDecimals = decimals;
    }
  }
  return best;
}

/** Whole numbers no larger than 100: counts and sequence numbers, not amounts. */
function wholeSmallNumbers(sample: Cell[][], column: number, numbers: NumberReading): boolean {
  let seen = 0;
  for (const row of sample) {
    if (isBlankCell(row[column])) continue;
    const v = parseNumber(row[column], numbers);
    if (!Number.isInteger(v) || Math.abs(v) > 100) return false;
    seen++;
  }
  return seen > 0;
}

function fewTextValues(sample: Cell[][], column: number): boolean {
  const values = new Set<string>();
  for (const row of sample) {
    const cell = row[column];
    if (isBlankCell(cell)) continue;
    if (typeof cell !== "string" || /^[\d.,\s-]+$/.test(cell)) return false;
    values.add(cell.trim().toLowerCase());
    if (values.size > MAX_KINDS) return false;
  }
  return values.size >= 2;
}
