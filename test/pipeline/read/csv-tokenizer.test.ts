import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import type { Cell } from "../../../src/pipeline/cell.js";
import { ColumnKind, CsvTokenizer } from "../../../src/pipeline/read/csv-tokenizer.js";

function tokenize(
  text: string,
  delimiter = ",",
  chunkSizes: number[] = [text.length || 1],
  kinds: Uint8Array | null = null,
): Cell[][] {
  const rows: Cell[][] = [];
  const tokenizer = new CsvTokenizer(delimiter, { kinds });
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length] ?? 1);
    tokenizer.push(text.slice(pos, pos + size), (cells) => rows.push(cells));
    pos += size;
  }
  tokenizer.end((cells) => rows.push(cells));
  return rows;
}

describe("CsvTokenizer", () => {
  it("splits plain lines, with LF or CRLF endings and without a final newline", () => {
    expect(tokenize("a,b\r\n1,2\n3,4")).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("keeps delimiters, doubled quotes and line breaks inside quoted fields", () => {
    const text = 'name,note\n"Smith, J","said ""hi""\nthen left"\r\nplain,"x"\n';
    expect(tokenize(text)).toEqual([
      ["name", "note"],
      ["Smith, J", 'said "hi"\nthen left'],
      ["plain", "x"],
    ]);
  });

  it("treats a quote inside an unquoted field as a literal character", () => {
    expect(tokenize('TV 5" screen,10\n')).toEqual([['TV 5" screen', "10"]]);
  });

  it("gives the same rows however the text is cut into chunks", () => {
    const text = 'a;b;c\r\n"x;\r\ny";2;"q""q"\r\n;;\r\nlast;"";z';
    const whole = tokenize(text, ";");
    for (let size = 1; size <= text.length; size++) {
      expect(tokenize(text, ";", [size])).toEqual(whole);
    }
  });

  it("pre-converts plain numbers and ISO dates when asked, exactly as Number() would", () => {
    const kinds = Uint8Array.from([ColumnKind.IsoDate, ColumnKind.Number, ColumnKind.Text]);
    const rows = tokenize(
      "2026-01-05,0.1,x\n2026-1-5,$3,07\n2026-02-28,-1234.56,y\n,1e5,z\n",
      ",",
      [7],
      kinds,
    );
    expect(rows).toEqual([
      [20260105, 0.1, "x"],
      ["2026-1-5", "$3", "07"],
      [20260228, -1234.56, "y"],
      ["", "1e5", "z"],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (n, places) => {
        const text = (n / 10 ** places).toFixed(places);
        const [[value]] = tokenize(`${text}\n`, ",", undefined, Uint8Array.from([ColumnKind.Number])) as [
          [Cell],
        ];
        expect(value).toBe(Number(text));
      }),
    );
  });

  it("refuses a quoted field that never closes instead of swallowing the file", () => {
    expect(() => tokenize('a,b\n"open,1\n2,3\n')).toThrow(InputError);
  });

  it("matches papaparse on any table papaparse writes, with any chunking (property)", () => {
    const field = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', '""', ",", "\n", "\r\n", " a , b ", "1,234.56", "=SUM(A1)", "é€"),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 15 }),
        fc.constantFrom(",", ";", "\t", "|"),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        (rows, delimiter, chunks) => {
          // Rows that are a single empty field are dropped by papaparse's skipEmptyLines; avoid them.
          fc.pre(rows.every((r) => r.some((c) => c !== "")));
          const text = Papa.unparse(rows, { delimiter, newline: "\r\n", quotes: false });
          const expected = Papa.parse<string[]>(text, { delimiter, newline: "\r\n" }).data;
          expect(tokenize(text, delimiter, chunks)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
