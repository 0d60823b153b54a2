import { InputError } from "../../errors.js";
import { utf16WithoutBom } from "./text-decoding.js";

export type SniffedKind = "text" | "zip";

const EXPECTED = "Expected a CSV file (comma, semicolon or tab separated) or an Excel .xlsx workbook.";

/**
 * Decides from the first bytes what a file really is; the extension is only a hint that users (and
 * Slack) get wrong. Everything that is neither text nor a zip is refused here with a message that
 * names what we saw.
 */
export function sniff(head: Uint8Array, cfbDirectory?: Uint8Array): SniffedKind {
  if (head.length === 0) throw new InputError("empty", `The file is empty. ${EXPECTED}`);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return "zip";
  if (isCfb(head) && (holdsEncryptedPackage(head) || (cfbDirectory && holdsEncryptedPackage(cfbDirectory)))) {
    throw new InputError("unsupported-type", PASSWORD_PROTECTED, {
      detail: "CFB container with EncryptedPackage",
    });
  }
  const named = knownBinary(head);
  if (named)
    throw new InputError("unsupported-type", `This looks like ${named}, not a spreadsheet. ${EXPECTED}`);
  // UTF-16 text (Excel's "Unicode Text") is full of NUL bytes but is still text.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]) || utf16WithoutBom(head))
    return "text";
  if (looksBinary(head))
    throw new InputError("unsupported-type", `This file is binary data, not a CSV. ${EXPECTED}`);
  const text = Buffer.from(head.subarray(0, 2048))
    .toString("latin1")
    .replace(/^\xef\xbb\xbf/, "")
    .trimStart()
    .toLowerCase();
  const markup = markupKind(text);
  if (markup) throw new InputError("unsupported-type", `${markup} ${EXPECTED}`);
  if (text.startsWith("{\\rtf"))
    throw new InputError("unsupported-type", `This is a rich-text document (RTF). ${EXPECTED}`);
  // "[{" or '{"': a JSON export; no CSV starts so (a header cell would have to open with a bracket).
  if (/^(?:\[\s*[{["]|\{\s*")/.test(text))
    throw new InputError("unsupported-type", `This is JSON data, not a table: export it as CSV. ${EXPECTED}`);
  return "text";
}

const HTML_START = /^<(?:!doctype html|html|head|body|meta|table|style|title|div)\b/;

/**
 * Markup under a spreadsheet name: web apps export "report.xls" files that are HTML tables or Excel
 * 2003 XML (SpreadsheetML); no CSV's first line starts with "<".
 */
function markupKind(text: string): string | null {
  if (HTML_START.test(text)) {
    return "This is a web page (HTML), not a spreadsheet; if it came from a web app as .xls, open it in Excel and save it as .xlsx.";
  }
  if (!text.startsWith("<?xml") && !text.startsWith("<")) return null;
  if (
    text.includes("urn:schemas-microsoft-com:office:spreadsheet") ||
    text.includes('progid="excel.sheet"')
  ) {
    return "This is an Excel 2003 XML spreadsheet, which cannot be read here: open it in Excel and save it as .xlsx.";
  }
  return text.startsWith("<?xml") ? "This is an XML file, not a spreadsheet." : null;
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream name an encrypted OOXML package (ECMA-376 "Agile" or "Standard" encryption) is stored under. */
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");
const PASSWORD_PROTECTED =
  "This workbook is password-protected, so it cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and upload it again.";

/**
 * Excel saves a password-protected .xlsx not as a zip but as an OLE compound file (CFB, the container of
 * old .xls files) holding "EncryptionInfo" and "EncryptedPackage" streams. Their names sit in the CFB
 * directory as UTF-16LE, usually within the first sectors; `cfbDirectoryOffset` says where the
 * directory starts when the head does not reach it.
 */
function isCfb(head: Uint8Array): boolean {
  return startsWith(head, CFB_MAGIC);
}

function holdsEncryptedPackage(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE);
}

/** Byte offset of a CFB file's first directory sector, from its header; null when not a CFB file. */
export function cfbDirectoryOffset(head: Uint8Array): number | null {
  if (!isCfb(head) || head.length < 0x34) return null;
  const view = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const sectorShift = view.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return null;
  const firstSector = view.readUInt32LE(0x30);
  // 0xFFFFFFFA and above are markers (end of chain, free...), not sector numbers.
  if (firstSector >= 0xfffffffa) return null;
  return (firstSector + 1) * 2 ** sectorShift;
}

function knownBinary(head: Uint8Array): string | null {
  if (isCfb(head)) {
    return "an old-format Office file (.xls or .doc); open it in Excel and save as .xlsx or CSV";
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return "a PDF";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return "a PNG image";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "a JPEG image";
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return "a GIF image";
  if (startsWith(head, [0x1f, 0x8b])) return "a gzip archive";
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21])) return "a RAR archive";
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf])) return "a 7-Zip archive";
  return null;
}

/** Control characters a text file may hold a few of, however short it is (one stray byte in a cell). */
const STRAY_CONTROLS = 8;
const SUB = 0x1a;

/**
 * Text files have almost no control characters other than tab and line breaks. A DOS-era end-of-file
 * mark (Ctrl-Z) or NUL padding at the end does not count, nor do a few stray control bytes (NUL
 * included: a C string terminator leaked into a cell) in a short file: a 60-byte CSV with one of
 * them is still a CSV (1% of it would be less than one byte). Binary formats are full of NULs.
 */
function looksBinary(head: Uint8Array): boolean {
  let n = Math.min(head.length, 8192);
  if (n === head.length) while (n > 0 && (head[n - 1] === SUB || head[n - 1] === 0)) n--;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  return control > STRAY_CONTROLS && control > n * 0.01;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}
