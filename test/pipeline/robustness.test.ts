import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

/**
 * Unusual but real files found in a robustness sweep: each case generates its input and checks the
 * figures a user would compute by hand.
 */
const files = tempFiles();

interface Sale {
  date: string;
  region: string;
  units: number;
  /** Whole currency units: the amounts below are written without decimals, as many exports do. */
  amount: number;
}

const SALES: Sale[] = [
  { date: "2024-01-05", region: "North", units: 1, amount: 1234 },
  { date: "2024-01-20", region: "South", units: 2, amount: 250 },
  { date: "2024-02-03", region: "North", units: 3, amount: 18999 },
  { date: "2024-02-14", region: "East", units: 4, amount: 75 },
  { date: "2024-02-29", region: "South", units: 5, amount: 120000 },
  { date: "2024-03-15", region: "East", units: 6, amount: 3400 },
  { date: "2024-03-30", region: "North", units: 7, amount: 1500000 },
];
const TOTAL = SALES.reduce((sum, s) => sum + s.amount, 0);

const dotGrouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
const dmy = (iso: string, sep: string) => iso.split("-").reverse().join(sep);

async function analyse(name: string, content: string | Buffer) {
  return analyzeFile(files.write(name, content), {});
}

describe("thousands dots without decimals", () => {
  // German and Dutch exports of whole amounts write 1.234 for one thousand two hundred and
  // thirty-four. No cell has a decimal comma to prove the locale, so "1.234" was read as 1.234 and
  // the total came out a thousand times too small, with no note.
  it("reads 1.234 as a thousand and more in a semicolon file", async () => {
    const text = [
      "Datum;Region;Menge;Umsatz",
      ...SALES.map((s) => `${s.date};${s.region};${s.units};${dotGrouped(s.amount)}`),
    ].join("\n");
    const a = await analyse("dots-semicolon.csv", text);
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.source.decimalComma).toBe(true);
  });

  it("reads 1.234 as a thousand and more when the dates are written 31.01.2024", async () => {
    const text = [
      "Date,Region,Units,Revenue",
      ...SALES.map((s) => `${dmy(s.date, ".")},${s.region},${s.units},${dotGrouped(s.amount)}`),
    ].join("\n");
    const a = await analyse("dots-dotted-dates.csv", text);
    expect(a.totalRevenue).toBe(TOTAL);
  });

  it("reads 1.500.000 (two dots) as a grouped number in any file", async () => {
    const text = ["Date,Region,Revenue", "2024-01-05,North,1.500.000", "2024-01-06,South,2.000"].join("\n");
    const a = await analyse("two-dots.csv", text);
    expect(a.totalRevenue).toBe(1_502_000);
  });

  it("keeps three-decimal prices (3.459) in a comma file with ISO dates as decimals", async () => {
    const text = ["Date,Station,Quantity,Unit Price", "2024-01-05,A,10,3.459", "2024-01-06,B,20,3.519"].join(
      "\n",
    );
    const a = await analyse("fuel.csv", text);
    expect(a.source.decimalComma).toBe(false);
    expect(a.totalRevenue).toBeCloseTo(10 * 3.459 + 20 * 3.519, 6);
  });
});

describe("subtotal rows between groups", () => {
  const byRegion = ["North", "South", "East"].map((region) => SALES.filter((s) => s.region === region));
  const line = (s: Sale) => `${s.date},${s.region},${s.units},${s.amount}`;
  const sum = (rows: Sale[], key: "units" | "amount") => rows.reduce((n, s) => n + s[key], 0);

  // Excel's Data > Subtotal writes "North Total" under each group and "Grand Total" at the end. The
  // subtotals were counted as sales, and the grand total (no longer equal to the rows above it)
  // too: the file's revenue came out three times too large.
  it("leaves out Excel's 'North Total' rows and the Grand Total", async () => {
    const lines = ["Date,Region,Units,Revenue"];
    for (const rows of byRegion) {
      lines.push(...rows.map(line), `,${rows[0]?.region} Total,${sum(rows, "units")},${sum(rows, "amount")}`);
    }
    lines.push(`,Grand Total,${sum(SALES, "units")},${TOTAL}`);
    const a = await analyse("excel-subtotals.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.rows).toBe(SALES.length);
    expect(a.rowsSkipped.reasons["totals row"]).toBe(4);
  });

  it("leaves out 'Subtotal' rows labelled in the first column", async () => {
    const lines = ["Region,Date,Units,Revenue"];
    for (const rows of byRegion) {
      lines.push(...rows.map((s) => `${s.region},${s.date},${s.units},${s.amount}`));
      lines.push(`Subtotal,,${sum(rows, "units")},${sum(rows, "amount")}`);
    }
    const a = await analyse("subtotal-label.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
  });

  it("keeps a region whose name ends in Total when its row does not sum the rows above", async () => {
    const text = [
      "Date,Region,Revenue",
      "2024-01-05,North,100",
      "2024-01-06,Total,40",
      "2024-01-07,South,60",
    ].join("\n");
    const a = await analyse("total-region.csv", text);
    expect(a.totalRevenue).toBe(200);
  });
});

describe("a second table below the first", () => {
  const sales = [
    "Date,Region,Units,Revenue",
    ...SALES.map((s) => `${s.date},${s.region},${s.units},${s.amount}`),
  ];

  // Reports often put a summary under the data, after a blank line and with its own header. Its rows
  // were read as sales: counted as rows, and their numbers added wherever they fell under Revenue.
  it("stops at a blank line followed by another table's header", async () => {
    const summary = [
      "",
      "Region,Orders,,Total Revenue",
      "North,3,,1520233",
      "South,2,,120250",
      "East,2,,3475",
    ];
    const a = await analyse("two-tables.csv", [...sales, ...summary].join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.rows).toBe(SALES.length);
    expect(a.rowsSkipped.reasons["row of a second table"]).toBe(4);
    expect(a.notes.join(" ")).toMatch(/another table/);
  });

  it("keeps reading after a blank line followed by ordinary rows", async () => {
    const rows = [...sales.slice(0, 3), "", ",Consumer,,", ...sales.slice(3)];
    const a = await analyse("blank-then-rows.csv", rows.join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
  });
});

describe("month names in the file's language", () => {
  // Dates such as "5. März 2024" or "15 févr. 2024" were not dates at all: the date column was not
  // found, the months were missing from the report, and no note said why.
  const cases: [string, string, string[]][] = [
    ["German", "Datum;Region;Umsatz", ["5. Jan. 2024", "14. Feb. 2024", "3. März 2024", "1. Dez. 2024"]],
    ["French", "Date;Région;Montant", ["5 janv. 2024", "14 févr. 2024", "3 mars 2024", "1 déc. 2024"]],
    ["Spanish", "Fecha;Región;Importe", ["05-ene-2024", "14-feb-2024", "03-mar-2024", "01-dic-2024"]],
    ["Portuguese", "Data;Região;Valor", ["5 jan 2024", "14 fev 2024", "3 mar 2024", "1 dez 2024"]],
    ["Italian", "Data;Regione;Importo", ["5 gen 2024", "14 feb 2024", "3 mar 2024", "1 dic 2024"]],
    ["Dutch", "Datum;Regio;Bedrag", ["5 jan 2024", "14 feb 2024", "3 mrt 2024", "1 dec 2024"]],
  ];
  it.each(cases)("reads %s month names", async (language, header, dates) => {
    const text = [header, ...dates.map((d, i) => `${d};R${i % 2};${(i + 1) * 100}`)].join("\n");
    const a = await analyse(`months-${language}.csv`, text);
    expect(a.dateRange).toEqual({ start: "2024-01-05", end: "2024-12-01" });
    expect(a.revenueByMonth?.find((m) => m.month === "2024-03")?.revenue).toBe(300);
  });

  it("reads full month names and month-year cells (Januar 2024, juillet 2024)", async () => {
    const text = ["Monat;Region;Umsatz", "Januar 2024;A;10", "juillet 2024;B;20", "Août 2024;A;30"].join(
      "\n",
    );
    const a = await analyse("month-year.csv", text);
    expect(a.dateRange).toEqual({ start: "2024-01-01", end: "2024-08-01" });
  });
});

describe("UTF-16 without a byte-order mark, and stray NUL bytes", () => {
  const table = ["Date\tRegion\tRevenue", "2024-01-05\tZürich\t100.50", "2024-01-06\tNorth\t200"].join(
    "\r\n",
  );

  // SQL Server's bcp -w and some .NET exports write UTF-16 with no BOM. Every other byte of such a
  // file is NUL, so it was refused as "binary data, not a CSV".
  it.each([
    ["utf-16le", Buffer.from(table, "utf16le")],
    ["utf-16be", Buffer.from(table, "utf16le").swap16()],
  ])("reads %s text that has no BOM", async (encoding, bytes) => {
    const a = await analyse(`nobom-${encoding}.csv`, bytes);
    expect(a.totalRevenue).toBe(300.5);
    expect(a.source.encoding).toBe(encoding);
    expect(a.revenueByRegion?.map((g) => g.name).sort()).toEqual(["North", "Zürich"]);
  });

  // One NUL (a C string terminator leaked into a cell, padding at the end) made the whole file
  // "binary data". NUL is never data in a CSV: it is dropped.
  it("reads a CSV with a few NUL bytes, without them", async () => {
    const text = `Date,Region,Revenue\n2024-01-05,No\0rth,100\n2024-01-06,South,200\n\0\0\0\0`;
    const a = await analyse("nul.csv", text);
    expect(a.totalRevenue).toBe(300);
    expect(a.revenueByRegion?.map((g) => g.name).sort()).toEqual(["North", "South"]);
  });

  it("still refuses binary data full of NUL bytes", async () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i += 7) junk[i] = (i * 31) % 256;
    await expect(analyse("junk.csv", junk)).rejects.toThrow(/binary/);
  });
});

describe("sum rows labelled in the date column", () => {
  // Monthly subtotals ("January Total") sit in the date column. A third of the sample's date cells
  // were then not dates, the date column was not recognised, and the report had no months at all.
  it("keeps the date column when month subtotals are labelled in it", async () => {
    const lines = ["Date,Region,Revenue"];
    for (const [month, name] of [
      ["01", "January"],
      ["02", "February"],
      ["03", "March"],
    ] as const) {
      const rows = SALES.filter((s) => s.date.slice(5, 7) === month);
      lines.push(...rows.map((s) => `${s.date},${s.region},${s.amount}`));
      lines.push(`${name} Total,,${rows.reduce((n, s) => n + s.amount, 0)}`);
    }
    lines.push(`Grand Total,,${TOTAL}`);
    const a = await analyse("month-subtotals.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.columns.date).toBe("Date");
    expect(a.dateRange).toEqual({ start: "2024-01-05", end: "2024-03-30" });
  });
});

describe("East Asian dates and yen amounts", () => {
  const dates = ["2024-01-05", "2024-02-14", "2024-03-30"];
  const ymd = (iso: string) => iso.split("-").map(Number) as [number, number, number];
  // Japanese and Chinese exports write 2024年1月5日, Korean ones 2024. 1. 5.: the date column went unread.
  it.each([
    ["chinese", ["日期", "地区", "销售额"], (y: number, m: number, d: number) => `${y}年${m}月${d}日`],
    ["korean", ["날짜", "지역", "매출액"], (y: number, m: number, d: number) => `${y}. ${m}. ${d}.`],
    ["korean-unspaced", ["날짜", "지역", "매출액"], (y: number, m: number, d: number) => `${y}.${m}.${d}.`],
  ] as const)("reads %s dates", async (name, header, write) => {
    const text = [header.join(","), ...dates.map((iso, i) => `${write(...ymd(iso))},R${i},100`)].join("\n");
    const a = await analyse(`dates-${name}.csv`, text);
    expect(a.dateRange).toEqual({ start: "2024-01-05", end: "2024-03-30" });
  });

  // Japanese software writes the full-width yen sign (￥) or 円 after the number.
  it.each([
    ["fullwidth-yen", (n: string) => `￥${n}`],
    ["en-suffix", (n: string) => `${n}円`],
  ])("reads %s amounts as yen", async (name, write) => {
    const text = [
      "Date,Region,Revenue",
      `2024-01-05,A,"${write("1,234")}"`,
      `2024-01-06,B,"${write("20,000")}"`,
    ].join("\n");
    const a = await analyse(`yen-${name}.csv`, text);
    expect(a.totalRevenue).toBe(21_234);
    expect(a.currency?.code).toBe("JPY");
  });
});

describe("two header rows", () => {
  // A group header above the real one ("Where" over Region, "Money" over Revenue, merged cells in
  // Excel) was taken as the header: the real header became a data row, the columns were read from
  // their values under the wrong names, and a date column was called "".
  it("takes the fuller header row under a sparse group header", async () => {
    const text = [
      ",Where,,Money",
      "Date,Region,Units,Revenue",
      ...SALES.map((s) => `${s.date},${s.region},${s.units},${s.amount}`),
    ].join("\n");
    const a = await analyse("group-header.csv", text);
    expect(a.source.headerRow).toBe(2);
    expect(a.rows).toBe(SALES.length);
    expect(a.columns).toMatchObject({ date: "Date", region: "Region", revenue: "Revenue", units: "Units" });
  });
});

describe("zip files that are not workbooks", () => {
  const zip = async (names: string[]) => {
    const { buildZip } = await import("../helpers/zip.js");
    return buildZip(names.map((name) => ({ name, data: Buffer.from("x") })));
  };
  const messageOf = async (name: string, names: string[]) => {
    try {
      await analyse(name, await zip(names));
    } catch (error) {
      return (error as InputError).userMessage;
    }
    throw new Error("not refused");
  };

  // "This is an OpenDocument file (.ods/.odt); save it as .xlsx or CSV, not a spreadsheet." said an
  // .ods spreadsheet was not a spreadsheet, after the fix; the same for .xlsb.
  it.each([
    ["ods", ["mimetype", "content.xml", "META-INF/manifest.xml"], /OpenDocument spreadsheet \(\.ods\)/],
    ["xlsb", ["[Content_Types].xml", "xl/workbook.bin"], /binary workbook \(\.xlsb\)/],
  ])("names the fix for an %s file last, without calling it not a spreadsheet", async (kind, names, what) => {
    const message = await messageOf(`file.${kind}.xlsx`, names);
    expect(message).toMatch(what);
    expect(message).not.toMatch(/not a spreadsheet/);
    expect(message).toMatch(/save it (?:in Excel )?as \.xlsx or CSV/i);
  });

  it("tells to unzip a zip that holds a CSV", async () => {
    const message = await messageOf("export.zip.csv", ["export/sales.csv"]);
    expect(message).toMatch(/unzip/i);
    expect(message).toMatch(/sales\.csv/);
    expect(message).not.toMatch(/xl\/workbook\.xml/);
  });
});

describe("Excel error values in the revenue column", () => {
  // A #N/A from a failed VLOOKUP was reported as "no Revenue value", and a CSV's "#DIV/0!" as "not a
  // number": neither told the user that formulas in the workbook failed.
  it("names formula errors in an XLSX revenue column", async () => {
    const { workbookParts } = await import("../helpers/xlsx.js");
    const { buildZip } = await import("../helpers/zip.js");
    const parts = workbookParts({
      sheets: [
        {
          name: "Sales",
          rows: [
            ["Date", "Region", "Revenue"],
            ...SALES.map((s) => [new Date(`${s.date}T00:00:00Z`), s.region, s.amount]),
          ],
        },
      ],
    });
    const sheet = parts.find((p) => p.name === "xl/worksheets/sheet1.xml");
    if (!sheet) throw new Error("no sheet part");
    const text = sheet.data.toString();
    // Two revenue cells become error values, as Excel stores them (t="e").
    const patched = text
      .replace(/<c r="C3"><v>[^<]*<\/v><\/c>/, '<c r="C3" t="e"><f>VLOOKUP(A3,X:Y,2,0)</f><v>#N/A</v></c>')
      .replace(/<c r="C4"><v>[^<]*<\/v><\/c>/, '<c r="C4" t="e"><v>#DIV/0!</v></c>');
    expect(patched).not.toBe(text);
    sheet.data = Buffer.from(patched);
    const a = await analyse("errors.xlsx", buildZip(parts));
    expect(a.totalRevenue).toBe(TOTAL - (SALES[1]?.amount ?? 0) - (SALES[2]?.amount ?? 0));
    expect(a.quality.formulaErrorRevenue).toBe(2);
    expect(a.notes.join(" ")).toMatch(/2 rows have an Excel error \(#N\/A, #DIV\/0!\)/);
  });

  it("names formula errors in a CSV exported from Excel", async () => {
    const numbers = [1, 2, 3, 4, 5, 6].map((d) => `2024-01-0${d},A,100`);
    const text = ["Date,Region,Revenue", ...numbers, "2024-01-08,B,#VALUE!", "2024-01-09,C,abc"].join("\n");
    const a = await analyse("errors.csv", text);
    expect(a.quality.formulaErrorRevenue).toBe(1);
    expect(a.quality.invalidRevenue).toBe(2);
    expect(a.notes.join(" ")).toMatch(/1 row has an Excel error \(#VALUE!\)/);
    expect(a.notes.join(" ")).toMatch(/1 row has a Revenue that is not a number/);
  });
});

describe("rows wider than the column limit", () => {
  // Excel writes a delimiter for every formatted column, so a CSV of three columns can end each row
  // with hundreds of empty fields. It was refused as having "703 columns".
  it("reads a table whose rows end in hundreds of empty fields", async () => {
    const pad = ",".repeat(700);
    const text = [
      `Date,Region,Revenue${pad}`,
      ...SALES.map((s) => `${s.date},${s.region},${s.amount}${pad}`),
    ].join("\n");
    const a = await analyse("trailing-fields.csv", text);
    expect(a.totalRevenue).toBe(TOTAL);
  });

  it("refuses a row with values past the limit, saying what to do", async () => {
    const wide = Array.from({ length: 600 }, (_, i) => `c${i}`).join(",");
    const error = await analyse("wide.csv", `Date,Region,Revenue,${wide}\n2024-01-05,N,5,${wide}`).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).userMessage).toMatch(
      /Delete the columns .* not needed|save the sales columns/,
    );
  });
});

describe("numbers whose separators say how to read them", () => {
  // In a decimal-comma file, a cell written the other way ("1,234.50", pasted from another source)
  // was read as 1.2345, and "1,234,567" was not a number: both settle themselves whatever the file.
  it("reads 1,234.50 and 1,234,567 correctly in a decimal-comma file", async () => {
    const text = [
      "Datum;Region;Umsatz",
      "2024-01-05;A;1.000,50",
      "2024-01-06;B;2.000,25",
      "2024-01-07;C;3,5",
      "2024-01-08;D;1,234.50",
      "2024-01-09;E;1,234,567",
    ].join("\n");
    const a = await analyse("mixed-separators.csv", text);
    expect(a.source.decimalComma).toBe(true);
    expect(a.totalRevenue).toBe(1000.5 + 2000.25 + 3.5 + 1234.5 + 1234567);
  });
});

describe("columns without a header", () => {
  // A region column with an empty header cell was named “column region” in the notes, a name the
  // file does not have.
  it("says a column has no header instead of inventing a name", async () => {
    const text = ["Date,,Revenue", ...SALES.map((s) => `${s.date},${s.region},${s.amount}`)].join("\n");
    const a = await analyse("unnamed.csv", text);
    expect(a.totalRevenue).toBe(TOTAL);
    const note = a.notes.find((n) => n.startsWith("Region:"));
    expect(note).toBe("Region: a column with no header (read from the values, not the header).");
  });
});

describe("two columns named equally well as revenue", () => {
  // "Amount (EUR)" and "Amount (USD)", or two "Revenue" columns: the first was used, and nothing
  // told the user another column had as good a claim.
  it("names the other candidate in the notes", async () => {
    const text = [
      "Date,Region,Amount (EUR),Amount (USD)",
      ...SALES.map((s) => `${s.date},${s.region},${s.amount},${s.amount * 1.1}`),
    ].join("\n");
    const a = await analyse("two-amounts.csv", text);
    expect(a.columns.revenue).toBe("Amount (EUR)");
    expect(a.columnAlternatives.revenue).toEqual(["Amount (USD)"]);
    expect(a.notes).toContain(
      "Revenue: “Amount (EUR)” was used; “Amount (USD)” is named as well. If that is the right one, delete or rename the other.",
    );
  });

  it("says nothing when one header is clearly better", async () => {
    const text = [
      "Date,Region,Sales,Amount",
      ...SALES.map((s) => `${s.date},${s.region},${s.amount},${s.amount}`),
    ].join("\n");
    const a = await analyse("sales-and-amount.csv", text);
    expect(a.columnAlternatives.revenue).toBeUndefined();
  });
});

describe("amounts as spreadsheets write them", () => {
  const column = (cells: string[]) =>
    ["Date,Region,Revenue", ...cells.map((c, i) => `2024-01-0${i + 1},R${i % 2},${c}`)].join("\n");

  // Each of these made the revenue column "text" (the file was refused) or a cell "not a number".
  it.each([
    // Excel's trick to keep a value as typed: ="1234.50" (a string literal, nothing to evaluate).
    ["excel-text-literal", ['="1234.50"', '="250.00"', '="18999.99"', '="75.25"'], 20559.74],
    // Dollar currencies with their country: US$, CA$, A$, NZ$, HK$.
    ["country-dollars", ['"US$1,234.50"', '"CA$250.00"', '"A$18,999.99"', '"HK$ 75.25"'], 20559.74],
    // Japanese full-width digits and point.
    ["fullwidth-digits", ["１２３４．５０", "２５０", "１８９９９．９９", "７５．２５"], 20559.74],
    // Zero-width spaces pasted from the web.
    [
      "zero-width",
      ["\u200b1234.50", "250.00\u200b", "\u200b-18999.99", "75.25"],
      1234.5 + 250 - 18999.99 + 75.25,
    ],
    // Excel's Accounting format writes zero as a dash, and "Save as CSV" keeps what is shown.
    ["accounting-dash-zero", ['" $ 1,234.50 "', '" $ -   "', " - ", '" $ 75.25 "'], 1309.75],
  ])("reads %s", async (name, cells, total) => {
    const a = await analyse(`amounts-${name}.csv`, column(cells));
    expect(a.totalRevenue).toBeCloseTo(total, 2);
    expect(a.quality.invalidRevenue).toBe(0);
  });

  it("still never evaluates a formula", async () => {
    const a = await analyse("formula.csv", column(["100", "=1+1", "200", "300", "400"]));
    expect(a.totalRevenue).toBe(1000);
    expect(a.quality.invalidRevenue).toBe(1);
  });
});

describe("amounts in thousands or millions", () => {
  // "Revenue ($000)" holds 1.2345 for $1,234.50: the summary told an executive about 20.56 of revenue
  // where the file meant 20,559.74.
  it.each([
    ["Revenue ($000)", 1000],
    ["Sales (in thousands)", 1000],
    ["Umsatz (TEUR)", 1000],
    ["Revenue ('000)", 1000],
    ["Sales ($M)", 1_000_000],
    ["Revenue (in millions)", 1_000_000],
  ])("reads %s as full amounts", async (header, scale) => {
    const text = [
      `Date,Region,${header}`,
      ...SALES.map((s) => `${s.date},${s.region},${s.amount / scale}`),
    ].join("\n");
    const a = await analyse(`scaled-${scale}.csv`, text);
    expect(a.totalRevenue).toBeCloseTo(TOTAL, 2);
    expect(a.revenueScale).toBe(scale);
    expect(a.notes.join(" ")).toMatch(scale === 1000 ? /in thousands/ : /in millions/);
  });

  it("leaves a plain header alone", async () => {
    const text = ["Date,Region,Revenue 2024", ...SALES.map((s) => `${s.date},${s.region},${s.amount}`)].join(
      "\n",
    );
    const a = await analyse("plain-2024.csv", text);
    expect(a.revenueScale).toBe(1);
    expect(a.totalRevenue).toBe(TOTAL);
  });
});

describe("a money column formatted as dates in the workbook", () => {
  // Excel shows 1234.5 formatted as a date as 1903-05-18; the refusal said the column "holds text such
  // as 1903-05-18", which sends the user looking for text that is not there.
  it("says the column is formatted as dates and how to fix it", async () => {
    const { buildWorkbook, STYLES } = await import("../helpers/xlsx.js");
    const book = buildWorkbook({
      sheets: [
        {
          name: "Sales",
          rows: [
            ["Date", "Region", "Revenue"],
            ...SALES.map((s) => [
              new Date(`${s.date}T00:00:00Z`),
              s.region,
              { number: s.amount, style: STYLES.date },
            ]),
          ],
        },
      ],
    });
    const error = await analyse("revenue-as-dates.xlsx", book).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).userMessage).toMatch(/formatted as dates.*Number/);
  });
});

describe("placeholder and mistyped dates far from the rest", () => {
  // A 1900-01-01 or 1970-01-01 placeholder, or a year typed 2124, stretched the period to two
  // centuries: 1,200 empty months, "latest months" charts of zeros and a month-over-month change
  // between two empty months in 2124.
  it("leaves a few isolated dates out of the period and the months, with a note", async () => {
    const lines = ["Date,Region,Revenue"];
    for (let i = 0; i < 60; i++) lines.push(`2024-${String(1 + (i % 12)).padStart(2, "0")}-10,R${i % 3},100`);
    lines.push("1900-01-01,R1,50", "1970-01-01,R2,60", "2124-03-05,R0,70");
    const a = await analyse("outlier-dates.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(6180);
    expect(a.dateRange).toEqual({ start: "2024-01-10", end: "2024-12-10" });
    expect(a.revenueByMonth).toHaveLength(12);
    expect(a.monthOverMonth?.to).toBe("2024-12");
    expect(a.quality.outlierDates).toBe(3);
    expect(a.notes.join(" ")).toMatch(
      /3 rows have dates far from all the others \(1900-01-01, 1970-01-01, 2124-03-05\)/,
    );
  });

  it("keeps a long history that has a gap", async () => {
    const lines = ["Date,Region,Revenue"];
    for (let i = 0; i < 30; i++) lines.push(`2015-${String(1 + (i % 12)).padStart(2, "0")}-10,R${i % 3},100`);
    for (let i = 0; i < 30; i++) lines.push(`2020-${String(1 + (i % 12)).padStart(2, "0")}-10,R${i % 3},100`);
    const a = await analyse("gap-history.csv", lines.join("\n"));
    expect(a.dateRange).toEqual({ start: "2015-01-10", end: "2020-12-10" });
    expect(a.quality.outlierDates).toBe(0);
  });
});

describe("files with a single column", () => {
  // A list of amounts, or a file separated by "~" or ":", was refused with "No table was found:
  // expected a header row with at least two column names", which does not say what the bot saw.
  it.each([
    ["one-column", ["Revenue", "100", "200"].join("\n")],
    ["tilde", ["Date~Region~Revenue", "2024-01-05~North~100"].join("\n")],
  ])("says what it found in a %s file and what to do", async (name, text) => {
    const error = await analyse(`${name}.csv`, text).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).userMessage;
    expect(message).toMatch(/one column/);
    expect(message).toMatch(/comma, semicolon, tab or \|/);
  });
});

describe("markup and JSON saved under a spreadsheet name", () => {
  // Web apps export "report.xls" files that are HTML tables or Excel 2003 XML; a JSON export renamed
  // .csv. Each was told "The table has only one column" (or "No table was found"), not what it is.
  it.each([
    ["html-table.xls.csv", "<table><tr><th>Date</th><th>Revenue</th></tr></table>", /web page \(HTML\)/],
    [
      "spreadsheetml.csv",
      '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
      /Excel 2003 XML spreadsheet.*save it as \.xlsx/,
    ],
    ["data.xml.csv", '\ufeff<?xml version="1.0"?>\n<orders><order/></orders>', /XML file/],
    [
      "export.json.csv",
      '[\n  {"date": "2024-01-05", "revenue": 100},\n  {"date": "2024-01-06", "revenue": 5}\n]',
      /JSON/,
    ],
    ["object.json.csv", '{"orders": [{"date": "2024-01-05"}]}', /JSON/],
  ])("names what %s is", async (name, text, what) => {
    const error = await analyse(name, text).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).userMessage).toMatch(what);
  });
});

describe("payment and accounting exports", () => {
  // Stripe, PayPal and Square exports as they come (a few columns of each).
  it("does not read a time zone as the region (PayPal, Square)", async () => {
    const text = [
      '"Date","Time","TimeZone","Name","Status","Currency","Gross","Fee","Net"',
      ...SALES.map(
        (s, i) =>
          `"${s.date}","10:00:00","PST","Customer ${i}","Completed","USD","${s.amount}","-1.00","${s.amount - 1}"`,
      ),
    ].join("\n");
    const a = await analyse("paypal.csv", text);
    expect(a.columns.region).toBeNull();
  });

  // A failed or declined card payment is not a sale: it was counted in net revenue.
  it("leaves failed and declined payments out of net revenue (Stripe)", async () => {
    const text = [
      "id,Created (UTC),Amount,Amount Refunded,Currency,Status",
      "ch_1,2024-02-01 10:00:00,100,0,usd,Paid",
      "ch_2,2024-02-02 10:00:00,50,0,usd,Failed",
      "ch_3,2024-02-03 10:00:00,30,0,usd,Declined",
      "ch_4,2024-02-04 10:00:00,20,20,usd,Refunded",
      "ch_5,2024-02-05 10:00:00,10,0,usd,Paid",
    ].join("\n");
    const a = await analyse("stripe.csv", text);
    expect(a.netRevenue).toBe(110);
    // "Amount Refunded" is not a second name for the revenue column.
    expect(a.columnAlternatives.revenue).toBeUndefined();
  });

  // QuickBooks' "Sales by Customer Detail": a title block, a customer name on a row of its own above
  // each customer's lines, "Total for <customer>" after them, TOTAL at the end, and a footer.
  it("reads a QuickBooks customer detail report", async () => {
    const lines = [
      '"Sales by Customer Detail"',
      '"Acme Ltd"',
      '"January - March, 2024"',
      "",
      ",Date,Transaction Type,Num,Product/Service,Qty,Sales Price,Amount,Balance",
    ];
    let grand = 0;
    for (const customer of ["Alpha Co", "Beta LLC"]) {
      lines.push(`${customer},,,,,,,,`);
      let balance = 0;
      for (const [i, s] of SALES.slice(0, 3).entries()) {
        balance += s.amount;
        lines.push(`,${s.date},Invoice,${1000 + i},Widget,1,${s.amount},"${s.amount}","${balance}"`);
      }
      lines.push(`Total for ${customer},,,,,,,"$${balance}",`);
      grand += balance;
    }
    lines.push(`TOTAL,,,,,,,"$${grand}",`, "", '"Accrual basis Monday, April 1, 2024 10:00 AM GMT-05:00"');
    const a = await analyse("quickbooks.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(grand);
    expect(a.rows).toBe(6);
    expect(a.columns.orderId).not.toBe("Transaction Type");
    expect(a.quality.missingRevenue).toBe(0);
  });
});

describe("shop and analytics exports", () => {
  // WooCommerce: "Order Subtotal Amount" (before shipping) was taken over "Order Total Amount".
  it("prefers the order total to the subtotal (WooCommerce)", async () => {
    const text = [
      '"Order Number","Order Status","Order Date","Order Subtotal Amount","Order Shipping Amount","Order Total Amount"',
      '"501","wc-completed","2024-03-01 12:00","100","5","105"',
      '"502","wc-completed","2024-03-02 12:00","200","5","205"',
    ].join("\n");
    const a = await analyse("woo.csv", text);
    expect(a.columns.revenue).toBe("Order Total Amount");
    expect(a.totalRevenue).toBe(310);
  });

  // Google Analytics: a comment block, months written 202401, an average that is not revenue, and a
  // totals row with no label at the end, which doubled the revenue.
  it("reads a Google Analytics ecommerce export", async () => {
    const text = [
      "# ----------------------------------------",
      "# Ecommerce overview",
      "# 20240101-20240331",
      "# ----------------------------------------",
      "",
      "Month of Year,Revenue,Transactions,Ecommerce Conversion Rate,Avg. Order Value",
      '202401,"$12,345.67",120,1.20%,$102.88',
      '202402,"$10,000.00",100,1.10%,$100.00',
      '202403,"$9,876.54",95,1.00%,$103.96',
      ',"$32,222.21",315,1.10%,$102.29',
    ].join("\n");
    const a = await analyse("ga.csv", text);
    expect(a.columns.revenue).toBe("Revenue");
    expect(a.columns.orderId).not.toBe("Avg. Order Value");
    expect(a.totalRevenue).toBe(32222.21);
    expect(a.rows).toBe(3);
    expect(a.revenueByMonth?.map((m) => m.month)).toEqual(["2024-01", "2024-02", "2024-03"]);
  });

  it("keeps a sale that happens to equal the rows above when it has a date", async () => {
    const text = ["Date,Region,Revenue", "2024-01-01,A,100", "2024-01-02,B,50", "2024-01-03,C,150"].join(
      "\n",
    );
    const a = await analyse("equal-sale.csv", text);
    expect(a.totalRevenue).toBe(300);
  });
});

describe("a second table under a title", () => {
  // The summary below the data had a title row ("Summary") between the blank rows and its header,
  // so it was read as sales; and its rows, in the sample the columns are read from, cost the date
  // column its role.
  it("stops at a blank row, a title and another header (CSV and XLSX)", async () => {
    const summary = ["", "", "Summary", "Region,Total Revenue", "North,1520233", "South,120250", "East,3475"];
    const lines = [
      "Date,Region,Revenue",
      ...SALES.map((s) => `${s.date},${s.region},${s.amount}`),
      ...summary,
    ];
    const a = await analyse("titled-second-table.csv", lines.join("\n"));
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.rows).toBe(SALES.length);
    expect(a.columns.date).toBe("Date");

    const { buildWorkbook } = await import("../helpers/xlsx.js");
    const book = buildWorkbook({
      sheets: [
        {
          name: "S",
          rows: [
            ["Date", "Region", "Revenue"],
            ...SALES.map((s) => [new Date(`${s.date}T00:00:00Z`), s.region, s.amount]),
            [],
            ["Summary"],
            ["Region", "Total Revenue"],
            ["North", 1520233],
          ],
        },
      ],
    });
    const x = await analyse("titled-second-table.xlsx", book);
    expect(x.totalRevenue).toBe(TOTAL);
    expect(x.columns.date).toBe("Date");
  });
});

describe("ISO week dates", () => {
  // "2024-W05" (ISO 8601 weeks, as BI tools export weekly figures) was no date: no months at all.
  it("reads 2024-W05 as the Monday of that week", async () => {
    const text = [
      "Week,Region,Revenue",
      "2024-W01,A,100",
      "2024-W05,B,200",
      "2024W09,A,300",
      "2020-W53,B,5",
    ].join("\n");
    // 2020 has a week 53 (from Monday 28 December); it is more than three years before the rest, so
    // it is also an isolated date: the period starts with 2024's first week.
    const a = await analyse("weeks.csv", text);
    expect(a.columns.date).toBe("Week");
    expect(a.revenueByMonth?.map((m) => [m.month, m.revenue])).toEqual(
      expect.arrayContaining([
        ["2024-01", 300],
        ["2024-02", 300],
      ]),
    );
    expect(a.dateRange?.start).toBe("2024-01-01");
    expect(a.quality.outlierDateExamples).toEqual(["2020-12-28"]);
  });
});

describe("two columns with the same name", () => {
  // "Revenue: “Revenue” was used; “Revenue” is named as well." did not say which one was used.
  it("says the first of two same-named revenue columns was used", async () => {
    const text = [
      "Date,Region,Revenue,Revenue",
      ...SALES.map((s) => `${s.date},${s.region},${s.amount},${s.amount * 2}`),
    ].join("\n");
    const a = await analyse("same-name.csv", text);
    expect(a.totalRevenue).toBe(TOTAL);
    expect(a.notes).toContain(
      "Two columns are named “Revenue”: the first (further left) was used. If the other is the right one, delete or rename the first.",
    );
  });
});
