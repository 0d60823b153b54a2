import type { Analysis } from "./analyze.js";
import { formatDecimal } from "./decimal-format.js";
import { MAX_GROUPS, type PooledGroups } from "./metrics.js";
import { ratioMeaning } from "./price-check.js";
import type { Role } from "./schema.js";
import { shapeNotes } from "./shapes/notes.js";

// formatDecimal writes what toLocaleString("en-US") writes, without loading Intl (see its comment).
const fmt = (n: number) => formatDecimal(n);
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;
const money = (n: number) => formatDecimal(n, 2);
const percent = (fraction: number) => `${formatDecimal(fraction * 100, 1)}%`;

/** Says which names of a breakdown were pooled because it has more than MAX_GROUPS of them. */
function pooledNote(
  column: string | null,
  pooled: PooledGroups | null,
  what: "revenue" | "rows",
): string | null {
  if (!column || !pooled) return null;
  const names = `${fmt(pooled.names)}${pooled.namesUncounted ? " or more" : ""} ${pooled.names === 1 && !pooled.namesUncounted ? "value" : "values"}`;
  const amount =
    what === "revenue"
      ? `${plural(pooled.rows, "row")}, ${money(pooled.revenue)} or ${percent(pooled.share)} of revenue`
      : plural(pooled.rows, "row");
  return `${column} has more than ${fmt(MAX_GROUPS)} distinct values: the largest are listed with exact totals, and ${names} (${amount}) are counted together, not by name.`;
}

/**
 * Plain-language notes about what was read and what was set aside, so a reader can trust (or question)
 * the totals. Every note is derived from counts the fold kept; none is a guess.
 */
export function describeQuality(a: Analysis): string[] {
  const notes: string[] = [];
  const q = a.quality;
  const s = a.source;
  if (s.sheet) {
    const others = s.sheetsSkipped.length > 0 ? ` (also in the workbook: ${s.sheetsSkipped.join(", ")})` : "";
    notes.push(`Read sheet "${s.sheet}"${others}.`);
  }
  if (s.headerRow > 1) notes.push(`The header is on row ${s.headerRow}; the rows above it were titles.`);
  if (s.encoding === "windows-1252")
    notes.push("The file is not UTF-8; it was read as Windows-1252 (Western European).");
  if (s.encoding === "utf-8 (invalid bytes replaced)")
    notes.push("The file has bytes that are not valid UTF-8; they were replaced.");
  if (s.decimalComma) notes.push("Numbers use a decimal comma (1.234,56).");
  if (a.revenueScale > 1) {
    const unit = a.revenueScale === 1000 ? "thousands" : "millions";
    const header = a.columns.revenue ?? a.columns.unitPrice ?? "";
    notes.push(
      `“${header}” states its amounts in ${unit}: the figures here are full amounts (each cell x ${fmt(a.revenueScale)}).`,
    );
  }
  if (a.revenueSource === "units x unit price") {
    notes.push(`There is no revenue column: revenue = ${a.columns.units} x ${a.columns.unitPrice}.`);
  }
  if (a.periodColumn) {
    const name =
      a.periodColumn.column.trim() === "" ? "A column with no header" : `“${a.periodColumn.column.trim()}”`;
    notes.push(
      `${name} holds reporting periods such as “${a.periodColumn.example}”, not dates, so there are no figures by month or day. To see the trend, add a column with each sale's date.`,
    );
  }
  notes.push(...shapeNotes(a));
  notes.push(...columnNotes(a));
  for (const [reason, count] of Object.entries(a.rowsSkipped.reasons)) {
    if (reason === "row of a second table") {
      notes.push(
        `Skipped ${plural(count, "row", "rows")} below a blank row and a second header: they look like another table (a summary or a second report), so only the first table was read. If they are sales, delete the blank row and that header.`,
      );
    } else if (reason === "title row") {
      // Also what lines without a delimiter in the middle of a table come to: say what was seen.
      notes.push(
        `Skipped ${plural(count, "row", "rows")} with a single filled cell and no amount (titles, notes or lines without the file's separator).`,
      );
    } else notes.push(`Skipped ${plural(count, reason)}.`);
  }
  if (q.duplicateRows > 0) {
    const scope =
      q.duplicateRowsChecked < a.rows ? ` among the first ${fmt(q.duplicateRowsChecked)} rows` : "";
    notes.push(
      `${plural(q.duplicateRows, "row is an exact duplicate", "rows are exact duplicates")} of an earlier row${scope}; they are counted.`,
    );
  }
  const revenueColumn = a.columns.revenue ?? `${a.columns.units} x ${a.columns.unitPrice}`;
  if (q.missingRevenue > 0)
    notes.push(
      `${plural(q.missingRevenue, "row has", "rows have")} no ${revenueColumn} value (counted as 0).`,
    );
  if (q.formulaErrorRevenue > 0)
    notes.push(
      `${plural(q.formulaErrorRevenue, "row has", "rows have")} an Excel error (${q.formulaErrorKinds.join(", ")}) instead of a ${revenueColumn} (counted as 0): a formula failed in the workbook; fix it there and export again.`,
    );
  const notNumbers = q.invalidRevenue - q.formulaErrorRevenue;
  if (notNumbers > 0)
    notes.push(
      `${plural(notNumbers, "row has", "rows have")} a ${revenueColumn} that is not a number (counted as 0).`,
    );
  if (q.outOfRangeRevenue > 0)
    notes.push(
      `${plural(q.outOfRangeRevenue, "row has", "rows have")} a ${revenueColumn} of 10 trillion or more, too large to be an amount (usually an id or a code read as a number); set aside (counted as 0).`,
    );
  if (q.outOfRangeUnits > 0)
    notes.push(
      `${plural(q.outOfRangeUnits, "row has", "rows have")} a ${a.columns.units} of 10 trillion or more, too large to be a quantity; left out of the units total.`,
    );
  if (q.outlierDates > 0)
    notes.push(
      `${plural(q.outlierDates, "row has a date", "rows have dates")} far from all the others (${q.outlierDateExamples.join(", ")}${q.outlierDates > q.outlierDateExamples.length ? ", …" : ""}), such as a placeholder or a mistyped year: left out of the period and the monthly figures; their revenue is in the totals.`,
    );
  if (q.invalidDates > 0)
    notes.push(
      `${plural(q.invalidDates, "row has", "rows have")} a ${a.columns.date} that is not a date (left out of the monthly figures).`,
    );
  if (q.ambiguousDates > 0) {
    notes.push(
      `${plural(q.ambiguousDates, "date")} could be read as day/month or month/day; read as ${q.dayOrder === "day-first" ? "day/month" : "month/day"} because ${q.dayOrderReason}.`,
    );
  }
  const ratio = q.revenueMismatchRatio ?? null;
  const meaning = ratioMeaning(ratio);
  const { revenue, units, unitPrice } = a.columns;
  if (q.revenueMismatchRows > 0 && ratio !== null && (meaning === "surcharge" || meaning === "discount")) {
    const why = meaning === "surcharge" ? "a tax or fee included" : "a discount applied";
    notes.push(
      `${revenue} is ${percent(Math.abs(ratio - 1))} ${ratio > 1 ? "above" : "below"} ${units} x ${unitPrice} on ${plural(q.revenueMismatchRows, "row")}, the same ratio throughout (${why}, most likely); ${revenue} was used as written.`,
    );
  } else if (q.revenueMismatchRows > 0 && ratio !== null && meaning === "scale") {
    notes.push(
      `${plural(q.revenueMismatchRows, "row has", "rows have")} ${revenue} exactly ${fmt(ratio)} times ${units} x ${unitPrice}: one of these columns is probably in other units on those rows; ${revenue} was used as written.`,
    );
  } else if (q.revenueMismatchRows > 0) {
    notes.push(
      `${plural(q.revenueMismatchRows, "row has", "rows have")} ${a.columns.revenue} different from ${a.columns.units} x ${a.columns.unitPrice} (discounts, or an error in the file); ${a.columns.revenue} was used as written.`,
    );
  }
  if (q.conflictingDayOrder) notes.push(`The ${a.columns.date} column mixes day/month and month/day dates.`);
  if (q.currencies.length > 1)
    notes.push(`Mixed currencies: ${q.currencies.join(", ")}. Totals add them as if they were one currency.`);
  if (q.extraFieldRows > 0)
    notes.push(
      `${plural(q.extraFieldRows, "row has", "rows have")} more fields than the header; the extra fields were ignored.`,
    );
  const pooled = [
    pooledNote(a.columns.region, a.pooled.region, "revenue"),
    pooledNote(a.columns.category, a.pooled.category, "revenue"),
    pooledNote(a.columns.product, a.pooled.product, "revenue"),
    pooledNote(a.columns.status, a.pooled.status, "rows"),
  ];
  for (const note of pooled) if (note) notes.push(note);
  const partial = a.revenueByMonth.filter((m) => m.partial);
  for (const m of partial)
    notes.push(`${m.month} has data for only ${plural(m.daysWithData, "day")}; compare it with care.`);
  return notes;
}

const ROLE_LABELS: Partial<Record<Role, string>> = {
  revenue: "Revenue",
  units: "Quantity",
  unitPrice: "Unit price",
  date: "Date",
  region: "Region",
  category: "Category",
  status: "Status",
  orderId: "Order id",
};
/** Below this, a reading from the header alone is worth a word of caution. */
const WEAK_HEADER = 0.5;

/**
 * Which columns were read from their values (or suggested by Gemini) rather than named by their header,
 * and which stood in for a missing one, so the reader knows what the figures rest on.
 */
function columnNotes(a: Analysis): string[] {
  const notes: string[] = [];
  for (const [role, label] of Object.entries(ROLE_LABELS) as [Role, string][]) {
    const header = a.columns[role];
    const reason = a.columnReason?.[role];
    if (header === null || reason === undefined) continue;
    const standIn = a.columnStandIns?.[role];
    // An empty header cell has no name to quote: say so rather than invent one.
    const name = header.trim() === "" ? "a column with no header" : `“${header.trim()}”`;
    if (standIn) {
      notes.push(
        `No ${label.toLowerCase()} column: the ${standIn} column ${name} stands in as the ${label.toLowerCase()} (it has only a handful of values).`,
      );
    } else if (reason === "content") {
      notes.push(`${label}: ${name} (read from the values, not the header).`);
    } else if (reason === "gemini") {
      notes.push(
        `${label}: ${name} (suggested by Gemini from the column names, checked against the values).`,
      );
    } else if ((a.columnConfidence?.[role] ?? 1) < WEAK_HEADER) {
      notes.push(`${label}: ${name} (the header is a weak match; check that this is the right column).`);
    }
  }
  for (const other of a.columnAlternatives?.revenue ?? []) {
    const used = a.columns.revenue ?? "";
    notes.push(
      other === used
        ? `Two columns are named “${used}”: the first (further left) was used. If the other is the right one, delete or rename the first.`
        : `Revenue: “${used}” was used; “${other}” is named as well. If that is the right one, delete or rename the other.`,
    );
  }
  return notes;
}
