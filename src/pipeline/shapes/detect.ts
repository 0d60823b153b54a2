import { type Cell, cellText, isBlankCell } from "../cell.js";
import type { Concept } from "../columns/concepts.js";
import { headerMeaning } from "../columns/lexicon.js";
import { foldText, type NormalisedHeader, normaliseHeader } from "../columns/normalise.js";
import { isAmount, type NumberReading, numberReading, parseNumber } from "../numbers.js";
import type { Schema } from "../schema.js";
import { dealFlag, stageOutcome } from "./crm.js";
import { netOf } from "./discount.js";
import { readPayments } from "./payments.js";
import type { DealsPlan, DiscountPlan, OrderLinesPlan, ShapePlan } from "./plan.js";
import { type WidePlan, wideReading } from "./wide.js";

/**
 * Reads the shape of a table from its schema and the held-back sample: deals with stages, orders
 * spread over several lines, a discount next to a gross value. Returns the schema with the plan the
 * fold applies, or unchanged (no plan) for a plain table of one row per sale.
 */
export function detectShapes(inferred: Schema, sample: Cell[][]): Schema {
  const normalised = inferred.headers.map((h) => normaliseHeader(h));
  const concepts = normalised.map((h) => headerMeaning(h).concepts);
  const numbers = numberReading(inferred.decimalComma);
  const payments = readPayments(inferred, sample, concepts, numbers);
  const schema = payments?.schema ?? inferred;
  const plan: ShapePlan = {
    payments: payments?.plan ?? null,
    deals: detectDeals(schema, sample, concepts, normalised),
    orderLines: detectOrderLines(schema, sample),
    discount: detectDiscount(schema, sample, concepts, numbers),
  };
  if (!plan.deals && !plan.orderLines && !plan.discount && !plan.payments) return schema;
  return { ...schema, shape: plan };
}

/** The long schema of a wide table, marked as read from one. */
export function withWide(schema: Schema, plan: WidePlan, wideHeaders: string[]): Schema {
  const shape: ShapePlan = schema.shape ?? { deals: null, orderLines: null, discount: null, payments: null };
  const reading = wideReading(plan, wideHeaders);
  const periodColumn = plan.longHeaders.length - 2;
  // Months without a year cannot be dates; as the category breakdown they are still listed by name.
  if (plan.kind !== "product" && reading.yearFrom === null && schema.index.category < 0) {
    return {
      ...schema,
      index: { ...schema.index, category: periodColumn },
      readings: {
        ...schema.readings,
        category: {
          column: periodColumn,
          confidence: 0.9,
          reason: "header",
          why: "period headers",
          standIn: null,
        },
      },
      shape: { ...shape, wide: reading },
    };
  }
  return { ...schema, shape: { ...shape, wide: reading } };
}

const MAX_STAGES = 40;

/**
 * A stage column: text values among which at least one names a won deal, and a lost one too (or the
 * header says stage or status). A won deal is a CRM word: order exports say shipped or completed.
 */
function detectDeals(
  schema: Schema,
  sample: Cell[][],
  concepts: Set<Concept>[],
  headers: NormalisedHeader[],
): DealsPlan | null {
  return detectDealStages(schema, sample, concepts) ?? detectDealFlags(headers, sample);
}

/** Header words of a won, closed or lost flag: "IsWon", "Won", "Is Closed Won", "Is closed lost", "Closed". */
const FLAG_HEADERS: Record<"won" | "closed" | "lost", string[]> = {
  won: ["is won", "won", "is closed won", "closed won", "deal won"],
  closed: ["is closed", "closed", "is deal closed", "deal closed"],
  lost: ["is lost", "lost", "is closed lost", "closed lost", "deal lost"],
};

/**
 * Outcome flags (true/false columns) instead of stage names, as Salesforce (IsWon, IsClosed) and
 * HubSpot ("Is Closed Won", "Is closed lost") export them: a won flag and a closed or lost one, both
 * holding only true/false-like values in the sample. A won flag alone cannot tell lost deals from
 * open ones, so it is not enough.
 */
function detectDealFlags(headers: NormalisedHeader[], sample: Cell[][]): DealsPlan | null {
  const found = { won: -1, closed: -1, lost: -1 };
  headers.forEach((header, column) => {
    const words = header.words.join(" ");
    for (const flag of ["won", "closed", "lost"] as const) {
      if (found[flag] < 0 && FLAG_HEADERS[flag].includes(words) && isFlagColumn(sample, column)) {
        found[flag] = column;
      }
    }
  });
  if (found.won < 0 || (found.closed < 0 && found.lost < 0)) return null;
  return { stageColumn: found.won, flags: found };
}

function isFlagColumn(sample: Cell[][], column: number): boolean {
  let read = 0;
  for (const row of sample) {
    const cell = row[column];
    if (isBlankCell(cell)) continue;
    if (dealFlag(cell) === null) return false;
    read++;
  }
  return read > 0;
}

function detectDealStages(schema: Schema, sample: Cell[][], concepts: Set<Concept>[]): DealsPlan | null {
  const { index } = schema;
  const money = [index.revenue, index.units, index.unitPrice, index.date];
  let best: { column: number; score: number } | null = null;
  for (let column = 0; column < schema.headers.length; column++) {
    if (money.includes(column)) continue;
    const counts = new Map<string, number>();
    for (const row of sample) {
      const cell = row[column];
      if (isBlankCell(cell) || typeof cell !== "string") continue;
      const text = cell.trim();
      counts.set(text, (counts.get(text) ?? 0) + 1);
      if (counts.size > MAX_STAGES) break;
    }
    if (counts.size < 2 || counts.size > MAX_STAGES) continue;
    let won = 0;
    let lost = 0;
    for (const [value, n] of counts) {
      const outcome = stageOutcome(value);
      if (outcome === "won") won += n;
      else if (outcome === "lost") lost += n;
    }
    const named = concepts[column]?.has("stage") || concepts[column]?.has("status");
    if (won === 0 || (lost === 0 && !named)) continue;
    const score =
      (concepts[column]?.has("stage") ? 2 : 0) +
      (index.status === column ? 1 : 0) +
      (won + lost) / sample.length;
    if (!best || score > best.score) best = { column, score };
  }
  return best ? { stageColumn: best.column } : null;
}

/** Share of an order's first lines an order-level column must fill, and most of its other lines it may. */
const FIRST_LINE_FILLED = 0.8;
const LATER_LINE_FILLED = 0.05;
const MIN_CONTINUATIONS = 3;

/**
 * Orders over several lines with the order-level fields on the first line only (Shopify and other shop
 * exports): an order id that repeats on the next row while some columns go blank on the repeats.
 */
function detectOrderLines(schema: Schema, sample: Cell[][]): OrderLinesPlan | null {
  const orderColumn = schema.index.orderId;
  if (orderColumn < 0) return null;
  const first: Cell[][] = [];
  const later: Cell[][] = [];
  let previous = "";
  for (const row of sample) {
    const id = cellText(row[orderColumn]);
    if (id !== "" && id === previous) later.push(row);
    else first.push(row);
    previous = id;
  }
  if (later.length < MIN_CONTINUATIONS || first.length === 0) return null;
  const filled = (rows: Cell[][], column: number) => {
    let n = 0;
    for (const row of rows) if (!isBlankCell(row[column])) n++;
    return n / rows.length;
  };
  const orderLevel: number[] = [];
  let marker = -1;
  let markerFill = 0;
  for (let column = 0; column < schema.headers.length; column++) {
    if (column === orderColumn) continue;
    const onFirst = filled(first, column);
    if (onFirst < FIRST_LINE_FILLED || filled(later, column) > LATER_LINE_FILLED) continue;
    orderLevel.push(column);
    if (onFirst > markerFill) {
      marker = column;
      markerFill = onFirst;
    }
  }
  const { index } = schema;
  const roleColumns = [index.revenue, index.date, index.region, index.status, index.category, index.customer];
  if (orderLevel.length < 2 && !orderLevel.some((c) => roleColumns.includes(c))) return null;
  const revenueAtOrderLevel = schema.revenueSource === "column" && orderLevel.includes(index.revenue);
  return {
    orderColumn,
    orderLevel,
    marker: revenueAtOrderLevel ? index.revenue : marker,
    revenueAtOrderLevel,
  };
}

const NET_WORDS = /\b(net|netto|neto|nett|nette|liquido|liquida|netos|after discount)\b/;
const GROSS_WORDS = /\b(gross|brutto|bruto|brut|lordo)\b/;
const PERCENT_WORDS =
  /%|\b(percent|percentage|pct|porcentaje|prozent|pourcentage|percentuale|procent|yuzde|persen)\b/;
/** Discounted rows whose revenue must agree with quantity x price for that revenue to count as gross. */
const AGREEMENT = 0.5;

/**
 * A discount column next to a gross line value, and no net column: revenue is read net of the
 * discount. Gross is proven, not assumed: revenue is quantity x price (derived, or a column that equals
 * it on the discounted rows), or its header says gross. A revenue that already equals quantity x price
 * less the discount is net, and is left alone.
 */
function detectDiscount(
  schema: Schema,
  sample: Cell[][],
  concepts: Set<Concept>[],
  numbers: NumberReading,
): DiscountPlan | null {
  const { index } = schema;
  const taken = new Set([index.revenue, index.units, index.unitPrice]);
  const column = concepts.findIndex((c, i) => c.has("discount") && !taken.has(i));
  if (column < 0) return null;
  const headerWords = (i: number) => ` ${foldText(schema.headers[i] ?? "").replace(/[^a-z%]+/g, " ")} `;
  const values: number[] = [];
  let numeric = 0;
  let filled = 0;
  for (const row of sample) {
    if (isBlankCell(row[column])) continue;
    filled++;
    const v = parseNumber(row[column], numbers);
    values.push(v);
    if (isAmount(v)) numeric++;
  }
  if (filled === 0 || numeric / filled < 0.8) return null;
  // Any column whose header says net is the net value already: nothing to take off.
  if (
    schema.headers.some((_, i) => i !== column && concepts[i]?.has("money") && NET_WORDS.test(headerWords(i)))
  )
    return null;
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (finite.length === 0) return null;
  const percentHeader = PERCENT_WORDS.test(headerWords(column)) || concepts[column]?.has("rate") === true;
  const max = Math.max(...finite);
  const kind = percentHeader || max < 1 ? "percent" : "amount";
  const plan: DiscountPlan = { column, kind, percentOutOf100: kind === "percent" && max > 1 };
  if (kind === "percent" && max > 100) return null;

  if (schema.revenueSource === "units x unit price") return plan;
  if (index.units >= 0 && index.unitPrice >= 0) {
    let gross = 0;
    let net = 0;
    let discounted = 0;
    for (const row of sample) {
      const d = parseNumber(row[column], numbers);
      if (!Number.isFinite(d) || d === 0) continue;
      const revenue = parseNumber(row[index.revenue], numbers);
      const line = parseNumber(row[index.units], numbers) * parseNumber(row[index.unitPrice], numbers);
      if (!Number.isFinite(revenue) || !Number.isFinite(line)) continue;
      discounted++;
      const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(0.01, Math.abs(b) * 0.01);
      if (close(revenue, line)) gross++;
      else if (close(revenue, netOf(line, d, plan))) net++;
    }
    if (discounted > 0) return gross > net && gross >= discounted * AGREEMENT ? plan : null;
  }
  return GROSS_WORDS.test(headerWords(index.revenue)) ? plan : null;
}
