import type { Analysis } from "../pipeline/analyze.js";
import type { GroupRevenue, PooledGroups } from "../pipeline/metrics.js";
import type { ExecutiveSummary, SummarySentence } from "../pipeline/summary/types.js";
import { cleanText } from "./escape.js";
import { formatDateRange, formatInteger, formatMoney, formatPercent } from "./format.js";
import { countOf, joinWords, plural } from "./words.js";

/**
 * What a summary message says, independent of the medium: the Slack and e-mail renderers both lay
 * out this content, so they say the same things in the same words. Every string here is plain,
 * unescaped text (much of it straight from the file); the renderers escape it for their medium.
 */

export const TOP_GROUPS = 5;

export interface Kpi {
  label: string;
  value: string;
}

export interface SentenceList {
  title: string;
  items: string[];
}

export interface BreakdownRow {
  name: string;
  revenue: string;
  share: string;
}

export interface Breakdown {
  /** "Top regions by gross revenue": the title says which revenue the figures are. */
  title: string;
  /** Gross: every row, cancelled ones included (the metrics' group revenue); net leaves those out. */
  basis: "gross" | "net";
  /** The file's header for the column, when it says more than the title ("Territory"). */
  column: string | null;
  rows: BreakdownRow[];
  /** "+195 more regions", or null when every group is listed. */
  more: string | null;
}

export interface SummaryContent {
  fileName: string;
  /** "Jan-Mar 2026", or null when the file has no dates. */
  period: string | null;
  /** "6 rows analysed (1 skipped) · sheet “Orders”". */
  meta: string;
  headline: string;
  kpis: Kpi[];
  lists: SentenceList[];
  breakdowns: Breakdown[];
  notes: string[];
  /** Who wrote the summary and what was checked. */
  footer: string;
}

export interface ContentOptions {
  /** The name the user knows the file by; defaults to the analysed file's name. */
  fileName?: string;
}

export function summaryContent(
  analysis: Analysis,
  summary: ExecutiveSummary,
  options: ContentOptions = {},
): SummaryContent {
  const currency = analysis.currency;
  const money = (n: number) => formatMoney(n, currency);
  // Net is the headline; gross (every row, cancellations included) sits beside it, since the
  // breakdowns and shares below are of gross revenue.
  const kpis: Kpi[] = [
    { label: "Net revenue", value: money(analysis.netRevenue) },
    { label: "Gross revenue", value: money(analysis.totalRevenue) },
  ];
  if (analysis.totalUnits !== null) kpis.push({ label: "Units", value: formatInteger(analysis.totalUnits) });
  kpis.push({ label: "Orders", value: formatInteger(analysis.orders) });
  if (analysis.averageOrderValue !== null)
    kpis.push({ label: "Average order value", value: money(analysis.averageOrderValue) });
  if (analysis.dateRange) kpis.push({ label: "Period", value: formatDateRange(analysis.dateRange) });
  const c = analysis.cancellations;
  if (c) {
    kpis.push({
      label: "Cancellations",
      value:
        c.count === 0
          ? "None"
          : `${countOf(c.count, "row", "rows")} · ${money(c.revenue)} (${formatPercent(c.revenueShare)} of gross revenue)`,
    });
  }

  const lists: SentenceList[] = [
    { title: "Key findings", items: texts(summary.keyFindings) },
    { title: "Risks", items: texts(summary.risks) },
    { title: "Recommended actions", items: texts(summary.actions) },
  ].filter((l) => l.items.length > 0);

  const breakdowns: Breakdown[] = [];
  const regions = breakdown(
    analysis.revenueByRegion,
    analysis.pooled.region,
    analysis.columns.region,
    "region",
    "regions",
    money,
  );
  if (regions) breakdowns.push(regions);
  const categories = breakdown(
    analysis.revenueByCategory,
    analysis.pooled.category,
    analysis.columns.category,
    "category",
    "categories",
    money,
  );
  if (categories) breakdowns.push(categories);

  return {
    fileName: displayFileName(options.fileName, analysis.source.name),
    period: analysis.dateRange ? formatDateRange(analysis.dateRange) : null,
    meta: meta(analysis),
    headline: cleanText(summary.headline.text),
    kpis,
    lists,
    breakdowns,
    notes: analysis.notes.map(cleanText).filter((n) => n.length > 0),
    footer: summaryFooter(summary),
  };
}

function displayFileName(given: string | undefined, analysed: string): string {
  const name = cleanText(given ?? "") || cleanText(analysed);
  return name || "Untitled file";
}

function texts(sentences: SummarySentence[]): string[] {
  return sentences.map((s) => cleanText(s.text)).filter((t) => t.length > 0);
}

function meta(a: Analysis): string {
  const parts = [`${countOf(a.rows, "row", "rows")} analysed`];
  if (a.rowsSkipped.count > 0) parts[0] += ` (${formatInteger(a.rowsSkipped.count)} skipped)`;
  if (a.source.sheet !== null) parts.push(`sheet “${cleanText(a.source.sheet)}”`);
  if (a.revenueSource !== "column") parts.push("revenue = units × unit price");
  return parts.join(" · ");
}

function breakdown(
  groups: GroupRevenue[] | null,
  pooled: PooledGroups | null,
  column: string | null,
  singular: string,
  pluralNoun: string,
  money: (n: number) => string,
): Breakdown | null {
  if (!groups || groups.length === 0) return null;
  const header = column === null ? "" : cleanText(column);
  // Names the fold pooled (past the first 5,000) are more groups too, though never listed by name.
  const rest = groups.length + (pooled?.names ?? 0) - TOP_GROUPS;
  return {
    title: `Top ${pluralNoun} by gross revenue`,
    basis: "gross",
    column: header && header.toLowerCase() !== singular ? header : null,
    rows: groups.slice(0, TOP_GROUPS).map((g) => ({
      name: cleanText(g.name) || "(blank)",
      revenue: money(g.revenue),
      share: formatPercent(g.share),
    })),
    more: rest > 0 ? `+${formatInteger(rest)} more ${plural(rest, singular, pluralNoun)}` : null,
  };
}

const LIST_NAMES = [
  ["whatChanged", "sentences on what changed", "sentence on what changed"],
  ["keyFindings", "key findings", "key finding"],
  ["risks", "risks", "risk"],
  ["actions", "recommended actions", "recommended action"],
] as const;

/**
 * The footer line: who wrote the summary, whether its figures were checked against the data, and
 * that Gemini saw only aggregates. For a mixed summary it names the parts written without Gemini.
 */
export function summaryFooter(summary: ExecutiveSummary): string {
  const reason = summary.offlineReason === null ? "" : cleanText(summary.offlineReason);
  const parts: string[] = [];
  if (summary.writer === "offline") {
    parts.push(reason ? `Written without Gemini: ${reason}` : "Written without Gemini");
    if (!summary.verified) parts.push("Some figures could not be verified against your data");
    return parts.join(" · ");
  }
  if (summary.writer === "mixed") {
    const replaced = replacedParts(summary);
    const why = reason ? ` (${reason})` : "";
    parts.push(
      replaced.length > 0
        ? `Written by Gemini; replaced without Gemini: ${joinWords(replaced)}${why}`
        : `Partly written without Gemini${why}`,
    );
  }
  parts.push(
    summary.verified
      ? "Figures verified against your data"
      : "Some figures could not be verified against your data",
  );
  parts.push("Only aggregated metrics were sent to Gemini");
  return parts.join(" · ");
}

function replacedParts(summary: ExecutiveSummary): string[] {
  const replaced: string[] = [];
  if (summary.headline.source === "offline") replaced.push("the headline");
  for (const [key, many, one] of LIST_NAMES) {
    const list = summary[key] ?? [];
    const offline = list.filter((s) => s.source === "offline").length;
    if (offline === 0) continue;
    if (offline === list.length) replaced.push(`the ${list.length === 1 ? one : many}`);
    else replaced.push(`${offline} of ${list.length} ${many}`);
  }
  return replaced;
}
