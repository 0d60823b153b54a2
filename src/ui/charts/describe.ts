import type { Metrics } from "../../pipeline/metrics.js";
import type { Currency } from "../../pipeline/numbers.js";
import { ExactSum, roundMoney } from "../../pipeline/sum.js";
import { cleanText } from "../escape.js";
import { formatMoney, formatPercent } from "../format.js";

/**
 * What the charts show, worked out once from the metrics and drawn by every medium: Slack's native
 * chart blocks, the e-mail's PNGs and the CLI's SVG/PNG files. Pure: no I/O, no Slack or rendering
 * limits here beyond the point count every medium shares (Slack's 20 points per series). Every
 * number comes from the metrics; Gemini never sees or writes any of it.
 */

/** Slack allows at most 20 points per series; the PNGs keep the same points so both media agree. */
export const MAX_POINTS = 20;
/** Bars by region or category: the largest groups, the rest pooled as "Other". */
export const TOP_BARS = 9;
/** Up to this many days the line is drawn by day; longer (up to ~3 months) by week. */
const MAX_DAILY_POINTS = MAX_POINTS;
const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export type TimeGrain = "day" | "week" | "month" | "quarter" | "latest-months";

export interface ChartSeries {
  name: string;
  /** One value per category, in category order (money, rounded to the cent). */
  values: number[];
}

export interface ChartDescription {
  /** Stable: the Slack block_id, the e-mail's content id and the CLI's file names derive from it. */
  id: "revenue-over-time" | "revenue-by-group" | "revenue-compared";
  kind: "line" | "bar";
  /** Full title; media that cap titles shorten it. */
  title: string;
  /** Full x-axis labels, left to right (bar charts: largest group first, "Other" last). */
  categories: string[];
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  currency: Currency | null;
  /** The chart in words, with its numbers: alt text for the e-mail image and screen readers. */
  description: string;
  /** Bar charts: the last category is the pooled "Other". */
  pooledLast?: boolean;
  /** Line charts: which time buckets the categories are. */
  grain?: TimeGrain;
}

/** The two charts of a summary, the line over time first; either may be missing (no dates, no groups). */
export function describeCharts(metrics: Metrics): ChartDescription[] {
  return [revenueOverTime(metrics), revenueByGroup(metrics)].filter((c): c is ChartDescription => c !== null);
}

interface Bucket {
  label: string;
  revenue: number;
  netRevenue: number;
}

/**
 * Net revenue over time, plus cancellations as a second series when the file has any. Files that
 * cover under ~3 months are drawn by day (up to 20 days) or by week; longer ones by month, by
 * quarter when there are more than 20 months, or as the latest 20 months when even the quarters
 * would be more than 20. The title says which.
 */
export function revenueOverTime(metrics: Metrics): ChartDescription | null {
  const chosen = timeBuckets(metrics);
  if (chosen === null || chosen.buckets.length === 0) return null;
  const { buckets, grain } = chosen;
  const currency = metrics.currency;
  const series: ChartSeries[] = [{ name: "Net revenue", values: buckets.map((b) => b.netRevenue) }];
  // Gross minus net is what the cancelled rows added up to; refunds recorded as negative amounts
  // make it negative, so the line shows its size either way.
  const cancelled = buckets.map((b) => Math.abs(roundMoney(b.revenue - b.netRevenue)));
  if ((metrics.cancellations?.count ?? 0) > 0 && cancelled.some((v) => v !== 0)) {
    series.push({ name: "Cancellations", values: cancelled });
  }
  const title = `${GRAIN_TITLE[grain]}${currencyTag(currency)}`;
  const money = (n: number) => formatMoney(n, currency);
  const listed = buckets
    .map((b, i) => {
      const cancelledHere = series[1]?.values[i] ?? 0;
      const extra = cancelledHere !== 0 ? `, cancellations ${money(cancelledHere)}` : "";
      return `${b.label}: ${money(b.netRevenue)}${extra}`;
    })
    .join("; ");
  return {
    id: "revenue-over-time",
    kind: "line",
    title,
    categories: buckets.map((b) => b.label),
    series,
    xLabel: GRAIN_AXIS[grain],
    yLabel: `Net revenue${currencyTag(currency)}`,
    currency,
    description: `${title}. ${listed}.`,
    grain,
  };
}

const GRAIN_TITLE: Record<TimeGrain, string> = {
  day: "Net revenue by day",
  week: "Net revenue by week",
  month: "Net revenue by month",
  quarter: "Net revenue by quarter",
  "latest-months": "Net revenue, latest 20 months",
};

const GRAIN_AXIS: Record<TimeGrain, string> = {
  day: "Day",
  week: "Week starting",
  month: "Month",
  quarter: "Quarter",
  "latest-months": "Month",
};

/** The time buckets of the line chart and their grain; null when the file has no dates. */
export function timeBuckets(metrics: Metrics): { buckets: Bucket[]; grain: TimeGrain } | null {
  const days = metrics.revenueByDay ?? null;
  const months = metrics.revenueByMonth;
  if (days && days.length > 0) {
    const sameYear = days[0]?.day.slice(0, 4) === days.at(-1)?.day.slice(0, 4);
    if (days.length <= MAX_DAILY_POINTS) {
      return {
        grain: "day",
        buckets: days.map((d) => ({ label: dayLabel(d.day, sameYear), ...money(d) })),
      };
    }
    return { grain: "week", buckets: weeks(days, sameYear) };
  }
  if (months.length === 0) return null;
  const monthBuckets = months.map((m) => ({ label: monthLabel(m.month), ...money(m) }));
  if (months.length <= MAX_POINTS) return { grain: "month", buckets: monthBuckets };
  const quarters = rollUp(months, (m) => quarterOf(m.month));
  if (quarters.length <= MAX_POINTS) return { grain: "quarter", buckets: quarters };
  return { grain: "latest-months", buckets: monthBuckets.slice(-MAX_POINTS) };
}

function money(x: { revenue: number; netRevenue: number }): { revenue: number; netRevenue: number } {
  return { revenue: x.revenue, netRevenue: x.netRevenue };
}

/** Weeks starting on Monday; the label is the first day of the file within that week. */
function weeks(days: { day: string; revenue: number; netRevenue: number }[], sameYear: boolean): Bucket[] {
  return rollUp(days, (d) => {
    const t = Date.parse(`${d.day}T00:00:00Z`);
    const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS;
    return String(monday);
  }).map((b) => ({ ...b, label: dayLabel(b.label, sameYear) }));
}

/**
 * Consecutive items with the same key summed into one bucket (exactly, then rounded to the cent);
 * the label is the key for quarters and the first item's date for weeks.
 */
function rollUp<T extends { revenue: number; netRevenue: number }>(
  items: T[],
  keyOf: (item: T) => string,
): Bucket[] {
  const out: { key: string; first: T; revenue: ExactSum; net: ExactSum }[] = [];
  for (const item of items) {
    const key = keyOf(item);
    let last = out.at(-1);
    if (!last || last.key !== key) {
      last = { key, first: item, revenue: new ExactSum(), net: new ExactSum() };
      out.push(last);
    }
    last.revenue.add(item.revenue);
    last.net.add(item.netRevenue);
  }
  return out.map((b) => ({
    label: "day" in b.first ? String((b.first as { day: string }).day) : b.key,
    revenue: roundMoney(b.revenue.value),
    netRevenue: roundMoney(b.net.value),
  }));
}

/** "2026-01" -> "Q1 2026". */
function quarterOf(month: string): string {
  const [year, m] = month.split("-");
  return `Q${Math.ceil(Number(m) / 3)} ${year}`;
}

/** "2026-01" -> "Jan 2026". */
function monthLabel(month: string): string {
  const [year, m] = month.split("-");
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

/** "2026-01-05" -> "5 Jan" (or "5 Jan 2026" when the file spans two years). */
function dayLabel(day: string, sameYear: boolean): string {
  const [year, m, d] = day.split("-");
  const short = `${Number(d)} ${MONTHS[Number(m) - 1] ?? m}`;
  return sameYear ? short : `${short} ${year}`;
}

/**
 * Gross revenue by region (by category when the file has no region column): the largest groups by
 * name, and every other group (those listed past the top, and any the fold pooled past its first
 * 5,000 names) summed into one "Other" bar, so the bars add up to the file's gross revenue.
 */
export function revenueByGroup(metrics: Metrics): ChartDescription | null {
  const byRegion = (metrics.revenueByRegion?.length ?? 0) > 0;
  const groups = byRegion ? metrics.revenueByRegion : metrics.revenueByCategory;
  if (!groups || groups.length === 0) return null;
  const pooled = byRegion ? metrics.pooled.region : metrics.pooled.category;
  const noun = byRegion ? "region" : "category";
  const currency = metrics.currency;

  const restCount = groups.length - TOP_BARS + (pooled?.names ?? 0);
  // A lone leftover group is shown by name rather than as an "Other" of one.
  const shown = restCount === 1 && !pooled ? groups : groups.slice(0, TOP_BARS);
  const categories = shown.map((g) => cleanText(g.name) || "(blank)");
  const values = shown.map((g) => g.revenue);
  const rest = groups.slice(shown.length);
  if (rest.length > 0 || pooled) {
    const other = new ExactSum();
    for (const g of rest) other.add(g.revenue);
    if (pooled) other.add(pooled.revenue);
    const otherLabel = categories.includes("Other") ? "All other" : "Other";
    categories.push(otherLabel);
    values.push(roundMoney(other.value));
  }
  const title = `Gross revenue by ${noun}${currencyTag(currency)}`;
  const moneyText = (n: number) => formatMoney(n, currency);
  const shares = metrics.totalRevenue !== 0 ? values.map((v) => v / metrics.totalRevenue) : null;
  const listed = categories
    .map((c, i) => {
      const share = shares ? ` (${formatPercent(shares[i] ?? 0)})` : "";
      return `${c}: ${moneyText(values[i] ?? 0)}${share}`;
    })
    .join("; ");
  const otherNote =
    rest.length > 0 || pooled
      ? ` Other pools ${restCount.toLocaleString("en-US")}${pooled?.namesUncounted ? " or more" : ""} ${restCount === 1 ? noun : byRegion ? "regions" : "categories"}.`
      : "";
  return {
    id: "revenue-by-group",
    kind: "bar",
    title,
    categories,
    series: [{ name: "Gross revenue", values }],
    xLabel: byRegion ? "Region" : "Category",
    yLabel: `Gross revenue${currencyTag(currency)}`,
    currency,
    description: `${title}. ${listed}.${otherNote}`,
    pooledLast: rest.length > 0 || pooled !== null,
  };
}

/** " (EUR)", or the symbol when the file names no code; "" without a currency. */
function currencyTag(currency: Currency | null): string {
  if (!currency) return "";
  const tag = currency.code ?? currency.symbol;
  return tag ? ` (${tag})` : "";
}
