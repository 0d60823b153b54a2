import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";
import { InputError } from "../../errors.js";
import type { Limits } from "../limits.js";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const MAX_COMMENT = 0xffff;

/** Lists a zip's entries from its central directory (read from the end of the file, no inflating). */
export async function listZipEntries(path: string, limits: Limits): Promise<ZipEntry[]> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const tailSize = Math.min(size, 22 + MAX_COMMENT);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw corrupt("no zip directory found");
    if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_EOCD_LOCATOR) {
      // Workbooks under our size limit never need ZIP64; a ZIP64 directory here is a crafted file.
      throw new InputError(
        "zip-bomb",
        "The workbook uses a ZIP64 layout, which spreadsheets of this size never need. Re-save it in Excel.",
      );
    }
    const count = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (count > limits.maxXlsxEntries) throw tooManyEntries(limits);
    if (directoryOffset + directorySize > size) throw corrupt("zip directory points outside the file");
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    while (p + 46 <= directory.length && directory.readUInt32LE(p) === CENTRAL_SIGNATURE) {
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      entries.push({
        method: directory.readUInt16LE(p + 10),
        compressedSize: directory.readUInt32LE(p + 20),
        uncompressedSize: directory.readUInt32LE(p + 24),
        localHeaderOffset: directory.readUInt32LE(p + 42),
        name: directory.toString("utf8", p + 46, p + 46 + nameLength),
      });
      if (entries.length > limits.maxXlsxEntries) throw tooManyEntries(limits);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await file.close();
  }
}

/**
 * Rejects zip bombs before any XML parser sees the workbook. Declared sizes are checked first (cheap),
 * then every entry is actually inflated with a byte counter, because a crafted zip can declare 1 KB
 * and inflate to gigabytes. The inflate pass streams and stops at the first byte over the limit, so a
 * bomb costs milliseconds and almost no memory.
 */
export async function assertSafeZip(path: string, entries: ZipEntry[], limits: Limits): Promise<void> {
  let declared = 0;
  for (const e of entries) declared += e.uncompressedSize;
  if (declared > limits.maxXlsxUncompressedBytes) throw bomb(limits);
  let inflatedTotal = 0;
  const file = await open(path, "r");
  try {
    for (const entry of entries) {
      if (entry.method !== 0 && entry.method !== 8) throw corrupt(`unsupported compression in ${entry.name}`);
      const header = Buffer.alloc(30);
      await file.read(header, 0, 30, entry.localHeaderOffset);
      if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw corrupt(`bad local header for ${entry.name}`);
      const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (entry.method === 0) {
        inflatedTotal += entry.compressedSize;
      } else {
        const budget = Math.min(limits.maxXlsxUncompressedBytes - inflatedTotal, entry.uncompressedSize);
        inflatedTotal += await inflatedSize(path, dataStart, entry.compressedSize, budget, limits);
      }
      if (inflatedTotal > limits.maxXlsxUncompressedBytes) throw bomb(limits);
    }
  } finally {
    await file.close();
  }
}

async function inflatedSize(
  path: string,
  start: number,
  length: number,
  budget: number,
  limits: Limits,
): Promise<number> {
  if (length === 0) return 0;
  // Large buffers: this pass only counts bytes, and fewer callbacks make it several times faster.
  const source = createReadStream(path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 });
  const inflate = createInflateRaw({ chunkSize: 1024 * 1024 });
  let produced = 0;
  return new Promise<number>((resolve, reject) => {
    const fail = (error: Error) => {
      source.destroy();
      inflate.destroy();
      reject(error);
    };
    inflate.on("data", (chunk: Buffer) => {
      produced += chunk.length;
      // An entry inflating past its own declared size is lying about it: that is how bombs hide.
      if (produced > budget) fail(bomb(limits));
    });
    inflate.on("end", () => resolve(produced));
    inflate.on("error", (e) => fail(corrupt(`damaged zip data (${e.message})`)));
    source.on("error", fail);
    source.pipe(inflate);
  });
}

function bomb(limits: Limits): InputError {
  const mb = Math.round(limits.maxXlsxUncompressedBytes / 1024 / 1024);
  return new InputError(
    "zip-bomb",
    `The workbook expands to more than ${mb} MB when unzipped (MAX_XLSX_UNCOMPRESSED_MB), or lies about its size. It was not opened.`,
  );
}

function tooManyEntries(limits: Limits): InputError {
  return new InputError(
    "zip-bomb",
    `The workbook holds more than ${limits.maxXlsxEntries} parts (MAX_XLSX_ENTRIES). It was not opened.`,
  );
}

function corrupt(detail: string): InputError {
  return new InputError(
    "corrupt",
    `The workbook is damaged and cannot be read (${detail}). Re-save it in Excel.`,
  );
}
