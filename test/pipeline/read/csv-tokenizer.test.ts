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

/** Feeds `text` in chunks of the size the file reader uses and counts rows, timing the whole parse. */
function timedRowCount(text: string, chunkChars = 256 * 1024): { rows: number; seconds: number } {
  const tokenizer = new CsvTokenizer(",");
  let rows = 0;
  const started = performance.now();
  for (let pos = 0; pos < text.length; pos += chunkChars) {
    tokenizer.push(text.slice(pos, pos + chunkChars), () => rows++);
  }
  tokenizer.end(() => rows++);
  return { rows, seconds: (performance.now() - started) / 1000 };
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

  it("ends a line at a lone CR outside quotes, however the text is cut into chunks", () => {
    const text = 'a;b\r1;2\r\n"x\ry";3\r4;5\n\r6;7\r';
    const expected = [["a", "b"], ["1", "2"], ["x\ry", "3"], ["4", "5"], [""], ["6", "7"]];
    for (let size = 1; size <= text.length; size++) {
      expect(tokenize(text, ";", [size])).toEqual(expected);
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

  // Each of these took 20 s or more before the parser cached its searches (it rescanned the rest of
  // the 256 KiB chunk per line or per field); in linear time each is well under a second. The bound
  // is generous so a slow CI machine does not fail it.
  describe("reads every shape of input in linear time", () => {
    const bound = 4;
    it.each([
      ["12 MB of blank lines", () => `a,b\n${"\n".repeat(12_000_000)}`, 12_000_001],
      ["12 MB of CRLF blank lines", () => `a,b\r\n${"\r\n".repeat(6_000_000)}`, 6_000_001],
      ["16 MB of lines without a delimiter", () => `a,b\n${"a\n".repeat(8_000_000)}`, 8_000_001],
      [
        "18 MB of lines without a delimiter but with a literal quote",
        () => `a,b\n${'5"\n'.repeat(6_000_000)}`,
        6_000_001,
      ],
      ["one row of a million quoted fields", () => `${'"a",'.repeat(1_000_000)}"z"\n`, 1],
    ])("%s", (_name, make, expectedRows) => {
      const { rows, seconds } = timedRowCount(make());
      expect(rows).toBe(expectedRows);
      expect(seconds).toBeLessThan(bound);
    });

    it("one 7 MB quoted field spanning many chunks, and a 7 MB line", () => {
      const field = "line\n".repeat(1_400_000);
      const rows: Cell[][] = [];
      const tokenizer = new CsvTokenizer(",");
      const text = `a,b\n"${field}",1\n${"x".repeat(7_000_000)},2\n`;
      const started = performance.now();
      for (let pos = 0; pos < text.length; pos += 65536) {
        tokenizer.push(text.slice(pos, pos + 65536), (cells) => rows.push(cells));
      }
      tokenizer.end((cells) => rows.push(cells));
      expect((performance.now() - started) / 1000).toBeLessThan(bound);
      expect(rows.map((r) => r.length)).toEqual([2, 2, 2]);
      expect(rows[1]?.[0]).toBe(field);
      expect(rows[2]?.[0]).toHaveLength(7_000_000);
    });
  });
});

describe("typed rows in one shared array", () => {
  it("hands each row over complete, whatever the width of the row before", () => {
    const kinds = Uint8Array.from([ColumnKind.IsoDate, ColumnKind.Number, ColumnKind.Text]);
    const text = "2026-01-05,1.5,a\n2026-01-06,2\n2026-01-07,3,b,extra,more\n,\n2026-01-08,4,c\n";
    const seen: Cell[][] = [];
    const arrays = new Set<Cell[]>();
    for (const size of [1, 5, text.length]) {
      seen.length = 0;
      const tokenizer = new CsvTokenizer(",", { kinds, reuseRow: true });
      const take = (cells: Cell[]) => {
        seen.push([...cells]);
        arrays.add(cells);
      };
      for (let pos = 0; pos < text.length; pos += size) tokenizer.push(text.slice(pos, pos + size), take);
      tokenizer.end(take);
      expect(seen, `chunks of ${size}`).toEqual([
        [20260105, 1.5, "a"],
        [20260106, 2],
        [20260107, 3, "b", "extra", "more"],
        ["", ""],
        [20260108, 4, "c"],
      ]);
    }
    // One array per tokenizer: the point of sharing.
    expect(arrays.size).toBe(3);
  });
});
