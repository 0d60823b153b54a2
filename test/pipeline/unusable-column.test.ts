import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";
import { csv } from "../ui/helpers.js";

const files = tempFiles();
let counter = 0;

async function refusal(path: string): Promise<string> {
  const error = await analyzeFile(path).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  expect(error.problem).toBe("no-revenue");
  return error.userMessage;
}

function csvFile(rows: (string | number)[][]): string {
  return files.write(`unusable-${counter++}.csv`, csv(rows));
}

describe("a column named like revenue that cannot be read as revenue", () => {
  it("says the Revenue column holds text, with an example, instead of 'no revenue column found'", async () => {
    const message = await refusal(
      csvFile([
        ["Date", "Region", "Revenue"],
        ["2026-01-05", "North", "abc"],
        ["2026-01-06", "South", "twelve hundred"],
        ["2026-01-07", "South", "pending"],
      ]),
    );
    expect(message).toMatch(
      /The column “Revenue” has no numbers in the first 3 rows: it holds text such as “abc”/,
    );
    expect(message).not.toMatch(/No revenue column found/);
  });

  it("says how many values are numbers when only some are", async () => {
    const message = await refusal(
      csvFile([
        ["Date", "Sales"],
        ["2026-01-05", "100"],
        ["2026-01-06", "n/a"],
        ["2026-01-07", "tbd"],
        ["2026-01-08", "50"],
      ]),
    );
    expect(message).toMatch(
      /Only 2 of the 4 values of the column “Sales” in the first 4 rows are numbers; the others are text such as “n\/a”/,
    );
  });

  it("says a column of huge numbers looks like ids, in plain digits", async () => {
    const message = await refusal(
      csvFile([
        ["Date", "Amount"],
        ["2026-01-05", "1234567890123456789012"],
        ["2026-01-06", "1234567890123456789013"],
      ]),
    );
    expect(message).toMatch(
      /“Amount” holds numbers of 10 trillion or more \(such as “1234567890123456789012”\)/,
    );
    expect(message).toMatch(/ids or codes/);
  });

  it("names the price column that holds text when revenue would be quantity x price", async () => {
    const message = await refusal(
      csvFile([
        ["Date", "Qty", "Unit Price"],
        ["2026-01-05", "2", "call us"],
        ["2026-01-06", "3", "call us"],
      ]),
    );
    expect(message).toMatch(
      /Found a quantity column \(Qty\) but no unit price\. The column “Unit Price” has no numbers/,
    );
  });

  it("says a workbook's Revenue formulas have no saved values, also when the workbook has several sheets", async () => {
    for (const sheets of [1, 2]) {
      const wb = new ExcelJS.Workbook();
      if (sheets === 2) wb.addWorksheet("About").addRow(["Read me", "first"]);
      const s = wb.addWorksheet("Orders");
      s.addRow(["Date", "Region", "Units", "Revenue"]);
      for (let r = 2; r <= 6; r++) s.addRow(["2026-01-05", "North", 3, { formula: `C${r}*10` }]);
      const path = `${files.dir}/formulas-${sheets}.xlsx`;
      await wb.xlsx.writeFile(path);
      const message = await refusal(path);
      expect(message).toMatch(/The column “Revenue” is empty in the first 5 rows/);
      expect(message).toMatch(/saved without their calculated values: open it in Excel and save it again/);
    }
  });

  it("keeps long or hostile header names short and on one line in the message", async () => {
    const long = `Revenue ${"x".repeat(3000)}`;
    const message = await refusal(
      csvFile([
        ["Date", long, "Notes\u001b[31m"],
        ["2026-01-05", "abc", "a"],
        ["2026-01-06", "def", "b"],
      ]),
    );
    expect(message.length).toBeLessThan(600);
    expect(message).not.toMatch(/\p{Cc}/u);
  });
});
