import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createInflateRaw } from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { InputError } from "../../../errors.js";
import type { Limits } from "../../limits.js";

const STORED = 0;
const DEFLATED = 8;
const INFLATE_CHUNK = 64 * 1024;

/**
 * A workbook's zip, read only through its central directory (yauzl): an entry that is not listed there
 * is never seen, whatever local headers the file carries. Every byte inflated from any entry counts
 * against one budget as it is produced, so a part that lies about its size is stopped at the first
 * byte over the limit, not after it has been buffered.
 */
export class WorkbookArchive {
  private inflated = 0;

  private constructor(
    private readonly zip: ZipFile,
    private readonly byName: Map<string, Entry>,
    readonly names: string[],
    private readonly limits: Limits,
  ) {}

  static async open(path: string, limits: Limits): Promise<WorkbookArchive> {
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: true,
        decodeStrings: true,
        strictFileNames: false,
      });
    } catch (error) {
      throw damaged("not a complete zip archive", error);
    }
    try {
      // Counted before a single directory record is parsed: a hostile directory can list millions.
      if (zip.entryCount > limits.maxXlsxEntries) throw tooManyEntries(limits, zip.entryCount);
      const entries = await listEntries(zip);
      const byName = new Map<string, Entry>();
      let declared = 0;
      for (const entry of entries) {
        if (entry.isEncrypted()) {
          throw new InputError(
            "unsupported-type",
            "The workbook's contents are encrypted inside the zip. Save it in Excel without a password and try again.",
            { detail: `encrypted zip entry ${entry.fileName}` },
          );
        }
        declared += entry.uncompressedSize;
        // Names compare case-insensitively: relationship targets written by some tools differ in case.
        const key = entry.fileName.toLowerCase();
        if (byName.has(key)) throw damaged(`the zip lists ${entry.fileName} twice`);
        byName.set(key, entry);
      }
      // Cheap first line of defence; the inflate counter below is the one that cannot be lied to.
      if (declared > limits.maxXlsxUncompressedBytes) throw bomb(limits, `declared ${declared} bytes`);
      return new WorkbookArchive(
        zip,
        byName,
        entries.map((e) => e.fileName),
        limits,
      );
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /**
   * Streams one entry as text to `consume`, chunk by chunk (UTF-8, split safely between chunks). Stops
   * with the zip-bomb error the moment the bytes inflated so far, over all entries, pass the limit.
   */
  async readText(name: string, consume: (text: string) => void): Promise<void> {
    const entry = this.byName.get(name.toLowerCase());
    if (!entry) throw damaged(`${name} is missing`);
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
      throw damaged(`${entry.fileName} uses compression method ${entry.compressionMethod}`);
    }
    if (this.inflated + entry.uncompressedSize > this.limits.maxXlsxUncompressedBytes) {
      throw bomb(this.limits, `${entry.fileName} declares ${entry.uncompressedSize} bytes`);
    }
    let raw: Readable;
    try {
      // Raw bytes from yauzl, inflated here in 64 KiB chunks: the default 16 KiB output chunks cost
      // ~0.1 s of callbacks on a 30 MB sheet. Sizes are validated below, as the bytes are produced.
      raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
    } catch (error) {
      throw damaged(`cannot open ${entry.fileName}`, error);
    }
    const stream: Readable =
      entry.compressionMethod === DEFLATED ? raw.pipe(createInflateRaw({ chunkSize: INFLATE_CHUNK })) : raw;
    raw.on("error", (error) => stream.destroy(error));
    const decoder = new StringDecoder("utf8");
    let produced = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        produced += chunk.length;
        this.inflated += chunk.length;
        // Checked before the chunk is parsed: a part may not grow past what it declared, nor the
        // workbook past the limit.
        if (produced > entry.uncompressedSize || this.inflated > this.limits.maxXlsxUncompressedBytes) {
          throw bomb(this.limits, `${entry.fileName} inflated past ${produced} bytes`);
        }
        const text = decoder.write(chunk);
        if (text.length > 0) consume(text);
      }
      if (produced !== entry.uncompressedSize) {
        throw damaged(
          `${entry.fileName} holds ${produced} bytes, not the ${entry.uncompressedSize} it declares`,
        );
      }
      const rest = decoder.end();
      if (rest.length > 0) consume(rest);
    } catch (error) {
      if (error instanceof InputError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw damaged(`${entry.fileName}: ${message}`, error);
    } finally {
      raw.destroy();
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    // `on`, not `once`: a late second error with no listener would crash the whole process.
    zip.on("error", (error: unknown) => reject(damaged("its directory cannot be read", error)));
    zip.readEntry();
  });
}

export function bomb(limits: Limits, detail: string): InputError {
  const mb = Math.round(limits.maxXlsxUncompressedBytes / 1024 / 1024);
  return new InputError(
    "zip-bomb",
    `The workbook expands to more than ${mb} MB when unzipped, or lies about its size. It was not opened.`,
    { detail: `${detail} (limit MAX_XLSX_UNCOMPRESSED_MB=${mb})` },
  );
}

function tooManyEntries(limits: Limits, count: number): InputError {
  return new InputError(
    "zip-bomb",
    `The workbook holds more than ${limits.maxXlsxEntries.toLocaleString("en-US")} parts, far more than a spreadsheet needs. It was not opened.`,
    { detail: `${count} zip entries (limit MAX_XLSX_ENTRIES=${limits.maxXlsxEntries})` },
  );
}

export function damaged(detail: string, cause?: unknown): InputError {
  return new InputError(
    "corrupt",
    "The workbook is damaged and cannot be read. Open it in Excel, save it again as .xlsx and try again.",
    { detail: `damaged workbook: ${detail}`, cause },
  );
}
