/**
 * How two uploads' periods relate, and which figures to compare so that like meets like.
 *
 * - Same dates: a re-export (corrections); the whole files are compared.
 * - The current file starts after the previous one ends: consecutive (a gap of up to
 *   MAX_CONSECUTIVE_GAP days, a weekend or a holiday, still counts), else a gap (flagged). A longer
 *   previous file is cut to its last stretch as long as the current one (previousTail).
 * - The current file covers the previous one's end and goes further (a year-to-date file that grew):
 *   only the new stretch is compared, with the equal stretch just before it, both from the current
 *   file (its figures include any corrections): by whole months when the new stretch starts on the
 *   1st, else by days when the file has day figures, else its latest month against the one before.
 * - The current file ends no later than the previous one: previous-newer (flagged; whole files).
 * - Either file undated: whole files, flagged.
 * When the two sides differ in length by more than LENGTH_TOLERANCE days (a 10-day month against a
 * whole one), the partial month is flagged, and when both sides have day figures the same days are
 * compared too (days 1-10 of each month): totals only, as groups are not kept by day.
 */

import { isDailyDense } from "../time-series.js";
import {
  addDays,
  addMonths,
  dayNumber,
  daysInMonth,
  lengthInDays,
  monthEnd,
  monthOf,
  monthStart,
  monthsBetween,
} from "./calendar.js";
import { LENGTH_TOLERANCE, partialMonths } from "./month-coverage.js";
import type { ComparedPeriod, PeriodComparison, PeriodRelation, PeriodWarning, Snapshot } from "./types.js";

/** Days between two files that still make them consecutive: a weekend plus a holiday. */
export const MAX_CONSECUTIVE_GAP = 3;
export { LENGTH_TOLERANCE } from "./month-coverage.js";

/** Which snapshot a side's figures come from, and which of them. */
export type Selection =
  | { from: "previous" | "current"; basis: "whole-file" }
  | { from: "previous" | "current"; basis: "months"; months: string[] }
  | { from: "previous" | "current"; basis: "days"; start: string; end: string };

export interface DayWindow {
  from: "previous" | "current";
  start: string;
  end: string;
}

export interface PeriodPlan {
  periods: PeriodComparison;
  previous: Selection;
  current: Selection;
  /** The same days on both sides, when the sides differ in length and day figures exist. */
  sameDays: { previous: DayWindow; current: DayWindow } | null;
}

type Range = { start: string; end: string };

export function planPeriods(previous: Snapshot, current: Snapshot): PeriodPlan {
  const p = previous.dateRange;
  const c = current.dateRange;
  const whole = (relation: PeriodRelation, extra: PeriodWarning[] = []) =>
    finish(
      relation,
      previous,
      current,
      { from: "previous", basis: "whole-file" },
      {
        from: "current",
        basis: "whole-file",
      },
      extra,
    );
  if (!p || !c) return whole("undated", [{ kind: "undated" }]);
  if (p.start === c.start && p.end === c.end) return whole("same-period");
  if (c.start > p.end) {
    const gap = dayNumber(c.start) - dayNumber(p.end) - 1;
    const relation = gap <= MAX_CONSECUTIVE_GAP ? "consecutive" : "gap";
    const extra: PeriodWarning[] = relation === "gap" ? [{ kind: "gap", days: gap }] : [];
    const tail = previousTail(previous, p, c);
    if (!tail) return whole(relation, extra);
    // The current side by months too when the previous one is, so both come from the same grid.
    const currentSelection: Selection =
      tail.basis === "months"
        ? { from: "current", basis: "months", months: current.months.map((m) => m.month) }
        : { from: "current", basis: "whole-file" };
    return finish(relation, previous, current, tail, currentSelection, extra);
  }
  if (c.end > p.end) return planOverlap(previous, current, p, c);
  return whole("previous-newer", [{ kind: "previous-newer" }]);
}

/** Within one file: the latest month against the month before (null with fewer than two months). */
export function planLatestMonths(snapshot: Snapshot): PeriodPlan | null {
  const last = snapshot.months.at(-1);
  const before = snapshot.months.at(-2);
  if (!last || !before || !snapshot.dateRange) return null;
  return finish(
    "latest-months",
    snapshot,
    snapshot,
    { from: "previous", basis: "months", months: [before.month] },
    { from: "current", basis: "months", months: [last.month] },
    [],
  );
}

function planOverlap(previous: Snapshot, current: Snapshot, p: Range, c: Range): PeriodPlan {
  const newStart = addDays(p.end, 1);
  const newMonths = monthsBetween(newStart, c.end);
  const months = new Set(current.months.map((m) => m.month));
  // Whole months: the new stretch starts on the 1st, and as many months before it are in the file.
  if (newStart === monthStart(monthOf(newStart))) {
    const before = newMonths.map((_, i) => addMonths(monthOf(newStart), i - newMonths.length));
    if (before.every((m) => months.has(m)) && newMonths.every((m) => months.has(m))) {
      return finish(
        "overlapping",
        previous,
        current,
        { from: "current", basis: "months", months: before },
        { from: "current", basis: "months", months: newMonths },
        [],
      );
    }
  }
  // Days: the new stretch against the same number of days just before it.
  const length = lengthInDays(newStart, c.end);
  const beforeStart = addDays(newStart, -length);
  if (current.days && covers(current.days, beforeStart, c.end)) {
    return finish(
      "overlapping",
      previous,
      current,
      { from: "current", basis: "days", start: beforeStart, end: addDays(newStart, -1) },
      { from: "current", basis: "days", start: newStart, end: c.end },
      [],
    );
  }
  // Otherwise the file's latest month against the month before (a partial month is flagged).
  const last = current.months.at(-1);
  const prior = current.months.at(-2);
  if (last && prior) {
    return finish(
      "overlapping",
      previous,
      current,
      { from: "current", basis: "months", months: [prior.month] },
      { from: "current", basis: "months", months: [last.month] },
      [],
    );
  }
  return finish(
    "overlapping",
    previous,
    current,
    { from: "previous", basis: "whole-file" },
    { from: "current", basis: "whole-file" },
    [
      {
        kind: "unequal-length",
        previousDays: lengthInDays(p.start, p.end),
        currentDays: lengthInDays(c.start, c.end),
      },
    ],
  );
}

/**
 * A previous file longer than the current one (a year-to-date backfill, then a month; four weeks,
 * then one) is cut to its end, as long as the current one: its last months when the current file
 * starts on the 1st, else its last days when it has day figures. Null when it is not longer, or
 * cannot be cut (the whole files are compared and the unequal length flagged).
 */
function previousTail(previous: Snapshot, p: Range, c: Range): Selection | null {
  const currentLength = lengthInDays(c.start, c.end);
  const previousLength = lengthInDays(p.start, p.end);
  if (previousLength <= currentLength + LENGTH_TOLERANCE) return null;
  if (c.start === monthStart(monthOf(c.start))) {
    // Read by month: cut only when the previous file holds more months (a month in progress
    // against one whole month is flagged and compared day for day instead, in finish()).
    const count = monthsBetween(c.start, c.end).length;
    const months = previous.months.map((m) => m.month);
    const lastMonth = monthOf(p.end);
    const lastMonthWhole =
      lengthInDays(monthStart(lastMonth), p.end) >= daysInMonth(lastMonth) - LENGTH_TOLERANCE;
    return months.length > count && lastMonthWhole
      ? { from: "previous", basis: "months", months: months.slice(-count) }
      : null;
  }
  // Read by days (weeks, rolling windows): a current file of at least MIN_TAIL_DAYS against a
  // previous one at least twice as long. A week in progress (3 days) is compared with the same
  // weekdays of the whole previous week instead.
  if (currentLength < MIN_TAIL_DAYS || previousLength < currentLength * 2) return null;
  const start = addDays(p.end, -(currentLength - 1));
  return previous.days && covers(previous.days, start, p.end)
    ? { from: "previous", basis: "days", start, end: p.end }
    : null;
}

/** A current file shorter than this is a period in progress, not a period to cut the previous one to. */
const MIN_TAIL_DAYS = 5;

function covers(days: readonly { day: string }[], start: string, end: string): boolean {
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  return first !== undefined && last !== undefined && first <= start && last >= end;
}

/** ISO days sort as text; Math.max does not take strings. */
function laterDay(a: string, b: string): string {
  return [a, b].sort()[1] as string;
}

function earlierDay(a: string, b: string): string {
  return [a, b].sort()[0] as string;
}

/** The dates a side's figures cover. */
function sideRange(snapshot: Snapshot, selection: Selection): Range | null {
  const range = snapshot.dateRange;
  if (!range) return null;
  if (selection.basis === "whole-file") return range;
  if (selection.basis === "days") return { start: selection.start, end: selection.end };
  const first = selection.months[0] as string;
  const last = selection.months.at(-1) as string;
  return { start: laterDay(monthStart(first), range.start), end: earlierDay(monthEnd(last), range.end) };
}

function compared(selection: Selection, range: Range | null): ComparedPeriod {
  return {
    start: range?.start ?? null,
    end: range?.end ?? null,
    basis: selection.basis,
    months:
      selection.basis === "months" ? selection.months : range ? monthsBetween(range.start, range.end) : [],
    lengthDays: range ? lengthInDays(range.start, range.end) : null,
    partialMonths: range ? partialMonths(range).map((m) => m.month) : [],
  };
}

function finish(
  relation: PeriodRelation,
  previous: Snapshot,
  current: Snapshot,
  previousSelection: Selection,
  currentSelection: Selection,
  extra: PeriodWarning[],
): PeriodPlan {
  const source = (s: Selection) => (s.from === "previous" ? previous : current);
  const pRange = sideRange(source(previousSelection), previousSelection);
  const cRange = sideRange(source(currentSelection), currentSelection);
  const warnings: PeriodWarning[] = [...extra];
  let sameDays: PeriodPlan["sameDays"] = null;
  if (pRange && cRange) {
    const pLength = lengthInDays(pRange.start, pRange.end);
    const cLength = lengthInDays(cRange.start, cRange.end);
    if (Math.abs(pLength - cLength) > LENGTH_TOLERANCE) {
      const partial = [
        ...partialWarnings("previous", source(previousSelection), pRange),
        ...partialWarnings("current", source(currentSelection), cRange),
      ];
      if (partial.length > 0) warnings.push(...partial);
      else warnings.push({ kind: "unequal-length", previousDays: pLength, currentDays: cLength });
      sameDays = sameDaysWindows(
        { from: previousSelection.from, snapshot: source(previousSelection), range: pRange },
        { from: currentSelection.from, snapshot: source(currentSelection), range: cRange },
      );
    }
  }
  const currencyOf = (s: Snapshot) => s.currency?.code ?? s.currency?.symbol ?? null;
  const previousCurrency = currencyOf(previous);
  const currentCurrency = currencyOf(current);
  if (previousCurrency !== null && currentCurrency !== null && previousCurrency !== currentCurrency) {
    warnings.push({ kind: "currency-differs", previous: previousCurrency, current: currentCurrency });
  }
  const periods: PeriodComparison = {
    relation,
    previousRange: previous.dateRange,
    currentRange: current.dateRange,
    previous: compared(previousSelection, pRange),
    current: compared(currentSelection, cRange),
    granularity: granularity(pRange, cRange),
    warnings,
  };
  return { periods, previous: previousSelection, current: currentSelection, sameDays };
}

/**
 * A side read by calendar month (it starts on the 1st) whose months are not all covered. A week
 * or a rolling window is not a month reading: its shortfall is an unequal length, not a partial month.
 */
function partialWarnings(side: "previous" | "current", snapshot: Snapshot, range: Range): PeriodWarning[] {
  if (range.start !== monthStart(monthOf(range.start))) return [];
  // The rule the monthly series follows (time-series.ts): only a daily-dense log can call an edge month
  // partial. Six orders over a quarter that end on 10 March say nothing about March being cut short,
  // and the summary does not call it partial either; the unequal lengths are still said.
  if (isSparse(snapshot)) return [];
  return partialMonths(range).map(({ month }) => ({
    kind: "partial-period",
    side,
    month,
    daysWithData: snapshot.months.find((m) => m.month === month)?.daysWithData ?? 0,
    daysInMonth: daysInMonth(month),
  }));
}

/** Too few of the file's days have sales to call an edge month partial (the monthly series' rule). */
function isSparse(snapshot: Snapshot): boolean {
  if (!snapshot.dateRange) return false;
  const span = lengthInDays(snapshot.dateRange.start, snapshot.dateRange.end);
  const days = snapshot.months.reduce((sum, m) => sum + m.daysWithData, 0);
  return !isDailyDense(days, span);
}

/** The longer side cut to the shorter one's length from its start, when both have day figures there. */
function sameDaysWindows(
  previous: { from: "previous" | "current"; snapshot: Snapshot; range: Range },
  current: { from: "previous" | "current"; snapshot: Snapshot; range: Range },
): PeriodPlan["sameDays"] {
  const length = Math.min(
    lengthInDays(previous.range.start, previous.range.end),
    lengthInDays(current.range.start, current.range.end),
  );
  const window = (side: typeof previous): DayWindow | null => {
    const end = addDays(side.range.start, length - 1);
    if (!side.snapshot.days || !covers(side.snapshot.days, side.range.start, end)) return null;
    return { from: side.from, start: side.range.start, end };
  };
  const p = window(previous);
  const c = window(current);
  return p && c ? { previous: p, current: c } : null;
}

function granularity(p: Range | null, c: Range | null): PeriodComparison["granularity"] {
  if (!p || !c) return "other";
  const lengths = [lengthInDays(p.start, p.end), lengthInDays(c.start, c.end)];
  if (lengths.every((l) => l === 1)) return "day";
  const ranges = [p, c];
  const starts = ranges.map((r) => r.start.slice(8, 10) === "01");
  if (starts.every(Boolean)) {
    const spans = ranges.map((r) => monthsBetween(r.start, r.end));
    const firstMonth = (r: Range) => Number(r.start.slice(5, 7));
    if (spans.every((s) => s.length === 1)) return "month";
    if (spans.every((s) => s.length === 3) && ranges.every((r) => (firstMonth(r) - 1) % 3 === 0))
      return "quarter";
    if (spans.every((s) => s.length === 12) && ranges.every((r) => firstMonth(r) === 1)) return "year";
  }
  if (lengths.every((l) => l >= 5 && l <= 7)) return "week";
  return "other";
}
