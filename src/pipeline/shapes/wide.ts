import { type Cell, cellText, isBlankCell } from "../cell.js";
import { foldText } from "../columns/normalise.js";
import { type ColumnProfile, profileColumns } from "../columns/profile.js";
import { MONTH_WORDS } from "../month-names.js";
import { isAmount, numberReading, parseNumber } from "../numbers.js";
import type { Schema } from "../schema.js";

/**
 * Wide tables: one column per month or quarter (Jan, Feb, ... / 2024-01, 2024-02 / Q1..Q4) with the
 * values in the cells. Summing such a table down one column (or across) would be wrong, so it is read
 * as long instead: every value cell becomes a row of its own, dated by its column's header.
 */

export interface Period {
  /** null when the header names no year ("Jan", "Q1"). */
  year: number | null;
  month: number;
  kind: "month" | "quarter";
}

const fullYear = (text: string | undefined): number | null => {
  if (text === undefined || text === "") return null;
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n >= 1900 && n <= 2100 ? n : Number.NaN;
};

/** The period a header names, or null: "2024-01", "01/2024", "Jan", "Jan-24", "March 2024", "Q3 2024", "3月". */
export function headerPeriod(header: string): Period | null {
  const raw = header.trim();
  const cjk = /^(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]$/.exec(raw);
  if (cjk) return period(fullYear(cjk[1]), Number(cjk[2]), "month");
  const text = foldText(raw).trim();
  let m = /^(\d{4})[-/._ ](\d{1,2})$/.exec(text);
  if (m) return period(fullYear(m[1]), Number(m[2]), "month");
  m = /^(\d{1,2})[-/._ ](\d{4})$/.exec(text);
  if (m) return period(fullYear(m[2]), Number(m[1]), "month");
  m =
    /^(?:q|qtr|quarter|quartal|trimestre|kwartaal|kwartal|ceyrek)\s*([1-4])(?:[\s\-_'/]*(\d{4}|\d{2}))?$/.exec(
      text,
    );
  if (m) return period(fullYear(m[2]), Number(m[1]) * 3 - 2, "quarter");
  m = /^(\d{4})[\s\-_/]*q([1-4])$/.exec(text);
  if (m) return period(fullYear(m[1]), Number(m[2]) * 3 - 2, "quarter");
  m = /^([a-z]+)\.?(?:[\s\-_'/.]*(\d{4}|\d{2}))?$/.exec(text);
  if (m?.[1] && MONTH_WORDS[m[1]] !== undefined)
    return period(fullYear(m[2]), MONTH_WORDS[m[1]] ?? 0, "month");
  m = /^(\d{4})[\s\-_/]*([a-z]+)\.?$/.exec(text);
  if (m?.[2] && MONTH_WORDS[m[2]] !== undefined)
    return period(fullYear(m[1]), MONTH_WORDS[m[2]] ?? 0, "month");
  return null;
}

function period(year: number | null, month: number, kind: Period["kind"]): Period | null {
  if (Number.isNaN(year) || month < 1 || month > 12) return null;
  return { year, month, kind };
}

const TOTAL_HEADER =
  /^(grand\s+)?totals?$|^sum$|^summe$|^gesamt$|^ytd$|^fy\s*\d*$|^annual|^year\s*total|^total\s/i;
const YEAR_HEADER = /^(year|yr|jahr|ano|anio|annee|anno|jaar|rok|yil|ar|tahun|fiscal year|fy|年|年度|연도)$/;
/** Value columns a table needs before it is read as wide: two months could be a from/to pair. */
const MIN_PERIOD_COLUMNS = 3;

export interface WidePlan {
  /** "product": one column per product (or other named thing), the header becoming the product. */
  kind: "month" | "quarter" | "product";
  /** Columns holding values, with the period each names. */
  valueColumns: number[];
  periods: Period[];
  /** Columns copied onto every long row (region, product...). */
  idColumns: number[];
  /** A Year column supplying the year when the headers name none (-1: none). */
  yearColumn: number;
  /** The value columns' headers (what a product-wide table's long rows are named by). */
  labels: string[];
  /** Columns left out: a row total beside the periods ("Total", "FY"). */
  ignored: number[];
  /** The long table's header: the id columns, then Date (or Month/Quarter without a year), then Sales. */
  longHeaders: string[];
}

/** A table with three or more period columns holding numbers; null for any other table. */
/** Product-wide tables need more columns than period ones: a few unnamed numbers are often measures. */
const MIN_PRODUCT_COLUMNS = 4;

/**
 * One column per product: four or more numeric columns whose headers name nothing the vocabulary
 * knows (so neither revenue nor quantity nor price), with no header naming revenue, quantity or price
 * anywhere, and no column found as quantity or price by its values. Such a table has no single
 * revenue column: the only sound total is every cell, per product.
 */
export function detectProductWide(
  headers: string[],
  sample: Cell[][],
  schema: Schema | null,
): WidePlan | null {
  if (schema === null) return null;
  const { index, readings } = schema;
  if (index.units >= 0 || index.unitPrice >= 0 || readings.revenue?.reason !== "content") return null;
  const profiles = profileColumns(headers, sample, schema.decimalComma);
  const namedRoles = [index.date, index.region, index.category, index.status, index.orderId, index.customer];
  const value = (p: ColumnProfile) =>
    !namedRoles.includes(p.index) &&
    p.meaning.concepts.size === 0 &&
    p.nonEmpty > 0 &&
    p.amounts / p.nonEmpty >= 0.8 &&
    p.yearLike < p.amounts / 2 &&
    !p.sequential &&
    !p.fixedWidthDigits;
  const valueColumns = profiles.filter(value).map((p) => p.index);
  const numericColumns = profiles.filter((p) => p.nonEmpty > 0 && p.amounts / p.nonEmpty >= 0.8).length;
  if (valueColumns.length < MIN_PRODUCT_COLUMNS || valueColumns.length * 2 < numericColumns) return null;
  const ignored: number[] = [];
  const idColumns: number[] = [];
  headers.forEach((header, column) => {
    if (valueColumns.includes(column)) return;
    const numeric = profiles[column] && profiles[column].amounts > 0;
    if (TOTAL_HEADER.test(header.trim()) && numeric) ignored.push(column);
    else idColumns.push(column);
  });
  return {
    kind: "product",
    valueColumns,
    labels: valueColumns.map((c) => headers[c] ?? ""),
    periods: [],
    idColumns,
    yearColumn: -1,
    ignored,
    longHeaders: [...idColumns.map((c) => headers[c] ?? ""), "Product", "Sales"],
  };
}

export function detectWide(headers: string[], sample: Cell[][]): WidePlan | null {
  // Either decimal mark: the long table's own schema settles which one the file uses.
  const readings = [numberReading(false), numberReading(true)];
  const numeric = (column: number) => {
    let filled = 0;
    let amounts = 0;
    for (const row of sample) {
      if (isBlankCell(row[column])) continue;
      filled++;
      if (readings.some((r) => isAmount(parseNumber(row[column], r)))) amounts++;
    }
    return filled > 0 && amounts / filled >= 0.8;
  };
  const valueColumns: number[] = [];
  const periods: Period[] = [];
  headers.forEach((header, column) => {
    const p = headerPeriod(header);
    if (p && numeric(column)) {
      valueColumns.push(column);
      periods.push(p);
    }
  });
  if (valueColumns.length < MIN_PERIOD_COLUMNS) return null;
  const kind = periods[0]?.kind ?? "month";
  if (periods.some((p) => p.kind !== kind)) return null;
  // Distinct periods: the same month twice is two measures side by side, not a calendar.
  const keys = new Set(periods.map((p) => `${p.year}-${p.month}`));
  if (keys.size !== periods.length) return null;

  const ignored: number[] = [];
  const idColumns: number[] = [];
  let yearColumn = -1;
  headers.forEach((header, column) => {
    if (valueColumns.includes(column)) return;
    if (TOTAL_HEADER.test(header.trim()) && numeric(column)) ignored.push(column);
    else {
      idColumns.push(column);
      if (yearColumn < 0 && YEAR_HEADER.test(foldText(header).trim())) yearColumn = column;
    }
  });
  const yearKnown = periods.every((p) => p.year !== null) || yearColumn >= 0;
  const periodHeader = yearKnown ? "Date" : kind === "month" ? "Month" : "Quarter";
  return {
    kind,
    valueColumns,
    labels: valueColumns.map((c) => headers[c] ?? ""),
    periods,
    idColumns,
    yearColumn,
    ignored,
    longHeaders: [...idColumns.map((c) => headers[c] ?? ""), periodHeader, "Sales"],
  };
}

/** What the output says about a wide table read as long. */
export function wideReading(plan: WidePlan, headers: string[]) {
  const named = (c: number) => headers[c] ?? "";
  return {
    kind: plan.kind,
    periodColumns: plan.valueColumns.map(named),
    yearFrom:
      plan.kind === "product"
        ? null
        : plan.periods.every((p) => p.year !== null)
          ? ("headers" as const)
          : plan.yearColumn >= 0
            ? ("year column" as const)
            : null,
    ignoredColumns: plan.ignored.map(named),
  };
}

export type WideReading = ReturnType<typeof wideReading>;

const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Turns each wide row into long rows: one per filled value cell. */
export class WideRows {
  /** Set once the long table's schema has settled the decimal mark. */
  numbers = numberReading(false);

  constructor(readonly plan: WidePlan) {}

  expand(cells: Cell[]): Cell[][] {
    const { plan } = this;
    const ids = plan.idColumns.map((c) => cells[c]);
    const rowYear = plan.yearColumn >= 0 ? Number(cellText(cells[plan.yearColumn]).trim()) : Number.NaN;
    const out: Cell[][] = [];
    plan.valueColumns.forEach((column, i) => {
      const value = cells[column];
      if (isBlankCell(value)) return;
      const p = plan.periods[i];
      out.push([...ids, p ? this.periodCell(p, rowYear) : (plan.labels[i] ?? ""), value]);
    });
    return out;
  }

  /** The sum of a row's value cells, to recognise a totals row at the bottom. */
  rowSum(cells: Cell[]): number {
    let sum = 0;
    for (const column of this.plan.valueColumns) {
      const v = parseNumber(cells[column], this.numbers);
      if (Number.isFinite(v)) sum += v;
    }
    return sum;
  }

  private periodCell(p: Period, rowYear: number): string {
    const year = p.year ?? (Number.isInteger(rowYear) && rowYear >= 1900 && rowYear <= 2100 ? rowYear : null);
    if (year !== null) return `${year}-${pad(p.month)}-01`;
    if (this.plan.periods.every((q) => q.year !== null) || this.plan.yearColumn >= 0) return "";
    return p.kind === "quarter" ? `Q${(p.month + 2) / 3}` : (MONTH_LABELS[p.month - 1] ?? "");
  }
}
