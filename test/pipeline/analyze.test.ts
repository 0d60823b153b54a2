import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { DEFAULT_LIMITS } from "../../src/pipeline/limits.js";
import { FIXTURES, SAMPLE_DATA, tempFiles } from "../helpers/files.js";

const files = tempFiles();

async function problemOf(path: string, limits = DEFAULT_LIMITS): Promise<InputError> {
  try {
    await analyzeFile(path, { limits });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe("the sample file (sales_q1_2026.csv)", () => {
  let a: Analysis;
  it("gives the exact published figures", async () => {
    a = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    expect(a.rows).toBe(6);
    expect(a.totalRevenue).toBe(684000);
    expect(a.netRevenue).toBe(660000);
    expect(a.totalUnits).toBe(640);
    expect(a.dateRange).toEqual({ start: "2026-01-05", end: "2026-03-10" });
    expect(a.topRegion).toMatchObject({ name: "North", revenue: 466500 });
    expect(a.revenueByRegion?.map((g) => [g.name, g.revenue])).toEqual([
      ["North", 466500],
      ["West", 109250],
      ["East", 88000],
      ["South", 20250],
    ]);
    expect(a.revenueByCategory?.map((g) => [g.name, g.revenue, g.share])).toEqual([
      ["Electronics", 639750, 0.9353],
      ["Home Appliances", 44250, 0.0647],
    ]);
    expect(a.statusCounts).toEqual({ Shipped: 3, Delivered: 2, Cancelled: 1 });
    expect(a.cancellations).toMatchObject({ count: 1, revenue: 24000, units: 60, rate: 0.1667 });
    expect(a.averageOrderValue).toBe(132000);
    expect(a.revenueByMonth.map((m) => [m.month, m.revenue, m.change])).toEqual([
      ["2026-01", 288250, null],
      ["2026-02", 286500, -0.0061],
      ["2026-03", 109250, -0.6187],
    ]);
    expect(a.monthOverMonth).toEqual({ from: "2026-02", to: "2026-03", change: -0.6187 });
    expect(a.topTransaction).toMatchObject({
      revenue: 262500,
      date: "2026-02-15",
      region: "North",
      rowNumber: 5,
    });
    expect(a.rowsSkipped).toEqual({ count: 1, reasons: { "blank row": 1 } });
    expect(a.columns).toMatchObject({
      revenue: "Revenue",
      units: "Units_Sold",
      unitPrice: "Unit_Price",
      date: "Date",
      region: "Region",
      category: "Product_Category",
      status: "Status",
    });
  });
});

describe("the generated sample workbook", () => {
  it("finds the Sales sheet below its title rows, skips the Grand Total and agrees with the CSV", async () => {
    const xlsx = await analyzeFile(`${SAMPLE_DATA}sales_2025_large.xlsx`);
    const csv = await analyzeFile(`${SAMPLE_DATA}sales_2025_large.csv`);
    expect(xlsx.source).toMatchObject({ type: "xlsx", sheet: "Sales", headerRow: 3 });
    expect(xlsx.source.sheetsSkipped).toEqual(expect.arrayContaining(["About", "Pivot"]));
    expect(xlsx.rowsSkipped.reasons).toEqual({ "totals row": 1 });
    for (const key of [
      "rows",
      "totalRevenue",
      "netRevenue",
      "totalUnits",
      "dateRange",
      "statusCounts",
    ] as const) {
      expect(xlsx[key]).toEqual(csv[key]);
    }
    expect(xlsx.revenueByRegion).toEqual(csv.revenueByRegion);
    expect(xlsx.totalRevenue).toBe(3382127.31);
    expect(xlsx.netRevenue).toBe(3062557.45);
  });
});

describe("fixtures", () => {
  it("reads a European export: semicolons, decimal commas, dd.mm.yyyy, German headers and statuses", async () => {
    const a = await analyzeFile(`${FIXTURES}european.csv`);
    expect(a.source).toMatchObject({ delimiter: ";", decimalComma: true });
    expect(a.columns).toMatchObject({
      revenue: "Umsatz (EUR)",
      units: "Menge",
      date: "Datum",
      category: "Kategorie",
    });
    expect(a.totalRevenue).toBe(3334.49);
    expect(a.currency).toEqual({ code: "EUR", symbol: "€" });
    expect(a.dateRange).toEqual({ start: "2026-01-05", end: "2026-02-02" });
    expect(a.cancellations).toMatchObject({ count: 1, revenue: 99.99 });
  });

  it("reads currency, parentheses, negatives, NA as North America, and prefers Territory over Country", async () => {
    const a = await analyzeFile(`${FIXTURES}messy-numbers.csv`);
    expect(a.columns.region).toBe("Territory");
    expect(a.totalRevenue).toBe(3950.25);
    expect(a.revenueByRegion?.[0]).toMatchObject({ name: "NA", revenue: 4200.5 });
    expect(a.currency?.code).toBe("USD");
    // The Refunded row and the negative-quantity row.
    expect(a.cancellations).toMatchObject({ count: 2, revenue: -250.25 });
    expect(a.netRevenue).toBe(4200.5);
  });

  it("skips title rows, blank rows, a repeated header and a totals row, and counts each", async () => {
    const a = await analyzeFile(`${FIXTURES}title-rows.csv`);
    expect(a.source.headerRow).toBe(4);
    expect(a.rows).toBe(3);
    expect(a.totalRevenue).toBe(36);
    expect(a.rowsSkipped.reasons).toEqual({ "blank row": 2, "repeated header": 1, "totals row": 1 });
  });

  it("names lines without the separator inside a table in its note, not only as title rows", async () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, "0")},North,${i + 1}`,
    );
    const path = files.write(
      "stray-lines.csv",
      `Date,Region,Revenue\n${lines.slice(0, 20).join("\n")}\nthis line has no separator\nnor this one\n${lines.slice(20).join("\n")}\n`,
    );
    const a = await analyzeFile(path);
    expect(a.rows).toBe(40);
    expect(a.rowsSkipped.reasons).toEqual({ "title row": 2 });
    expect(a.notes).toContain(
      "Skipped 2 rows with a single filled cell and no amount (titles, notes or lines without the file's separator).",
    );
  });

  it("skips a totals row under derived revenue, where only the quantity is summed", async () => {
    const path = files.write("derived-total.csv", "Item,Qty,Price Each\nPen,2,1.50\nInk,3,4.00\nTotal,5,\n");
    const a = await analyzeFile(path);
    expect(a.rows).toBe(2);
    expect(a.totalUnits).toBe(5);
    expect(a.totalRevenue).toBe(15);
    expect(a.rowsSkipped.reasons).toEqual({ "totals row": 1 });
  });

  it("keeps a row labelled Total that does not add up: it is data", async () => {
    const path = files.write("total-region.csv", "Region,Revenue\nNorth,10\nTotal,3\n");
    const a = await analyzeFile(path);
    expect(a.rows).toBe(2);
    expect(a.totalRevenue).toBe(13);
  });

  it("derives revenue from quantity x price and says so", async () => {
    const a = await analyzeFile(`${FIXTURES}units-price.csv`);
    expect(a.revenueSource).toBe("units x unit price");
    expect(a.columns.revenue).toBeNull();
    expect(a.totalRevenue).toBe(209.74);
    expect(a.notes).toContain("There is no revenue column: revenue = Quantity Ordered x Price Each.");
    expect(a.revenueByRegion).toBeNull();
    expect(a.statusCounts).toBeNull();
    expect(a.cancellations).toBeNull();
  });

  it("keeps hostile cell values as inert text and never evaluates a formula", async () => {
    const a = await analyzeFile(`${FIXTURES}evil.csv`);
    const regions = a.revenueByRegion?.map((g) => g.name);
    expect(regions).toContain("<!channel>");
    expect(regions).toContain("<@U123>");
    expect(a.revenueByCategory?.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        '=HYPERLINK("http://evil.example")',
        "@SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
        "-2+3",
      ]),
    );
    // "=1+1" is not 2: it is a revenue cell that is not a number.
    expect(a.quality.invalidRevenue).toBe(1);
    expect(a.totalRevenue).toBe(550);
  });
});

describe("refusals", () => {
  it.each([
    ["empty.csv", "empty", /empty/],
    ["header-only.csv", "empty", /header row \(Date, Region, Revenue\) but no data rows/],
    ["malformed.csv", "corrupt", /never closes/],
  ])("%s", async (name, problem, message) => {
    const error = await problemOf(`${FIXTURES}${name}`);
    expect(error.problem).toBe(problem);
    expect(error.userMessage).toMatch(message);
  });

  it("says what a table needs when a file has a single column", async () => {
    const error = await problemOf(files.write("one-column.csv", "Revenue\n100\n200\n"));
    expect(error.problem).toBe("no-table");
    expect(error.userMessage).toMatch(/only one column .*needs at least two, such as Date and Revenue/);
  });

  it("names the columns it found when there is no revenue", async () => {
    const error = await problemOf(`${FIXTURES}no-revenue.csv`);
    expect(error.userMessage).toBe(
      "No revenue column found. Columns: name, age, city. Expected one of: Revenue, Sales, Amount, Total, or Quantity and Unit Price.",
    );
  });

  it("refuses binary junk named .csv", async () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    const error = await problemOf(files.write("junk.csv", junk));
    expect(error.problem).toBe("unsupported-type");
    expect(error.userMessage).toMatch(/binary data.*Expected a CSV/);
  });

  it("refuses a PDF and an old .xls by their bytes", async () => {
    expect((await problemOf(files.write("report.csv", "%PDF-1.7\n..."))).userMessage).toMatch(/PDF/);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await problemOf(files.write("old.xlsx", xls))).userMessage).toMatch(/save as \.xlsx or CSV/);
  });

  it("refuses a file over MAX_FILE_MB before reading it", async () => {
    const path = files.write("big.csv", `Date,Revenue\n${"2026-01-01,1\n".repeat(2000)}`);
    const error = await problemOf(path, { ...DEFAULT_LIMITS, maxFileBytes: 1000 });
    expect(error.problem).toBe("too-large");
  });

  it("stops at MAX_ROWS while streaming", async () => {
    const path = files.write("rows.csv", `Date,Revenue\n${"2026-01-01,1\n".repeat(101)}`);
    const error = await problemOf(path, { ...DEFAULT_LIMITS, maxRows: 100 });
    expect(error.problem).toBe("too-many-rows");
    expect(error.userMessage).toMatch(/more than 100 data rows/);
    // The setting's name is for admins (logs, README), not for the person who uploaded the file.
    expect(error.userMessage).not.toMatch(/MAX_ROWS/);
    expect(error.message).toMatch(/MAX_ROWS/);
    await expect(analyzeFile(path, { limits: { ...DEFAULT_LIMITS, maxRows: 101 } })).resolves.toMatchObject({
      rows: 101,
    });
  });

  it("refuses a row wider than MAX_COLUMNS", async () => {
    const header = Array.from({ length: 60 }, (_, i) => `c${i}`).join(",");
    const path = files.write("wide.csv", `${header},Revenue\n`);
    const error = await problemOf(path, { ...DEFAULT_LIMITS, maxColumns: 50 });
    expect(error.problem).toBe("too-many-columns");
    expect(error.userMessage).toMatch(/the limit is 50/);
    expect(error.userMessage).not.toMatch(/MAX_COLUMNS/);
    expect(error.message).toMatch(/MAX_COLUMNS/);
  });
});

describe("rows read before and after the schema is known", () => {
  it("count an exact duplicate that spans the sample boundary (typed and untyped cells agree)", async () => {
    const lines = ["Date,Region,Revenue"];
    for (let i = 0; i < 3000; i++)
      lines.push(`2026-01-${String((i % 28) + 1).padStart(2, "0")},R${i},${i}.50`);
    // Row 1100 arrives after the 1,000-row sample but inside the first read chunk.
    lines.push("2026-01-09,R1100,1100.50");
    const a = await analyzeFile(files.write("boundary.csv", `${lines.join("\n")}\n`));
    expect(a.quality.duplicateRows).toBe(1);
    expect(a.rows).toBe(3001);
    expect(a.totalRevenue).toBe((2999 * 3000) / 2 + 3000 * 0.5 + 1100.5);
  });
});

describe("duplicate detection", () => {
  it("does not mistake 100,000 distinct rows of plain numbers for duplicates", async () => {
    const lines = ["Date,Region,Units,Revenue"];
    for (let i = 1; i <= 100_000; i++) lines.push(`2026-01-01,North,${i % 7},${i}`);
    const a = await analyzeFile(files.write("distinct.csv", `${lines.join("\n")}\n`));
    expect(a.quality.duplicateRowsChecked).toBe(100_000);
    expect(a.quality.duplicateRows).toBe(0);
  });
});

describe("latin-1 / cp1252 input", () => {
  it("decodes accented names instead of mangling them", async () => {
    const text = "Date,Region,Revenue\n2026-01-05,Zürich,10\n2026-01-06,Malmö,5\n2026-01-07,Zürich,1\n";
    const a = await analyzeFile(files.write("latin1.csv", Buffer.from(text, "latin1")));
    expect(a.source.encoding).toBe("windows-1252");
    expect(a.revenueByRegion?.map((g) => g.name)).toEqual(["Zürich", "Malmö"]);
  });
});

describe("other text exports", () => {
  it("reads Excel's UTF-16 'Unicode Text' export (tab separated)", async () => {
    const text = "Date\tRegion\tRevenue\r\n2026-01-05\tZürich\t10,5\r\n2026-01-06\tOslo\t2\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const a = await analyzeFile(files.write("unicode.txt", le));
    expect(a.source).toMatchObject({ encoding: "utf-16le", delimiter: "\t" });
    expect(a.revenueByRegion?.map((g) => g.name)).toEqual(["Zürich", "Oslo"]);
    expect(a.totalRevenue).toBe(12.5);
  });

  it("honours Excel's sep= hint line", async () => {
    const a = await analyzeFile(files.write("sep.csv", "sep=;\nDate;Region;Revenue\n2026-01-05;A,B;3\n"));
    expect(a.source.delimiter).toBe(";");
    expect(a.revenueByRegion?.[0]?.name).toBe("A,B");
  });
});
