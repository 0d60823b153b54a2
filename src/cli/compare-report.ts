import type {
  BreakdownChange,
  Change,
  Comparison,
  GroupContribution,
  PeriodWarning,
  SeriesMatch,
} from "../pipeline/compare/types.js";
import { cleanText } from "../ui/escape.js";
import { formatDateRange, formatMonth, formatPercent } from "../ui/format.js";
import { moneyFormatter } from "./report.js";

const label = cleanText;

const RELATION_WORDS: Record<Comparison["periods"]["relation"], string> = {
  consecutive: "consecutive periods",
  overlapping: "the newer file covers the older one and more: its new stretch against the stretch before",
  "same-period": "the same period exported again",
  gap: "periods with a gap between them",
  "previous-newer": "the older file covers later dates",
  undated: "no dates in one of the files: whole files compared",
  "latest-months": "the latest month against the one before",
};

const SERIES_WORDS: Record<SeriesMatch["reason"], string> = {
  headers: "the same columns",
  name: "the same file-name pattern, with compatible columns",
  "headers-and-name": "the same columns and file-name pattern",
};

/** A comparison for a terminal: the changes, then the drivers by region and category. */
export function renderComparisonText(comparison: Comparison, series: SeriesMatch | null): string {
  const money = moneyFormatter(comparison.currency?.code ?? null, comparison.currency?.symbol ?? null);
  const signedMoney = (n: number) => `${n > 0 ? "+" : ""}${money(n)}`;
  const lines: string[] = [];
  lines.push(`What changed: ${label(comparison.currentFile)} against ${label(comparison.previousFile)}`);
  lines.push("");
  lines.push(
    `  Series             ${series ? `recognised (${SERIES_WORDS[series.reason]})` : "not recognised as one series (compared as asked)"}`,
  );
  const p = comparison.periods;
  lines.push(`  Periods            ${periodText(p.current)} against ${periodText(p.previous)}`);
  lines.push(`                     (${RELATION_WORDS[p.relation]})`);
  for (const warning of p.warnings) lines.push(`  Note               ${warningText(warning)}`);
  const t = comparison.totals;
  lines.push(`  Net revenue        ${changeText(t.net, money, signedMoney)}`);
  lines.push(`  Total revenue      ${changeText(t.revenue, money, signedMoney)}`);
  const count = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
  const signedCount = (n: number) => `${n > 0 ? "+" : ""}${count(n)}`;
  if (t.units) lines.push(`  Units              ${changeText(t.units, count, signedCount)}`);
  if (t.orders) lines.push(`  Orders             ${changeText(t.orders, count, signedCount)}`);
  if (t.cancellationShare) {
    const c = t.cancellationShare;
    lines.push(
      `  Cancelled          ${formatPercent(c.previous)} -> ${formatPercent(c.current)} of revenue (${signedPoints(c.changePoints)})`,
    );
  }
  if (comparison.sameDays) {
    const s = comparison.sameDays;
    lines.push(
      `  Same days          ${formatDateRange(s.current)} against ${formatDateRange(s.previous)}: net ${changeText(s.net, money, signedMoney)}`,
    );
  }
  if (comparison.corrections) {
    if (comparison.corrections.length === 0) lines.push("  Corrections        none: every total is the same");
    for (const c of comparison.corrections) {
      const isMoney = c.field === "revenue" || c.field === "net";
      const show = isMoney ? money : count;
      lines.push(
        `  Corrected          ${c.field}: ${show(c.previous)} -> ${show(c.current)} (${isMoney ? signedMoney(c.change) : signedCount(c.change)})`,
      );
    }
  }
  for (const [title, breakdown] of [
    ["region", comparison.region],
    ["category", comparison.category],
  ] as const) {
    if (breakdown) lines.push("", ...breakdownLines(title, breakdown, signedMoney));
  }
  return `${lines.join("\n")}\n`;
}

function periodText(period: Comparison["periods"]["current"]): string {
  if (period.start === null || period.end === null) return "the whole file";
  if (period.basis === "months" && period.months.length > 0) {
    const first = period.months[0] as string;
    const last = period.months.at(-1) as string;
    const months = first === last ? formatMonth(first) : `${formatMonth(first)}-${formatMonth(last)}`;
    return `${months} (${formatDateRange({ start: period.start, end: period.end })})`;
  }
  return formatDateRange({ start: period.start, end: period.end });
}

function warningText(w: PeriodWarning): string {
  switch (w.kind) {
    case "partial-period":
      return `${formatMonth(w.month)} is partial in the ${w.side} file (sales on ${w.daysWithData} of ${w.daysInMonth} days)`;
    case "unequal-length":
      return `the periods differ in length (${w.previousDays} days before, ${w.currentDays} now)`;
    case "gap":
      return `${w.days} days between the two files are in neither`;
    case "previous-newer":
      return "the file compared with holds later dates than this one";
    case "undated":
      return "one of the files has no dates";
    case "currency-differs":
      return `the currencies differ (${label(w.previous ?? "?")} before, ${label(w.current ?? "?")} now)`;
  }
}

function changeText(c: Change, show: (n: number) => string, signed: (n: number) => string): string {
  const pct = c.changePct === null ? "" : `, ${c.changePct > 0 ? "+" : ""}${formatPercent(c.changePct)}`;
  return `${show(c.previous)} -> ${show(c.current)}  (${signed(c.change)}${pct})`;
}

function signedPoints(points: number): string {
  return `${points > 0 ? "+" : ""}${points.toFixed(1)} points`;
}

function breakdownLines(
  title: "region" | "category",
  b: BreakdownChange,
  signedMoney: (n: number) => string,
): string[] {
  const lines = [`By ${title} (change in net revenue; points of the total change)`];
  const row = (kind: string, g: GroupContribution) =>
    `  ${kind.padEnd(6)} ${label(g.name).slice(0, 30).padEnd(30)} ${signedMoney(g.change).padStart(14)}${
      g.points === null ? "" : `  ${signedPoints(g.points)}`
    }`;
  for (const g of b.up) lines.push(row("Up", g));
  for (const g of b.down) lines.push(row("Down", g));
  for (const g of b.appeared) lines.push(row("New", g));
  if (b.appearedCount > b.appeared.length) lines.push(`  + ${b.appearedCount - b.appeared.length} more new`);
  for (const g of b.disappeared) lines.push(row("Gone", g));
  if (b.disappearedCount > b.disappeared.length)
    lines.push(`  + ${b.disappearedCount - b.disappeared.length} more gone`);
  const pvm = b.priceVolumeMix;
  if (pvm) {
    const terms: [string, number][] = [
      ["volume", pvm.volume],
      ["price", pvm.price],
      ["mix", pvm.mix],
      ["new", pvm.newGroups],
      ["gone", pvm.vanishedGroups],
      ["without units", pvm.unpriced],
      ["outside any group", pvm.unassigned],
    ];
    const shown = terms.filter(([, v], i) => i < 3 || v !== 0);
    lines.push(`  Price / volume / mix: ${shown.map(([name, v]) => `${name} ${signedMoney(v)}`).join(", ")}`);
  }
  return lines;
}
