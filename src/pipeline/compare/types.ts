/**
 * The shapes of the comparison engine: what is kept of an analysis to compare it later (Snapshot),
 * and what comparing two periods produces (Comparison). Types only, no code, so the store, the use
 * case, the Slack and e-mail builders and the Gemini prompt can all depend on them cheaply.
 *
 * Money is in the file's currency, rounded to the cent (the engine computes in integer cents, so
 * every identity below holds exactly to the cent). Shares and changes are fractions (0.5 = +50%);
 * "points" are percentage points (1.5 = 1.5 pp).
 */

export const SNAPSHOT_VERSION = 1;

/** Role (revenue, units, date, region ...) -> its header, normalised (see series.ts). */
export type HeaderSignature = Record<string, string>;

export interface SnapshotCurrency {
  code: string | null;
  symbol: string;
}

export interface SnapshotCancellations {
  count: number;
  revenue: number;
  /** Cancelled rows / rows. */
  rate: number;
  /** Cancelled revenue / gross revenue. */
  revenueShare: number;
}

export interface SnapshotTotals {
  /** Gross revenue (cancelled rows included), as Metrics.totalRevenue. */
  revenue: number;
  /** Net revenue (cancelled rows left out), as Metrics.netRevenue. */
  net: number;
  units: number | null;
  orders: number;
  rows: number;
  /** Null when the file carries no cancellation signal at all. */
  cancellations: SnapshotCancellations | null;
}

export interface SnapshotMonth {
  /** "YYYY-MM". */
  month: string;
  revenue: number;
  net: number;
  rows: number;
  daysWithData: number;
  partial: boolean;
}

export interface SnapshotDay {
  /** "YYYY-MM-DD". */
  day: string;
  revenue: number;
  net: number;
  rows: number;
}

/** A region's, category's or product's totals over the whole file. */
export interface SnapshotGroup {
  name: string;
  revenue: number;
  net: number;
  /** Units in the group's rows, cancelled included (as GroupRevenue.units); null without units. */
  units: number | null;
  rows: number;
  /** The one entry that sums the names past the tracked ones: never named as a mover. */
  pooled?: boolean;
}

/** One group's sums by month, aligned with Snapshot.months. */
export interface SnapshotGroupMonths {
  name: string;
  revenue: number[];
  net: number[];
  /** Units by month, cancelled rows excluded (as GroupMonthRow.units); null without units. */
  units: number[] | null;
  pooled?: boolean;
}

export interface SnapshotBreakdown {
  /** Whole-file totals per group (the pooled names as one entry marked `pooled`). */
  totals: SnapshotGroup[];
  /** Per group and month; null when the analysis had no region/category x month grid. */
  months: SnapshotGroupMonths[] | null;
}

/**
 * What is kept of one analysis to compare it with a later one: aggregates only, never a row.
 * Versioned: decodeSnapshot refuses any other version (an old snapshot is simply not compared).
 */
export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  /** The name the user knows the file by (as uploaded). */
  fileName: string;
  headerSignature: HeaderSignature;
  currency: SnapshotCurrency | null;
  totals: SnapshotTotals;
  /** "YYYY-MM-DD" inclusive; null when the file has no dates. */
  dateRange: { start: string; end: string } | null;
  /** Ascending; empty without dates. */
  months: SnapshotMonth[];
  /** Every day of a short file (see Metrics.revenueByDay); null otherwise. */
  days: SnapshotDay[] | null;
  region: SnapshotBreakdown | null;
  category: SnapshotBreakdown | null;
  /** The best-selling products (as Metrics.revenueByProduct); null when the file names no products. */
  products: SnapshotGroup[] | null;
}

// ---------------------------------------------------------------------------------------------
// Series: which stored upload is the previous one of the same series.

/** A stored upload the new one may be compared with (the store fills these, newest first). */
export interface SeriesCandidate {
  /** The store's id for it: handed back in the match. */
  id: string;
  fileName: string;
  headerSignature: HeaderSignature;
  /** When it was posted (ISO 8601), for "compared with sales_w46.csv, posted Monday". */
  postedAt: string;
  dateRange: { start: string; end: string } | null;
}

/**
 * Why a candidate was taken: its columns play the same roles under the same headers, and/or its name
 * follows the same pattern with a lower sequence number or an earlier date.
 */
export type SeriesReason = "headers" | "name" | "headers-and-name";

export interface SeriesMatch {
  candidate: SeriesCandidate;
  reason: SeriesReason;
}

// ---------------------------------------------------------------------------------------------
// Periods: how the two compared periods relate.

/**
 * - consecutive: the current period starts right after the previous one ends (week 46 -> 47,
 *   October -> November).
 * - overlapping: the current file covers the previous one and more (a year-to-date file that grew):
 *   only the new stretch is compared with the equal-length stretch just before it.
 * - same-period: the same dates exported again (corrections): what changed is listed as corrections.
 * - gap: the current period starts later than the day after the previous one ended.
 * - previous-newer: the "previous" upload covers later dates than the current one.
 * - undated: one of the files has no dates; the whole files are compared, with no claim on periods.
 * - latest-months: within one file, the latest month against the month before.
 */
export type PeriodRelation =
  | "consecutive"
  | "overlapping"
  | "same-period"
  | "gap"
  | "previous-newer"
  | "undated"
  | "latest-months";

/** One side of the comparison: which dates its figures cover. */
export interface ComparedPeriod {
  /** "YYYY-MM-DD" inclusive; null for an undated file. */
  start: string | null;
  end: string | null;
  /**
   * How the figures were taken: the whole file, whole calendar months of it ("YYYY-MM" in `months`),
   * or days (a short file, compared day by day).
   */
  basis: "whole-file" | "months" | "days";
  months: string[];
  /** Calendar days from start to end (null when undated). */
  lengthDays: number | null;
  /** Months of this side that the data covers only in part (a month in progress, a cut-off export). */
  partialMonths: string[];
}

export type PeriodWarning =
  /** A partial month is compared with a whole one (or two months cover different numbers of days). */
  | {
      kind: "partial-period";
      side: "previous" | "current";
      month: string;
      daysWithData: number;
      daysInMonth: number;
    }
  /** The two sides span different numbers of days (e.g. 31 vs 30, or a 5-day week vs 7). */
  | { kind: "unequal-length"; previousDays: number; currentDays: number }
  /** Days between the previous period's end and the current one's start that neither file covers. */
  | { kind: "gap"; days: number }
  | { kind: "previous-newer" }
  | { kind: "undated" }
  | { kind: "currency-differs"; previous: string | null; current: string | null };

export interface PeriodComparison {
  relation: PeriodRelation;
  /** The whole files' date ranges, for wording ("the file grew from Jan-Oct to Jan-Nov"). */
  previousRange: { start: string; end: string } | null;
  currentRange: { start: string; end: string } | null;
  /** What the figures below compare (after trimming an overlap to the new stretch). */
  previous: ComparedPeriod;
  current: ComparedPeriod;
  /** For wording: the natural unit both sides are (a week, a month, a quarter ...), else "other". */
  granularity: "day" | "week" | "month" | "quarter" | "year" | "other";
  warnings: PeriodWarning[];
}

// ---------------------------------------------------------------------------------------------
// Changes.

export interface Change {
  previous: number;
  current: number;
  /** current - previous (exact to the cent for money). */
  change: number;
  /** change / |previous|; null when previous is 0. */
  changePct: number | null;
}

export interface TotalsChange {
  /** Gross revenue. */
  revenue: Change;
  /** Net revenue: what the drivers decompose. */
  net: Change;
  units: Change | null;
  /** Null when compared by months or days (orders are only counted per file). */
  orders: Change | null;
  rows: Change;
  /**
   * Share of gross revenue cancelled or returned, in each period, and its change in points. Null
   * when neither file has a cancellation signal.
   */
  cancellationShare: { previous: number; current: number; changePoints: number } | null;
  /** Share of rows cancelled (whole-file comparisons only: not counted per month). */
  cancellationRate: { previous: number; current: number; changePoints: number } | null;
}

/**
 * The same days of the month on both sides (e.g. 1-23 October vs 1-23 November), when the compared
 * periods are a partial month against a whole one and both files have day-level figures. Totals
 * only: groups are not kept by day, so the drivers stay on the periods above.
 */
export interface SameDaysChange {
  previous: { start: string; end: string };
  current: { start: string; end: string };
  revenue: Change;
  net: Change;
}

/** A re-export of the same period: a total that differs, and by how much. */
export interface Correction {
  field: "revenue" | "net" | "units" | "orders" | "rows" | "cancellations";
  previous: number;
  current: number;
  change: number;
}

export type GroupStatus = "both" | "new" | "vanished";

/** One group's share of the change in net revenue. */
export interface GroupContribution {
  name: string;
  previous: number;
  current: number;
  change: number;
  /** change / |previous| of the group; null for a new group. */
  changePct: number | null;
  /**
   * Points of the total's % change this group accounts for (change / |previous total| x 100): the
   * groups' points sum to the total's % change. Null when the previous total is 0.
   */
  points: number | null;
  status: GroupStatus;
  /** The entry that pools names past the tracked ones: listed in sums, never as a mover. */
  pooled: boolean;
}

/**
 * Price / volume / mix split of the change in net revenue over one breakdown's groups, for groups
 * with units in both periods (`volume + mix + price`), plus the groups that only exist on one side
 * and those without units on a side, as their own terms:
 *   volume + mix + price + newGroups + vanishedGroups + unpriced + unassigned = total change (to the cent).
 * volume = (Q1 - Q0) x average price before; mix = sum(q1 x p0) - Q1 x average price before;
 * price = sum(q1 x (p1 - p0)) (taken as the remainder, so the identity holds exactly).
 */
export interface PriceVolumeMix {
  volume: number;
  mix: number;
  price: number;
  /** Net revenue of groups only in the current period. */
  newGroups: number;
  /** Minus the net revenue of groups only in the previous period. */
  vanishedGroups: number;
  /** Change of groups present on both sides but with no (or non-positive) units on one of them. */
  unpriced: number;
  /** Change not attributed to any group (rows outside the breakdown, e.g. undated rows). */
  unassigned: number;
  /** Units and average net price per unit of the groups priced on both sides. */
  unitsPrevious: number;
  unitsCurrent: number;
  averagePricePrevious: number | null;
  averagePriceCurrent: number | null;
}

/** The change of one breakdown (regions or categories): contributions, movers, new and gone groups. */
export interface BreakdownChange {
  /** The largest contributions by |change| (at most 10, pooled entry included when large). */
  contributions: GroupContribution[];
  /** Sum of the changes of the groups not listed in `contributions`. */
  otherGroups: number;
  /**
   * Change not attributed to a group (rows outside the breakdown). Identity, to the cent:
   * sum(contributions.change) + otherGroups + unassigned = Comparison.totals.net.change.
   */
  unassigned: number;
  /** Groups on either side. */
  groups: number;
  /** Top 3 growing and top 3 shrinking groups by contribution, never the pooled entry. */
  up: GroupContribution[];
  down: GroupContribution[];
  /** Groups only in the current period (largest first, at most 10) and how many there are. */
  appeared: GroupContribution[];
  appearedCount: number;
  /** Groups only in the previous period (largest first, at most 10) and how many there are. */
  disappeared: GroupContribution[];
  disappearedCount: number;
  /** Null when the file has no units (or they cannot be split by period). */
  priceVolumeMix: PriceVolumeMix | null;
}

export interface Comparison {
  /** "files": two uploads; "latest-months": one file's latest month vs the month before. */
  kind: "files" | "latest-months";
  previousFile: string;
  currentFile: string;
  currency: SnapshotCurrency | null;
  periods: PeriodComparison;
  totals: TotalsChange;
  /** Like-for-like days when a partial month meets a whole one (see SameDaysChange). */
  sameDays: SameDaysChange | null;
  /** Re-exports (relation same-period) only: the totals that differ; empty when nothing changed. */
  corrections: Correction[] | null;
  /** What the drivers decompose: net revenue (units exclude cancelled rows, so price uses net). */
  measure: "net";
  region: BreakdownChange | null;
  category: BreakdownChange | null;
}
