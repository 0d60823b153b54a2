import { formatDateRange, formatInteger, formatMoney, formatMonth, formatPercent } from "../../ui/format.js";
import { countOf } from "../../ui/words.js";
import type { Analysis } from "../analyze.js";
import type { Comparison } from "../compare/types.js";
import type { GroupRevenue } from "../metrics.js";
import { ratioMeaning } from "../price-check.js";
import { writeOfflineWhatChanged } from "./compare-offline.js";
import type { ExecutiveSummary, SummarySentence } from "./types.js";

/** A region or category above this share of revenue is a concentration risk worth naming. */
const CONCENTRATION_SHARE = 0.5;
/** Cancellations above this share of rows deserve an action, not just a mention. */
const HIGH_CANCELLATION_RATE = 0.05;
const DECLINE = -0.1;
/** A deal export winning fewer than this share of its closed deals has a conversion problem. */
const LOW_WIN_RATE = 0.3;

export interface OfflineDraft {
  headline: string;
  keyFindings: string[];
  risks: string[];
  actions: string[];
}

/**
 * A deterministic summary from the metrics alone: no model, no network. Used when there is no API
 * key, when Gemini fails, and for any sentence of Gemini's that the figure check rejects. Every number
 * is printed with the shared formatters, so it passes the same check.
 */
export function writeOfflineDraft(a: Analysis): OfflineDraft {
  const money = (v: number) => formatMoney(v, a.currency);
  const period = formatDateRange(a.dateRange);
  const region = a.topRegion;
  const category = a.topCategory;
  const lead = region ?? category;

  const headline =
    `Net revenue of ${money(a.netRevenue)}${a.pipeline ? " from won deals" : ""}` +
    (a.dateRange ? ` for ${period}` : "") +
    (lead
      ? `, led by ${lead.name} with ${formatPercent(lead.share)} of revenue.`
      : ` from ${countOf(a.orders, "order", "orders")}.`);

  const findings: string[] = [];
  if (region) findings.push(groupFinding(region, a.revenueByRegion ?? [], money));
  if (category) findings.push(groupFinding(category, a.revenueByCategory ?? [], money));
  const trend = trendFinding(a, money);
  if (trend) findings.push(trend);
  if (a.topTransaction && a.rows > 1) {
    const t = a.topTransaction;
    const where = [t.region, t.category].filter(Boolean).join(", ");
    findings.push(
      `The largest single sale was ${money(t.revenue)}${where ? ` (${where})` : ""}${t.date ? ` on ${formatDateRange({ start: t.date, end: t.date })}` : ""}.`,
    );
  }
  const deals = a.pipeline;
  if (deals) findings.push(pipelineFinding(deals, money));
  const volume = [
    a.totalUnits !== null ? countOf(a.totalUnits, "unit", "units") : null,
    deals ? countOf(a.orders, "won deal", "won deals") : countOf(a.orders, "order", "orders"),
    a.averageOrderValue !== null
      ? `an average ${deals ? "deal size" : "order value"} of ${money(a.averageOrderValue)}`
      : null,
  ].filter(Boolean);
  findings.push(`Sales came from ${volume.join(", ")}.`);
  if (findings.length < 3)
    findings.push(`Gross revenue, before cancellations and returns, was ${money(a.totalRevenue)}.`);

  const risks: string[] = [];
  const actions: string[] = [];
  const c = a.cancellations;
  if (c && c.count > 0) {
    const rows = c.count === 1 ? "row was a cancellation or return" : "rows were cancellations or returns";
    // Returns booked as negative amounts reduce revenue; cancellations keep their (lost) value.
    const worth =
      c.revenue < 0 ? `which reduced revenue by ${money(-c.revenue)}` : `worth ${money(c.revenue)}`;
    risks.push(`${formatInteger(c.count)} ${rows} (${formatPercent(c.rate)} of rows), ${worth}.`);
    if (c.rate >= HIGH_CANCELLATION_RATE)
      actions.push("Review why orders are cancelled or returned, starting with the largest ones.");
  }
  if (lead && lead.share >= CONCENTRATION_SHARE) {
    risks.push(`Revenue depends heavily on ${lead.name} (${formatPercent(lead.share)} of the total).`);
    actions.push(`Grow sales outside ${lead.name} to reduce dependence on it.`);
  }
  const last = a.monthOverMonth;
  if (last && last.change !== null && last.change <= DECLINE) {
    const lastMonth = a.revenueByMonth.at(-1);
    if (lastMonth?.partial) {
      risks.push(
        `${formatMonth(last.to)} is incomplete (${days(lastMonth.daysWithData)} of data), so its drop is not yet a trend.`,
      );
    } else {
      risks.push(
        `Revenue fell ${formatPercent(Math.abs(last.change))} in ${formatMonth(last.to)} compared with ${formatMonth(last.from)}.`,
      );
      actions.push(`Find out what drove the drop in ${formatMonth(last.to)} before it continues.`);
    }
  }
  if (deals && deals.winRate !== null && deals.winRate < LOW_WIN_RATE) {
    risks.push(
      `Only ${formatPercent(deals.winRate)} of closed deals were won (${formatInteger(deals.lost.count)} lost, worth ${money(deals.lost.value)}).`,
    );
    actions.push("Review the lost deals for a common reason before the open ones close.");
  }
  const quality = qualityRisk(a);
  if (quality && risks.length < 3) risks.push(quality);
  if (risks.length === 0) risks.push("No cancellations, concentration or decline stand out in this data.");
  if (category && actions.length < 3)
    actions.push(`Keep investing in ${category.name}, the strongest category.`);
  if (actions.length === 0) actions.push("Share these figures with the team and track them monthly.");

  return {
    headline,
    keyFindings: findings.slice(0, 5),
    risks: risks.slice(0, 3),
    actions: actions.slice(0, 3),
  };
}

/** The whole summary written offline; with a comparison, its "What changed" sentences too. */
export function writeOfflineSummary(
  a: Analysis,
  reason: string,
  comparison: Comparison | null = null,
): ExecutiveSummary {
  const draft = writeOfflineDraft(a);
  const offline = (text: string): SummarySentence => ({ text, source: "offline" });
  return {
    headline: offline(draft.headline),
    keyFindings: draft.keyFindings.map(offline),
    risks: draft.risks.map(offline),
    actions: draft.actions.map(offline),
    ...(comparison ? { whatChanged: writeOfflineWhatChanged(comparison).map(offline) } : {}),
    writer: "offline",
    verified: true,
    offlineReason: reason,
    model: null,
    rejectedFigures: [],
  };
}

function groupFinding(top: GroupRevenue, list: GroupRevenue[], money: (v: number) => string): string {
  const second = list[1];
  const base = `${top.name} brought in ${money(top.revenue)}, ${formatPercent(top.share)} of revenue`;
  return second
    ? `${base}; ${second.name} followed with ${money(second.revenue)} (${formatPercent(second.share)}).`
    : `${base}.`;
}

function trendFinding(a: Analysis, money: (v: number) => string): string | null {
  const months = a.revenueByMonth;
  if (months.length < 2) return null;
  const last = months.at(-1);
  const previous = months.at(-2);
  if (!last || !previous || last.change === null) return null;
  const direction = last.change >= 0 ? "rose" : "fell";
  const partial = last.partial
    ? ` (${formatMonth(last.month)} has only ${days(last.daysWithData)} of data)`
    : "";
  return `Revenue ${direction} ${formatPercent(Math.abs(last.change))} from ${money(previous.revenue)} in ${formatMonth(previous.month)} to ${money(last.revenue)} in ${formatMonth(last.month)}${partial}.`;
}

/** A deal export's outcome beyond its won deals: the open pipeline, what was lost, the win rate. */
function pipelineFinding(p: NonNullable<Analysis["pipeline"]>, money: (v: number) => string): string {
  const count = (n: number) => countOf(n, "deal", "deals");
  const rate =
    p.winRate !== null
      ? ` Win rate: ${formatPercent(p.winRate)} of closed deals${p.winRateByValue !== null ? ` (${formatPercent(p.winRateByValue)} by value)` : ""}.`
      : "";
  return `The open pipeline holds ${count(p.open.count)} worth ${money(p.open.value)}; ${count(p.lost.count)} worth ${money(p.lost.value)} were lost.${rate}`;
}

const days = (n: number) => countOf(n, "day", "days");

/** The data problem most likely to change a reader's conclusions, if any. */
function qualityRisk(a: Analysis): string | null {
  const q = a.quality;
  const rows = (n: number) => countOf(n, "row", "rows");
  const unusable = q.missingRevenue + q.invalidRevenue + q.outOfRangeRevenue;
  if (unusable > 0) return `${rows(unusable)} had no usable revenue value and count as zero.`;
  // One ratio throughout (a tax included) is a fact the notes state, not a risk to the figures.
  const meaning = ratioMeaning(q.revenueMismatchRatio);
  if (q.revenueMismatchRows > 0 && meaning !== "surcharge" && meaning !== "discount") {
    return `${rows(q.revenueMismatchRows)} show a revenue that differs from units times price; check the source data.`;
  }
  if (q.duplicateRows > 0)
    return `${rows(q.duplicateRows)} are exact duplicates of earlier rows and are counted in the totals.`;
  if (q.invalidDates > 0)
    return `${rows(q.invalidDates)} have dates that could not be read and are missing from the monthly figures.`;
  return null;
}
