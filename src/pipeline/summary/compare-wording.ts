import { exactMoney } from "../../ui/breakdown-rows.js";
import {
  currencyPrefix,
  formatDateRange,
  formatInteger,
  formatMoney,
  formatMoneyChange,
  formatMonth,
  formatPercentChange,
} from "../../ui/format.js";
import { capitalise, countOf } from "../../ui/words.js";
import type { ComparedPeriod, Comparison, Correction, PeriodWarning } from "../compare/types.js";
import type { Currency } from "../numbers.js";

/**
 * The words for a comparison's periods, warnings and corrections, shared by the offline "What
 * changed" sentences, the Slack message and the e-mail, so every medium names the periods the same
 * way ("Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)") and no warning is worded twice.
 * Plain text; renderers escape it. Every number goes through ui/format.ts, so the figure checker
 * reads back what is written here.
 */

const DAY_MS = 86_400_000;

/** A period as people name it: "Week 47 (16-22 Nov 2026)", "Nov 2026", "Q3 2026", "5 Jan 2026". */
export function periodLabel(comparison: Comparison, side: "previous" | "current"): string {
  const period = comparison.periods[side];
  const range = rangeOf(period);
  if (!range) return side === "current" ? "this file" : "the earlier file";
  const name = periodName(period, comparison.periods.granularity);
  const dates = formatDateRange(range);
  // A week's name says nothing of its dates; a month, quarter or year names them already.
  if (name?.startsWith("Week")) return `${name} (${dates})`;
  return name ?? dates;
}

/** The short name of a period, for a chart legend (at most 20 characters): "Week 47", "Nov 2026". */
export function shortPeriodLabel(comparison: Comparison, side: "previous" | "current"): string {
  const period = comparison.periods[side];
  const fallback = side === "current" ? "This period" : "Previous period";
  if (comparison.periods.relation === "same-period")
    return side === "current" ? "This export" : "Earlier export";
  const range = rangeOf(period);
  if (!range) return side === "current" ? "This file" : "Earlier file";
  const name = periodName(period, comparison.periods.granularity) ?? formatDateRange(range);
  return name.length <= 20 ? name : fallback;
}

/** "Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)"; a re-export: "Week 47 (16-22 Nov 2026), exported again". */
export function periodsLine(comparison: Comparison): string {
  const { relation } = comparison.periods;
  if (relation === "undated") return "The whole files (one of them has no dates)";
  const current = periodLabel(comparison, "current");
  if (relation === "same-period") return `${current}, exported again`;
  const previous = periodLabel(comparison, "previous");
  return `${current} vs ${midSentence(previous)}`;
}

/**
 * What the reader must know about how the periods were matched, beyond the periods themselves: the
 * note on how they were chosen (the trimmed overlap of a file that grew, a file's own latest months),
 * then every warning the engine raised. Never empty when the comparison is not like for like.
 */
export function periodNotes(comparison: Comparison): string[] {
  const note = relationNote(comparison);
  return [...(note ? [note] : []), ...comparison.periods.warnings.map(warningSentence)];
}

/** How the periods were chosen, when it is not simply one period after the other. */
export function relationNote(comparison: Comparison): string | null {
  const p = comparison.periods;
  if (p.relation === "overlapping" && p.previousRange && p.currentRange) {
    return `This file grew from ${formatDateRange(p.previousRange)} to ${formatDateRange(p.currentRange)}: only the new stretch is compared, with the same length just before it.`;
  }
  if (p.relation === "latest-months")
    return "Compared within this file: its latest month against the month before.";
  return null;
}

export function warningSentence(w: PeriodWarning): string {
  switch (w.kind) {
    case "partial-period": {
      const which = w.side === "current" ? "this period" : "the earlier period";
      return `${formatMonth(w.month)} has data for only ${formatInteger(w.daysWithData)} of its ${formatInteger(w.daysInMonth)} days (${which}), so a partial month is compared with a whole one.`;
    }
    case "unequal-length":
      return `The periods differ in length: ${days(w.currentDays)} now against ${days(w.previousDays)} before.`;
    case "gap":
      return `${capitalise(days(w.days))} between the two periods are in neither file.`;
    case "previous-newer":
      return "The earlier upload covers later dates than this one, so the change runs backwards in time.";
    case "undated":
      return "One of the files has no dates, so the whole files are compared, whatever periods they cover.";
    case "currency-differs":
      return `The files are in different currencies (${w.previous ?? "none"} before, ${w.current ?? "none"} now), so the changes mix currencies.`;
  }
}

const CORRECTION_NAMES: Record<Correction["field"], string> = {
  revenue: "Gross revenue",
  net: "Net revenue",
  units: "Units",
  orders: "Orders",
  rows: "Rows",
  cancellations: "Cancellations",
};

/**
 * A re-export's corrections, one line each, exact (a correction is often cents or one row, which a
 * compact "$48.2K" would hide): "Net revenue: 48,213.40 -> 48,513.40 (+300)".
 */
export function correctionLines(comparison: Comparison): string[] {
  const corrections = comparison.corrections;
  if (!corrections) return [];
  if (corrections.length === 0) return ["No totals changed: the same figures were exported again."];
  const money = exactFormatter(comparison.currency);
  return corrections.map((c) => {
    const isMoney = c.field === "revenue" || c.field === "net" || c.field === "cancellations";
    const f = isMoney ? money : (n: number) => exactMoney(n, "");
    const sign = c.change > 0 ? "+" : "";
    return `${CORRECTION_NAMES[c.field]}: ${f(c.previous)} → ${f(c.current)} (${sign}${f(c.change)})`;
  });
}

/** "+$5.1K (+11.8%)", or "+$5.1K" when there was nothing before to take a percentage of. */
export function changeText(
  change: { change: number; changePct: number | null },
  currency: Currency | null,
): string {
  const money = formatMoneyChange(change.change, currency);
  return change.changePct === null ? money : `${money} (${formatPercentChange(change.changePct)})`;
}

export function moneyOf(currency: Currency | null): (n: number) => string {
  return (n) => formatMoney(n, currency);
}

/** ISO 8601 week number of a "YYYY-MM-DD" date. */
export function isoWeek(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
  const thursday = t + (3 - weekday) * DAY_MS;
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday - yearStart) / (7 * DAY_MS));
}

/** A posted-at time as "17 Nov 2026, 09:12 UTC" (e-mail and fallbacks; Slack shows it in the reader's zone). */
export function postedText(iso: string): string | null {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  const d = new Date(t);
  const day = d.toISOString().slice(0, 10);
  const time = d.toISOString().slice(11, 16);
  return `${formatDateRange({ start: day, end: day })}, ${time} UTC`;
}

function periodName(
  period: ComparedPeriod,
  granularity: Comparison["periods"]["granularity"],
): string | null {
  const range = rangeOf(period);
  if (!range) return null;
  switch (granularity) {
    case "week":
      // "Week 47" only for a Monday-to-Sunday week; any other 7 days are named by their dates.
      return isMonday(range.start) && period.lengthDays === 7 ? `Week ${isoWeek(range.start)}` : null;
    case "month":
      return period.months.length === 1 && period.months[0] ? formatMonth(period.months[0]) : null;
    case "quarter":
      return `Q${Math.ceil(Number(range.start.slice(5, 7)) / 3)} ${range.start.slice(0, 4)}`;
    case "year":
      return range.start.slice(0, 4);
    case "day":
      return formatDateRange(range);
    case "other":
      return period.months.length === 1 && period.months[0] && period.basis === "months"
        ? formatMonth(period.months[0])
        : null;
  }
}

function rangeOf(period: ComparedPeriod): { start: string; end: string } | null {
  return period.start && period.end ? { start: period.start, end: period.end } : null;
}

function isMonday(day: string): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

const days = (n: number) => countOf(n, "day", "days");

/** A period label as it reads mid-sentence: "Week 46" -> "week 46". */
export function midSentence(text: string): string {
  // "Week 46" reads "week 46" mid-sentence; month names and dates keep their capitals.
  return text.startsWith("Week ") ? `week ${text.slice(5)}` : text;
}

function exactFormatter(currency: Currency | null): (n: number) => string {
  const prefix = currencyPrefix(currency);
  return (n) => exactMoney(n, prefix);
}
