import { open } from "node:fs/promises";
import { InputError } from "../../errors.js";
import type { Cell } from "../cell.js";
import type { Limits } from "../limits.js";
import { type Delimiter, detectDelimiter } from "./csv-dialect.js";
import { type ColumnTyping, CsvTokenizer } from "./csv-tokenizer.js";
import { SpreadsheetTextDecoder, type TextEncodingName } from "./text-decoding.js";

export interface CsvInfo {
  encoding: TextEncodingName;
  delimiter: Delimiter;
  bytes: number;
}

/**
 * 96 KiB. Each chunk becomes one string; V8 puts a string over 128 KiB in its large-object space, on
 * freshly mapped memory every time, and the page faults of writing it made decoding 51 MB of chunks
 * cost 46 ms at 256 KiB against 5 ms at 64 KiB. 1M-row bench file, medians of 12 interleaved CLI
 * runs: 0.65-0.66 s wall / 0.73-0.75 s CPU at 96 KiB against 0.67-0.68 s / 0.75-0.78 s at 256 KiB.
 * A chunk never decodes to more characters than it has bytes; only text beyond Latin-1 (two bytes a
 * character in V8) can still cross the limit, which costs time, not correctness.
 */
const CHUNK_BYTES = 96 * 1024;
/** Enough text to see the header and a few dozen rows before choosing a delimiter. */
const DIALECT_SAMPLE_CHARS = 64 * 1024;

/**
 * Streams a CSV/TSV file into `onRow`, one row at a time, never holding the whole file. Cells are
 * strings, except that `typing` may ask for plain numbers and ISO dates to arrive pre-converted.
 * The byte limit is enforced as bytes arrive, not only from the file's stat, so it also holds for
 * streams whose size nobody told us.
 */
export async function readCsv(
  path: string,
  limits: Limits,
  onRow: (cells: Cell[]) => void,
  typing: ColumnTyping = { kinds: null },
  /** Told the delimiter before the first row arrives (it says something about the file's locale). */
  onDelimiter?: (delimiter: Delimiter) => void,
): Promise<CsvInfo> {
  const decoder = new SpreadsheetTextDecoder();
  let tokenizer: CsvTokenizer | null = null;
  let delimiter: Delimiter = ",";
  let bytes = 0;
  let pendingText = "";
  let crOnly = false;

  const feed = (text: string) => {
    if (crOnly) text = text.replaceAll("\r", "\n");
    // NUL is never data in a CSV (a C string terminator, padding): the few that text may hold go.
    if (text.includes("\0")) text = text.replaceAll("\0", "");
    (tokenizer as CsvTokenizer).push(text, onRow);
  };

  for await (const buffer of fileChunks(path)) {
    bytes += buffer.length;
    if (bytes > limits.maxFileBytes) throw tooLarge(limits);
    const text = decoder.decode(buffer);
    if (tokenizer) {
      feed(text);
      continue;
    }
    pendingText += text;
    if (pendingText.length < DIALECT_SAMPLE_CHARS) continue;
    ({ tokenizer, delimiter, crOnly } = startTokenizer(pendingText, typing));
    onDelimiter?.(delimiter);
    feed(pendingText);
    pendingText = "";
  }
  const tail = decoder.decode(new Uint8Array(0), true);
  if (!tokenizer) {
    pendingText += tail;
    if (pendingText.trim() === "") {
      throw new InputError("empty", "The file is empty: there is no header row and no data.");
    }
    ({ tokenizer, delimiter, crOnly } = startTokenizer(pendingText, typing));
    onDelimiter?.(delimiter);
    feed(pendingText);
  } else if (tail) {
    feed(tail);
  }
  tokenizer.end(onRow);
  return { encoding: decoder.encoding, delimiter, bytes };
}

/**
 * The file's bytes in chunks of CHUNK_BYTES, read into two buffers used in turn: the next read is
 * under way while the caller decodes the current chunk (which it must have copied out, as decoding
 * does, before asking for the next one). Unlike a read stream, no buffer is allocated per chunk and
 * no stream machinery runs per chunk.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let turn = 0;
  let reading: Promise<{ bytesRead: number }> | null = file.read(buffers[0] as Buffer, 0, CHUNK_BYTES, null);
  try {
    while (reading !== null) {
      const { bytesRead } = await reading;
      reading = null;
      if (bytesRead === 0) break;
      const current = buffers[turn] as Buffer;
      turn ^= 1;
      reading = file.read(buffers[turn] as Buffer, 0, CHUNK_BYTES, null);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    // A read still under way when the caller stops (an error, a limit) must end before the close.
    await reading?.catch(() => undefined);
    await file.close();
  }
}

function startTokenizer(
  sample: string,
  typing: ColumnTyping,
): { tokenizer: CsvTokenizer; delimiter: Delimiter; crOnly: boolean } {
  // Classic Mac exports end lines with a bare CR.
  const crOnly = !sample.includes("\n") && sample.includes("\r");
  const normalised = crOnly ? sample.replaceAll("\r", "\n") : sample;
  // Excel honours a first line "sep=;" naming the delimiter; so do we (the line itself is then a
  // one-cell title row, which the header search passes over).
  const hinted = /^sep=([,;\t|])\r?\n/i.exec(normalised)?.[1] as Delimiter | undefined;
  const delimiter = hinted ?? detectDelimiter(normalised);
  return { tokenizer: new CsvTokenizer(delimiter, typing), delimiter, crOnly };
}

export function tooLarge(limits: Limits): InputError {
  const mb = Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10;
  return new InputError(
    "too-large",
    `The file is larger than the ${mb} MB limit. Split it into smaller files, or ask the admin to raise the limit.`,
    { detail: `file larger than maxFileBytes ${limits.maxFileBytes} (MAX_FILE_MB)` },
  );
}
