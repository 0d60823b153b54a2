import type { Analysis } from "../../pipeline/analyze.js";
import type { GroupRevenue, PooledGroups } from "../../pipeline/metrics.js";
import {
  type BreakdownRow,
  breakdownRows,
  changeColumnTitle,
  changeText,
  exactMoney,
  hasChange,
} from "../breakdown-rows.js";
import type { ChartDescription } from "../charts/describe.js";
import { cleanText } from "../escape.js";
import { currencyPrefix, formatInteger } from "../format.js";

/**
 * Slack's native chart (`data_visualization`) and sortable table (`data_table`) blocks, built from
 * the chart descriptions and the metrics. Every documented limit is enforced here, so a block Slack
 * would reject is never built: over-long texts are shortened with "…", never refused, and a table
 * that would have too many rows or characters pools its smallest groups into an "Other" row.
 * Where Slack's pages disagree (max 6 or 12 series, 101 or 201 rows, 10,000 or 20,000 characters),
 * the lower figure is used; see docs in ../shared/notes/slack-data-blocks.md.
 */
export const DATA_BLOCK_LIMITS = {
  chartTitle: 50,
  /** Series names, point labels and axis categories. */
  label: 20,
  axisLabel: 50,
  series: 6,
  pointsPerSeries: 20,
  chartsPerMessage: 2,
  /** Header row included. */
  tableRows: 101,
  tableColumns: 20,
  /** All cell texts of one table together (and of one message: we send one table). */
  tableCharacters: 10_000,
  pageSizeMax: 100,
} as const;

export interface DataPoint {
  label: string;
  value: number;
}

export interface DataSeries {
  name: string;
  data: DataPoint[];
}

export interface DataVisualizationBlock {
  type: "data_visualization";
  block_id?: string;
  title: string;
  chart: {
    type: "line" | "bar" | "area";
    series: DataSeries[];
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

export type TableCell =
  | { type: "raw_text"; text: string }
  | { type: "raw_number"; value: number; text: string };

export interface DataTableBlock {
  type: "data_table";
  block_id?: string;
  caption: string;
  page_size?: number;
  row_header_column_index?: number;
  rows: TableCell[][];
}

const ELLIPSIS = "…";

/**
 * A value from the file as text in a chart or table block: one line, and `<`, `>`, `&` swapped for
 * look-alikes. Slack treats those three as control characters even in plain text, and whether these
 * blocks decode `&lt;` is not documented: a look-alike shows the same name either way, costs one
 * character of the 20 allowed (an entity costs four or five), and can never ping or link.
 */
export function dataText(text: string): string {
  return cleanText(text).replace(/[<>&]/g, (ch) => DATA_LOOKALIKE[ch] ?? ch);
}

const DATA_LOOKALIKE: Record<string, string> = { "<": "\u2039", ">": "\u203A", "&": "\uFF06" };

/**
 * `text` in at most `max` UTF-16 code units (what a JavaScript validator counts, and never fewer
 * than the characters Slack counts), cut with "…" and never through a surrogate pair.
 */
export function shortenLabel(text: string, max: number): string {
  const clean = dataText(text);
  if (clean.length <= max) return clean;
  let end = max - ELLIPSIS.length;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${clean.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * Labels shortened to `max` and made unique (Slack matches points to categories by label, and
 * series names must be unique): a label that collides after shortening gets " 2", " 3"... at the
 * end, within `max`.
 */
export function uniqueLabels(labels: string[], max: number): string[] {
  const seen = new Set<string>();
  return labels.map((raw) => {
    const base = shortenLabel(raw, max) || "(blank)";
    let label = base;
    for (let n = 2; seen.has(label); n++) {
      const suffix = ` ${n}`;
      label = `${shortenLabel(base, max - suffix.length)}${suffix}`;
    }
    seen.add(label);
    return label;
  });
}

/** A chart description as a `data_visualization` block within every documented limit. */
export function chartBlock(chart: ChartDescription): DataVisualizationBlock {
  const L = DATA_BLOCK_LIMITS;
  const count = Math.min(chart.categories.length, L.pointsPerSeries);
  // Bars keep the largest groups (first); time keeps the latest points (last).
  const from = chart.kind === "line" ? chart.categories.length - count : 0;
  const categories = uniqueLabels(chart.categories.slice(from, from + count), L.label);
  const names = uniqueLabels(
    chart.series.slice(0, L.series).map((s) => s.name),
    L.label,
  );
  // Slack documents the value as a number but shows no decimal in any example: whole units when the
  // figures are large enough that cents are invisible on a chart anyway (the table has them exact).
  const largest = Math.max(
    0,
    ...chart.series.flatMap((s) => s.values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0))),
  );
  const point = largest >= 100 ? (v: number) => Math.round(v) || 0 : (v: number) => v;
  const series = chart.series.slice(0, L.series).map((s, i) => ({
    name: names[i] as string,
    // Exactly one point per category: a missing value is drawn as 0, never skipped.
    data: categories.map((label, j) => ({ label, value: point(finite(s.values[from + j])) })),
  }));
  return {
    type: "data_visualization",
    block_id: chart.id,
    title: shortenLabel(chart.title, L.chartTitle),
    chart: {
      type: chart.kind,
      series,
      axis_config: {
        categories,
        x_label: shortenLabel(chart.xLabel, L.axisLabel),
        y_label: shortenLabel(chart.yLabel, L.axisLabel),
      },
    },
  };
}

function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}

/** The longest group name shown in a table cell; Slack documents none, and longer ones help nobody. */
const MAX_TABLE_NAME = 60;
const TABLE_PAGE_SIZE = 10;

interface TableSection {
  noun: "Region" | "Category";
  groups: GroupRevenue[];
  pooled: PooledGroups | null;
}

/**
 * Every region and every category in one sortable table (Slack allows one table per message):
 * breakdown, name, gross revenue, net revenue, share of gross, units and the change vs the previous
 * month where they apply, rows. Numbers are `raw_number` cells so
 * columns sort numerically. When there are more groups than fit (100 rows, 10,000 characters), each
 * breakdown keeps its largest groups and one "Other (N more)" row holds the rest, so every section
 * still adds up. Null when the file has neither breakdown.
 */
export function breakdownTableBlock(
  analysis: Analysis,
  maxCharacters: number = DATA_BLOCK_LIMITS.tableCharacters,
): DataTableBlock | null {
  const sections: TableSection[] = [];
  if (analysis.revenueByRegion?.length) {
    sections.push({ noun: "Region", groups: analysis.revenueByRegion, pooled: analysis.pooled.region });
  }
  if (analysis.revenueByCategory?.length) {
    sections.push({ noun: "Category", groups: analysis.revenueByCategory, pooled: analysis.pooled.category });
  }
  if (sections.length === 0) return null;
  const money = moneyCell(currencyPrefix(analysis.currency));
  // Units where the file has a units column (analyses cached before per-group units existed have
  // none: the column is left out then).
  const withUnits = sections.every((s) => s.groups.every((g) => typeof g.units === "number"));
  // Change vs the previous month only where Metrics.monthOverMonth applies (the groups carry it then).
  const withChange = sections.every((s) => hasChange(s.groups));
  // A new group (nothing the month before) sorts above every percentage, an unknown change as 0.
  const newSortValue = withChange ? highestChangeValue(sections) + 1 : 0;
  const columns = { withUnits, withChange, newSortValue };
  // 8 columns at most, well within Slack's 20.
  const header: TableCell[] = [
    "Breakdown",
    "Name",
    "Gross revenue",
    "Net revenue",
    "Share",
    ...(withUnits ? ["Units"] : []),
    ...(withChange ? [changeColumnTitle(analysis)] : []),
    "Rows",
  ].map((t) => ({ type: "raw_text", text: t }));

  let budget = DATA_BLOCK_LIMITS.tableRows - 1;
  for (;;) {
    const rows = [
      header,
      ...sections.flatMap((s, i) => sectionRows(s, quota(sections, i, budget), money, analysis, columns)),
    ];
    const characters = tableCharacters(rows);
    if (characters > maxCharacters && budget <= sections.length * 2) return null;
    if (characters <= maxCharacters) {
      const shown = rows.length - 1;
      const total = sections.reduce((n, s) => n + s.groups.length + (s.pooled?.names ?? 0), 0);
      return {
        type: "data_table",
        block_id: "revenue-breakdown",
        caption:
          shown < total
            ? `Revenue by ${sections.map((s) => s.noun.toLowerCase()).join(" and ")} (largest groups; the rest as Other)`
            : `Revenue by ${sections.map((s) => s.noun.toLowerCase()).join(" and ")}`,
        page_size: TABLE_PAGE_SIZE,
        row_header_column_index: 1,
        rows,
      };
    }
    // Shrink in proportion to the overshoot, at least one row a round.
    budget = Math.min(budget - 1, Math.floor((budget * maxCharacters) / characters));
  }
}

/** How many rows section `i` may use out of `budget`: an equal split, unused rows passed on. */
function quota(sections: TableSection[], i: number, budget: number): number {
  const sizes = sections.map((s) => s.groups.length + (s.pooled ? 1 : 0));
  if (sections.length === 1) return budget;
  const half = Math.floor(budget / 2);
  const other = sizes[1 - i] as number;
  return Math.max(half, budget - Math.min(other, budget - half));
}

function sectionRows(
  section: TableSection,
  rows: number,
  money: (n: number) => TableCell,
  analysis: Analysis,
  columns: { withUnits: boolean; withChange: boolean; newSortValue: number },
): TableCell[][] {
  return breakdownRows(section.groups, section.pooled, analysis.totalRevenue, rows).map(
    (row): TableCell[] => {
      const share = Math.round(row.share * 1000) / 10;
      return [
        { type: "raw_text", text: section.noun },
        { type: "raw_text", text: shortenLabel(row.name, MAX_TABLE_NAME) || "(blank)" },
        money(row.revenue),
        money(row.netRevenue),
        { type: "raw_number", value: share, text: `${share.toFixed(1)}%` },
        ...(columns.withUnits ? [unitsCell(row.units)] : []),
        ...(columns.withChange ? [changeCell(row, columns.newSortValue)] : []),
        { type: "raw_number", value: row.rows, text: formatInteger(row.rows) },
      ];
    },
  );
}

/** Units as a sortable number; an Other row holding names past 5,000 has no known total ("n/a", 0). */
function unitsCell(units: number | null): TableCell {
  return units === null
    ? { type: "raw_number", value: 0, text: "n/a" }
    : { type: "raw_number", value: units, text: formatInteger(units) };
}

/**
 * The change vs the previous month as a percentage, like the Share column (value 50 for +50%, so the
 * column sorts numerically); a group with no sales the month before is "new", sorted above every
 * percentage (`newSortValue`); unknown (a name past 5,000, the Other row) is "n/a" sorted as 0.
 */
function changeCell(row: BreakdownRow, newSortValue: number): TableCell {
  const text = changeText(row);
  if (row.change === null) return { type: "raw_number", value: row.isNew ? newSortValue : 0, text };
  return { type: "raw_number", value: percentValue(row.change), text };
}

const percentValue = (change: number) => Math.round(change * 1000) / 10 || 0;

/** The largest change cell value of the table (0 when none is positive). */
function highestChangeValue(sections: TableSection[]): number {
  let highest = 0;
  for (const s of sections) {
    for (const g of s.groups)
      if (typeof g.change === "number") highest = Math.max(highest, percentValue(g.change));
  }
  return highest;
}

/** Exact money, to the cent, with thousands separators (the number sorts, the text shows). */
function moneyCell(prefix: string): (n: number) => TableCell {
  return (n) => ({ type: "raw_number", value: n, text: exactMoney(n, prefix) });
}

/** What counts against Slack's character limit: the text of every cell. */
export function tableCharacters(rows: TableCell[][]): number {
  return rows.reduce((n, row) => n + row.reduce((m, cell) => m + cell.text.length, 0), 0);
}
