import { InputError } from "../../errors.js";

export type SniffedKind = "text" | "zip";

const EXPECTED = "Expected a CSV file (comma, semicolon or tab separated) or an Excel .xlsx workbook.";

/**
 * Decides from the first bytes what a file really is; the extension is only a hint that users (and
 * Slack) get wrong. Everything that is neither text nor a zip is refused here with a message that
 * names what we saw.
 */
export function sniff(head: Uint8Array): SniffedKind {
  if (head.length === 0) throw new InputError("empty", `The file is empty. ${EXPECTED}`);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return "zip";
  const named = knownBinary(head);
  if (named)
    throw new InputError("unsupported-type", `This looks like ${named}, not a spreadsheet. ${EXPECTED}`);
  // UTF-16 text (Excel's "Unicode Text") is full of NUL bytes but is still text.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return "text";
  if (looksBinary(head))
    throw new InputError("unsupported-type", `This file is binary data, not a CSV. ${EXPECTED}`);
  const text = Buffer.from(head.subarray(0, 512)).toString("latin1").trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
    throw new InputError("unsupported-type", `This is a web page (HTML), not a spreadsheet. ${EXPECTED}`);
  }
  if (text.startsWith("{\\rtf"))
    throw new InputError("unsupported-type", `This is a rich-text document (RTF). ${EXPECTED}`);
  return "text";
}

function knownBinary(head: Uint8Array): string | null {
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
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

/** Text files have no NUL bytes and almost no control characters other than tab and line breaks. */
function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  return control > n * 0.01;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}
