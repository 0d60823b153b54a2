import type { Metrics } from "../metrics.js";

const fmt = (n: number) => n.toLocaleString("en-US");
const money = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const percent = (fraction: number) =>
  `${(fraction * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
const deals = (n: number, what: string) => `${fmt(n)} ${what} ${n === 1 ? "deal" : "deals"}`;
const LISTED_COLUMNS = 4;

/** How a shape beyond one row per sale was read, in words: what counts as revenue, what was set apart. */
export function shapeNotes(a: Metrics): string[] {
  const notes: string[] = [];
  const p = a.pipeline;
  if (p) {
    let note = `This is a deal export: revenue counts only won deals (${p.stageColumn}: ${deals(p.won.count, "won")}, ${money(p.won.value)}). ${deals(p.lost.count, "lost")} (${money(p.lost.value)}) and ${deals(p.open.count, "open")} (${money(p.open.value)}, the open pipeline) are reported apart, not as sales.`;
    if (p.winRate !== null) {
      const byValue = p.winRateByValue !== null ? `, ${percent(p.winRateByValue)} by value` : "";
      note += ` Win rate: ${percent(p.winRate)} of closed deals${byValue}.`;
    }
    notes.push(note);
  }
  const lines = a.shape?.orderLines;
  if (lines) {
    const shown = lines.orderLevelColumns.slice(0, LISTED_COLUMNS).join(", ");
    const more = lines.orderLevelColumns.length > LISTED_COLUMNS ? "…" : "";
    const total = a.columns.revenue;
    const counted =
      total && lines.orderLevelColumns.includes(total)
        ? `The order total (${total}) is counted once per order; these lines count for units and products only`
        : `Each line keeps its own ${total ?? "value"}, with its order's ${shown}${more} filled in from the first line`;
    notes.push(
      `Orders span several lines: ${fmt(lines.continuationRows)} ${lines.continuationRows === 1 ? "row continues" : "rows continue"} the order above (${lines.orderColumn} repeats, with ${shown}${more} blank). ${counted}, not as blank statuses or regions.`,
    );
  }
  const wide = a.shape?.wide;
  if (wide?.kind === "product") {
    const cols = wide.periodColumns;
    const shown = cols.slice(0, LISTED_COLUMNS).join(", ");
    let note = `The table has one column per product (${fmt(cols.length)} columns: ${shown}${cols.length > LISTED_COLUMNS ? "…" : ""}): each value is read as a row of its own, the column's header as its product (shown as “Product” and “${a.columns.revenue ?? "Sales"}”).`;
    if (wide.ignoredColumns.length > 0)
      note += ` Left out as a row total: ${wide.ignoredColumns.join(", ")}.`;
    notes.push(note);
  } else if (wide) {
    const cols = wide.periodColumns;
    const span = `${cols[0] ?? ""} … ${cols.at(-1) ?? ""}`;
    let note = `The table has one column per ${wide.kind} (${fmt(cols.length)} columns, ${span}): each value is read as a row of its own, under the ${wide.kind} of its column (shown as ${a.columns.date ? `“${a.columns.date}”` : `“${wide.kind === "month" ? "Month" : "Quarter"}”`} and “${a.columns.revenue ?? "Sales"}”).`;
    if (wide.yearFrom === "year column") note += " The year comes from the year column.";
    if (wide.yearFrom === null)
      note += ` The headers name no year, so there are no dates: the ${wide.kind}s are ${a.columns.category === (wide.kind === "month" ? "Month" : "Quarter") ? "the category breakdown, by name" : "not broken down"}.`;
    if (wide.ignoredColumns.length > 0)
      note += ` Left out as a row total: ${wide.ignoredColumns.join(", ")}.`;
    notes.push(note);
  }
  const pay = a.shape?.payments;
  if (pay) {
    const parts = [
      pay.amountColumn ? `revenue is the paid amount (${pay.amountColumn})` : null,
      pay.typeColumn ? `${pay.typeColumn} is the breakdown by payment type` : null,
      pay.instalmentColumn ? `${pay.instalmentColumn} counts instalments and is not summed as units` : null,
    ].filter(Boolean);
    notes.push(`Payments table: ${parts.join("; ")}.`);
  }
  const d = a.shape?.discount;
  if (d) {
    const gross = a.columns.revenue ?? `${a.columns.units} x ${a.columns.unitPrice}`;
    const how = d.kind === "percent" ? `less the ${d.column} percentage of each row` : `less ${d.column}`;
    notes.push(`Revenue is net of discount: ${gross} ${how} (${money(d.total)} taken off in all).`);
  }
  return notes;
}
