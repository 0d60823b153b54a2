import { InputError } from "../../../errors.js";
import type { Cell } from "../../cell.js";
import type { XlsxTextLimits } from "../../limits.js";
import type { WorkbookArchive } from "./archive.js";
import { cellTooLong, type SharedStrings } from "./shared-strings.js";
import type { DateStyles } from "./styles.js";
import { parsePart } from "./xml.js";

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** Serial of 9999-12-31, Excel's last date; a larger "date" is a number in a date-formatted cell. */
const MAX_DATE_SERIAL = 2_958_465;

// Cell types (the `t` attribute), as small integers so the per-cell path compares numbers, not strings.
const NUMBER = 0;
const SHARED = 1;
const INLINE = 2;
const BOOLEAN = 3;
const ERROR = 4;
const FORMULA_STRING = 5;
const ISO_DATE = 6;

export interface SheetContext {
  strings: SharedStrings | null;
  styles: DateStyles;
  date1904: boolean;
  maxColumns: number;
  text: XlsxTextLimits;
}

/**
 * Streams one worksheet, emitting each <row> as an array of plain cells indexed by column (A = 0). A cell
 * is placed by its `r` reference (sheets are sparse; cells without `r` follow the previous one). Values:
 * shared (t="s") and inline strings, booleans, formula results cached in <v> (t="str" or a number), ISO
 * dates (t="d"), numbers; numbers in a date-formatted cell become a Date (UTC). Error values ("#N/A") are
 * their text; formulas with no cached result are null. A value past the column limit is refused as it is met, so a hostile row
 * cannot make us build a 16,384-cell array.
 */
export async function readSheet(
  archive: WorkbookArchive,
  part: string,
  context: SheetContext,
  emit: (cells: Cell[], rowNumber: number) => void,
): Promise<void> {
  const { strings, styles, date1904, maxColumns } = context;
  const maxCellChars = context.text.maxCellChars;
  const epoch = date1904 ? EPOCH_1904 : EPOCH_1900;

  let cells: Cell[] = [];
  let rowNumber = 0;
  let inRow = false;
  let column = -1;
  let type = NUMBER;
  let style = 0;
  let inValue = false;
  let inInline = false;
  let inInlineText = false;
  let phonetic = 0;
  let hasText = false;
  let text = "";

  const value = (): Cell => {
    switch (type) {
      case NUMBER: {
        if (!hasText) return null;
        const n = Number(text);
        if (text.trim() === "" || !Number.isFinite(n)) return null;
        if (style !== 0 && styles.isDate(style) && n >= 0 && n <= MAX_DATE_SERIAL + 1) {
          return new Date(epoch + Math.round(n * DAY_MS));
        }
        return n;
      }
      case SHARED:
        return hasText && strings ? strings.get(Number(text)) : null;
      case INLINE:
      case FORMULA_STRING:
        return hasText ? text : null;
      case BOOLEAN:
        return hasText ? text.trim() === "1" || text.trim() === "true" : null;
      case ISO_DATE:
        return hasText ? isoDate(text) : null;
      case ERROR:
        // "#N/A", "#DIV/0!": kept as text so the notes can say a formula failed, not that a cell is empty.
        return hasText && text.trim() !== "" ? text.trim() : null;
      default:
        return null;
    }
  };

  await parsePart(archive, part, {
    open(name, a) {
      // Most frequent first: every cell opens <c> and <v>.
      if (name === "c") {
        column = columnOf(a.r, column);
        type = typeOf(a.t);
        style = a.s === undefined ? 0 : Number(a.s);
        hasText = false;
        text = "";
      } else if (name === "v") {
        inValue = true;
      } else if (name === "row") {
        inRow = true;
        const r = a.r === undefined ? Number.NaN : Number(a.r);
        rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
        column = -1;
        cells = [];
      } else if (name === "is") {
        inInline = true;
      } else if (name === "t") {
        inInlineText = inInline;
      } else if (name === "rPh") {
        phonetic++;
      }
    },
    close(name) {
      if (name === "v") {
        inValue = false;
      } else if (name === "c") {
        if (!inRow) return;
        const cell = value();
        if (cell === null) return;
        if (column >= maxColumns) throw tooWide(rowNumber, column, maxColumns);
        // Rows stay dense (gaps are null): the table code maps over them, and holes would vanish.
        if (column >= cells.length) {
          while (cells.length < column) cells.push(null);
          cells.push(cell);
        } else cells[column] = cell;
      } else if (name === "row") {
        inRow = false;
        emit(cells, rowNumber);
      } else if (name === "is") {
        inInline = false;
        // An inline string cell holds its text in <is>, whatever its t says.
        type = INLINE;
      } else if (name === "t") {
        inInlineText = false;
      } else if (name === "rPh") {
        phonetic--;
      }
    },
    text(chunk) {
      hasText = true;
      text += chunk;
      if (text.length > maxCellChars) throw cellTooLong(context.text);
    },
    wantsText: () => inValue || (inInlineText && phonetic === 0),
  });
}

function typeOf(t: string | undefined): number {
  if (t === undefined || t === "n") return NUMBER;
  switch (t) {
    case "s":
      return SHARED;
    case "inlineStr":
      return INLINE;
    case "b":
      return BOOLEAN;
    case "e":
      return ERROR;
    case "str":
      return FORMULA_STRING;
    case "d":
      return ISO_DATE;
    default:
      return NUMBER;
  }
}

/** Column index (A = 0) from a reference like "AB12"; the next column when the reference is missing. */
function columnOf(reference: string | undefined, previous: number): number {
  if (reference === undefined) return previous + 1;
  let column = 0;
  let i = 0;
  for (; i < reference.length && i < 4; i++) {
    const code = reference.charCodeAt(i) | 32; // ASCII lower case
    if (code < 97 || code > 122) break;
    column = column * 26 + (code - 96);
  }
  return i === 0 ? previous + 1 : column - 1;
}

const ISO_DATE_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A t="d" cell: ISO 8601 text. Without a zone it is wall-clock time, read as UTC like serial dates. */
function isoDate(text: string): Date | null {
  const trimmed = text.trim();
  const match = ISO_DATE_TEXT.exec(trimmed);
  if (!match) return null;
  const iso = trimmed.replace(" ", "T");
  const withZone = match[1] || trimmed.length === 10 ? iso : `${iso}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date;
}

function tooWide(rowNumber: number, column: number, maxColumns: number): InputError {
  return new InputError(
    "too-many-columns",
    `Row ${rowNumber} has a value in column ${column + 1}; the limit is ${maxColumns} columns. Is this really a sales table? Delete the stray cells far to the right, or save the sales table on its own.`,
    { detail: `xlsx cell beyond maxColumns=${maxColumns} (MAX_COLUMNS)` },
  );
}
