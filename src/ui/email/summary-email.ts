import mjml2html from "mjml";
import type { Analysis } from "../../pipeline/analyze.js";
import type { ComparisonContext } from "../../pipeline/compare/context.js";
import type { ExecutiveSummary } from "../../pipeline/summary/types.js";
import { breakdownRows, changeColumnTitle, changeText, exactMoney, hasChange } from "../breakdown-rows.js";
import { chartsWithComparison } from "../charts/compare-chart.js";
import type { ChartDescription } from "../charts/describe.js";
import { CHART_HEIGHT, CHART_WIDTH } from "../charts/size.js";
import { type WhatChangedContent, whatChangedContent } from "../comparison-text.js";
import { cleanText, clip, escapeHtml } from "../escape.js";
import { currencyPrefix, formatPercent } from "../format.js";
import { type ContentOptions, type SummaryContent, summaryContent } from "../summary-content.js";
import { CELL, COLOR, heading, tableName } from "./style.js";
import { whatChangedMjml, whatChangedText } from "./what-changed.js";

export interface SummaryEmail {
  subject: string;
  html: string;
  text: string;
  /** The charts as PNGs, shown in the HTML by `cid:` (inline attachments, never remote URLs). */
  images: InlineImage[];
}

export interface InlineImage {
  /** What the HTML's `cid:` refers to. */
  contentId: string;
  filename: string;
  contentType: "image/png";
  content: Buffer;
}

export interface SummaryEmailOptions extends ContentOptions {
  /** false: no chart images (default true). */
  charts?: boolean;
  /** The upload (or month) compared with: a "What changed" section opens the e-mail, as in Slack. */
  comparison?: ComparisonContext | null;
}

/** What the e-mail shows beyond the shared content: chart images and the full breakdown tables. */
export interface EmailExtras {
  charts: { contentId: string; alt: string }[];
  tables: FullTable[];
  whatChanged?: WhatChangedContent | null;
}

export interface FullTable {
  title: string;
  /** The latest month's revenue vs the previous month's, per row: only where that comparison applies. */
  withChange: boolean;
  /** The change column's title, naming its months: "Mar vs Feb". */
  changeTitle: string;
  rows: { name: string; revenue: string; netRevenue: string; share: string; change: string }[];
}

/**
 * Rows per breakdown table in the e-mail; past that the smallest groups are one "Other" row. Two
 * tables of 50 rows with long names stay well under the 102 KB of HTML past which Gmail clips.
 */
export const MAX_TABLE_ROWS = 50;
/** Shown width of a chart in the 600px column (its padding is 24px each side). */
const CHART_SHOWN_WIDTH = 552;

/** mjml found errors in the template: a bug in this file, never the user's data (that is escaped). */
export class EmailTemplateError extends Error {
  override name = "EmailTemplateError";
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown }) {
    super(`The summary e-mail template is invalid MJML:\n${problems.join("\n")}`, options);
    this.problems = problems;
  }
}

const SUBJECT_FILE_MAX = 120;

const h = escapeHtml;

/**
 * The summary as an e-mail: subject, HTML (MJML: one 600px column, tables and inline styles that
 * Gmail and Outlook render) and a plain-text part with the same content. Every value from the file
 * or the model is HTML-escaped before it enters the template; mjml passes text through as written.
 * Rejects with EmailTemplateError if mjml's strict validation finds anything wrong.
 */
export async function buildSummaryEmail(
  analysis: Analysis,
  summary: ExecutiveSummary,
  options: SummaryEmailOptions = {},
): Promise<SummaryEmail> {
  const content = summaryContent(analysis, summary, options);
  const subject = emailSubject(content);
  const images: InlineImage[] = [];
  const charts: EmailExtras["charts"] = [];
  // The same two charts as the Slack message (with a comparison: the trend and both periods).
  const described = options.charts === false ? [] : chartsWithComparison(analysis, options.comparison);
  if (described.length > 0) {
    // Loaded when first needed: ECharts and resvg add start-up time the Slack app need not pay up front.
    const { renderChart } = await import("../charts/render.js");
    for (const chart of described) {
      const png = renderPng(renderChart, chart);
      if (!png) continue;
      images.push({
        contentId: chart.id,
        filename: `${chart.id}.png`,
        contentType: "image/png",
        content: png,
      });
      charts.push({ contentId: chart.id, alt: chart.description });
    }
  }
  const extras: EmailExtras = {
    charts,
    tables: fullTables(analysis),
    whatChanged: options.comparison ? whatChangedContent(options.comparison, summary.whatChanged) : null,
  };
  const html = await renderMjml(summaryMjml(content, subject, extras));
  return { subject, html, text: summaryText(content, subject, extras), images };
}

/** A chart that fails to draw is left out: the e-mail goes without it rather than not at all. */
function renderPng(
  render: (chart: ChartDescription) => { png: Buffer },
  chart: ChartDescription,
): Buffer | null {
  try {
    return render(chart).png;
  } catch {
    return null;
  }
}

/** Every region and every category (up to MAX_TABLE_ROWS each), gross and net, exact to the cent. */
export function fullTables(analysis: Analysis): FullTable[] {
  const prefix = currencyPrefix(analysis.currency);
  const tables: FullTable[] = [];
  const add = (
    noun: string,
    column: string | null,
    groups: typeof analysis.revenueByRegion,
    pooled: typeof analysis.pooled.region,
  ) => {
    if (!groups || groups.length === 0) return;
    const header = column === null ? "" : cleanText(column);
    const title = `Revenue by ${noun}${header && header.toLowerCase() !== noun ? ` (${header})` : ""}`;
    const withChange = hasChange(groups);
    tables.push({
      title,
      withChange,
      changeTitle: changeColumnTitle(analysis),
      rows: breakdownRows(groups, pooled, analysis.totalRevenue, MAX_TABLE_ROWS).map((r) => ({
        name: r.other ? r.name : cleanText(r.name) || "(blank)",
        revenue: exactMoney(r.revenue, prefix),
        netRevenue: exactMoney(r.netRevenue, prefix),
        share: formatPercent(r.share),
        change: withChange ? changeText(r) : "",
      })),
    });
  };
  add("region", analysis.columns.region, analysis.revenueByRegion, analysis.pooled.region);
  add("category", analysis.columns.category, analysis.revenueByCategory, analysis.pooled.category);
  return tables;
}

/** "Sales insights: <file> (<period>)": one line, whatever the file name holds. */
export function emailSubject(content: Pick<SummaryContent, "fileName" | "period">): string {
  const file = clip(cleanText(content.fileName), SUBJECT_FILE_MAX);
  return content.period ? `Sales insights: ${file} (${content.period})` : `Sales insights: ${file}`;
}

/** Renders MJML to HTML; any validation error rejects with EmailTemplateError. */
export async function renderMjml(source: string): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    // strict: mjml throws on any validation error instead of rendering around it.
    result = await mjml2html(source, { validationLevel: "strict", keepComments: false, fonts: {} });
  } catch (error) {
    const problems = (error as { errors?: { formattedMessage?: string; message?: string }[] }).errors;
    throw new EmailTemplateError(
      problems?.map((p) => p.formattedMessage ?? p.message ?? String(p)) ?? [String(error)],
      { cause: error },
    );
  }
  if (result.errors.length > 0) throw new EmailTemplateError(result.errors.map((p) => p.formattedMessage));
  return result.html;
}

/** The MJML document. Only `h(...)` output and this file's own literals go into it. */
export function summaryMjml(
  content: SummaryContent,
  subject: string,
  extras: EmailExtras = { charts: [], tables: [] },
): string {
  const body: string[] = [];
  const kicker = content.period ? `Sales insights · ${content.period}` : "Sales insights";
  body.push(`<mj-text font-size="12px" color="${COLOR.muted}" padding-bottom="0">${h(kicker)}</mj-text>`);
  body.push(
    `<mj-text padding-top="4px"><h1 style="margin:0;font-size:22px;line-height:28px;font-weight:700;">${h(content.fileName)}</h1></mj-text>`,
  );
  body.push(`<mj-text font-size="13px" color="${COLOR.muted}" padding-top="0">${h(content.meta)}</mj-text>`);
  if (extras.whatChanged) {
    body.push(`<mj-divider />`, ...whatChangedMjml(extras.whatChanged), `<mj-divider />`);
  }
  if (content.headline) {
    body.push(
      `<mj-text font-size="17px" line-height="24px" font-weight="700">${h(content.headline)}</mj-text>`,
    );
  }
  body.push(kpiTable(content));
  for (const chart of extras.charts) {
    // width/height: the space is kept while a client asks before showing images.
    body.push(
      `<mj-image src="cid:${h(chart.contentId)}" alt="${h(chart.alt)}" width="${CHART_SHOWN_WIDTH}px" height="${Math.round((CHART_SHOWN_WIDTH * CHART_HEIGHT) / CHART_WIDTH)}px" padding="12px 24px 4px 24px" />`,
    );
  }

  if (content.lists.length > 0) {
    body.push(`<mj-divider />`);
    for (const list of content.lists) {
      const items = list.items.map((s) => `<li style="margin:0 0 6px 0;">${h(s)}</li>`).join("");
      body.push(
        `<mj-text>${heading(list.title)}<ul style="margin:0;padding:0 0 0 20px;">${items}</ul></mj-text>`,
      );
    }
  }
  if (extras.tables.length > 0) {
    body.push(`<mj-divider />`);
    for (const t of extras.tables) {
      body.push(`<mj-text padding-bottom="0">${heading(t.title)}</mj-text>`);
      body.push(fullTable(t));
    }
  } else if (content.breakdowns.length > 0) {
    body.push(`<mj-divider />`);
    for (const b of content.breakdowns) {
      const title = b.column ? `${b.title} (${b.column})` : b.title;
      body.push(`<mj-text padding-bottom="0">${heading(title)}</mj-text>`);
      body.push(breakdownTable(b.rows, b.more, b.basis));
    }
  }
  if (content.notes.length > 0) {
    const items = content.notes.map((n) => `<li style="margin:0 0 4px 0;">${h(n)}</li>`).join("");
    body.push(
      `<mj-text font-size="13px" line-height="19px" color="${COLOR.muted}"><strong>Data notes</strong><ul style="margin:4px 0 0 0;padding:0 0 0 20px;">${items}</ul></mj-text>`,
    );
  }

  return `<mjml lang="en">
  <mj-head>
    <mj-title>${h(subject)}</mj-title>
    <mj-preview>${h(content.headline || subject)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="${COLOR.text}" padding="8px 24px" />
      <mj-table font-size="14px" line-height="20px" color="${COLOR.text}" padding="8px 24px" cellpadding="0" cellspacing="0" />
      <mj-divider border-width="1px" border-color="${COLOR.rule}" padding="12px 24px" />
    </mj-attributes>
  </mj-head>
  <mj-body width="600px" background-color="${COLOR.page}">
    <mj-section background-color="${COLOR.card}" padding="20px 0">
      <mj-column>
        ${body.join("\n        ")}
      </mj-column>
    </mj-section>
    <mj-section padding="12px 0 24px 0">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="${COLOR.muted}" align="center">${h(content.footer)}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
}

function kpiTable(content: SummaryContent): string {
  const rows = content.kpis
    .map(
      (k) =>
        `<tr><td style="${CELL}color:${COLOR.muted};">${h(k.label)}</td><td style="${CELL}text-align:right;font-weight:700;">${h(k.value)}</td></tr>`,
    )
    .join("");
  return `<mj-table>${rows}</mj-table>`;
}

function breakdownTable(
  rows: SummaryContent["breakdowns"][number]["rows"],
  more: string | null,
  basis: "gross" | "net",
): string {
  const revenue = basis === "gross" ? "Gross revenue" : "Net revenue";
  const head = `<tr><th style="${CELL}text-align:left;color:${COLOR.muted};font-weight:400;">Name</th><th style="${CELL}text-align:right;color:${COLOR.muted};font-weight:400;">${revenue}</th><th style="${CELL}text-align:right;color:${COLOR.muted};font-weight:400;width:72px;">Share</th></tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td style="${CELL}">${h(tableName(r.name))}</td><td style="${CELL}text-align:right;">${h(r.revenue)}</td><td style="${CELL}text-align:right;">${h(r.share)}</td></tr>`,
    )
    .join("");
  const tail = more
    ? `<tr><td colspan="3" style="padding:6px 0;color:${COLOR.muted};">${h(more)}</td></tr>`
    : "";
  return `<mj-table>${head}${body}${tail}</mj-table>`;
}

function fullTable(table: FullTable): string {
  const th = (text: string, align: string, extra = "") =>
    `<th style="${CELL}text-align:${align};color:${COLOR.muted};font-weight:400;${extra}">${text}</th>`;
  const change = table.withChange ? th(h(table.changeTitle), "right", "width:84px;") : "";
  const head = `<tr>${th("Name", "left")}${th("Gross", "right", "width:112px;")}${th("Net", "right", "width:112px;")}${th("Share", "right", "width:60px;")}${change}</tr>`;
  const body = table.rows
    .map(
      (r) =>
        `<tr><td style="${CELL}">${h(tableName(r.name))}</td><td style="${CELL}text-align:right;">${h(r.revenue)}</td><td style="${CELL}text-align:right;">${h(r.netRevenue)}</td><td style="${CELL}text-align:right;">${h(r.share)}</td>${table.withChange ? `<td style="${CELL}text-align:right;">${h(r.change)}</td>` : ""}</tr>`,
    )
    .join("");
  return `<mj-table>${head}${body}</mj-table>`;
}

/** The plain-text part: the same content, one value per line, no markup. */
export function summaryText(
  content: SummaryContent,
  subject: string,
  extras: EmailExtras = { charts: [], tables: [] },
): string {
  const lines: string[] = [subject, content.meta, ""];
  if (extras.whatChanged) lines.push(...whatChangedText(extras.whatChanged), "");
  if (content.headline) lines.push(content.headline, "");
  const width = Math.max(...content.kpis.map((k) => k.label.length));
  for (const k of content.kpis) lines.push(`${`${k.label}:`.padEnd(width + 2)}${k.value}`);
  // The charts in words (their alt text): the same numbers for readers without images.
  for (const chart of extras.charts) lines.push("", chart.alt);
  for (const list of content.lists) {
    lines.push("", list.title);
    for (const item of list.items) lines.push(`- ${item}`);
  }
  for (const t of extras.tables) {
    lines.push("", `${t.title}: gross · net · share${t.withChange ? ` · ${t.changeTitle}` : ""}`);
    t.rows.forEach((r, i) => {
      const change = t.withChange ? ` · ${r.change}` : "";
      lines.push(`${i + 1}. ${tableName(r.name)} · ${r.revenue} · ${r.netRevenue} · ${r.share}${change}`);
    });
  }
  for (const b of extras.tables.length > 0 ? [] : content.breakdowns) {
    lines.push("", b.column ? `${b.title} (${b.column})` : b.title);
    b.rows.forEach((r, i) => {
      lines.push(`${i + 1}. ${tableName(r.name)} · ${r.revenue} · ${r.share}`);
    });
    if (b.more) lines.push(b.more);
  }
  if (content.notes.length > 0) {
    lines.push("", "Data notes");
    for (const note of content.notes) lines.push(`- ${note}`);
  }
  lines.push("", "--", content.footer);
  return `${lines.join("\n")}\n`;
}
