import { isAscii } from "node:buffer";
export type TextEncodingName =
  | "utf-8"
  | "utf-8 (BOM)"
  | "utf-16le"
  | "utf-16be"
  | "windows-1252"
  | "utf-8 (invalid bytes replaced)";

// Bytes 0x80-0x9F differ between ISO-8859-1 and Windows-1252. Node 20's TextDecoder("windows-1252")
// decodes them as ISO-8859-1 control characters (Node 24 does not), so we map them ourselves.
const CP1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const C1_RANGE = /[\x80-\x9f]/g;

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return latin1.replace(C1_RANGE, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

/**
 * Streaming decoder that starts as strict UTF-8 and falls back to Windows-1252 (a superset of latin-1)
 * the first time a chunk is not valid UTF-8, provided everything before was plain ASCII (and therefore
 * decoded identically). Files exported from Excel on Windows are usually cp1252; most others are UTF-8.
 */
export class SpreadsheetTextDecoder {
  private utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private mode: "utf-8" | "windows-1252" | "utf-8-lenient" | "utf-16le" | "utf-16be" = "utf-8";
  private sawNonAscii = false;
  private first = true;
  private hadBom = false;
  private pendingBytes = false;
  private utf16: InstanceType<typeof TextDecoder> | null = null;

  get encoding(): TextEncodingName {
    if (this.mode === "windows-1252" || this.mode === "utf-16le" || this.mode === "utf-16be")
      return this.mode;
    if (this.mode === "utf-8-lenient") return "utf-8 (invalid bytes replaced)";
    return this.hadBom ? "utf-8 (BOM)" : "utf-8";
  }

  decode(chunk: Uint8Array, final = false): string {
    let bytes = chunk;
    if (this.first) {
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.hadBom = true;
        bytes = bytes.subarray(3);
      } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        // Excel's "Unicode Text" export: UTF-16 with a byte-order mark (and usually tabs).
        this.mode = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
        this.utf16 = new TextDecoder(this.mode, { fatal: false, ignoreBOM: false });
      } else {
        const utf16 = utf16WithoutBom(bytes);
        if (utf16) {
          this.mode = utf16;
          this.utf16 = new TextDecoder(utf16, { fatal: false, ignoreBOM: false });
        }
      }
    }
    if (this.utf16) return this.utf16.decode(bytes, { stream: !final });
    if (this.mode === "windows-1252") return decodeWindows1252(bytes);
    // Pure ASCII decodes the same in every encoding we accept; Buffer's latin1 path is the cheapest.
    if (this.mode === "utf-8" && !this.pendingBytes && isAscii(bytes)) {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    }
    try {
      const text = this.utf8.decode(bytes, { stream: !final });
      if (text.length !== bytes.length) this.sawNonAscii = true;
      // A multi-byte character cut at the chunk edge leaves bytes inside the decoder; until the next
      // chunk completes it, that chunk must go through the decoder too.
      this.pendingBytes = !final && endsMidCharacter(bytes);
      return text;
    } catch {
      if (!this.sawNonAscii) {
        this.mode = "windows-1252";
        return decodeWindows1252(bytes);
      }
      this.mode = "utf-8-lenient";
      this.utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
      return this.utf8.decode(bytes, { stream: !final });
    }
  }
}

/**
 * UTF-16 written without a byte-order mark (SQL Server's `bcp -w`, some .NET exports): text in the
 * Latin range puts a NUL in every other byte, the high byte of each unit. Read from the first
 * units of a file; null for anything else (other text never has NULs at one parity only).
 */
export function utf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const units = Math.min(bytes.length, 1024) >> 1;
  if (units < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < units; i++) {
    if (bytes[2 * i] === 0) zeroEven++;
    if (bytes[2 * i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= units * 0.7 && zeroEven <= units * 0.05) return "utf-16le";
  if (zeroEven >= units * 0.7 && zeroOdd <= units * 0.05) return "utf-16be";
  return null;
}

/** True when the last bytes start a UTF-8 sequence that the chunk does not finish. */
function endsMidCharacter(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1, seen = 1; i >= 0 && seen <= 4; i--, seen++) {
    const b = bytes[i] as number;
    if (b < 0x80) return false;
    if (b >= 0xc0) {
      const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return seen < needed;
    }
  }
  return false;
}
