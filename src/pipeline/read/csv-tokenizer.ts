import { InputError } from "../../errors.js";
import type { Cell } from "../cell.js";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * No table row is this long: past it the carried text is either a quoted field swallowing the file
 * (a stray quote) or not line-based text at all, and holding more would only use memory.
 */
export const MAX_ROW_CHARS = 8 * 1024 * 1024;
/** A carried partial row up to this long is finished by joining it with the next chunk's first line only. */
const SHORT_CARRY_CHARS = 64 * 1024;

/**
 * How the fast path hands over a column once the schema is known. Converting numbers and ISO dates
 * straight from the text skips a string allocation per cell, which is most of the remaining cost of
 * a large plain export. Cells that do not fit the plain shape are passed on as strings, so the
 * general parsers downstream still see them.
 */
export const ColumnKind = {
  Text: 0,
  /** Plain decimal ("1234.5", "-3"): becomes a number. */
  Number: 1,
  /** ISO "yyyy-mm-dd": becomes the yyyymmdd integer that parseDateCell reads back as that day. */
  IsoDate: 2,
} as const;

export interface ColumnTyping {
  kinds: Uint8Array | null;
  /**
   * The receiver keeps no typed row's array once its callback returns (it copies what it keeps), so
   * every typed row may arrive in the same array: a million rows then allocate one array, not a
   * million (measured: 10-20 ms less CPU per 1M rows).
   */
  reuseRow?: boolean;
  /**
   * Once `kinds` is set, empty lines are counted and reported here in runs, before the next row,
   * instead of one `[""]` row each: a file padded with millions of blank lines then costs a counter
   * per line, not a row (measured: see the commit that added it).
   */
  blankLines?: (count: number) => void;
}

/**
 * RFC 4180 tokenizer over decoded text chunks. Lines without a quote character take a fast path
 * (`indexOf` + `slice`), which is what makes a plain 1M-row export parse in a fraction of a second;
 * lines with quotes are walked field by field. Quotes only open a field at its start, as in papaparse
 * and Excel, so `5" screen` stays literal. Rows are emitted through a callback to avoid allocating an
 * intermediate array of rows per chunk.
 *
 * Every input is read in linear time. The positions of the next delimiter, line feed and quote are
 * cached and searched for again only once the parser has moved past them, so no search covers text an
 * earlier search already covered (a line without a delimiter used to rescan the rest of its 256 KiB
 * chunk: 50 MB of blank lines took 125 s). A row left unfinished at the end of a chunk is re-parsed
 * from its start only once the text after it has at least doubled, so a row spanning many chunks costs
 * a logarithmic number of re-parses, not one per chunk.
 */
export class CsvTokenizer {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  /**
   * Shared with the table builder, which fills in `kinds` the moment it knows the schema (in the middle
   * of a chunk); read per line so every row after that point arrives typed. Null kinds: all text.
   */
  private readonly typing: ColumnTyping;
  /** The one array every typed row is handed over in (see ColumnTyping). */
  private readonly typedRow: Cell[] = [];
  /** Empty lines seen but not yet reported to `typing.blankLines`. */
  private blankRun = 0;
  /** The start of an unfinished row, carried over to the next chunk. */
  private carry = "";
  /** Chunks that arrived after `carry` and have not been parsed yet (see `push`). */
  private held: string[] = [];
  private heldChars = 0;
  private lineNumber = 1;
  /** Why `carry` is unfinished: it is inside a quoted field (true) or has no line end yet (false). */
  private carryInQuotes = false;

  // The text being consumed and the cached search results in it: each is the position of the next
  // delimiter / line feed / quote at or after where it was last searched from (text.length if none),
  // or -1 before the first search. Positions only move forward, so a cached hit stays correct until
  // the parser passes it.
  private text = "";
  private final = false;
  private nextDelimiter = -1;
  private nextLineFeed = -1;
  /** A CR not followed by LF: a line break too (see `findLoneCr`). */
  private nextLoneCr = -1;
  private nextQuote = -1;

  constructor(delimiter: string, typing: ColumnTyping = { kinds: null }) {
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.typing = typing;
  }

  push(chunk: string, emit: (cells: Cell[]) => void): void {
    let rest = chunk;
    if (this.carry.length > 0 && this.carry.length <= SHORT_CARRY_CHARS && this.heldChars === 0) {
      // Finish the carried line with the head of the chunk, then read the chunk in place: carry + chunk
      // would be a rope that V8 copies into a new string before searching it (measured: about a sixth
      // of the tokenizer's time on a plain 1M-row file).
      const lineFeed = chunk.indexOf("\n");
      if (lineFeed === -1) {
        this.consume(this.carry + chunk, 0, false, emit);
        return;
      }
      this.consume(this.carry + chunk.slice(0, lineFeed + 1), 0, false, emit);
      if (this.carry.length > 0) {
        // The row goes on past that line feed (a quoted field): join as before.
        rest = chunk.slice(lineFeed + 1);
      } else {
        this.consume(chunk, lineFeed + 1, false, emit);
        return;
      }
    }
    if (this.carry.length === 0) {
      this.consume(rest, 0, false, emit);
      return;
    }
    this.held.push(rest);
    this.heldChars += rest.length;
    // Wait for at least as much new text as the unfinished row already has (see the class comment),
    // but never past the row limit, which must be checked as soon as it is crossed.
    if (this.heldChars < this.carry.length && this.carry.length + this.heldChars <= MAX_ROW_CHARS) return;
    const text = this.carry + this.held.join("");
    this.held = [];
    this.heldChars = 0;
    this.consume(text, 0, false, emit);
  }

  end(emit: (cells: Cell[]) => void): void {
    if (this.heldChars > 0) {
      const text = this.carry + this.held.join("");
      this.held = [];
      this.heldChars = 0;
      this.consume(text, 0, false, emit);
    }
    if (this.carry.length > 0) this.consume(`${this.carry}\n`, 0, true, emit);
    this.carry = "";
  }

  /** Parses the complete rows of text[start...] and carries over the rest. */
  private consume(text: string, start: number, final: boolean, emit: (cells: Cell[]) => void): void {
    this.text = text;
    this.final = final;
    this.nextDelimiter = -1;
    this.nextLineFeed = -1;
    this.nextLoneCr = -1;
    this.nextQuote = -1;
    const length = text.length;
    let pos = start;
    while (pos < length) {
      const lineEnd = this.lineEnd(pos);
      if (lineEnd === length) {
        this.carryInQuotes = false;
        break;
      }
      if (this.nextQuote < pos) this.nextQuote = orEnd(text.indexOf('"', pos), length);
      if (this.nextQuote > lineEnd) {
        const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
        const kinds = this.typing.kinds;
        if (kinds && end === pos && this.typing.blankLines) this.blankRun++;
        else {
          if (this.blankRun > 0) this.reportBlankLines();
          emit(kinds ? this.splitTypedLine(pos, end, kinds) : this.splitLine(pos, end));
        }
        this.lineNumber++;
        pos = lineEnd + 1;
        continue;
      }
      if (this.blankRun > 0) this.reportBlankLines();
      const next = this.quotedRow(pos, emit);
      if (next === -1) break;
      pos = next;
    }
    if (this.blankRun > 0) this.reportBlankLines();
    this.carry = pos === 0 ? text : text.slice(pos);
    this.text = "";
    if (this.carry.length > MAX_ROW_CHARS) throw this.rowTooLong();
  }

  private reportBlankLines(): void {
    const count = this.blankRun;
    this.blankRun = 0;
    this.typing.blankLines?.(count);
  }

  /** The carried row passed MAX_ROW_CHARS: say whether a quote swallowed the file or the lines are just too long. */
  private rowTooLong(): InputError {
    const limit = `${Math.floor(MAX_ROW_CHARS / 1_000_000)} million characters`;
    if (this.carryInQuotes) {
      return new InputError(
        "corrupt",
        `The CSV looks malformed: a quoted field starting near line ${this.lineNumber} never closes. Check for a stray " character.`,
        {
          detail: `quoted field from line ${this.lineNumber} still open after ${this.carry.length} characters`,
        },
      );
    }
    return new InputError(
      "corrupt",
      `Line ${this.lineNumber} is longer than ${limit} without a line break, so this does not look like a CSV or TSV table (one row per line). Check that it is the right file, or export the data again as CSV.`,
      {
        detail: `no line break in ${this.carry.length} characters from line ${this.lineNumber} (MAX_ROW_CHARS)`,
      },
    );
  }

  /** Parses one row that contains at least one quote; returns the index after its line end, or -1 if the row is incomplete. */
  private quotedRow(start: number, emit: (cells: Cell[]) => void): number {
    const text = this.text;
    const delimiterCode = this.delimiterCode;
    const length = text.length;
    const cells: string[] = [];
    let i = start;
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        const open = i + 1;
        let segment = open;
        let doubled = false;
        for (;;) {
          const close = text.indexOf('"', segment);
          if (close === -1 || close + 1 >= length) {
            if (this.final) {
              throw new InputError(
                "corrupt",
                `The CSV looks malformed: a quoted field starting on line ${this.lineNumber} never closes. Check for a stray " character.`,
              );
            }
            this.carryInQuotes = true;
            return -1;
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            doubled = true;
            segment = close + 2;
            continue;
          }
          // One slice per field: appending each piece between doubled quotes built a long rope.
          value = doubled ? text.slice(open, close).replaceAll('""', '"') : text.slice(open, close);
          i = close + 1;
          break;
        }
        // Text between a closing quote and the next delimiter is kept, as spreadsheets do.
        const stop = this.fieldEnd(i);
        if (stop === -1) return -1;
        if (stop > i) value += text.slice(i, this.withoutCrBeforeLf(i, stop));
        i = stop;
      } else {
        const stop = this.fieldEnd(i);
        if (stop === -1) return -1;
        value = text.slice(i, this.withoutCrBeforeLf(i, stop));
        i = stop;
      }
      cells.push(value);
      if (text.charCodeAt(i) === delimiterCode) {
        i++;
        continue;
      }
      // At the line end: the row is complete. Count the line breaks inside its quoted fields too.
      emit(cells);
      this.lineNumber++;
      for (let k = text.indexOf("\n", start); k !== -1 && k < i; k = text.indexOf("\n", k + 1))
        this.lineNumber++;
      return i + 1;
    }
  }

  /** The next delimiter or line end at or after `from`; -1 when the line does not end in this text. */
  private fieldEnd(from: number): number {
    const text = this.text;
    const length = text.length;
    const lineEnd = this.lineEnd(from);
    if (lineEnd === length) {
      this.carryInQuotes = false;
      return -1;
    }
    if (this.nextDelimiter < from) this.nextDelimiter = orEnd(text.indexOf(this.delimiter, from), length);
    return Math.min(this.nextDelimiter, lineEnd);
  }

  /** The next line break (LF, or a lone CR) at or after `from`; text.length if there is none. */
  private lineEnd(from: number): number {
    if (this.nextLineFeed < from) this.nextLineFeed = orEnd(this.text.indexOf("\n", from), this.text.length);
    if (this.nextLoneCr < from) this.nextLoneCr = this.findLoneCr(from);
    return Math.min(this.nextLineFeed, this.nextLoneCr);
  }

  /**
   * A CR that is not part of a CRLF ends a line, as in a classic Mac file. One stray CR in an LF or
   * CRLF export would otherwise glue two rows together and silently drop one from the totals.
   * In a file without CRs this costs one indexOf per chunk; in a CRLF file one per line break.
   * A CR that is the last character of a chunk is not known to be lone until the next chunk comes.
   */
  private findLoneCr(from: number): number {
    const text = this.text;
    const length = text.length;
    for (let cr = text.indexOf("\r", from); cr !== -1; cr = text.indexOf("\r", cr + 2)) {
      if (cr + 1 === length) return this.final ? cr : length;
      if (text.charCodeAt(cr + 1) !== LF) return cr;
    }
    return length;
  }

  /** Where a field ending at `stop` ends once the CR of a CRLF line end is left out. */
  private withoutCrBeforeLf(from: number, stop: number): number {
    const text = this.text;
    return stop > from && text.charCodeAt(stop) === LF && text.charCodeAt(stop - 1) === CR ? stop - 1 : stop;
  }

  /** Splits text[start, end) at each delimiter; measured faster than `slice(...).split(...)` on V8. */
  private splitLine(start: number, end: number): string[] {
    const text = this.text;
    const cells: string[] = [];
    let p = start;
    let d = this.nextDelimiter;
    if (d < start) d = orEnd(text.indexOf(this.delimiter, start), text.length);
    while (d < end) {
      cells.push(text.slice(p, d));
      p = d + 1;
      d = orEnd(text.indexOf(this.delimiter, p), text.length);
    }
    cells.push(text.slice(p, end));
    this.nextDelimiter = d;
    return cells;
  }

  private splitTypedLine(start: number, end: number, kinds: Uint8Array): Cell[] {
    const text = this.text;
    const length = text.length;
    const delimiter = this.delimiter;
    const cells = this.typing.reuseRow ? this.typedRow : [];
    let p = start;
    let d = this.nextDelimiter;
    let column = 0;
    for (; ; column++) {
      // One search site for every field: a separate search for the first line of a chunk (the only
      // line whose cached delimiter lies behind it) had no type feedback when V8 optimized this
      // function, and the next chunk's first line threw that code away.
      if (d < p) d = orEnd(text.indexOf(delimiter, p), length);
      const stop = Math.min(d, end);
      const kind = kinds[column];
      if (kind === ColumnKind.Number) cells[column] = plainNumberOrText(text, p, stop);
      else if (kind === ColumnKind.IsoDate) cells[column] = isoDateOrText(text, p, stop);
      else cells[column] = text.slice(p, stop);
      if (stop === end) break;
      p = d + 1;
    }
    if (cells.length !== column + 1) cells.length = column + 1;
    this.nextDelimiter = d;
    return cells;
  }
}

/** An indexOf result with "not found" as the end of the text, so that "is it before X" is one comparison. */
function orEnd(index: number, length: number): number {
  return index === -1 ? length : index;
}

/** The fast path's conversion for one already-split cell, so rows read before the schema match rows after. */
export function convertCell(cell: Cell, kind: number): Cell {
  if (typeof cell !== "string") return cell;
  if (kind === ColumnKind.Number) return plainNumberOrText(cell, 0, cell.length);
  if (kind === ColumnKind.IsoDate) return isoDateOrText(cell, 0, cell.length);
  return cell;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Reads [-]digits[.digits] with at most 15 significant digits. The integer mantissa and the power of
 * ten are both exact doubles, so their quotient is the correctly rounded value: bit for bit what
 * Number() gives for the same text.
 */
function plainNumberOrText(text: string, start: number, end: number): Cell {
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && scale === -1) {
      scale = end - i - 1;
    } else {
      return text.slice(start, end);
    }
  }
  if (digits === 0 || digits > 15 || scale === 0) return text.slice(start, end);
  const value = scale > 0 ? mantissa / (POWERS_OF_TEN[scale] as number) : mantissa;
  return negative ? -value : value;
}

function isoDateOrText(text: string, start: number, end: number): Cell {
  if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) {
    return text.slice(start, end);
  }
  let key = 0;
  for (let i = start; i < end; i++) {
    if (i === start + 4 || i === start + 7) continue;
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return text.slice(start, end);
    key = key * 10 + c;
  }
  return key;
}
