import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { DEFAULT_LIMITS } from "../../../src/pipeline/limits.js";
import { tempFiles } from "../../helpers/files.js";
import { buildZip } from "../../helpers/zip.js";

const files = tempFiles();

async function refusal(path: string, limits = DEFAULT_LIMITS): Promise<InputError> {
  const error = await analyzeFile(path, { limits }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

async function writeWorkbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = `${files.dir}/${name}`;
  await wb.xlsx.writeFile(path);
  return path;
}

describe("XLSX reading", () => {
  it("passes over a prose first sheet and reads dates stored as date cells, serial numbers and text", async () => {
    const path = await writeWorkbook("mixed-dates.xlsx", (wb) => {
      const about = wb.addWorksheet("Instructions");
      about.addRow(["This workbook holds the 2026 orders. Do not edit the SalesOrders sheet by hand."]);
      about.addRow(["Questions: sales-ops@example.com"]);
      const s = wb.addWorksheet("SalesOrders");
      s.addRow(["OrderDate", "Region", "Item", "Units", "Unit Cost", "Total"]);
      s.addRow([new Date(Date.UTC(2026, 0, 6)), "East", "Pencil", 95, 1.99, 189.05]);
      s.addRow([46029, "Central", "Binder", 50, 19.99, 999.5]); // serial for 2026-01-07
      s.addRow(["2026-02-09", "West", "Pen", 36, 4.99, { formula: "D4*E4", result: 179.64 }]);
    });
    const a = await analyzeFile(path);
    expect(a.source).toMatchObject({ sheet: "SalesOrders", sheetsSkipped: ["Instructions"] });
    expect(a.dateRange).toEqual({ start: "2026-01-06", end: "2026-02-09" });
    expect(a.totalRevenue).toBe(1368.19);
    expect(a.revenueByMonth.map((m) => m.month)).toEqual(["2026-01", "2026-02"]);
  });

  it("prefers the data sheet over a pivot sheet that repeats the same money", async () => {
    const path = await writeWorkbook("pivot-first.xlsx", (wb) => {
      const pivot = wb.addWorksheet("Pivot");
      pivot.addRow(["Row Labels", "Sum of Revenue"]);
      pivot.addRow(["North", 300]);
      pivot.addRow(["Grand Total", 300]);
      const data = wb.addWorksheet("Data");
      data.addRow(["Date", "Region", "Revenue"]);
      data.addRow(["2026-01-01", "North", 100]);
      data.addRow(["2026-01-02", "North", 200]);
    });
    const a = await analyzeFile(path);
    expect(a.source.sheet).toBe("Data");
    expect(a.totalRevenue).toBe(300);
  });

  it("names the columns of every sheet when none has revenue", async () => {
    const path = await writeWorkbook("people.xlsx", (wb) => {
      const s = wb.addWorksheet("People");
      s.addRow(["name", "age", "city"]);
      s.addRow(["Ann", 34, "Oslo"]);
    });
    const error = await refusal(path);
    expect(error.problem).toBe("no-revenue");
    expect(error.userMessage).toMatch(/Columns: name, age, city/);
  });
});

describe("XLSX refusals", () => {
  it("refuses a .docx renamed to .xlsx, by its contents", async () => {
    const docx = buildZip([
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "word/document.xml", data: Buffer.from("<w:document/>") },
    ]);
    const error = await refusal(files.write("renamed.xlsx", docx));
    expect(error.problem).toBe("unsupported-type");
    expect(error.userMessage).toMatch(/Word document/);
  });

  it("refuses a zip bomb by its declared size without inflating it", async () => {
    const bomb = buildZip([
      { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(64 * 1024 * 1024) },
    ]);
    const error = await refusal(files.write("bomb.xlsx", bomb), {
      ...DEFAULT_LIMITS,
      maxXlsxUncompressedBytes: 16 * 1024 * 1024,
    });
    expect(error.problem).toBe("zip-bomb");
  });

  // A part that lies about its size is tested in xlsx-reader.test.ts, on a sheet the workbook reaches:
  // parts no relationship leads to are never inflated at all.

  it("refuses a zip with too many entries", async () => {
    const many = buildZip(
      Array.from({ length: 30 }, (_, i) => ({
        name: i === 0 ? "xl/workbook.xml" : `xl/x${i}.xml`,
        data: Buffer.from("x"),
      })),
    );
    const error = await refusal(files.write("many.xlsx", many), { ...DEFAULT_LIMITS, maxXlsxEntries: 20 });
    expect(error.problem).toBe("zip-bomb");
  });

  it("refuses a damaged workbook with a message, not a crash", async () => {
    const good = await writeWorkbook("tiny.xlsx", (wb) => {
      const s = wb.addWorksheet("S");
      s.addRow(["Date", "Revenue"]);
      s.addRow(["2026-01-01", 1]);
    });
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(good);
    const damaged = Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(400, 0x41), bytes.subarray(600)]);
    const error = await refusal(files.write("damaged.xlsx", damaged));
    expect(error.problem).toBe("corrupt");
  });
});
