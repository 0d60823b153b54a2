import type { DayOrder } from "./dates.js";
import type { Currency } from "./numbers.js";
import type { ColumnReason, Role, Schema } from "./schema.js";
import type { DealPipeline } from "./shapes/crm.js";
import type { ShapeReading } from "./shapes/plan.js";

/** What a fold of one table produces: the shapes shared by the pipeline, the UI and the CLI. */

export interface GroupRevenue {
  name: string;
  revenue: number;
  share: number;
  netRevenue: number;
  rows: number;
  /** Units sold in the group's rows (cancelled included, like revenue); null without a units column. */
  units?: number | null;
  /**
   * Regions and categories: the group's gross revenue in the latest month vs the month before, the
   * same two months as Metrics.monthOverMonth, as a fraction (0.5 = +50%). Null when the group had no
   * revenue in the previous month, or for a name past the first 5,000 (not tracked by month). Absent
   * when the comparison does not apply: no date column, a single month, or a partial latest month.
   */
  change?: number | null;
  /**
   * Present (true) only where `change` applies and the group is new in the latest month: no revenue
   * the month before, sales in the latest one. Its `change` is null (no percentage from nothing); the
   * tables say "new" rather than "n/a", which stays for a change that is not known.
   */
  newInLatestMonth?: true;
}

/** The names of a breakdown that are not listed by name (past the first MAX_GROUPS), as one figure. */
export interface PooledGroups {
  /** Distinct names pooled; "at least" when `namesUncounted`. */
  names: number;
  namesUncounted: boolean;
  rows: number;
  revenue: number;
  share: number;
  netRevenue: number;
}

export interface MonthRevenue {
  month: string;
  revenue: number;
  netRevenue: number;
  rows: number;
  /** Distinct days with at least one row: tells a one-day "month" at the edge of the data apart. */
  daysWithData: number;
  partial: boolean;
  change: number | null;
}

/** One calendar day's revenue, for charts of short files (see Metrics.revenueByDay). */
export interface DayRevenue {
  day: string;
  revenue: number;
  netRevenue: number;
  rows: number;
}

export interface TopTransaction {
  rowNumber: number;
  revenue: number;
  date: string | null;
  region: string | null;
  category: string | null;
  product: string | null;
  orderId: string | null;
}

export interface Quality {
  blankRows: number;
  repeatedHeaderRows: number;
  totalsRows: number;
  duplicateRows: number;
  duplicateRowsChecked: number;
  missingRevenue: number;
  invalidRevenue: number;
  /** Of invalidRevenue: cells holding an Excel error value ("#N/A", "#DIV/0!"), and which ones. */
  formulaErrorRevenue: number;
  formulaErrorKinds: string[];
  /** Rows whose revenue (or units or price) is a number too large to be an amount: set aside, counted as 0. */
  outOfRangeRevenue: number;
  /** Unit cells too large to be a quantity: left out of the units total. */
  outOfRangeUnits: number;
  invalidDates: number;
  /** Rows dated far from all the others (placeholders such as 1900-01-01, mistyped years): left out of the period and months. */
  outlierDates: number;
  outlierDateExamples: string[];
  ambiguousDates: number;
  dayOrder: DayOrder | null;
  dayOrderReason: string | null;
  conflictingDayOrder: boolean;
  negativeUnits: number;
  /** Rows where the revenue column disagrees with units x unit price by more than 1%. */
  revenueMismatchRows: number;
  /**
   * The ratio of revenue to units x unit price that (nearly) every mismatching row shares (1.05: a 5%
   * tax or fee included throughout); null when the rows differ in no one consistent way.
   */
  revenueMismatchRatio?: number | null;
  negativeRevenue: number;
  extraFieldRows: number;
  currencies: string[];
}

export interface Metrics {
  rows: number;
  rowsSkipped: { count: number; reasons: Record<string, number> };
  columns: Record<Role, string | null>;
  /** How sure the reading of each role's column is (0-1), for the roles that have one. */
  columnConfidence: Partial<Record<Role, number>>;
  /** How each role's column was found: its header, its values, or Gemini's suggestion. */
  columnReason: Partial<Record<Role, ColumnReason>>;
  /** Roles played by a column found as another role (category -> product: a product column stood in). */
  columnStandIns: Partial<Record<Role, Role>>;
  /** Other columns whose header names the role exactly as well as the one used (revenue only). */
  columnAlternatives: Partial<Record<Role, string[]>>;
  revenueSource: Schema["revenueSource"];
  /** 1, or 1,000 / 1,000,000 when the revenue header states its amounts in thousands or millions. */
  revenueScale: number;
  /**
   * With no date column, the column of reporting periods the file has instead ("Quarter": "2024-Q1"),
   * with a value as written: why there is no trend by month. Absent from analyses cached before it.
   */
  periodColumn?: { column: string; example: string } | null;
  currency: Currency | null;
  totalRevenue: number;
  netRevenue: number;
  totalUnits: number | null;
  orders: number;
  averageOrderValue: number | null;
  dateRange: { start: string; end: string } | null;
  revenueByMonth: MonthRevenue[];
  /**
   * Every day from the first date to the last (days without sales as zeros), only when they span at
   * most DAILY_SERIES_MAX_DAYS: a file of a few weeks is charted by day or week, not by one month.
   * Null otherwise (and in analyses cached before it existed).
   */
  revenueByDay?: DayRevenue[] | null;
  monthOverMonth: { from: string; to: string; change: number | null } | null;
  revenueByRegion: GroupRevenue[] | null;
  revenueByCategory: GroupRevenue[] | null;
  /** The best-selling products (top 20 by revenue); null when the file names no products. */
  revenueByProduct: GroupRevenue[] | null;
  topRegion: GroupRevenue | null;
  topCategory: GroupRevenue | null;
  statusCounts: Record<string, number> | null;
  /**
   * Per breakdown, the names pooled because there were more than MAX_GROUPS of them (null: none were).
   * Never part of the lists above, so a pool can never be called the top region or category.
   */
  pooled: Record<"region" | "category" | "product" | "status", PooledGroups | null>;
  cancellations: {
    count: number;
    revenue: number;
    units: number | null;
    rate: number;
    revenueShare: number;
  } | null;
  topTransaction: TopTransaction | null;
  /**
   * A CRM/opportunity export: won deals are the sales above; lost and open deals are counted here
   * (null for any other file).
   */
  pipeline: DealPipeline | null;
  /** How a shape beyond one row per sale was read (multi-line orders, discounts); null for a plain table. */
  shape: ShapeReading | null;
  quality: Quality;
  notes: string[];
}

/**
 * One region's or category's sums by calendar month, aligned with GroupMonthGrid.months: what a
 * comparison between files (or between the latest two months of one file) decomposes by group.
 */
export interface GroupMonthRow {
  name: string;
  /** Gross revenue per month (cancelled rows included, like GroupRevenue.revenue). */
  revenue: number[];
  /** Net revenue per month (cancelled rows excluded). */
  net: number[];
  /** Units per month, cancelled rows excluded; null without a units column. */
  units: number[] | null;
  /** True for the one row that sums the names past MAX_GROUPS (never to be named as a mover). */
  pooled?: boolean;
}

/**
 * Region x month and category x month sums for the names tracked by month (the first MAX_GROUPS of
 * each breakdown; the names past them are summed into one row marked `pooled`). Months are "YYYY-MM", ascending,
 * the same months as Metrics.revenueByMonth. Null breakdowns: the file has no such column or no dates.
 */
export interface GroupMonthGrid {
  months: string[];
  region: GroupMonthRow[] | null;
  category: GroupMonthRow[] | null;
}
