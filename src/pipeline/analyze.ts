import { open } from "node:fs/promises";
import { basename } from "node:path";
import { InputError } from "../errors.js";
import type { Cell } from "./cell.js";
import {
  askColumnClassifier,
  type ColumnAnswer,
  type ColumnClassifier,
  type ColumnHelp,
  type ColumnsRead,
} from "./columns/classify.js";
import { statInputFile } from "./input-file.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { GroupMonthGrid, Metrics } from "./metrics.js";
import { describeQuality } from "./notes.js";
import { readCsv, tooLarge } from "./read/csv.js";
import { cfbDirectoryOffset, sniff } from "./read/sniff.js";
import { TableBuilder, type TableProblem, type TableResult } from "./table.js";

export interface SourceInfo {
  name: string;
  type: "csv" | "xlsx";
  bytes: number;
  /** CSV only. */
  encoding: string | null;
  delimiter: string | null;
  decimalComma: boolean;
  /** XLSX only: the sheet the table came from, and the ones passed over. */
  sheet: string | null;
  sheetsSkipped: string[];
  headerRow: number;
}

export interface Analysis extends Metrics {
  source: SourceInfo;
  /**
   * Region x month and category x month sums, for comparing uploads. Not part of what is shown or
   * printed (the CLI's JSON leaves it out); absent from analyses cached before it existed.
   */
  groupMonths?: GroupMonthGrid;
}

export interface AnalyzeOptions {
  /** The name the user knows the file by (a Slack upload's title); defaults to the path's base name. */
  fileName?: string;
  limits?: Limits;
  onRows?: (rows: number) => void;
  /**
   * Asked about the columns (headers and statistics, never cells) when the heuristics are unsure;
   * when its answer, checked against the values, changes the reading, the file is read again with it.
   */
  columnClassifier?: ColumnClassifier | null;
  /** Told when the classifier was asked, why, and what came of it (for logs). */
  onColumnHelp?: (help: ColumnHelp) => void;
}

/** A classifier's answer for one table: the sheet it was read from (null for CSV) and the answer. */
interface ClassifierAnswerFor {
  sheet: string | null;
  answer: ColumnAnswer;
}

/**
 * The whole analysis of one file: sniff, stream through the right reader, fold, describe. With a
 * column classifier, an unsure reading of the columns is put to it after the first pass, and the file
 * is read a second time only when its answer changes which column plays a role.
 */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const classifier = options.columnClassifier;
  if (!classifier) return analyzeOnce(path, options);
  const reads = new Map<string | null, ColumnsRead>();
  let first: Analysis | null = null;
  let refusal: InputError | null = null;
  try {
    first = await analyzeOnce(path, options, null, (sheet, read) => {
      if (!reads.has(sheet)) reads.set(sheet, read);
    });
  } catch (error) {
    // Only a missing revenue column is something a better reading of the columns can cure.
    if (!(error instanceof InputError) || error.problem !== "no-revenue") throw error;
    refusal = error;
  }
  const sheet = first ? first.source.sheet : [...reads.entries()].find(([, r]) => lacksRevenue(r))?.[0];
  const read = sheet === undefined ? undefined : reads.get(sheet);
  if (!read || sheet === undefined) {
    if (first) return first;
    throw refusal;
  }
  const help = await askColumnClassifier(read, classifier);
  if (help.asked) options.onColumnHelp?.(help);
  if (help.asked && help.answer && help.changed.length > 0) {
    return analyzeOnce(path, options, { sheet, answer: help.answer });
  }
  if (first) return first;
  throw refusal;
}

function lacksRevenue(read: ColumnsRead): boolean {
  const { index } = read.assignment;
  return index.revenue === -1 && (index.units === -1 || index.unitPrice === -1);
}

async function analyzeOnce(
  path: string,
  options: AnalyzeOptions,
  classified: ClassifierAnswerFor | null = null,
  onRead?: (sheet: string | null, read: ColumnsRead) => void,
): Promise<Analysis> {
  const columnsFor = (sheet: string | null) => ({
    ...(classified && classified.sheet === sheet ? { classifierAnswer: classified.answer } : {}),
    ...(onRead ? { onRead: (read: ColumnsRead) => onRead(sheet, read) } : {}),
  });
  const limits = options.limits ?? DEFAULT_LIMITS;
  const name = options.fileName ?? basename(path);
  const { size } = await statInputFile(path);
  if (size > limits.maxFileBytes) throw tooLarge(limits);
  const head = await readHead(path);
  const kind = sniff(head, await readCfbDirectory(path, head));

  if (kind === "text") {
    const table = new TableBuilder(limits, {
      onRows: options.onRows,
      typedColumns: true,
      columns: columnsFor(null),
    });
    const info = await readCsv(
      path,
      limits,
      (cells) => table.push(cells),
      table.typing,
      (delimiter) => table.setListSeparator(delimiter),
    );
    const result = table.finish();
    if (!("metrics" in result)) throw problemToError(result);
    return withSource(result, {
      name,
      type: "csv",
      bytes: info.bytes,
      encoding: info.encoding,
      delimiter: info.delimiter,
      decimalComma: result.schema.decimalComma,
      sheet: null,
      sheetsSkipped: [],
      headerRow: result.headerRow,
    });
  }

  // Loaded only for a workbook: the zip and XML readers cost about 30 ms of start-up CPU.
  const { readXlsx } = await import("./read/xlsx.js");
  const sheets: { name: string; result: TableResult | TableProblem }[] = [];
  let current: { name: string; table: TableBuilder } | null = null;
  let rowsSoFar = 0;
  await readXlsx(path, limits, {
    startSheet(sheetName, { date1904 }) {
      const remaining = { ...limits, maxRows: limits.maxRows - rowsSoFar };
      current = {
        name: sheetName,
        table: new TableBuilder(remaining, {
          date1904,
          onRows: options.onRows,
          columns: columnsFor(sheetName),
        }),
      };
    },
    row(cells: Cell[], rowNumber: number) {
      current?.table.push(cells, rowNumber);
    },
    endSheet() {
      if (!current) return;
      const result = current.table.finish();
      if ("metrics" in result) rowsSoFar += result.metrics.rows;
      sheets.push({ name: current.name, result });
      current = null;
    },
  });
  const chosen = chooseSheet(sheets);
  if (!chosen) {
    if (sheets.length === 0) throw new InputError("no-table", "The workbook has no worksheets with data.");
    // A table whose columns could not be read says more than a sheet of notes with no data rows.
    const noRevenue = sheets.find((s) => "error" in s.result && s.result.error.problem === "no-revenue");
    const withHeaders = sheets.find((s) => "headers" in s.result && s.result.headers);
    const problem = (noRevenue ?? withHeaders ?? sheets[0])?.result as TableProblem;
    throw problemToError(problem, sheets.length > 1 ? sheets.map((s) => s.name) : undefined);
  }
  const result = chosen.result as TableResult;
  return withSource(result, {
    name,
    type: "xlsx",
    bytes: size,
    encoding: null,
    delimiter: null,
    decimalComma: false,
    sheet: chosen.name,
    sheetsSkipped: sheets.filter((s) => s !== chosen).map((s) => s.name),
    headerRow: result.headerRow,
  });
}

const PIVOT_HEADER = /^(row labels|column labels|grand total|(sum|count|average) of .+)$/i;

/**
 * The sales table is the sheet with usable revenue and the most data rows; pivot tables (which repeat
 * the same money in summary form) only win when nothing else has data.
 */
function chooseSheet(sheets: { name: string; result: TableResult | TableProblem }[]) {
  let best: (typeof sheets)[number] | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const sheet of sheets) {
    if (!("metrics" in sheet.result)) continue;
    const { metrics, schema } = sheet.result;
    const pivot = schema.headers.some((h) => PIVOT_HEADER.test(h.trim()));
    const score = metrics.rows - (pivot ? 1e9 : 0);
    if (score > bestScore) {
      best = sheet;
      bestScore = score;
    }
  }
  return best;
}

function problemToError(problem: TableProblem, sheetNames?: string[]): InputError {
  const where = sheetNames ? ` (looked at sheets: ${sheetNames.join(", ")})` : "";
  if (where) return new InputError(problem.error.problem, `${problem.error.userMessage}${where}`);
  return problem.error;
}

function withSource(result: TableResult, source: SourceInfo): Analysis {
  const metrics = result.metrics;
  const analysis: Analysis = { source, ...metrics, groupMonths: result.groupMonths };
  analysis.notes = describeQuality(analysis);
  return analysis;
}

/** 64 KiB: enough for sniffing text, and usually for the directory of an OLE (CFB) file too. */
const HEAD_BYTES = 64 * 1024;

function readHead(path: string): Promise<Uint8Array> {
  return readAt(path, 0, HEAD_BYTES);
}

/** An OLE (CFB) file's directory when it lies beyond the head: it tells a password-protected .xlsx apart. */
async function readCfbDirectory(path: string, head: Uint8Array): Promise<Uint8Array | undefined> {
  const offset = cfbDirectoryOffset(head);
  if (offset === null || offset + 512 <= head.length) return undefined;
  return readAt(path, offset, HEAD_BYTES);
}

async function readAt(path: string, position: number, length: number): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
