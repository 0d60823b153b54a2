import type { ComparisonContext } from "../../pipeline/compare/context.js";
import type { BreakdownChange, Comparison } from "../../pipeline/compare/types.js";
import type { Metrics } from "../../pipeline/metrics.js";
import { named } from "../../pipeline/summary/compare-offline.js";
import { periodsLine, shortPeriodLabel } from "../../pipeline/summary/compare-wording.js";
import { cleanText } from "../escape.js";
import { formatMoney } from "../format.js";
import { type ChartDescription, describeCharts } from "./describe.js";

/**
 * Grouped bars: the groups that moved most, each with its net revenue in the previous period and in
 * this one. Six groups (twelve bars) is what stays readable in a 300px-high chart and on a phone.
 */
export const COMPARED_GROUPS = 6;
/** Slack shows at most two charts in a message; the e-mail shows the same two. */
const CHARTS = 2;

/**
 * The charts of a summary that has a comparison: the line over time stays first (it is this file's
 * own trend, which the comparison does not show), and the comparison chart takes the place of the
 * gross-revenue-by-group bars. Those bars show this period's group sizes, which the comparison chart
 * also shows (beside the previous period's), and the table below the charts lists every group
 * exactly; so within Slack's two charts, the pair "trend + what changed" says the most. Without a
 * comparison (or with nothing to draw), the usual charts.
 */
export function chartsWithComparison(
  metrics: Metrics,
  comparison: ComparisonContext | null | undefined,
): ChartDescription[] {
  const usual = describeCharts(metrics);
  const compared = comparison ? describeComparisonChart(comparison.comparison) : null;
  if (!compared) return usual.slice(0, CHARTS);
  return [...usual.filter((c) => c.id === "revenue-over-time"), compared].slice(0, CHARTS);
}

/**
 * Net revenue before and after for the regions (else categories) that moved most, largest change
 * first; the pooled entry is never a bar (it is not one group). With no breakdown, the two periods'
 * net and gross totals. Null when there is nothing to compare.
 */
export function describeComparisonChart(c: Comparison): ChartDescription | null {
  const byRegion = c.region && named(c.region.contributions).length > 0;
  const breakdown: BreakdownChange | null = byRegion ? c.region : c.category;
  const groups = breakdown ? named(breakdown.contributions).slice(0, COMPARED_GROUPS) : [];
  const previousName = shortPeriodLabel(c, "previous");
  let currentName = shortPeriodLabel(c, "current");
  // Series names must differ (Slack matches them by name).
  if (currentName === previousName) currentName = `${currentName} (now)`;
  const money = (n: number) => formatMoney(n, c.currency);
  const tag = c.currency ? ` (${c.currency.code ?? c.currency.symbol})` : "";

  let categories: string[];
  let previous: number[];
  let current: number[];
  let title: string;
  let xLabel: string;
  let yLabel: string;
  if (groups.length > 0) {
    categories = groups.map((g) => cleanText(g.name) || "(blank)");
    previous = groups.map((g) => g.previous);
    current = groups.map((g) => g.current);
    title = `Net revenue by ${byRegion ? "region" : "category"}, biggest changes${tag}`;
    xLabel = byRegion ? "Region" : "Category";
    yLabel = `Net revenue${tag}`;
  } else {
    categories = ["Net revenue", "Gross revenue"];
    previous = [c.totals.net.previous, c.totals.revenue.previous];
    current = [c.totals.net.current, c.totals.revenue.current];
    title = `Revenue, both periods${tag}`;
    xLabel = "Total";
    yLabel = `Revenue${tag}`;
  }
  if ([...previous, ...current].every((v) => v === 0)) return null;
  const listed = categories
    .map((name, i) => `${name}: ${money(previous[i] ?? 0)} → ${money(current[i] ?? 0)}`)
    .join("; ");
  return {
    id: "revenue-compared",
    kind: "bar",
    title,
    categories,
    series: [
      { name: previousName, values: previous },
      { name: currentName, values: current },
    ],
    xLabel,
    yLabel,
    currency: c.currency,
    description: `${title}, ${periodsLine(c)}. ${listed}.`,
  };
}
