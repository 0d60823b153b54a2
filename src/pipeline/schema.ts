import { InputError } from "../errors.js";
import { type Cell, cellText, isBlankCell } from "./cell.js";
import { dateReading, parseDateCell } from "./dates.js";
import { type Currency, detectDecimalComma, findCurrency, numberReading, parseNumber } from "./numbers.js";

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

const RULES: Record<Role, Rule> = {
  revenue: {
    exact: {
      revenue: 100,
      totalrevenue: 100,
      netrevenue: 98,
      salesrevenue: 98,
      revenueamount: 98,
      sales: 95,
      totalsales: 96,
      netsales: 96,
      salesamount: 95,
      saleamount: 95,
      salesvalue: 94,
      turnover: 90,
      linetotal: 90,
      totalamount: 88,
      ordertotal: 88,
      orderamount: 88,
      ordervalue: 88,
      totalprice: 85,
      extendedprice: 85,
      extprice: 85,
      amount: 85,
      total: 80,
      grossrevenue: 75,
      grosssales: 70,
      subtotal: 70,
      value: 55,
    },
    contains: { revenue: 80, sales: 70, amount: 60, total: 50 },
    exclude:
      /profit|cost|cogs|margin|tax|discount|price|msrp|id$|number|rate|percent|income|qty|quantity|count|commission|budget|target|forecast|quota|shipping|freight|year|month|units|rank|growth|share/,
    kind: "number",
  },
  units: {
    exact: {
      units: 100,
      unitssold: 100,
      unitsold: 98,
      quantityordered: 98,
      qtyordered: 98,
      quantitysold: 98,
      qtysold: 98,
      quantity: 95,
      qty: 95,
      volume: 60,
      pieces: 60,
      pcs: 60,
      itemssold: 80,
      numberofunits: 90,
    },
    contains: { quantity: 70, qty: 70, units: 65 },
    exclude: /price|cost|revenue|sales|amount|linenumber|id$|per|value/,
    kind: "number",
  },
  unitPrice: {
    exact: {
      unitprice: 100,
      priceeach: 98,
      priceperunit: 98,
      price: 90,
      saleprice: 92,
      sellingprice: 92,
      salesprice: 92,
      unitsellingprice: 95,
      listprice: 60,
      unitcost: 70,
      rate: 45,
    },
    contains: { unitprice: 90, price: 70 },
    exclude: /msrp|total|discount|margin|percent/,
    kind: "number",
  },
  date: {
    exact: {
      orderdate: 100,
      date: 95,
      invoicedate: 98,
      transactiondate: 98,
      saledate: 98,
      salesdate: 98,
      purchasedate: 95,
      orderdatetime: 96,
      createdat: 70,
      created: 65,
      timestamp: 70,
      day: 60,
      period: 50,
      month: 45,
      shipdate: 40,
    },
    contains: { orderdate: 90, date: 70, day: 50 },
    exclude: /ship|deliver|due|birth|updated|modified|expir|return/,
    kind: "date",
  },
  region: {
    exact: {
      region: 100,
      salesregion: 100,
      territory: 98,
      salesterritory: 98,
      market: 85,
      area: 80,
      zone: 80,
      country: 70,
      state: 60,
      province: 60,
      city: 55,
      location: 50,
      branch: 40,
      store: 35,
    },
    contains: { region: 90, territory: 90, country: 60, state: 50, city: 45 },
    exclude: /id$|code|postal|zip|status|statement/,
    kind: "text",
  },
  category: {
    exact: {
      productcategory: 100,
      category: 100,
      productline: 98,
      productgroup: 95,
      producttype: 92,
      itemcategory: 95,
      department: 85,
      segment: 70,
      item: 60,
      class: 55,
      family: 55,
      subcategory: 55,
      brand: 50,
    },
    contains: { category: 80, productline: 90 },
    exclude: /id$|code/,
    kind: "text",
  },
  status: {
    exact: {
      status: 100,
      orderstatus: 100,
      transactionstatus: 95,
      shipmentstatus: 80,
      deliverystatus: 80,
      paymentstatus: 50,
    },
    contains: { status: 70 },
    kind: "text",
  },
  product: {
    exact: {
      product: 100,
      productname: 100,
      itemname: 90,
      description: 80,
      productdescription: 85,
      sku: 70,
      stockcode: 70,
      productcode: 65,
      productid: 60,
      model: 50,
    },
    contains: { product: 60 },
    exclude: /category|line|group|type/,
    kind: "text",
  },
  customer: {
    exact: {
      customer: 100,
      customername: 100,
      customerid: 90,
      client: 90,
      clientname: 90,
      buyer: 70,
      account: 50,
    },
    contains: { customer: 70, client: 70 },
    exclude: /type|segment|gender|city|state|country|since|age/,
    kind: "text",
  },
  orderId: {
    exact: {
      orderid: 100,
      ordernumber: 100,
      orderno: 95,
      invoiceno: 95,
      invoiceid: 95,
      invoicenumber: 95,
      invoice: 90,
      transactionid: 90,
      receiptno: 80,
      order: 60,
    },
    contains: { orderid: 90, invoice: 70 },
    exclude: /date|line|status|item/,
    kind: "text",
  },
  currency: {
    exact: { currency: 100, currencycode: 100, curr: 80, ccy: 80 },
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
  numeric: number;
  dates: number;
  distinct: number;
  negatives: number;
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
    let dateCount = 0;
    let negatives = 0;
    for (const row of sample) {
      const cell = row[index];
      if (isBlankCell(cell)) continue;
      nonEmpty++;
      const n = parseNumber(cell, reading);
      if (!Number.isNaN(n)) {
        numeric++;
        if (n < 0) negatives++;
      }
      if (!Number.isNaN(parseDateCell(typeof cell === "string" ? cell.trim() : cell, dates))) dateCount++;
      if (seen.size < 10_000) seen.add(cellText(cell).toLowerCase());
    }
    return { index, header, compact, nonEmpty, numeric, dates: dateCount, distinct: seen.size, negatives };
  });
}

function isDateHeader(compact: string): boolean {
  return /date|day|time|period|created/.test(compact);
}

function fits(kind: Kind, role: Role, p: ColumnProfile): boolean {
  if (p.nonEmpty === 0) return false;
  const numericShare = p.numeric / p.nonEmpty;
  if (kind === "number") return numericShare >= 0.8;
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

function score(role: Role, p: ColumnProfile): number {
  const rule = RULES[role];
  let s = headerScore(rule, p.compact);
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
    if (index.units === -1 || index.unitPrice === -1) throw noRevenueError(headers, index);
    revenueSource = "units x unit price";
  }

  const orderProfile = index.orderId >= 0 ? profiles[index.orderId] : undefined;
  const cancelByInvoicePrefix =
    orderProfile !== undefined &&
    orderProfile.compact.includes("invoice") &&
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

export function noRevenueError(headers: string[], index?: Record<Role, number>): InputError {
  const shown = headers.filter((h) => h.trim() !== "").slice(0, 30);
  const more = headers.length > shown.length ? `, … (${headers.length} in all)` : "";
  let hint = "";
  if (index && index.units >= 0)
    hint = ` Found a quantity column (${headers[index.units]}) but no unit price.`;
  else if (index && index.unitPrice >= 0)
    hint = ` Found a price column (${headers[index.unitPrice]}) but no quantity.`;
  return new InputError(
    "no-revenue",
    `No revenue column found. Columns: ${shown.join(", ")}${more}. Expected one of: Revenue, Sales, Amount, Total, or Quantity and Unit Price.${hint}`,
  );
}
