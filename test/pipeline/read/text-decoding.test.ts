import { describe, expect, it } from "vitest";
import { SpreadsheetTextDecoder } from "../../../src/pipeline/read/text-decoding.js";

function decodeAll(chunks: number[][]): { text: string; encoding: string } {
  const decoder = new SpreadsheetTextDecoder();
  let text = "";
  for (const c of chunks) text += decoder.decode(Uint8Array.from(c));
  text += decoder.decode(new Uint8Array(0), true);
  return { text, encoding: decoder.encoding };
}

const bytes = (s: string) => [...Buffer.from(s, "utf8")];

describe("SpreadsheetTextDecoder", () => {
  it("strips a UTF-8 BOM and says so", () => {
    expect(decodeAll([[0xef, 0xbb, 0xbf, ...bytes("Date")]])).toEqual({
      text: "Date",
      encoding: "utf-8 (BOM)",
    });
  });

  it("keeps a multi-byte character cut across chunks", () => {
    const euro = bytes("€5");
    expect(decodeAll([euro.slice(0, 1), euro.slice(1)]).text).toBe("€5");
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8", () => {
    // "Café “Ñ” €" in cp1252
    const result = decodeAll([bytes("ab,"), [0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0xd1, 0x94, 0x20, 0x80]]);
    expect(result).toEqual({ text: "ab,Café “Ñ” €", encoding: "windows-1252" });
  });

  it("replaces invalid bytes once real UTF-8 has been seen, rather than mis-decoding the start", () => {
    const result = decodeAll([bytes("é,"), [0x41, 0xff, 0x42]]);
    expect(result.text).toBe("é,A\uFFFDB");
    expect(result.encoding).toBe("utf-8 (invalid bytes replaced)");
  });
});
