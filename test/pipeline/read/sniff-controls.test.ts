import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { sniff } from "../../../src/pipeline/read/sniff.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("sniff: a few control bytes do not make a text file binary", () => {
  it("a short CSV with one stray control byte in a cell is text", () => {
    expect(sniff(bytes("Date,Region,Revenue\n2026-01-05,North\x01,100\n2026-01-06,South,200\n"))).toBe(
      "text",
    );
  });

  it("a DOS end-of-file mark (Ctrl-Z) at the end is not counted", () => {
    expect(sniff(bytes("Region,Revenue\nN,1\n\x1a"))).toBe("text");
    expect(sniff(bytes(`Region,Revenue\nN,1\n${"\x1a".repeat(20)}`))).toBe("text");
  });

  it("many control bytes are still binary, in a short file too", () => {
    const junk = `Region,Revenue\n${"\x01\x02\x03\x04\x05".repeat(4)}\n`;
    expect(() => sniff(bytes(junk))).toThrow(InputError);
    const long = Buffer.alloc(4096, "a");
    for (let i = 0; i < 60; i++) long[i * 50] = 0x02;
    expect(() => sniff(new Uint8Array(long))).toThrow(/binary data/);
  });
});
