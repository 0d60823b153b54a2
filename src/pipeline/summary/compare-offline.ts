import { formatDateRange, formatInteger, formatMonth, formatPercent, formatPoints } from "../../ui/format.js";
import { capitalise, countOf, joinWords } from "../../ui/words.js";
import type { BreakdownChange, Comparison, GroupContribution } from "../compare/types.js";
import { changeText, correctionLines, midSentence, moneyOf, periodLabel } from "./compare-wording.js";
import { driverSource, driverTerms } from "./drivers.js";

/** At most this many "What changed" sentences: the figures beside them carry the rest. */
export const MAX_WHAT_CHANGED = 3;
/** A model's answer may have one more than asked for before it is refused as malformed. */
export const MAX_WHAT_CHANGED_ANSWER = MAX_WHAT_CHANGED + 1;

/**
 * The "What changed" sentences written in code: the offline writer's, and the fallback for any of
 * Gemini's that cites a figure the comparison does not hold. In order of importance: the change in
 * net revenue over the compared periods (or a re-export's corrections), the same days of the month
 * when a partial month meets a whole one, the biggest movers, the price / volume / mix split, new
 * and vanished groups, and the cancellation share. A partial period is said in the first sentence,
 * so no medium can show the change without it. Pooled names are never named.
 */
export function writeOfflineWhatChanged(comparison: Comparison): string[] {
  const sentences: (string | null)[] = [
    totalsSentence(comparison),
    sameDaysSentence(comparison),
    moversSentence(comparison, primary(comparison)),
    driversSentence(comparison),
    newAndGoneSentence(comparison),
    cancellationSentence(comparison),
    moversSentence(comparison, secondary(comparison)),
  ];
  return sentences.filter((s): s is string => s !== null).slice(0, MAX_WHAT_CHANGED);
}

function totalsSentence(c: Comparison): string {
  if (c.periods.relation === "same-period") {
    const lines = correctionLines(c);
    if (c.corrections && c.corrections.length === 0) {
      return `This export repeats ${midSentence(periodLabel(c, "current"))} with no change to any total.`;
    }
    return `This export repeats ${midSentence(periodLabel(c, "current"))} with corrections: ${lines.join("; ")}.`;
  }
  const money = moneyOf(c.currency);
  const net = c.totals.net;
  const dated = c.periods.relation !== "undated";
  const now = dated ? ` in ${midSentence(periodLabel(c, "current"))}${partialNote(c, "current")}` : "";
  const before = dated
    ? ` in ${midSentence(periodLabel(c, "previous"))}${partialNote(c, "previous")}`
    : " in the earlier file";
  if (net.change === 0)
    return `Net revenue was unchanged at ${money(net.current)}${now}, the same as${before}.`;
  if (net.changePct === null)
    return `Net revenue was ${money(net.current)}${now}, against ${money(net.previous)}${before}.`;
  const verb = net.change > 0 ? "rose" : "fell";
  return `Net revenue ${verb} ${formatPercent(Math.abs(net.changePct))} (${signedMoney(c, net.change)}) to ${money(net.current)}${now}, from ${money(net.previous)}${before}.`;
}

/** " (10 of 30 days)": a partial month said right where its figure is. */
function partialNote(c: Comparison, side: "previous" | "current"): string {
  const partial = c.periods.warnings.flatMap((w) =>
    w.kind === "partial-period" && w.side === side
      ? [
          // A one-month period is already named by its month: "Nov 2026 (only 10 of 30 days)".
          `${c.periods[side].months.length === 1 ? "" : `${formatMonth(w.month)}: `}only ${formatInteger(w.daysWithData)} of ${formatInteger(w.daysInMonth)} days`,
        ]
      : [],
  );
  return partial.length > 0 ? ` (${partial.join("; ")})` : "";
}

function sameDaysSentence(c: Comparison): string | null {
  const same = c.sameDays;
  if (!same) return null;
  const range = `${formatDateRange(same.current)} against ${formatDateRange(same.previous)}`;
  return `Over the same days of the month (${range}), net revenue changed by ${changeText(same.net, c.currency)}.`;
}

function moversSentence(
  c: Comparison,
  which: { noun: string; change: BreakdownChange } | null,
): string | null {
  if (!which) return null;
  // New and vanished groups have a sentence of their own.
  const up = steady(which.change.up)[0];
  const down = steady(which.change.down)[0];
  const parts: string[] = [];
  if (up)
    parts.push(
      `${up.name} ${up.status === "new" ? "is new and added the most" : "added the most"} (${mover(c, up)})`,
    );
  if (down)
    parts.push(
      `${down.name} ${down.status === "vanished" ? "is gone and took away the most" : "lost the most"} (${mover(c, down)})`,
    );
  if (parts.length === 0) return null;
  return `By ${which.noun}, ${parts.join(" and ")}.`;
}

/** "+$4.2K, +9.7 pts": the group's change and its points of the total's % change. */
function mover(c: Comparison, g: GroupContribution): string {
  const money = signedMoney(c, g.change);
  return g.points === null ? money : `${money}, ${formatPoints(g.points)}`;
}

function driversSentence(c: Comparison): string | null {
  const source = driverSource(c);
  const pvm = source?.breakdown.priceVolumeMix;
  if (!source || !pvm) return null;
  const terms = driverTerms(pvm, source.noun).map(([name, value]) => `${name} ${signedMoney(c, value)}`);
  if (terms.length === 0) return null;
  const units =
    pvm.unitsPrevious !== pvm.unitsCurrent
      ? `; units went from ${formatInteger(pvm.unitsPrevious)} to ${formatInteger(pvm.unitsCurrent)}`
      : "";
  return `Behind the change: ${joinWords(terms)}${units}.`;
}

function newAndGoneSentence(c: Comparison): string | null {
  const parts: string[] = [];
  for (const [noun, nouns, b] of [
    ["region", "regions", c.region],
    ["category", "categories", c.category],
  ] as const) {
    if (!b) continue;
    const appeared = named(b.appeared);
    const gone = named(b.disappeared);
    if (b.appearedCount > 0 && appeared[0])
      parts.push(
        `${countOf(b.appearedCount, `new ${noun}`, `new ${nouns}`)}${lead(c, appeared[0], b.appearedCount)}`,
      );
    if (b.disappearedCount > 0 && gone[0])
      parts.push(
        `${countOf(b.disappearedCount, `${noun} gone`, `${nouns} gone`)}${lead(c, gone[0], b.disappearedCount)}`,
      );
  }
  if (parts.length === 0) return null;
  return `${capitalise(joinWords(parts))}.`;
}

function lead(c: Comparison, g: GroupContribution, count: number): string {
  return count === 1
    ? ` (${g.name}, ${signedMoney(c, g.change)})`
    : `, the largest ${g.name} (${signedMoney(c, g.change)})`;
}

function cancellationSentence(c: Comparison): string | null {
  const share = c.totals.cancellationShare;
  if (!share) return null;
  // Under a twentieth of a point the share has not moved in any sense a reader would act on.
  if (Math.abs(share.changePoints) < 0.05) return null;
  return `Cancellations and returns went from ${formatPercent(share.previous)} to ${formatPercent(share.current)} of gross revenue (${formatPoints(share.changePoints)}).`;
}

function primary(c: Comparison): { noun: string; change: BreakdownChange } | null {
  if (c.region && hasMovers(c.region)) return { noun: "region", change: c.region };
  if (c.category && hasMovers(c.category)) return { noun: "category", change: c.category };
  return null;
}

function secondary(c: Comparison): { noun: string; change: BreakdownChange } | null {
  const first = primary(c);
  if (first?.change === c.region && c.category && hasMovers(c.category))
    return { noun: "category", change: c.category };
  return null;
}

function hasMovers(b: BreakdownChange): boolean {
  return steady(b.up).length > 0 || steady(b.down).length > 0;
}

/** Named groups present in both periods: the movers, as new and vanished ones are listed apart. */
export function steady(groups: GroupContribution[]): GroupContribution[] {
  return named(groups).filter((g) => g.status === "both");
}

/** The groups that may be named: never the entry that pools the names past the tracked ones. */
export function named(groups: GroupContribution[]): GroupContribution[] {
  return groups.filter((g) => !g.pooled);
}

function signedMoney(c: Comparison, value: number): string {
  return changeText({ change: value, changePct: null }, c.currency);
}
