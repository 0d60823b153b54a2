import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import type { Cell } from "../../../src/pipeline/cell.js";
import { DEFAULT_LIMITS, type Limits } from "../../../src/pipeline/limits.js";
import { readXlsx } from "../../../src/pipeline/read/xlsx.js";
import { tempFiles } from "../../helpers/files.js";
import {
  buildWorkbook,
  columnLetters,
  type SheetSpec,
  type SpecCell,
  sheetXml,
  type WorkbookSpec,
  workbookParts,
} from "../../helpers/xlsx.js";
import { buildZip, type ZipFile } from "../../helpers/zip.js";

const files = tempFiles();
let written = 0;

function write(spec: WorkbookSpec | Buffer): string {
  const bytes = Buffer.isBuffer(spec) ? spec : buildWorkbook(spec);
  return files.write(`book-${++written}.xlsx`, bytes);
}

async function refusal(path: string, limits: Limits = DEFAULT_LIMITS): Promise<InputError> {
  const error = await analyzeFile(path, { limits }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

/** Every sheet's rows as the reader hands them over. */
async function readAll(path: string, limits: Limits = DEFAULT_LIMITS) {
  const sheets: { name: string; date1904: boolean; rows: { cells: Cell[]; rowNumber: number }[] }[] = [];
  await readXlsx(path, limits, {
    startSheet(name, { date1904 }) {
      sheets.push({ name, date1904, rows: [] });
    },
    row(cells, rowNumber) {
      sheets[sheets.length - 1]?.rows.push({ cells, rowNumber });
    },
    endSheet() {},
  });
  return sheets;
}

/** A small sales table: header plus `rows` rows, revenue 10, 20, 30, ... */
function salesSheet(name: string, rows: number, region = "North"): SheetSpec {
  const out: SpecCell[][] = [["Date", "Region", "Revenue"]];
  for (let i = 1; i <= rows; i++)
    out.push([`2026-01-${String((i % 28) + 1).padStart(2, "0")}`, region, i * 10]);
  return { name, rows: out };
}

const revenueOf = (rows: number) => (rows * (rows + 1) * 10) / 2;

describe("XLSX reader: valid workbooks whatever their zip layout (issue 8, item 1)", () => {
  it("reads a one-sheet workbook whose last zip entry is xl/sharedStrings.xml", async () => {
    const path = write({ sheets: [salesSheet("Sales", 12)], order: "strings-last" });
    const a = await analyzeFile(path);
    expect(a.source.sheet).toBe("Sales");
    expect(a.rows).toBe(12);
    expect(a.totalRevenue).toBe(revenueOf(12));
    expect(a.revenueByRegion?.map((r) => r.name)).toEqual(["North"]);
  });

  for (const [count, strings] of [
    [30, "shared"],
    [80, "inline"],
    [80, "shared"],
  ] as const) {
    it(`reads a ${count}-sheet xlsxwriter-style workbook (${strings} strings) the same way every time`, async () => {
      const target = Math.floor(count * 0.6);
      const sheets = Array.from({ length: count }, (_, i) =>
        i === target ? salesSheet(`Orders ${i}`, 40, "West") : salesSheet(`Week ${i}`, 3 + (i % 5)),
      );
      const path = write({ sheets, strings, order: "xlsxwriter" });
      for (let run = 0; run < 5; run++) {
        const a = await analyzeFile(path);
        expect(a.source.sheet).toBe(`Orders ${target}`);
        expect(a.source.sheetsSkipped).toHaveLength(count - 1);
        expect(a.source.sheetsSkipped[0]).toBe("Week 0");
        expect(a.totalRevenue).toBe(revenueOf(40));
        expect(a.revenueByRegion?.map((r) => r.name)).toEqual(["West"]);
      }
    });
  }

  it("follows relationship targets that are absolute, odd-cased or percent-escaped, in workbook order", async () => {
    const path = write({
      sheets: [salesSheet("First", 2), salesSheet("Second", 5)],
      replace: {
        "xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
          <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/XL/Worksheets/Sheet%202.XML"/>
          <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="./worksheets/../worksheets/sheet1.xml"/>
          <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
        </Relationships>`,
        "xl/worksheets/sheet2.xml": null,
        "xl/worksheets/sheet 2.xml": buildWorkbookPart([salesSheet("Second", 5)]),
      },
    });
    const sheets = await readAll(path);
    expect(sheets.map((s) => [s.name, s.rows.length])).toEqual([
      ["First", 3],
      ["Second", 6],
    ]);
  });
});

/** The sheet XML a spec would produce, written with inline strings so it needs no string table. */
function buildWorkbookPart(sheets: SheetSpec[]): string {
  const rows = (sheets[0]?.rows ?? []).map((row, r) => {
    const cells = row
      .map((cell, c) => {
        const ref = `${columnLetters(c)}${r + 1}`;
        return typeof cell === "string"
          ? `<c r="${ref}" t="inlineStr"><is><t>${cell}</t></is></c>`
          : `<c r="${ref}"><v>${String(cell)}</v></c>`;
      })
      .join("");
    return `<row r="${r + 1}">${cells}</row>`;
  });
  return sheetXml(rows);
}

describe("XLSX reader: cell values", () => {
  it("reads every cell type, sparse and unreferenced cells, prefixed tags and rich text", async () => {
    const sheet = `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
      <x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:r><x:t>Rich </x:t></x:r><x:r><x:t>text</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c>
        <x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c><x:f>A1*2</x:f></x:c>
        <x:c t="str"><x:f>B2</x:f><x:v>cached</x:v></x:c><x:c r="H2" t="d"><x:v>2026-03-04T05:06:07</x:v></x:c>
        <x:c r="J2" s="1"><x:v>46029.5</x:v></x:c><x:c r="K2" s="3"><x:v>1234.5</x:v></x:c><x:c r="L2" s="4"><x:v>0.5</x:v></x:c>
        <x:c r="M2" s="2"><x:v>46030</x:v></x:c><x:c r="N2" s="5"><x:v>7</x:v></x:c><x:c r="O2" s="7"/></x:row>
      <x:row><x:c r="AA3"><x:v>-1.5E+3</x:v></x:c><x:c r="AB3" t="s"><x:v>0</x:v></x:c></x:row>
    </x:sheetData></x:worksheet>`;
    const path = write({
      sheets: [{ name: "Types", rows: [["only string"]] }],
      replace: { "xl/worksheets/sheet1.xml": sheet },
    });
    const [types] = await readAll(path);
    expect(types?.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
    const row2 = types?.rows[0]?.cells ?? [];
    expect(row2.slice(0, 8)).toEqual([
      null,
      "Rich text",
      true,
      "#DIV/0!", // an error value: its text, so the notes can say a formula failed
      null, // formula without a cached value
      "cached",
      null,
      new Date(Date.UTC(2026, 2, 4, 5, 6, 7)),
    ]);
    expect(row2[9]).toEqual(new Date(Date.UTC(2026, 0, 7, 12))); // built-in date format 14
    expect(row2[10]).toBe(1234.5); // money format stays a number
    expect(row2[11]).toBe(0.5); // time-only format stays a number
    expect(row2[12]).toEqual(new Date(Date.UTC(2026, 0, 8))); // custom yyyy-mm-dd hh:mm
    expect(row2[13]).toBe(7); // 0 "days": the d is literal text
    expect(row2).toHaveLength(14); // the styled empty O2 adds nothing
    const row3 = types?.rows[1]?.cells ?? [];
    expect(row3).toHaveLength(28);
    expect(row3[26]).toBe(-1500);
    expect(row3[27]).toBe("only string");
  });

  it("honours the 1904 date system", async () => {
    const path = write({
      sheets: [{ name: "S", rows: [["When"], [new Date(Date.UTC(2026, 4, 1))]] }],
      date1904: true,
    });
    const [sheet] = await readAll(path);
    expect(sheet?.date1904).toBe(true);
    expect(sheet?.rows[1]?.cells[0]).toEqual(new Date(Date.UTC(2026, 4, 1)));
  });

  for (const header of ["Zeitpunkt", "When"]) {
    it(`finds date-formatted cells as the date column under the header "${header}" (issue 8, item 1)`, async () => {
      const rows: SpecCell[][] = [[header, "Region", "Revenue"]];
      for (let i = 0; i < 20; i++) {
        rows.push([new Date(Date.UTC(2026, i % 3, 1 + i)), i % 2 ? "North" : "South", 100 + i]);
      }
      const a = await analyzeFile(write({ sheets: [{ name: "Sales", rows }] }));
      expect(a.dateRange).toEqual({ start: "2026-01-01", end: "2026-03-18" });
      expect(a.revenueByMonth.map((m) => m.month)).toEqual(["2026-01", "2026-02", "2026-03"]);
    });
  }
});

describe("XLSX reader: only what the central directory lists is read (issue 8, item 2)", () => {
  it("ignores a smuggled sheet present only as a local header, however large it inflates", async () => {
    // 2M rows of revenue (~90 MB of XML deflated to well under 1 MB), never listed in the directory.
    const row = '<row><c><v>1000</v></c><c t="inlineStr"><is><t>x</t></is></c></row>';
    const huge = deflateRawSync(Buffer.from(sheetXml(Array(2_000_000).fill(row))));
    const smuggled: ZipFile = {
      name: "xl/worksheets/sheet1.xml",
      data: Buffer.alloc(0),
      body: huge,
      declaredSize: 0,
      unlisted: true,
    };
    const path = write({ sheets: [salesSheet("Sales", 7)], before: [smuggled] });
    const started = Date.now();
    const a = await analyzeFile(path);
    expect(a.totalRevenue).toBe(revenueOf(7));
    expect(a.source.sheetsSkipped).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("ignores 100,000 unlisted entries (the entry limit counts the directory, and nothing else is read)", async () => {
    const body = deflateRawSync(Buffer.from(buildWorkbookPart([salesSheet("Extra", 1)])));
    const unlisted: ZipFile[] = Array.from({ length: 100_000 }, (_, i) => ({
      name: `xl/worksheets/sheet${i + 2}.xml`,
      data: Buffer.alloc(0),
      body,
      unlisted: true,
    }));
    const path = write({ sheets: [salesSheet("Sales", 7)], before: unlisted });
    const started = Date.now();
    const a = await analyzeFile(path, { limits: { ...DEFAULT_LIMITS, maxXlsxEntries: 100 } });
    expect(a.source).toMatchObject({ sheet: "Sales", sheetsSkipped: [] });
    expect(a.totalRevenue).toBe(revenueOf(7));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("XLSX reader: inflated bytes are counted as they are produced", () => {
  it("stops a reachable sheet that inflates far past its declared size, early and with little memory", async () => {
    const path = write({
      sheets: [salesSheet("Sales", 3)],
      replace: { "xl/worksheets/sheet1.xml": null },
      before: [
        { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(256 * 1024 * 1024, 0x20), declaredSize: 1024 },
      ],
    });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const error = await refusal(path);
    expect(error.problem).toBe("zip-bomb");
    expect(error.userMessage).toMatch(/lies about its size/);
    expect(error.userMessage).not.toMatch(/MAX_/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops when the parts read so far pass the workbook limit, even if each is honest", async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`,
    );
    const big = sheetXml(rows); // ~900 KB, declared honestly
    const path = write({
      sheets: [salesSheet("A", 2), salesSheet("B", 2)],
      replace: { "xl/worksheets/sheet1.xml": big, "xl/worksheets/sheet2.xml": big },
    });
    const error = await refusal(path, { ...DEFAULT_LIMITS, maxXlsxUncompressedBytes: 1_500_000 });
    expect(error.problem).toBe("zip-bomb");
  });
});

describe("XLSX reader: memory stays bounded inside the limits (issue 8, item 3)", () => {
  it("refuses millions of tiny shared strings at the cap, with a clear message and little memory", async () => {
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${"<si><t>a</t></si>".repeat(3_000_000)}</sst>`;
    const path = write({ sheets: [salesSheet("Sales", 3)], replace: { "xl/sharedStrings.xml": sst } });
    const before = process.memoryUsage().rss;
    const error = await refusal(path);
    expect(error.problem).toBe("too-large");
    expect(error.userMessage).toMatch(/more than 1,000,000 distinct text values.*CSV/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("caps the total bytes of shared strings", async () => {
    const sst = `<sst>${`<si><t>${"x".repeat(1000)}</t></si>`.repeat(50)}</sst>`;
    const path = write({ sheets: [salesSheet("Sales", 3)], replace: { "xl/sharedStrings.xml": sst } });
    const error = await refusal(path, { ...DEFAULT_LIMITS, maxSharedStringBytes: 20_000 });
    expect(error.problem).toBe("too-large");
    expect(error.userMessage).toMatch(/text values add up to more than/);
  });

  it("refuses a cell longer than Excel allows, in a sheet or in the string table", async () => {
    const long = "y".repeat(40_000);
    const inSheet = write({
      sheets: [
        {
          name: "S",
          rows: [
            ["Date", "Revenue"],
            [long, 1],
          ],
        },
      ],
      strings: "inline",
    });
    expect((await refusal(inSheet)).userMessage).toMatch(/more than 32,767 characters/);
    const inTable = write({
      sheets: [
        {
          name: "S",
          rows: [
            ["Date", "Revenue"],
            [long, 1],
          ],
        },
      ],
    });
    expect((await refusal(inTable)).userMessage).toMatch(/more than 32,767 characters/);
  });

  it("refuses a row wider than the column limit while parsing it", async () => {
    const path = write({
      sheets: [salesSheet("S", 2)],
      replace: {
        "xl/worksheets/sheet1.xml": sheetXml([
          '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="XFD1"><v>1</v></c></row>',
        ]),
      },
    });
    const error = await refusal(path, { ...DEFAULT_LIMITS, maxColumns: 50 });
    expect(error.problem).toBe("too-many-columns");
    expect(error.userMessage).toMatch(/column 16384; the limit is 50 columns/);
  });

  it("refuses text without any tag boundary before buffering it all", async () => {
    const path = write({
      sheets: [salesSheet("S", 2)],
      replace: { "xl/worksheets/sheet1.xml": `<worksheet><sheetData>${"z".repeat(8 * 1024 * 1024)}` },
    });
    expect((await refusal(path)).problem).toBe("corrupt");
  });
});

describe("XLSX reader: friendly refusals", () => {
  it("a zip with no workbook in it", async () => {
    const error = await refusal(write(buildZip([{ name: "notes.txt", data: Buffer.from("hello") }])));
    expect(error.problem).toBe("unsupported-type");
    expect(error.userMessage).toMatch(/zip archive without an Excel workbook/);
  });

  it("a Word document whose package relationships point at word/document.xml", async () => {
    const docx = buildZip([
      {
        name: "_rels/.rels",
        data: Buffer.from(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        ),
      },
      { name: "word/document.xml", data: Buffer.from("<w:document xmlns:w='urn:w'><w:body/></w:document>") },
    ]);
    const error = await refusal(write(docx));
    expect(error.problem).toBe("unsupported-type");
    expect(error.userMessage).toMatch(/Word document \(\.docx\), not a spreadsheet/);
  });

  it("an Excel binary workbook (.xlsb)", async () => {
    const error = await refusal(write(buildZip([{ name: "xl/workbook.bin", data: Buffer.from([1, 2]) }])));
    expect(error.userMessage).toMatch(/\.xlsb.*save it in Excel as \.xlsx/);
  });

  it("a sheet listed in workbook.xml but missing from the zip", async () => {
    const path = write({
      sheets: [salesSheet("Sales", 2), salesSheet("Costs", 2)],
      replace: { "xl/worksheets/sheet2.xml": null },
    });
    const error = await refusal(path);
    expect(error.problem).toBe("corrupt");
    expect(error.userMessage).toMatch(/lists a sheet "Costs" that is missing.*save it again/);
  });

  it("XML that is not well-formed, and a DOCTYPE", async () => {
    for (const broken of [
      `<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>`,
      `<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>`,
    ]) {
      const path = write({ sheets: [salesSheet("S", 2)], replace: { "xl/worksheets/sheet1.xml": broken } });
      const error = await refusal(path);
      expect(error.problem).toBe("corrupt");
      expect(error.userMessage).toMatch(/damaged.*save it again as \.xlsx/);
    }
  });

  it("reads a small workbook written in ZIP64 form, and still stops a ZIP64 part that lies about its size", async () => {
    // Writers in "always ZIP64" mode (Apache POI/NPOI SXSSF) produce small workbooks Excel opens
    // (SheetJS/sheetjs#2766): refusing the layout would refuse real files; the byte budget is the guard.
    const spec = { sheets: [salesSheet("S", 2)] };
    const analysis = await analyzeFile(write(buildZip(workbookParts(spec), { zip64: true })));
    expect(analysis.rows).toBe(2);
    const lying = buildZip(
      workbookParts(spec).map((f) =>
        f.name === "xl/worksheets/sheet1.xml" ? { ...f, declaredSize: Math.floor(f.data.length / 2) } : f,
      ),
      { zip64: true },
    );
    expect((await refusal(write(lying))).problem).toBe("zip-bomb");
  });

  it("encrypted entries, unknown compression, and data that does not inflate to its size", async () => {
    const spec = { sheets: [salesSheet("S", 2)] };
    const parts = (change: (f: ZipFile) => ZipFile) =>
      buildZip(workbookParts(spec).map((f) => (f.name === "xl/worksheets/sheet1.xml" ? change(f) : f)));
    const encrypted = parts((f) => ({ ...f, flags: 1 }));
    expect((await refusal(write(encrypted))).userMessage).toMatch(/encrypted.*without a password/);
    const bzip2 = parts((f) => ({ ...f, method: 12 }));
    expect((await refusal(write(bzip2))).problem).toBe("corrupt");
    const garbled = parts((f) => ({ ...f, body: Buffer.alloc(64, 0xff) }));
    expect((await refusal(write(garbled))).userMessage).toMatch(/damaged/);
    const truncated = parts((f) => ({ ...f, declaredSize: f.data.length + 10 }));
    expect((await refusal(write(truncated))).problem).toBe("corrupt");
  });
});
