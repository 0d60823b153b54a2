import { InputError } from "../errors.js";
import { type Cell, cellText, isBlankCell } from "./cell.js";
import { headerMeaning } from "./columns/lexicon.js";
import { normaliseHeader } from "./columns/normalise.js";
import type { Limits } from "./limits.js";
import { type GroupMonthGrid, type Metrics, MetricsFold } from "./metrics.js";
import { numberReading } from "./numbers.js";
import { ColumnKind, type ColumnTyping, convertCell } from "./read/csv-tokenizer.js";
import { type InferOptions, inferSchema, type Schema } from "./schema.js";
import { detectShapes, withWide } from "./shapes/detect.js";
import { detectProductWide, detectWide, WideRows } from "./shapes/wide.js";

/** Rows read before the header is chosen: title blocks above a table are rarely longer. */
const HEADER_SEARCH_ROWS = 30;
/** Rows after the header that schema inference looks at. */
const SAMPLE_ROWS = 1_000;
const NO_TABLE =
  "No table was found: expected a header row with at least two column names (such as Date, Region, Revenue) followed by data rows.";
const TOTALS_LABEL = /^(?:grand\s+)?totals?:?$|^sum$|^total\s+(?:sales|revenue|amount)$/i;
/**
 * Labels of a sum over the rows above, in full: the grand totals above, Excel's Data > Subtotal rows
 * ("North Total", German "North Ergebnis" and "Gesamtergebnis", French and Spanish "Total général",
 * "Total general"), "Subtotal", and "Total North" as people type them.
 */
const SUM_LABEL =
  /^(?:grand\s+)?totals?:?$|^sum$|^sub[\s-]?totals?:?$|^(?:gesamt)?ergebnis$|^totale?(?:\s+\S.{0,99})?$|^\S.{0,99}\s(?:totals?|ergebnis):?$/i;
/** Running totals at each sum row already set aside, newest last: where a subtotal's group starts. */
const SUM_BOUNDARIES = 16;

export type SkipReason =
  | "blank row"
  | "repeated header"
  | "totals row"
  | "row of a second table"
  | "title row";

export interface TableResult {
  headerRow: number;
  schema: Schema;
  metrics: Metrics;
  /** Region and category sums by month, for comparisons (kept apart from the metrics the UI shows). */
  groupMonths: GroupMonthGrid;
}

export interface TableProblem {
  /** Headers of the table we found, if any, for the error message. */
  headers: string[] | null;
  error: InputError;
}

/**
 * Turns a stream of raw rows (one sheet, or the whole CSV) into a folded result: finds the header row
 * below any title lines, holds back a sample to infer the schema, then streams the rest straight into
 * the fold. Skips blank rows, repeated header rows and a totals row, counting each.
 */
export class TableBuilder {
  private pending: { cells: Cell[]; rowNumber: number }[] = [];
  private headerRow = -1;
  private headers: string[] = [];
  private headerKey = "";
  private headerFirst = "";
  private schema: Schema | null = null;
  private fold: MetricsFold | null = null;
  /** A wide table (one column per month) is folded as long rows: see shapes/wide.ts. */
  private wide: WideRows | null = null;
  /**
   * Handed to a CSV tokenizer, which types cells as soon as `kinds` is set (see startFold). Typed rows
   * go straight into the fold, which keeps no row array (the best row is copied), so they may share one.
   */
  readonly typing: ColumnTyping = {
    kinds: null,
    reuseRow: true,
    blankLines: (count) => this.blankLines(count),
  };
  private failure: InputError | null = null;
  private readonly skipped: Record<string, number> = {};
  private rowNumber = 0;
  private dataRows = 0;
  private listSeparator: string | undefined;
  /** The first value of a stream whose rows never held two: said in the refusal. */
  private singleValue: Cell | undefined;
  /** Columns a sum row's label may sit in: the first three, and the grouping columns. */
  private labelColumns: number[] = [0, 1, 2];
  /** The revenue column, or units when revenue is units x price: the cell every sale has. */
  private amountColumn = -1;
  private dateColumn = -1;
  /** The previous row's number, to see a blank row (or, in XLSX, a gap) just above a row. */
  private previousRow = 0;
  private gapOpen = false;
  /** Set once a second table's header is met: every row from there on belongs to that table. */
  private secondTable = false;
  private readonly revenueBoundaries: number[] = [];
  private readonly unitBoundaries: number[] = [];

  constructor(
    private readonly limits: Limits,
    private readonly options: {
      date1904?: boolean;
      onRows?: (rows: number) => void;
      /** The reader will pre-convert typed columns (CSV): convert the held-back sample the same way. */
      typedColumns?: boolean;
      /** How the columns are read: an outside classifier's answer to merge, a look at the reading. */
      columns?: InferOptions;
    } = {},
  ) {}

  /** The CSV's delimiter, a hint at how the file writes numbers (see detectDecimalComma). */
  setListSeparator(delimiter: string): void {
    this.listSeparator = delimiter;
  }

  /** `rowNumber` is the sheet's own row number when the reader knows it (XLSX skips empty rows). */
  push(cells: Cell[], rowNumber?: number): void {
    this.rowNumber = rowNumber ?? this.rowNumber + 1;
    // Excel writes a delimiter for every formatted column: empty fields at the end of a row are no
    // columns. Trimmed only when over the limit, so ordinary rows pay nothing.
    if (cells.length > this.limits.maxColumns) trimTrailingBlanks(cells);
    if (cells.length > this.limits.maxColumns) {
      throw new InputError(
        "too-many-columns",
        `Row ${this.rowNumber} has ${cells.length} columns; the limit is ${this.limits.maxColumns}. Is this really a sales table? Delete the columns that are not needed, or save the sales columns on their own.`,
        {
          detail: `Row ${this.rowNumber} has ${cells.length} columns, over MAX_COLUMNS (${this.limits.maxColumns})`,
        },
      );
    }
    if (this.failure) return;
    if (this.fold) {
      this.accept(cells, this.rowNumber);
      return;
    }
    this.pending.push({ cells, rowNumber: this.rowNumber });
    if (this.headerRow === -1) {
      if (this.pending.length >= HEADER_SEARCH_ROWS) this.chooseHeader();
    } else if (this.pending.length >= SAMPLE_ROWS) {
      this.startFold();
    }
  }

  /**
   * `count` empty lines in a row, reported by the CSV tokenizer instead of `push([""])` for each once
   * the fold has started (typed rows): counted exactly as those pushes would count them.
   */
  private blankLines(count: number): void {
    this.rowNumber += count;
    if (this.failure) return;
    this.skipped["blank row"] = (this.skipped["blank row"] ?? 0) + count;
  }

  /** Ends the table; returns the result, or the reason this table has no usable sales data. */
  finish(): TableResult | TableProblem {
    if (!this.fold && !this.failure) {
      if (this.headerRow === -1) this.chooseHeader();
      if (this.headerRow !== -1 && !this.failure) this.startFold();
    }
    if (this.failure || !this.fold || !this.schema) {
      return {
        headers: this.headerRow === -1 ? null : this.headers,
        error:
          this.failure ??
          (this.singleValue !== undefined
            ? oneColumn(this.singleValue)
            : new InputError("no-table", NO_TABLE)),
      };
    }
    const metrics = this.fold.finish(this.skipped);
    return {
      headerRow: this.headerRow,
      schema: this.schema,
      metrics,
      groupMonths: this.fold.groupMonthGrid(),
    };
  }

  private chooseHeader(): void {
    const rows = this.pending;
    let widest = 0;
    for (const { cells } of rows) widest = Math.max(widest, filledCount(cells));
    if (widest < 2) {
      this.singleValue ??= rows
        .map(({ cells }) => cells.find((c) => !isBlankCell(c)))
        .find((c) => c !== undefined);
      // Nothing table-shaped yet; keep looking if the stream goes on.
      if (rows.length >= HEADER_SEARCH_ROWS) {
        this.pending = rows.slice(-1);
      }
      return;
    }
    const found = rows.findIndex(({ cells }) => looksLikeHeader(cells, widest));
    if (found === -1) {
      this.failure = new InputError(
        "no-table",
        `No header row was found in the first ${HEADER_SEARCH_ROWS} rows: expected column names such as Date, Region, Revenue above the data.`,
      );
      this.pending = [];
      return;
    }
    let chosen = found;
    // A sparse group header ("Where" over Region, "Money" over Revenue) sits above the real one:
    // the fuller header-like row right below it is the table's header.
    for (let next = chosen + 1; next < rows.length; next++) {
      const below = rows[next]?.cells ?? [];
      if (filledCount(below) <= filledCount(rows[chosen]?.cells ?? []) || !looksLikeHeader(below, widest))
        break;
      chosen = next;
    }
    const header = rows[chosen];
    if (!header) return;
    this.headerRow = header.rowNumber;
    this.previousRow = header.rowNumber;
    this.headers = header.cells.map((c) => cellText(c));
    this.headerKey = rowKey(header.cells);
    this.headerFirst = cellText(header.cells[0]).toLowerCase();
    const before = rows.slice(0, chosen);
    for (const { cells } of before) if (filledCount(cells) === 0) this.skip("blank row");
    this.pending = rows.slice(chosen + 1);
    if (this.pending.length >= SAMPLE_ROWS) this.startFold();
  }

  private startFold(): void {
    // A second table below the first says nothing about the first's columns (see accept).
    const end = secondTableStart(this.pending, this.headerRow);
    const rows = this.pending
      .slice(0, end === -1 ? undefined : end)
      .filter(({ cells }) => filledCount(cells) > 0 && rowKey(cells) !== this.headerKey);
    // Sum rows ("January Total" in the date column) say nothing about what the columns hold; left in,
    // a few of them can cost a column its role. They are still folded (and set aside there).
    const unlabelled = rows.filter(({ cells }) => !hasSumLabel(cells, ALL_COLUMNS));
    const sample = unlabelled.length > 0 ? unlabelled : rows;
    if (sample.length === 0) {
      const shown = this.headers.filter((h) => h !== "").join(", ");
      this.failure = new InputError("empty", `The file has a header row (${shown}) but no data rows.`);
      this.pending = [];
      return;
    }
    try {
      let rows = sample.map((r) => r.cells);
      // The table as it stands first: a product-wide table is recognised by what its schema lacks.
      const periodWide = detectWide(this.headers, rows);
      // A classifier's answer names columns of the table as it stands, so it applies to tall tables only.
      const columns: InferOptions = { ...this.options.columns, listSeparator: this.listSeparator };
      const plain = periodWide ? null : schemaOrNull(this.headers, rows, columns);
      const widePlan = periodWide ?? detectProductWide(this.headers, rows, plain);
      const wide = widePlan ? new WideRows(widePlan) : null;
      if (wide) rows = rows.flatMap((cells) => wide.expand(cells));
      const inferred = wide
        ? inferSchema(widePlan?.longHeaders ?? this.headers, rows, { listSeparator: this.listSeparator })
        : (plain ?? inferSchema(this.headers, rows, columns));
      this.schema = detectShapes(inferred, rows);
      if (wide && widePlan) {
        wide.numbers = numberReading(this.schema.decimalComma);
        this.schema = withWide(this.schema, widePlan, this.headers);
        this.wide = wide;
      }
    } catch (error) {
      if (error instanceof InputError) {
        this.failure = error;
        this.pending = [];
        return;
      }
      throw error;
    }
    this.fold = new MetricsFold(this.schema, { date1904: this.options.date1904 ?? false });
    const { region, category, product, revenue, units } = this.schema.index;
    this.amountColumn = revenue >= 0 ? revenue : units;
    this.dateColumn = this.schema.index.date;
    this.labelColumns = [...new Set([0, 1, 2, region, category, product])].filter((i) => i >= 0);
    // Typed columns are positions in the long table: a wide table's cells stay text for the parser.
    this.typing.kinds = this.options.typedColumns && !this.wide ? columnKindsFor(this.schema) : null;
    const pending = this.pending;
    this.pending = [];
    const kinds = this.typing.kinds;
    for (const { cells, rowNumber } of pending) {
      if (kinds) for (let i = 0; i < cells.length; i++) cells[i] = convertCell(cells[i], kinds[i] ?? 0);
      this.accept(cells, rowNumber);
    }
  }

  private accept(cells: Cell[], rowNumber: number): void {
    const fold = this.fold as MetricsFold;
    if (isBlankRow(cells)) {
      this.skip("blank row");
      return;
    }
    // Blank rows advance the row number without coming here (XLSX leaves them out altogether); a
    // title row after them ("Summary") keeps the gap open for the header below it.
    const afterGap = rowNumber > this.previousRow + 1 || this.gapOpen;
    this.previousRow = rowNumber;
    this.gapOpen = false;
    if (this.isHeaderAgain(cells)) {
      this.skip("repeated header");
      return;
    }
    if (this.secondTable || (afterGap && fold.rowCount > 0 && startsAnotherTable(cells))) {
      this.secondTable = true;
      this.skip("row of a second table");
      return;
    }
    if (this.wide !== null) {
      this.acceptWide(cells, rowNumber, this.wide, fold);
      return;
    }
    if (this.isTotalsRow(cells, fold)) {
      this.skip("totals row");
      return;
    }
    if (this.isTitleRow(cells)) {
      this.skip("title row");
      this.gapOpen = afterGap;
      return;
    }
    this.countDataRow();
    fold.add(cells, rowNumber);
    if (this.options.onRows && this.dataRows % 100_000 === 0) this.options.onRows(this.dataRows);
  }

  /** One wide row: a totals row (its values sum to everything above) is skipped, else one long row per value. */
  private acceptWide(cells: Cell[], rowNumber: number, wide: WideRows, fold: MetricsFold): void {
    if (hasTotalsLabel(cells) && fold.rowCount > 0 && sameTotal(wide.rowSum(cells), fold.runningTotal)) {
      this.skip("totals row");
      return;
    }
    this.countDataRow();
    for (const long of wide.expand(cells)) fold.add(long, rowNumber);
  }

  private countDataRow(): void {
    this.dataRows++;
    if (this.dataRows > this.limits.maxRows) {
      throw new InputError(
        "too-many-rows",
        `The file has more than ${this.limits.maxRows.toLocaleString("en-US")} data rows, the most the bot reads. Split it into smaller files.`,
        { detail: `More than MAX_ROWS (${this.limits.maxRows}) data rows` },
      );
    }
  }

  /** A header row again (exports that concatenate files repeat it). Runs for every row, so cheap tests first. */
  private isHeaderAgain(cells: Cell[]): boolean {
    const first = cells[0];
    if (this.headerFirst === "") return isBlankCell(first) && rowKey(cells) === this.headerKey;
    // A header's first cell is text: numbers and dates typed by the CSV fast path never match.
    if (typeof first !== "string") return false;
    // Comparing first letters (ASCII case folded) rejects almost every data row without allocating.
    if ((first.charCodeAt(0) | 32) !== (this.headerFirst.charCodeAt(0) | 32) && first.trimStart() === first) {
      return false;
    }
    return first.trim().toLowerCase() === this.headerFirst && rowKey(cells) === this.headerKey;
  }

  /**
   * A row labelled as a sum ("Total", "Grand Total", "North Total", "Subtotal") whose revenue equals the
   * rows above it, or the rows since the previous sum row (a subtotal of one group), is the
   * spreadsheet's own sum; counting it would double the total. A labelled row that does not add up
   * is kept as data (a region may be called "Total Wine").
   */
  private isTotalsRow(cells: Cell[], fold: MetricsFold): boolean {
    if (fold.rowCount === 0) return false;
    const revenue = fold.revenueOf(cells);
    // Derived revenue: a totals row sums the quantity but leaves the unit price blank.
    const byUnits = !Number.isFinite(revenue);
    const value = byUnits ? fold.unitsOf(cells) : revenue;
    if (!Number.isFinite(value)) return false;
    const running = byUnits ? fold.runningUnits : fold.runningTotal;
    // The amount first, the labels only for a row that sums the rows above it (or those since the
    // previous sum row): two numbers compared instead of the labels of every row read (1M-row bench
    // file, warm runs: about 30 ms less, as much as the sum-label test had added).
    const boundaries = byUnits ? this.unitBoundaries : this.revenueBoundaries;
    let sums = false;
    for (let i = boundaries.length - 1; i >= -1 && !sums; i--) {
      sums = sameTotal(value, running - (i >= 0 ? (boundaries[i] as number) : 0));
    }
    if (!sums) return false;
    const dateCell = this.dateColumn >= 0 ? cells[this.dateColumn] : undefined;
    // A date the reader typed (a number or a Date) rules out an "X Total" label in the date column,
    // and sum rows carry none elsewhere (Excel's Subtotal leaves it blank): such rows only need the
    // "Total..." test on the first cells.
    const typedDate = typeof dateCell === "number" || dateCell instanceof Date || looksLikeDateText(dateCell);
    const labelled = typedDate ? startsWithSumLabel(cells) : hasSumLabel(cells, this.labelColumns);
    if (labelled) {
      this.markSum(fold);
      return true;
    }
    // Unlabelled, a sum row still has no date in a dated table (Google Analytics ends so): then only
    // the whole table's sum, to the cent, over at least two rows.
    const undated = this.dateColumn >= 0 && isBlankCell(dateCell);
    const whole = undated && fold.rowCount >= 2 && value !== 0 && Math.abs(value - running) <= 0.01;
    if (whole) this.markSum(fold);
    return whole;
  }

  /**
   * A row holding one value and no amount: a section title inside the table (QuickBooks writes each
   * customer's name on a row of its own above its lines), or a footer ("Accrual basis ..."). Counted
   * as data it was a sale of nothing, and a "row with no revenue". Data rows have an amount, so the
   * blank test on that one cell settles almost every row.
   */
  private isTitleRow(cells: Cell[]): boolean {
    const amount = this.amountColumn;
    if (amount < 0 || !isBlankCell(cells[amount])) return false;
    return filledCount(cells) === 1;
  }

  private markSum(fold: MetricsFold): void {
    this.revenueBoundaries.push(fold.runningTotal);
    this.unitBoundaries.push(fold.runningUnits);
    if (this.revenueBoundaries.length > SUM_BOUNDARIES) {
      this.revenueBoundaries.shift();
      this.unitBoundaries.shift();
    }
  }

  private skip(reason: SkipReason): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}

/** Rows of one value each: a list, or a CSV separated by a character we do not split on ("~", ":"). */
function oneColumn(first: Cell): InputError {
  const text = cellText(first).replace(/[\p{Cc}\p{Cf}]+/gu, " ");
  const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return new InputError(
    "no-table",
    `The table has only one column (its first value: “${shown}”): a sales table needs at least two, such as Date and Revenue. In a CSV, separate the columns with a comma, semicolon, tab or |.`,
  );
}

/** The schema of a table, or null where it has none (the error is raised again by the real inference). */
function schemaOrNull(headers: string[], rows: Cell[][], options?: InferOptions): Schema | null {
  try {
    return inferSchema(headers, rows, options);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

/** "Total" or "Grand Total" in one of the first three cells, where spreadsheets put it. */
function hasTotalsLabel(cells: Cell[]): boolean {
  for (let i = 0; i < cells.length && i < 3; i++) {
    const cell = cells[i];
    if (typeof cell === "string" && cell.length > 0 && TOTALS_LABEL.test(cell.trim())) return true;
  }
  return false;
}

/**
 * Text that starts and ends with a digit ("31.01.2024", "01/31/2024 10:00"): a date, never an
 * "X Total" label. Lets text-dated files skip the full label test as typed dates do.
 */
function looksLikeDateText(cell: Cell): boolean {
  if (typeof cell !== "string" || cell.length === 0) return false;
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return first >= 48 && first <= 57 && last >= 48 && last <= 57;
}

/** "Total", "Grand Total", "Subtotal", "Total for X" in one of the first three cells. */
function startsWithSumLabel(cells: Cell[]): boolean {
  for (let i = 0; i < cells.length && i < 3; i++) {
    const cell = cells[i];
    if (typeof cell !== "string" || cell.length < 3) continue;
    const initial = cell.charCodeAt(0) | 32;
    const second = cell.charCodeAt(1) | 32;
    const mayBeSum =
      (initial === 116 && second === 111) ||
      (initial === 103 && second === 114) ||
      (initial === 115 && second === 117);
    if (mayBeSum && SUM_LABEL.test(cell.trim())) return true;
  }
  return false;
}

/**
 * A sum label in the given cells (all of them when `columns` is null): the first three, where
 * spreadsheets put "Total", and the grouping columns, where Excel's Subtotal writes "North Total". A
 * cheap look at the first two letters ("to", "gr", "su", "er") and the last word gates the regex,
 * since most names start and end otherwise (it runs for every row of the schema sample).
 */
function hasSumLabel(cells: Cell[], columns: readonly number[] | null): boolean {
  const count = columns ? columns.length : cells.length;
  for (let k = 0; k < count; k++) {
    const cell = cells[columns ? (columns[k] as number) : k];
    if (typeof cell !== "string" || cell.length < 3) continue;
    const initial = cell.charCodeAt(0) | 32;
    const second = cell.charCodeAt(1) | 32;
    const last = cell.charCodeAt(cell.length - 1) | 32;
    // 108 "l" of total, 115 "s" of totals and ergebnis, 58 ":".
    const mayBeSum =
      (initial === 116 && second === 111) ||
      (initial === 103 && second === 114) ||
      (initial === 115 && second === 117) ||
      (initial === 101 && second === 114) ||
      last === 58 ||
      (last === 108 && endsWithFolded(cell, "total")) ||
      (last === 115 && (endsWithFolded(cell, "totals") || endsWithFolded(cell, "ergebnis")));
    if (mayBeSum && SUM_LABEL.test(cell.trim())) return true;
  }
  return false;
}

const ALL_COLUMNS = null;

/** `text` ends with `word` (lower-case ASCII), compared without allocating. */
function endsWithFolded(text: string, word: string): boolean {
  const offset = text.length - word.length;
  if (offset < 0) return false;
  for (let i = 0; i < word.length; i++) {
    if ((text.charCodeAt(offset + i) | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

function sameTotal(value: number, running: number): boolean {
  return Math.abs(value - running) <= Math.max(0.01, Math.abs(running) * 0.005);
}

function isBlankRow(cells: Cell[]): boolean {
  for (const c of cells) if (!isBlankCell(c)) return false;
  return true;
}

function trimTrailingBlanks(cells: Cell[]): void {
  let end = cells.length;
  while (end > 0 && isBlankCell(cells[end - 1])) end--;
  cells.length = end;
}

function filledCount(cells: Cell[]): number {
  let n = 0;
  for (const c of cells) if (!isBlankCell(c)) n++;
  return n;
}

function rowKey(cells: Cell[]): string {
  let end = cells.length;
  while (end > 0 && isBlankCell(cells[end - 1])) end--;
  let key = "";
  for (let i = 0; i < end; i++) key += `${cellText(cells[i]).toLowerCase()}\u001f`;
  return key;
}

/**
 * Where a second table starts among rows not folded yet (the sample), as accept() would find it: a
 * header-like row after a gap, or after a gap and title rows, once a data row was seen. -1 if none.
 */
function secondTableStart(rows: { cells: Cell[]; rowNumber: number }[], headerRow: number): number {
  let previous = headerRow;
  let gapOpen = false;
  let sawData = false;
  for (let i = 0; i < rows.length; i++) {
    const { cells, rowNumber } = rows[i] as { cells: Cell[]; rowNumber: number };
    const filled = filledCount(cells);
    if (filled === 0) continue;
    const afterGap: boolean = rowNumber > previous + 1 || gapOpen;
    previous = rowNumber;
    gapOpen = false;
    if (afterGap && sawData && startsAnotherTable(cells)) return i;
    if (filled === 1) gapOpen = afterGap;
    else sawData = true;
  }
  return -1;
}

/** Header words that name a measure or a date: what a table's header has and a row of names lacks. */
const MEASURE_CONCEPTS = ["money", "sales", "quantity", "count", "price", "value", "date", "period"] as const;

/**
 * The header of another table, below the sales table after a blank row: a summary by region, a
 * returns table. Text labels only (as any header), at least one of which names a measure or a date
 * ("Total Revenue", "Count", "Month"): a row of names with blank numbers ("North, Consumer") is data
 * with missing values, not a header.
 */
function startsAnotherTable(cells: Cell[]): boolean {
  if (!looksLikeHeader(cells, 2)) return false;
  for (const cell of cells) {
    if (typeof cell !== "string" || cell.trim() === "") continue;
    const { concepts } = headerMeaning(normaliseHeader(cell));
    if (MEASURE_CONCEPTS.some((c) => concepts.has(c))) return true;
  }
  return false;
}

/** Cells longer than this read as sentences (a title or a note), not as column names. */
const LONG_TEXT = 200;
const NUMBER_LIKE = /^[-+(]?[$€£¥₹]?\d[\d,.\s]*\)?%?$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d.*)?$/;

/**
 * A header row is filled across most of the table's width with text labels, none of which is a number
 * or a date. Length alone never disqualifies a row: one long column name ("Total revenue including
 * tax, shipping and ... (EUR)") is still a header. But a row of mostly long sentences is a title or a
 * note above the table, so long cells must not outnumber the short labels.
 */
function looksLikeHeader(cells: Cell[], widest: number): boolean {
  const filled = filledCount(cells);
  if (filled < Math.max(2, Math.ceil(widest * 0.5))) return false;
  let labels = 0;
  let sentences = 0;
  for (const cell of cells) {
    if (isBlankCell(cell)) continue;
    if (typeof cell !== "string") return false;
    const text = cell.trim();
    if (text.length > LONG_TEXT) {
      sentences++;
      continue;
    }
    if (NUMBER_LIKE.test(text) || DATE_LIKE.test(text)) return false;
    labels++;
  }
  return labels >= 2 && labels >= sentences;
}

function columnKindsFor(schema: Schema): Uint8Array | null {
  // With a decimal comma, "1.234" means a thousand and more: leave every cell to the general parser.
  if (schema.decimalComma) return null;
  const kinds = new Uint8Array(schema.headers.length);
  for (const i of [schema.index.revenue, schema.index.units, schema.index.unitPrice]) {
    if (i >= 0) kinds[i] = ColumnKind.Number;
  }
  if (schema.index.date >= 0) kinds[schema.index.date] = ColumnKind.IsoDate;
  return kinds;
}
