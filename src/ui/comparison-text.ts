import type { ComparisonContext } from "../pipeline/compare/context.js";
import type { BreakdownChange, Change, Comparison, GroupContribution } from "../pipeline/compare/types.js";
import { named, steady } from "../pipeline/summary/compare-offline.js";
import {
  changeText,
  correctionLines,
  moneyOf,
  periodsLine,
  postedText,
  relationNote,
  warningSentence,
} from "../pipeline/summary/compare-wording.js";
import { driverSource, driverTerms } from "../pipeline/summary/drivers.js";
import type { SummarySentence } from "../pipeline/summary/types.js";
import { cleanText } from "./escape.js";
import {
  formatDateRange,
  formatInteger,
  formatMoneyChange,
  formatPercent,
  formatPercentChange,
  formatPoints,
} from "./format.js";

/**
 * The "What changed" section, independent of the medium: the Slack message and the e-mail lay out
 * this content, so they say the same things in the same words. Plain, unescaped text (group and file
 * names straight from the files); the renderers escape it. Every figure is formatted by format.ts.
 */

export interface ChangeFigure {
  label: string;
  previous: string;
  current: string;
  /** "+$6.7K (+15.5%)", "-0.9 pts". */
  change: string;
}

export interface Mover {
  /** From the file: escape before showing. */
  name: string;
  /** "+$4.2K (+9.7 pts)", "+$2.3K (new)". */
  change: string;
}

export interface MoverList {
  /** "Regions up", "New categories". */
  title: string;
  items: Mover[];
  /** "+4 more" when the list was cut (new and gone groups only). */
  more: string | null;
}

export interface ComparedUpload {
  /** From the file's upload: escape before showing. */
  fileName: string;
  /** ISO 8601, for media that show times in the reader's zone. */
  postedAt: string;
  /** "17 Nov 2026, 09:12 UTC"; null when the time could not be read. */
  posted: string | null;
  /** A Slack permalink, only when it is a plain https URL. */
  link: string | null;
}

export interface WhatChangedContent {
  title: string;
  /** "Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)". */
  periods: string;
  /** How the periods were chosen (an overlap trimmed, a file's own months), or null. */
  relation: string | null;
  /** Every period warning: a partial month, unequal lengths, a gap, no dates, currencies. */
  warnings: string[];
  /** The summary's "What changed" sentences (Gemini's, checked, or the offline writer's). */
  sentences: string[];
  figures: ChangeFigure[];
  /** Like-for-like days when a partial month meets a whole one. */
  sameDays: string | null;
  /** A re-export's corrections, one line each (empty otherwise). */
  corrections: string[];
  movers: MoverList[];
  newAndGone: MoverList[];
  /**
   * "volume +$3.7K · price +$3.3K · mix +$800 · vanished categories -$1.1K": the terms that drove the
   * change (they sum to it but for any left out as rounding residue or noise, see drivers.ts).
   */
  drivers: string | null;
  /** The upload compared with; null for a file's own latest months. */
  upload: ComparedUpload | null;
  /** Why that upload: "the previous upload of this series", "asked for with /insights compare". */
  chosenBy: string;
  /** The change for notifications: "Week 47: net revenue +$6.7K (+15.5%) vs week 46". */
  gist: string;
}

export const SECTION_TITLE = "What changed";
const NO_CHANGE = "no change";
/** Movers per direction and breakdown (the engine lists 3). */
const MOVERS = 3;
const NEW_AND_GONE = 5;

const CHOSEN_BY: Record<ComparisonContext["chosenBy"], string> = {
  series: "found as the previous upload of this series",
  explicit: "as asked with /insights compare",
  "latest-months": "its latest month against the month before",
};

export function whatChangedContent(
  context: ComparisonContext,
  sentences: SummarySentence[] | undefined = undefined,
): WhatChangedContent {
  const c = context.comparison;
  // A file's own months are named by the source line below; the note would say it twice.
  const note = context.previous ? relationNote(c) : null;
  return {
    title: SECTION_TITLE,
    periods: periodsLine(c),
    relation: note,
    warnings: c.periods.warnings.map(warningSentence),
    sentences: (sentences ?? []).map((s) => cleanText(s.text)).filter((t) => t.length > 0),
    figures: figures(c),
    sameDays: c.sameDays
      ? `net revenue ${changeText(c.sameDays.net, c.currency)} (${formatDateRange(c.sameDays.current)} vs ${formatDateRange(c.sameDays.previous)})`
      : null,
    corrections: correctionLines(c),
    movers: [...moverLists(c, c.region, "Regions"), ...moverLists(c, c.category, "Categories")],
    newAndGone: [
      ...newAndGone(c, c.region, "regions", "Regions"),
      ...newAndGone(c, c.category, "categories", "Categories"),
    ],
    drivers: drivers(c),
    upload: context.previous
      ? {
          fileName: cleanText(context.previous.fileName) || "Untitled file",
          postedAt: context.previous.postedAt,
          posted: postedText(context.previous.postedAt),
          link: safeLink(context.previous.link),
        }
      : null,
    chosenBy: CHOSEN_BY[context.chosenBy],
    gist: gist(c),
  };
}

/** "Compared with sales_w46.csv, posted 17 Nov 2026, 09:12 UTC (found as the previous upload of this series)". */
export function sourceLine(content: WhatChangedContent): string {
  const upload = content.upload;
  if (!upload) return `Compared within this file: ${content.chosenBy}.`;
  const posted = upload.posted ? `, posted ${upload.posted}` : "";
  return `Compared with ${upload.fileName}${posted} (${content.chosenBy}).`;
}

function figures(c: Comparison): ChangeFigure[] {
  const t = c.totals;
  const out: ChangeFigure[] = [
    moneyFigure("Net revenue", t.net, c),
    moneyFigure("Gross revenue", t.revenue, c),
  ];
  if (t.cancellationShare) {
    const share = t.cancellationShare;
    out.push({
      label: "Cancellations (share of gross)",
      previous: formatPercent(share.previous),
      current: formatPercent(share.current),
      change: formatPoints(share.changePoints),
    });
  }
  if (t.units) out.push(countFigure("Units", t.units));
  if (t.orders) out.push(countFigure("Orders", t.orders));
  return out;
}

function moneyFigure(label: string, ch: Change, c: Comparison): ChangeFigure {
  const money = moneyOf(c.currency);
  return {
    label,
    previous: money(ch.previous),
    current: money(ch.current),
    change: changeText(ch, c.currency),
  };
}

function countFigure(label: string, ch: Change): ChangeFigure {
  if (ch.change === 0)
    return {
      label,
      previous: formatInteger(ch.previous),
      current: formatInteger(ch.current),
      change: NO_CHANGE,
    };
  const sign = ch.change > 0 ? "+" : "";
  const pct = ch.changePct === null ? "" : ` (${formatPercentChange(ch.changePct)})`;
  return {
    label,
    previous: formatInteger(ch.previous),
    current: formatInteger(ch.current),
    change: `${sign}${formatInteger(ch.change)}${pct}`,
  };
}

function moverLists(c: Comparison, b: BreakdownChange | null, noun: string): MoverList[] {
  if (!b) return [];
  const lists: MoverList[] = [];
  // New and gone groups are listed apart (newAndGone), not twice.
  const up = steady(b.up).slice(0, MOVERS);
  const down = steady(b.down).slice(0, MOVERS);
  if (up.length > 0) lists.push({ title: `${noun} up`, items: up.map((g) => mover(c, g)), more: null });
  if (down.length > 0) lists.push({ title: `${noun} down`, items: down.map((g) => mover(c, g)), more: null });
  return lists;
}

function mover(c: Comparison, g: GroupContribution): Mover {
  const money = formatMoneyChange(g.change, c.currency);
  const detail =
    g.status === "new"
      ? "new"
      : g.status === "vanished"
        ? "gone"
        : g.points === null
          ? null
          : formatPoints(g.points);
  return { name: cleanText(g.name) || "(blank)", change: detail ? `${money} (${detail})` : money };
}

function newAndGone(c: Comparison, b: BreakdownChange | null, nouns: string, title: string): MoverList[] {
  if (!b) return [];
  const lists: MoverList[] = [];
  const money = (g: GroupContribution) => formatMoneyChange(g.change, c.currency);
  const list = (label: string, groups: GroupContribution[], count: number) => {
    const shown = named(groups).slice(0, NEW_AND_GONE);
    if (shown.length === 0) return;
    const rest = count - shown.length;
    lists.push({
      title: label,
      items: shown.map((g) => ({ name: cleanText(g.name) || "(blank)", change: money(g) })),
      more: rest > 0 ? `+${formatInteger(rest)} more` : null,
    });
  };
  list(`New ${nouns}`, b.appeared, b.appearedCount);
  list(`${title} gone`, b.disappeared, b.disappearedCount);
  return lists;
}

function drivers(c: Comparison): string | null {
  const source = driverSource(c);
  const pvm = source?.breakdown.priceVolumeMix;
  if (!source || !pvm) return null;
  const terms = driverTerms(pvm, source.noun).map(
    ([name, value]) => `${name} ${formatMoneyChange(value, c.currency)}`,
  );
  if (terms.length === 0) return null;
  return terms.join(" · ");
}

/**
 * The change for notifications, with the periods it is about (the message's own net revenue is the
 * whole file's): "Week 47: net revenue +$6.7K (+15.5%) vs week 46".
 */
function gist(c: Comparison): string {
  const change = changeText(c.totals.net, c.currency);
  if (c.periods.relation === "same-period") {
    return c.corrections && c.corrections.length > 0
      ? `Re-export: net revenue ${change}`
      : "Re-export: no totals changed";
  }
  const [current, previous] = periodsLine(c)
    .split(" vs ")
    .map((p) => p.replace(/ \(.*\)$/, ""));
  if (c.periods.relation === "undated" || !current || !previous)
    return `Net revenue ${change} vs the earlier file`;
  return `${current}: net revenue ${change} vs ${previous}`;
}

/** Only a plain https URL becomes a link: anything else could break out of Slack's `<url|text>`. */
function safeLink(link: string | null): string | null {
  return link && /^https:\/\/[^\s<>|"'`]+$/.test(link) ? link : null;
}
