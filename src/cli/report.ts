import type { Analysis } from "../pipeline/analyze.js";
import type { ComparisonContext } from "../pipeline/compare/context.js";
import type { GroupRevenue, PooledGroups } from "../pipeline/metrics.js";
import type { ExecutiveSummary } from "../pipeline/summary/types.js";
import { changeColumnTitle, changeText, hasChange } from "../ui/breakdown-rows.js";
import { whatChangedContent } from "../ui/comparison-text.js";
import { cleanText, clip } from "../ui/escape.js";
import { formatPercent } from "../ui/format.js";
import { summaryFooter } from "../ui/summary-content.js";
import { whatChangedLines } from "./what-changed.js";

const TOP_GROUPS = 8;

/**
 * Every value from the file (or written by a model) goes through this: one line, no control
 * characters, so a cell cannot send escape sequences to the terminal or break the layout. main.ts
 * strips control characters from all output once more as a safety net.
 */
const label = cleanText;

/**
 * A plain-text report for a terminal: "What changed" when there is a comparison (first, as in the
 * Slack message), the summary, then the same figures as --json, laid out for people.
 */
export function renderTextReport(
  a: Analysis,
  summary?: ExecutiveSummary,
  comparison: ComparisonContext | null = null,
): string {
  const money = moneyFormatter(a.currency?.code ?? null, a.currency?.symbol ?? null);
  const lines: string[] = [];
  const where = a.source.sheet ? ` (sheet "${label(a.source.sheet)}")` : "";
  lines.push(`Sales insights: ${label(a.source.name)}${where}`);
  lines.push("");
  if (comparison) lines.push(...whatChangedLines(whatChangedContent(comparison, summary?.whatChanged)), "");
  if (summary) lines.push(...summaryLines(summary), "");
  lines.push(
    `  Rows analysed      ${int(a.rows)}${a.rowsSkipped.count > 0 ? `  (${int(a.rowsSkipped.count)} skipped)` : ""}`,
  );
  if (a.dateRange) lines.push(`  Period             ${a.dateRange.start} to ${a.dateRange.end}`);
  lines.push(
    `  Total revenue      ${money(a.totalRevenue)}${a.revenueSource === "column" ? "" : "  (units x unit price)"}`,
  );
  lines.push(`  Net revenue        ${money(a.netRevenue)}  (cancellations and returns left out)`);
  if (a.totalUnits !== null) lines.push(`  Units              ${int(a.totalUnits)}`);
  if (a.averageOrderValue !== null)
    lines.push(`  Avg order value    ${money(a.averageOrderValue)}  over ${int(a.orders)} orders`);
  if (a.cancellations) {
    lines.push(
      `  Cancellations      ${int(a.cancellations.count)} rows, ${money(a.cancellations.revenue)} (${pct(a.cancellations.rate)} of rows)`,
    );
  }
  if (a.pipeline) {
    const p = a.pipeline;
    const deals = (b: { count: number; value: number }) => `${int(b.count)} deals, ${money(b.value)}`;
    lines.push(`  Won deals          ${deals(p.won)}  (the revenue above; stage in ${label(p.stageColumn)})`);
    lines.push(`  Lost deals         ${deals(p.lost)}`);
    lines.push(`  Open pipeline      ${deals(p.open)}`);
    if (p.winRate !== null)
      lines.push(
        `  Win rate           ${pct(p.winRate)} of closed deals${p.winRateByValue !== null ? `, ${pct(p.winRateByValue)} by value` : ""}`,
      );
  }
  if (a.shape?.orderLines) {
    const o = a.shape.orderLines;
    lines.push(
      `  Order lines        ${int(o.continuationRows)} rows continue an order (${label(o.orderColumn)}): units and products only`,
    );
  }
  if (a.shape?.discount) {
    const d = a.shape.discount;
    lines.push(`  Discounts          ${money(d.total)} taken off (${label(d.column)}): revenue is net`);
  }
  if (a.monthOverMonth && a.monthOverMonth.change !== null) {
    lines.push(
      `  Latest month       ${a.monthOverMonth.to}: ${signedPct(a.monthOverMonth.change)} vs ${a.monthOverMonth.from}`,
    );
  }
  if (a.topTransaction) {
    const t = a.topTransaction;
    const parts = [t.date, t.region, t.category, t.product]
      .map((part) => (part ? label(part) : ""))
      .filter(Boolean)
      .join(", ");
    lines.push(`  Largest row        ${money(t.revenue)} (row ${t.rowNumber}${parts ? `: ${parts}` : ""})`);
  }
  const changeTitle = changeColumnTitle(a);
  section(
    lines,
    `Revenue by region (${label(a.columns.region ?? "")})`,
    a.revenueByRegion,
    a.pooled.region,
    money,
    changeTitle,
  );
  section(
    lines,
    `Revenue by category (${label(a.columns.category ?? "")})`,
    a.revenueByCategory,
    a.pooled.category,
    money,
    changeTitle,
  );
  if (a.revenueByMonth.length > 0) {
    lines.push("", "Revenue by month");
    for (const m of a.revenueByMonth.slice(-12)) {
      const change = m.change === null ? "" : `  ${signedPct(m.change)}`;
      lines.push(
        `  ${m.month}  ${money(m.revenue).padStart(16)}${change}${m.partial ? "  (partial month)" : ""}`,
      );
    }
    if (a.revenueByMonth.length > 12)
      lines.push(`  … ${a.revenueByMonth.length - 12} earlier months in --json`);
  }
  if (a.statusCounts) {
    lines.push("", `Orders by status (${label(a.columns.status ?? "")})`);
    for (const [status, count] of Object.entries(a.statusCounts).slice(0, 10))
      lines.push(`  ${label(status).padEnd(28)} ${int(count)}`);
  }
  lines.push("", "Columns used");
  for (const [role, header] of Object.entries(a.columns) as [keyof Analysis["columns"], string | null][])
    if (header) lines.push(`  ${role.padEnd(10)} ${label(header)}${readingNote(a, role)}`);
  if (a.notes.length > 0) {
    lines.push("", "Notes");
    for (const note of a.notes) lines.push(`  - ${label(note)}`);
  }
  return `${lines.join("\n")}\n`;
}

function summaryLines(s: ExecutiveSummary): string[] {
  const lines = [label(s.headline.text), ""];
  const list = (title: string, sentences: { text: string }[]) => {
    if (sentences.length === 0) return;
    lines.push(title);
    for (const sentence of sentences) lines.push(`  - ${label(sentence.text)}`);
  };
  list("Key findings", s.keyFindings);
  list("Risks", s.risks);
  list("Recommended actions", s.actions);
  lines.push("", `(${summaryFooter(s)})`, "", "Figures");
  return lines;
}

function section(
  lines: string[],
  title: string,
  groups: GroupRevenue[] | null,
  pooled: PooledGroups | null,
  money: (n: number) => string,
  changeTitle: string,
): void {
  if (!groups || groups.length === 0) return;
  lines.push("", title);
  // The change vs the month before where Metrics.monthOverMonth applies (the groups carry it then),
  // under a header naming the two months.
  const withChange = hasChange(groups);
  const changeWidth = Math.max(changeTitle.length, 8);
  if (withChange) {
    lines.push(
      `  ${"".padEnd(28)} ${"Revenue".padStart(16)}  ${"Share".padStart(6)}  ${changeTitle.padStart(changeWidth)}`,
    );
  }
  for (const g of groups.slice(0, TOP_GROUPS)) {
    const change = withChange
      ? `  ${changeText({ change: g.change ?? null, isNew: g.newInLatestMonth === true }).padStart(changeWidth)}`
      : "";
    lines.push(
      `  ${clip(label(g.name), 28).padEnd(28)} ${money(g.revenue).padStart(16)}  ${pct(g.share).padStart(6)}${change}`,
    );
  }
  if (groups.length > TOP_GROUPS) lines.push(`  … ${groups.length - TOP_GROUPS} more in --json`);
  // Names past the breakdown's limit are listed by name nowhere (--json has only their sum): say how many and how much.
  if (pooled) {
    const names = `${pooled.namesUncounted ? "at least " : ""}${int(pooled.names)}`;
    lines.push(`  + ${names} more names pooled: ${money(pooled.revenue)}  ${pct(pooled.share)}`);
  }
}

export function moneyFormatter(code: string | null, symbol: string | null): (n: number) => string {
  if (code && /^[A-Z]{3}$/.test(code)) {
    try {
      const f = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: code,
        maximumFractionDigits: 2,
      });
      return (n) => f.format(n);
    } catch {
      // Unknown ISO code: fall through to the symbol.
    }
  }
  const f = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (n) => `${n < 0 ? "-" : ""}${symbol ?? ""}${f.format(Math.abs(n))}`;
}

const int = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const pct = (r: number) => formatPercent(r);
// formatPercent, not toFixed: an absurd change (a month up from 0.01) must not print in exponent form.
const signedPct = (r: number) => `${r >= 0 ? "+" : ""}${formatPercent(r)}`;

const REASON_WORDS = { header: "from the header", content: "from the values", gemini: "suggested by Gemini" };

/** "  (from the values, 80% sure)": how the column was found and how sure the reading is. */
function readingNote(a: Analysis, role: keyof Analysis["columns"]): string {
  const reason = a.columnReason?.[role];
  const confidence = a.columnConfidence?.[role];
  if (reason === undefined || confidence === undefined) return "";
  const standIn = a.columnStandIns?.[role] ? `, the ${a.columnStandIns[role]} column standing in` : "";
  return `  (${REASON_WORDS[reason]}${standIn}, ${Math.round(confidence * 100)}% sure)`;
}
