import type { Analysis } from "../../pipeline/analyze.js";
import type { ComparisonContext } from "../../pipeline/compare/context.js";
import type { ExecutiveSummary } from "../../pipeline/summary/types.js";
import { chartsWithComparison } from "../charts/compare-chart.js";
import { whatChangedContent } from "../comparison-text.js";
import { clipEscaped, escapeSlackPlainText, escapeSlackText } from "../escape.js";
import {
  type Breakdown,
  type ContentOptions,
  type SentenceList,
  summaryContent,
} from "../summary-content.js";
import { type ActionsBlock, type Block, context, divider, fieldsSection, header, section } from "./blocks.js";
import { breakdownTableBlock, chartBlock, DATA_BLOCK_LIMITS } from "./data-blocks.js";
import { enforceLimits, SLACK_LIMITS } from "./limits.js";
import { whatChangedBlocks } from "./what-changed.js";

export type { Block } from "./blocks.js";

export interface SummaryMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped like the blocks). */
  text: string;
  blocks: Block[];
}

export interface SummaryMessageOptions extends ContentOptions {
  /** Buttons shown just above the footer, counted with every other block against Slack's limits. */
  actions?: ActionsBlock;
  /**
   * Which of Slack's newer blocks to use (default: both). Without `table`, the top groups are
   * mrkdwn lists as before; without `charts`, there are no charts. The use case turns one off for
   * the rest of the process when Slack refuses it (invalid_blocks).
   */
  rich?: RichBlocks;
  /**
   * The upload (or month) this file was compared with: a "What changed" section opens the summary,
   * and a chart of both periods replaces the revenue-by-group bars (see chartsWithComparison).
   */
  comparison?: ComparisonContext | null;
}

export interface RichBlocks {
  /** `data_visualization`: revenue over time and by region/category. */
  charts: boolean;
  /** `data_table`: every region and category, sortable, in place of the top-5 lists. */
  table: boolean;
}

export const ALL_RICH_BLOCKS: RichBlocks = { charts: true, table: true };

const HEADER_PREFIX = "Sales insights: ";
/** Longest sentence or group name shown; anything longer is pathological and is cut with "…". */
const MAX_SENTENCE = 1000;
const MAX_GROUP_NAME = 80;
const MAX_NOTES = 3;
const FALLBACK_MAX = 3000;

const e = escapeSlackText;

/**
 * The summary as one Slack message: header (file name), run facts, headline, KPI fields, the
 * findings/risks/actions lists, top regions and categories, data notes and a footer saying who wrote
 * the summary. Sections use mrkdwn text objects (verbatim, escaped), not `markdown` blocks: mrkdwn has
 * a documented escape for the characters that ping and link, whereas a `markdown` block parses
 * standard Markdown, may expand into several blocks and has no documented way to show `<!channel>`
 * as text. Pure: no I/O; the result always fits Block Kit's limits.
 */
export function buildSummaryMessage(
  analysis: Analysis,
  summary: ExecutiveSummary,
  options: SummaryMessageOptions = {},
): SummaryMessage {
  const content = summaryContent(analysis, summary, options);
  const blocks: Block[] = [];

  const name = clipEscaped(
    content.fileName,
    SLACK_LIMITS.headerText - HEADER_PREFIX.length,
    escapeSlackPlainText,
  );
  blocks.push(header(`${HEADER_PREFIX}${name}`));
  blocks.push(context([e(content.meta)]));
  const changed = options.comparison ? whatChangedContent(options.comparison, summary.whatChanged) : null;
  if (changed) {
    blocks.push(...whatChangedBlocks(changed));
    blocks.push(divider());
  }
  if (content.headline) blocks.push(section(`*${clipEscaped(content.headline, MAX_SENTENCE, e)}*`));
  blocks.push(fieldsSection(content.kpis.map((k) => `*${e(k.label)}*\n${e(k.value)}`)));

  if (content.lists.length > 0) {
    blocks.push(divider());
    for (const list of content.lists) blocks.push(section(sentenceList(list)));
  }
  const rich = options.rich ?? ALL_RICH_BLOCKS;
  const charts = rich.charts
    ? chartsWithComparison(analysis, options.comparison)
        .slice(0, DATA_BLOCK_LIMITS.chartsPerMessage)
        .map(chartBlock)
    : [];
  const table = rich.table ? breakdownTableBlock(analysis) : null;
  if (charts.length > 0 || table || content.breakdowns.length > 0) blocks.push(divider());
  blocks.push(...charts);
  if (table) blocks.push(table);
  else for (const b of content.breakdowns) blocks.push(section(breakdownText(b)));
  if (content.notes.length > 0) blocks.push(context([notesText(content.notes)]));
  if (options.actions) blocks.push(options.actions);
  blocks.push(context([e(content.footer)]));

  const money = content.kpis[0]?.value ?? "";
  const change = changed ? ` · ${changed.gist}` : "";
  const fallback = content.headline
    ? `${content.fileName}: ${content.headline} · Net revenue ${money}${change}`
    : `${content.fileName}: Net revenue ${money}${change}`;
  return { text: clipEscaped(fallback, FALLBACK_MAX, e), blocks: enforceLimits(blocks) };
}

function sentenceList(list: SentenceList): string {
  return fitLines(
    `*${e(list.title)}*`,
    list.items.map((s) => `• ${clipEscaped(s, MAX_SENTENCE, e)}`),
    (n) => `• … ${n} more`,
  );
}

function breakdownText(b: Breakdown): string {
  const title = b.column ? `*${e(b.title)}* (${e(b.column)})` : `*${e(b.title)}*`;
  const lines = b.rows.map(
    (r, i) => `${i + 1}. *${clipEscaped(r.name, MAX_GROUP_NAME, e)}* · ${e(r.revenue)} · ${e(r.share)}`,
  );
  if (b.more) lines.push(e(b.more));
  return fitLines(title, lines, (n) => `… ${n} more`);
}

function notesText(notes: string[]): string {
  const shown = notes.slice(0, MAX_NOTES).map((n) => `• ${clipEscaped(n, MAX_SENTENCE, e)}`);
  if (notes.length > MAX_NOTES) shown.push(`• +${notes.length - MAX_NOTES} more`);
  return fitLines("*Data notes*", shown, (n) => `• … ${n} more`);
}

/**
 * A title and as many whole lines as fit in one section text; when some do not fit, a last line
 * says how many were left out.
 */
function fitLines(title: string, lines: string[], more: (n: number) => string): string {
  const max = SLACK_LIMITS.sectionText;
  let text = title;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? 1 + more(rest).length : 0;
    if (text.length + 1 + line.length + reserve > max) return `${text}\n${more(lines.length - i)}`;
    text += `\n${line}`;
  }
  return text;
}
