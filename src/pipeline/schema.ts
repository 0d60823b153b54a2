import { InputError } from "../errors.js";
import { type Cell, cellText, isBlankCell } from "./cell.js";
import { dateReading, parseDateCell } from "./dates.js";
import {
  type Currency,
  detectDecimalComma,
  findCurrency,
  isAmount,
  numberReading,
  parseNumber,
} from "./numbers.js";

export const METRIC_ROLES = [
  "revenue",
  "units",
  "unitPrice",
  "date",
  "region",
  "category",
  "status",
] as const;
export const EXTRA_ROLES = ["product", "customer", "orderId", "currency"] as const;
export type MetricRole = (typeof METRIC_ROLES)[number];
export type Role = MetricRole | (typeof EXTRA_ROLES)[number];

type Kind = "number" | "date" | "text";

interface Rule {
  /** Compact header forms (lower case, letters and digits only) that mean this role outright. */
  exact: Record<string, number>;
  /** Substrings of the compact header that suggest the role, with a lower score. */
  contains?: Record<string, number>;
  /** Substrings that rule a header out for this role (only for `contains` matches). */
  exclude?: RegExp;
  kind: Kind;
}

/** `weights(90, "a", "b")` gives { a: 90, b: 90 }: keeps the synonym tables readable. */
function weights(score: number, ...names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, score]));
}

// Scores rank candidates for one role; the exact numbers only matter relative to each other.
// Non-English synonyms cover the exports we see most (German, Spanish, French, Italian, Dutch, Portuguese).
const RULES: Record<Role, Rule> = {
  revenue: {
    exact: {
      ...weights(100, "revenue", "totalrevenue"),
      ...weights(98, "netrevenue", "salesrevenue", "revenueamount"),
      ...weights(96, "totalsales", "netsales"),
      ...weights(95, "sales", "salesamount", "saleamount"),
      ...weights(94, "salesvalue"),
      ...weights(
        90,
        "turnover",
        "linetotal",
        "umsatz",
        "ventas",
        "chiffredaffaires",
        "fatturato",
        "omzet",
        "receita",
      ),
      ...weights(88, "totalamount", "ordertotal", "orderamount", "ordervalue"),
      ...weights(85, "totalprice", "extendedprice", "extprice", "amount"),
      ...weights(80, "total", "betrag", "importe", "montant", "importo", "bedrag"),
      ...weights(75, "grossrevenue"),
      ...weights(70, "grosssales", "subtotal"),
      ...weights(60, "valor"),
      ...weights(55, "value"),
    },
    contains: { revenue: 80, umsatz: 80, sales: 70, amount: 60, total: 50 },
    exclude:
      /profit|cost|cogs|margin|tax|discount|price|msrp|id$|number|rate|percent|income|qty|quantity|count|commission|budget|target|forecast|quota|shipping|freight|year|month|units|rank|growth|share/,
    kind: "number",
  },
  units: {
    exact: {
      ...weights(100, "units", "unitssold"),
      ...weights(98, "unitsold", "quantityordered", "qtyordered", "quantitysold", "qtysold"),
      ...weights(95, "quantity", "qty"),
      ...weights(90, "numberofunits", "menge", "cantidad", "quantite", "quantita", "aantal", "quantidade"),
      ...weights(85, "anzahl"),
      ...weights(80, "itemssold"),
      ...weights(60, "volume", "pieces", "pcs"),
    },
    contains: { quantity: 70, qty: 70, units: 65 },
    exclude: /price|cost|revenue|sales|amount|linenumber|id$|per|value/,
    kind: "number",
  },
  unitPrice: {
    exact: {
      ...weights(100, "unitprice"),
      ...weights(98, "priceeach", "priceperunit"),
      ...weights(95, "unitsellingprice"),
      ...weights(92, "saleprice", "sellingprice", "salesprice"),
      ...weights(90, "price", "einzelpreis", "preciounitario", "prixunitaire"),
      ...weights(85, "preis", "precio", "prix", "prezzo", "prijs"),
      ...weights(70, "unitcost"),
      ...weights(60, "listprice"),
      ...weights(45, "rate"),
    },
    contains: { unitprice: 90, price: 70 },
    exclude: /msrp|total|discount|margin|percent/,
    kind: "number",
  },
  date: {
    exact: {
      ...weights(100, "orderdate"),
      ...weights(98, "invoicedate", "transactiondate", "saledate", "salesdate"),
      ...weights(96, "orderdatetime"),
      ...weights(95, "date", "purchasedate", "bestelldatum", "fechapedido"),
      ...weights(90, "datum", "fecha"),
      ...weights(70, "createdat", "timestamp", "data"),
      ...weights(65, "created"),
      ...weights(60, "day"),
      ...weights(50, "period"),
      ...weights(45, "month"),
      ...weights(40, "shipdate"),
    },
    contains: { orderdate: 90, date: 70, day: 50 },
    exclude: /ship|deliver|due|birth|updated|modified|expir|return/,
    kind: "date",
  },
  region: {
    exact: {
      ...weights(100, "region", "salesregion", "regione"),
      ...weights(98, "territory", "salesterritory"),
      ...weights(90, "gebiet"),
      ...weights(85, "market"),
      ...weights(80, "area", "zone"),
      ...weights(70, "country", "pais", "pays", "paese"),
      ...weights(65, "land"),
      ...weights(60, "state", "province"),
      ...weights(55, "city"),
      ...weights(50, "location", "stadt", "ciudad", "ville"),
      ...weights(40, "branch"),
      ...weights(35, "store"),
    },
    contains: { region: 90, territory: 90, country: 60, state: 50, city: 45 },
    exclude: /id$|code|postal|zip|status|statement/,
    kind: "text",
  },
  category: {
    exact: {
      ...weights(100, "productcategory", "category", "kategorie", "categoria", "categorie"),
      ...weights(98, "productline"),
      ...weights(95, "productgroup", "itemcategory", "warengruppe", "produktgruppe"),
      ...weights(92, "producttype"),
      ...weights(85, "department"),
      ...weights(70, "segment"),
      ...weights(60, "item"),
      ...weights(55, "class", "family", "subcategory"),
      ...weights(50, "brand"),
    },
    contains: { category: 80, productline: 90 },
    exclude: /id$|code/,
    kind: "text",
  },
  status: {
    exact: {
      ...weights(100, "status", "orderstatus"),
      ...weights(95, "transactionstatus"),
      ...weights(90, "estado", "statut", "stato"),
      ...weights(80, "shipmentstatus", "deliverystatus"),
      ...weights(50, "paymentstatus"),
    },
    contains: { status: 70 },
    kind: "text",
  },
  product: {
    exact: {
      ...weights(100, "product", "productname"),
      ...weights(90, "itemname"),
      ...weights(85, "productdescription"),
      ...weights(80, "description"),
      ...weights(70, "sku", "stockcode"),
      ...weights(65, "productcode"),
      ...weights(60, "productid"),
      ...weights(50, "model"),
    },
    contains: { product: 60 },
    exclude: /category|line|group|type/,
    kind: "text",
  },
  customer: {
    exact: {
      ...weights(100, "customer", "customername"),
      ...weights(90, "customerid", "client", "clientname"),
      ...weights(70, "buyer"),
      ...weights(50, "account"),
    },
    contains: { customer: 70, client: 70 },
    exclude: /type|segment|gender|city|state|country|since|age/,
    kind: "text",
  },
  orderId: {
    exact: {
      ...weights(100, "orderid", "ordernumber"),
      ...weights(95, "orderno", "invoiceno", "invoiceid", "invoicenumber"),
      ...weights(90, "invoice", "transactionid"),
      ...weights(80, "receiptno"),
      ...weights(60, "order"),
    },
    contains: { orderid: 90, invoice: 70 },
    exclude: /date|line|status|item/,
    kind: "text",
  },
  currency: {
    exact: { ...weights(100, "currency", "currencycode"), ...weights(80, "curr", "ccy") },
    kind: "text",
  },
};

const ROLE_ORDER: Role[] = [
  "revenue",
  "units",
  "unitPrice",
  "date",
  "status",
  "region",
  "category",
  "product",
  "customer",
  "orderId",
  "currency",
];

export interface ColumnProfile {
  index: number;
  header: string;
  compact: string;
  nonEmpty: number;
  /** Cells that read as numbers, of any size. */
  numeric: number;
  /** Numbers small enough to be amounts (see MAX_AMOUNT): what a money or quantity column needs. */
  amounts: number;
  dates: number;
  /** Cells the reader typed as dates (XLSX date-formatted cells), whatever the header says. */
  typedDates: number;
  distinct: number;
  negatives: number;
  /** The first cell that is not a number, and the first number too large to be an amount, as examples. */
  textExample: string | null;
  tooLargeExample: string | null;
}

export interface Schema {
  headers: string[];
  /** Column index for each role, or -1 when the table has no such column. */
  index: Record<Role, number>;
  revenueSource: "column" | "units x unit price";
  decimalComma: boolean;
  /** Invoice numbers starting with "C" mark cancellations (the UCI / SAP convention). */
  cancelByInvoicePrefix: boolean;
  /** Currency named in the revenue header, e.g. "Amount (INR)". */
  headerCurrency: Currency | null;
  dateSerialNumbers: boolean;
}

export function compactHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, "")
    .replace(/[^a-z0-9]+/g, "");
}

export function profileColumns(headers: string[], sample: Cell[][], decimalComma: boolean): ColumnProfile[] {
  const reading = numberReading(decimalComma);
  return headers.map((header, index) => {
    const compact = compactHeader(header);
    const dates = dateReading(isDateHeader(compact));
    const seen = new Set<string>();
    let nonEmpty = 0;
    let numeric = 0;
    let amounts = 0;
    let dateCount = 0;
    let typedDates = 0;
    let negatives = 0;
    let textExample: string | null = null;
    let tooLargeExample: string | null = null;
    for (const row of sample) {
      const cell = row[index];
      if (isBlankCell(cell)) continue;
      nonEmpty++;
      const n = parseNumber(cell, reading);
      if (!Number.isNaN(n)) {
        numeric++;
        if (n < 0) negatives++;
        if (isAmount(n)) amounts++;
        else tooLargeExample ??= typeof cell === "number" ? plainDigits(cell) : cellText(cell);
      } else {
        textExample ??= cellText(cell);
      }
      if (!Number.isNaN(parseDateCell(typeof cell === "string" ? cell.trim() : cell, dates))) dateCount++;
      if (cell instanceof Date) typedDates++;
      if (seen.size < 10_000) seen.add(cellText(cell).toLowerCase());
    }
    return {
      index,
      header,
      compact,
      nonEmpty,
      numeric,
      amounts,
      dates: dateCount,
      typedDates,
      distinct: seen.size,
      negatives,
      textExample,
      tooLargeExample,
    };
  });
}

function isDateHeader(compact: string): boolean {
  return /date|day|time|period|created|month|week|when/.test(compact);
}

function fits(kind: Kind, role: Role, p: ColumnProfile): boolean {
  if (p.nonEmpty === 0) return false;
  const numericShare = p.numeric / p.nonEmpty;
  // A column where more than a fifth of the values are 10 trillion or more holds ids, not amounts.
  if (kind === "number") return p.amounts / p.nonEmpty >= 0.8;
  if (kind === "date") return p.dates / p.nonEmpty >= 0.8;
  // Text dimensions: mostly non-numeric (an ID column of digits is still fine for orderId).
  if (role === "orderId" || role === "customer" || role === "product") return true;
  if (numericShare > 0.5) return false;
  const limit = role === "status" ? 60 : 2_000;
  return p.distinct <= Math.max(limit, 0);
}

function headerScore(rule: Rule, compact: string): number {
  const exact = rule.exact[compact];
  if (exact !== undefined) return exact;
  if (!rule.contains || rule.exclude?.test(compact)) return 0;
  let best = 0;
  for (const [part, score] of Object.entries(rule.contains)) {
    if (compact.includes(part) && score > best) best = score;
  }
  return best;
}

const TYPED_DATE_SCORE = 30;

function score(role: Role, p: ColumnProfile): number {
  const rule = RULES[role];
  let s = headerScore(rule, p.compact);
  // A column the workbook itself formats as dates is a date column under any header ("Zeitpunkt",
  // "When"), ranked below every named date header and never one the exclusions rule out (ship, due...).
  if (s === 0 && role === "date" && !rule.exclude?.test(p.compact) && p.typedDates / p.nonEmpty >= 0.8) {
    s = TYPED_DATE_SCORE;
  }
  if (s === 0 || !fits(rule.kind, role, p)) return 0;
  if (
    rule.kind === "text" &&
    role !== "orderId" &&
    role !== "customer" &&
    role !== "product" &&
    p.distinct < 2
  ) {
    // A column with one value ("IN" for every row) cannot break anything down.
    s -= 40;
  }
  return s;
}

export function inferSchema(headers: string[], sample: Cell[][]): Schema {
  const decimalComma = detectDecimalComma(numericLookingCells(sample));
  const profiles = profileColumns(headers, sample, decimalComma);
  const index = Object.fromEntries(ROLE_ORDER.map((r) => [r, -1])) as Record<Role, number>;
  const taken = new Set<number>();
  for (const role of ROLE_ORDER) {
    let best = -1;
    let bestScore = 0;
    for (const p of profiles) {
      if (taken.has(p.index)) continue;
      const s = score(role, p);
      if (s > bestScore) {
        bestScore = s;
        best = p.index;
      }
    }
    if (best >= 0) {
      index[role] = best;
      taken.add(best);
    }
  }

  let revenueSource: Schema["revenueSource"] = "column";
  if (index.revenue === -1) {
    if (index.units === -1 || index.unitPrice === -1)
      throw noRevenueError(headers, index, { profiles, rows: sample.length });
    revenueSource = "units x unit price";
  }

  const orderProfile = index.orderId >= 0 ? profiles[index.orderId] : undefined;
  const cancelByInvoicePrefix =
    orderProfile?.compact.includes("invoice") === true &&
    orderProfile.numeric / Math.max(1, orderProfile.nonEmpty) >= 0.5;

  const revenueHeader = index.revenue >= 0 ? (headers[index.revenue] ?? "") : "";
  const dateHeader = index.date >= 0 ? compactHeader(headers[index.date] ?? "") : "";
  return {
    headers,
    index,
    revenueSource,
    decimalComma,
    cancelByInvoicePrefix,
    headerCurrency: headerCurrency(revenueHeader),
    dateSerialNumbers: isDateHeader(dateHeader),
  };
}

function headerCurrency(header: string): Currency | null {
  const bracket = /[([]([^)\]]+)[)\]]/.exec(header);
  return findCurrency(bracket?.[1] ?? header.replace(/^.*\b(sales|revenue|amount|total)\b/i, ""));
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
    const s = headerScore(RULES[role], p.compact);
    if (s > bestScore && !fits("number", role, p)) {
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

/** A number in plain digits, never exponent form (String(1e21) is "1e+21"). */
function plainDigits(n: number): string {
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}
