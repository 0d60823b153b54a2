import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../../src/pipeline/analyze.js";
import { tempFiles } from "../../helpers/files.js";
import { salesCsv, salesRows, TABLE_ROLES, type TableRole } from "../../helpers/sales-table.js";
import { HEADERS_BY_LANGUAGE, HEADERS_BY_STYLE } from "./headers.js";

const files = tempFiles();
const rows = salesRows();
const expectedRevenue = Math.round(rows.reduce((s, r) => s + r.revenue, 0) * 100) / 100;
const expectedUnits = rows.reduce((s, r) => s + r.units, 0);
const expectedOrders = new Set(rows.map((r) => r.orderId)).size;
const days = rows.map((r) => r.date).sort();
let counter = 0;

async function analyse(headers: Record<TableRole, string>, order: readonly TableRole[] = TABLE_ROLES) {
  counter++;
  return analyzeFile(files.write(`sales-${counter}.csv`, salesCsv(headers, rows, order)));
}

function expectSameFigures(a: Analysis, headers: Record<TableRole, string>) {
  expect(a.totalRevenue).toBe(expectedRevenue);
  expect(a.totalUnits).toBe(expectedUnits);
  expect(a.orders).toBe(expectedOrders);
  expect(a.orders).toBeLessThan(a.rows);
  expect(a.dateRange).toEqual({ start: days[0], end: days.at(-1) });
  expect(a.columns).toMatchObject({
    revenue: headers.revenue,
    units: headers.units,
    unitPrice: headers.unitPrice,
    date: headers.date,
    region: headers.region,
    category: headers.category,
    orderId: headers.orderId,
  });
  expect(a.revenueByRegion?.length).toBe(4);
  expect(a.revenueByCategory?.length).toBe(3);
}

describe("the same sales table under headers in every listed language", () => {
  for (const [language, headers] of Object.entries(HEADERS_BY_LANGUAGE)) {
    it(language, async () => {
      const a = await analyse(headers);
      expectSameFigures(a, headers);
      expect(a.columnReason.revenue).toBe("header");
    });
  }
});

describe("the same sales table under programmers' header styles", () => {
  for (const [style, headers] of Object.entries(HEADERS_BY_STYLE)) {
    it(style, async () => {
      expectSameFigures(await analyse(headers), headers);
    });
  }

  it("takes the currency from a bracketed header", async () => {
    const a = await analyse(HEADERS_BY_STYLE.bracketed as Record<TableRole, string>);
    expect(a.currency?.code).toBe("EUR");
  });
});

describe("renaming headers", () => {
  const languages = Object.values(HEADERS_BY_LANGUAGE).concat(Object.values(HEADERS_BY_STYLE));
  it("to any synonym in any listed language, mixed and in any column order, never changes the totals", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...TABLE_ROLES.map(() => fc.nat(languages.length - 1))),
        fc.shuffledSubarray([...TABLE_ROLES], { minLength: TABLE_ROLES.length }),
        async (choice, order) => {
          const headers = Object.fromEntries(
            TABLE_ROLES.map((role, i) => [role, languages[choice[i] ?? 0]?.[role] ?? role]),
          ) as Record<TableRole, string>;
          // The same word in two languages ("Region", "Kategori") cannot head two columns of one file.
          fc.pre(new Set(Object.values(headers)).size === TABLE_ROLES.length);
          const a = await analyse(headers, order);
          expect(a.totalRevenue).toBe(expectedRevenue);
          expect(a.totalUnits).toBe(expectedUnits);
          expect(a.orders).toBe(expectedOrders);
        },
      ),
      { numRuns: 60 },
    );
  });
});
