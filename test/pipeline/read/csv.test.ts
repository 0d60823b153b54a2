import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import type { Cell } from "../../../src/pipeline/cell.js";
import { DEFAULT_LIMITS } from "../../../src/pipeline/limits.js";
import { readCsv } from "../../../src/pipeline/read/csv.js";
import { tempFiles } from "../../helpers/files.js";

const files = tempFiles();
const roomy = { ...DEFAULT_LIMITS, maxFileBytes: 200 * 1024 * 1024 };

async function rowsOf(path: string): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  await readCsv(path, roomy, (cells) => rows.push(cells));
  return rows;
}

/** A sales table of `count` rows with revenue 1..count, whose line ends come from `lineEnd(i)`. */
function salesTable(count: number, lineEnd: (i: number) => string): string {
  let text = `Date,Region,Revenue${lineEnd(-1)}`;
  for (let i = 1; i <= count; i++) {
    text += `2026-01-${String((i % 28) + 1).padStart(2, "0")},R${i % 5},${i}${lineEnd(i)}`;
  }
  return text;
}

describe("readCsv line breaks", () => {
  // A lone CR (an old Mac line end pasted into an LF or CRLF export) used to glue two rows into one,
  // whose revenue cell then held "12\r2026-01-14": a row silently lost from every total.
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])(
    "treats a lone CR in a %s file as a line break, so no row is lost from the totals",
    async (_name, eol) => {
      const count = 5000;
      const strayCrs = (i: number) => i > 0 && i % 97 === 0;
      const clean = await analyzeFile(
        files.write(
          `clean-${_name}.csv`,
          salesTable(count, () => eol),
        ),
        {
          limits: roomy,
        },
      );
      const stray = await analyzeFile(
        files.write(
          `stray-cr-${_name}.csv`,
          salesTable(count, (i) => (strayCrs(i) ? "\r" : eol)),
        ),
        { limits: roomy },
      );
      expect(clean.rows).toBe(count);
      expect(clean.totalRevenue).toBe((count * (count + 1)) / 2);
      expect(stray.rows).toBe(clean.rows);
      expect(stray.totalRevenue).toBe(clean.totalRevenue);
    },
  );

  it("keeps a lone CR inside a quoted field as text", async () => {
    const path = files.write("quoted-cr.csv", 'Note,Revenue\n"line one\rline two",5\nplain,6\r7th,7\n');
    expect(await rowsOf(path)).toEqual([
      ["Note", "Revenue"],
      ["line one\rline two", "5"],
      ["plain", "6"],
      ["7th", "7"],
    ]);
  });

  it("reads a classic Mac file (CR only) and a file ending in a bare CR", async () => {
    expect(await rowsOf(files.write("mac.csv", "a,b\r1,2\r3,4\r"))).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(await rowsOf(files.write("end-cr.csv", "a,b\n1,2\n3,4\r"))).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
  });
});

describe("readCsv time", () => {
  // 10 MB of blank lines took about 14 s before the tokenizer cached its searches (50 MB: 125 s).
  it("reads a file that is mostly blank lines in linear time", async () => {
    const body = `Date,Region,Revenue\n2026-01-01,North,10\n${"\n".repeat(10_000_000)}2026-01-02,South,5\n`;
    const path = files.write("blank-lines.csv", body);
    const started = performance.now();
    const analysis = await analyzeFile(path, { limits: roomy });
    expect((performance.now() - started) / 1000).toBeLessThan(4);
    expect(analysis.rows).toBe(2);
    expect(analysis.totalRevenue).toBe(15);
  });
});

describe("readCsv refusals", () => {
  async function refusal(path: string, limits = roomy): Promise<InputError> {
    const error = await readCsv(path, limits, () => {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
    return error;
  }

  // Both used to say "a quoted field never closes", even for a file without a single quote.
  it("names the row-length limit for a line of 9 million characters without quotes", async () => {
    const error = await refusal(files.write("long-line.csv", `a,b\n1,2\n${"x".repeat(9_000_000)}\n3,4\n`));
    expect(error.problem).toBe("corrupt");
    expect(error.userMessage).toMatch(/^Line 3 is longer than 8 million characters without a line break/);
    expect(error.userMessage).toMatch(/does not look like a CSV/);
    expect(error.userMessage).not.toMatch(/quote|"/);
  });

  it("blames a stray quote when a quoted field swallows millions of characters of lines", async () => {
    const path = files.write("open-quote.csv", `a,b\n1,2\n"open,3\n${"4,5\n".repeat(2_500_000)}`);
    const error = await refusal(path);
    expect(error.userMessage).toMatch(/quoted field starting near line 3 never closes/);
  });

  it("says how large a file may be without naming the setting", async () => {
    const error = await refusal(files.write("big.csv", `a,b\n${"1,2\n".repeat(40_000)}`), {
      ...roomy,
      maxFileBytes: 1024 * 1024 * 0.1,
    });
    expect(error.problem).toBe("too-large");
    expect(error.userMessage).toMatch(/larger than the 0.1 MB limit/);
    expect(error.userMessage).not.toMatch(/MAX_/);
    expect(error.message).toMatch(/MAX_FILE_MB/);
  });
});
