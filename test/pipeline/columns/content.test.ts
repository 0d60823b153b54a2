import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import type { Cell } from "../../../src/pipeline/cell.js";
import { inferSchema } from "../../../src/pipeline/schema.js";
import { tempFiles } from "../../helpers/files.js";
import { salesRows } from "../../helpers/sales-table.js";

const files = tempFiles();
const rows = salesRows(80, 11);
const totalRevenue = Math.round(rows.reduce((s, r) => s + r.revenue, 0) * 100) / 100;
const orders = new Set(rows.map((r) => r.orderId)).size;
let counter = 0;

function csv(headers: string[], cells: (string | number)[][]): string {
  return `${[headers, ...cells].map((r) => r.join(",")).join("\n")}\n`;
}
const write = (text: string) => files.write(`content-${++counter}.csv`, text);
const money = (n: number) => n.toFixed(2);

describe("headers that say nothing (col1..col7): the values decide", () => {
  it("finds revenue, quantity, price and date, and counts orders not rows", async () => {
    const headers = ["col1", "col2", "col3", "col4", "col5", "col6", "col7"];
    const body = rows.map((r) => [
      r.orderId,
      r.date,
      r.region,
      r.category,
      r.units,
      money(r.unitPrice),
      money(r.revenue),
    ]);
    const a = await analyzeFile(write(csv(headers, body)));
    expect(a.columns).toMatchObject({
      orderId: "col1",
      date: "col2",
      region: "col3",
      category: "col4",
      units: "col5",
      unitPrice: "col6",
      revenue: "col7",
    });
    expect(a.totalRevenue).toBe(totalRevenue);
    expect(a.orders).toBe(orders);
    expect(a.orders).toBeLessThan(a.rows);
    expect(a.columnReason).toMatchObject({ revenue: "content", units: "content", unitPrice: "content" });
    expect(a.columnConfidence.revenue).toBeGreaterThan(0.5);
    expect(a.notes).toContain("Revenue: “col7” (read from the values, not the header).");
  });

  it("tells quantity from price whichever order the columns come in", async () => {
    const headers = ["a", "b", "c", "d"];
    const body = rows.map((r) => [money(r.revenue), money(r.unitPrice), r.date, r.units]);
    const a = await analyzeFile(write(csv(headers, body)));
    expect(a.columns).toMatchObject({ revenue: "a", unitPrice: "b", date: "c", units: "d" });
  });

  it("never takes a row number, a year or a zip code as revenue", () => {
    const sample: Cell[][] = rows.map((r, i) => [
      String(i + 1),
      "2024",
      String(10_000 + (i % 7) * 1111),
      money(r.revenue),
    ]);
    const s = inferSchema(["n", "yr", "zip", "x"], sample);
    expect(s.index.revenue).toBe(3);
  });
});

describe("never refused while a plausible money column exists", () => {
  for (const header of [
    "Valor pago",
    "Zahlbetrag",
    "amount_paid",
    "Montant réglé",
    "Kwota wpłaty",
    "결제금액",
  ]) {
    it(`a payments table whose only money column is “${header}”`, async () => {
      const body = rows.map((r, i) => [
        `P${5000 + i}`,
        r.date,
        i % 3 === 0 ? "Pix" : "Card",
        money(r.revenue),
      ]);
      const a = await analyzeFile(write(csv(["Ref", "Data", "Método", header], body)));
      expect(a.columns.revenue).toBe(header);
      expect(a.totalRevenue).toBe(totalRevenue);
    });
  }

  it("reads an unnamed money column from its values and says so", async () => {
    const body = rows.map((r) => [r.region, r.date, `€${money(r.revenue)}`]);
    const a = await analyzeFile(write(csv(["Kundengruppe", "Zeitpunkt", "Saldo"], body)));
    expect(a.columns.revenue).toBe("Saldo");
    expect(a.columns.date).toBe("Zeitpunkt");
    expect(a.columnReason.revenue).toBe("content");
    expect(a.notes).toContain("Revenue: “Saldo” (read from the values, not the header).");
  });

  it("still refuses a table with no number in it, with the usual message", () => {
    const sample: Cell[][] = rows.map((r) => [r.region, r.category, r.product]);
    expect(() => inferSchema(["Region", "Category", "Product"], sample)).toThrow(InputError);
    try {
      inferSchema(["Region", "Category", "Product"], sample);
    } catch (e) {
      expect((e as InputError).userMessage).toMatch(/^No revenue column found\./);
    }
  });
});

describe("breakdowns a reader expects", () => {
  const cities: Record<string, string[]> = {
    North: ["Porto", "Braga", "Viana"],
    South: ["Faro", "Lagos", "Tavira"],
    East: ["Guarda", "Covilhã", "Castelo Branco"],
    West: ["Lisboa", "Sintra", "Cascais"],
  };
  for (const [city, region] of [
    ["Cidade", "Região"],
    ["Stadt", "Vertriebsgebiet"],
    ["Ciudad", "Zona"],
    ["City", "Sales Territory"],
  ] as const) {
    it(`picks the region (${region}) over the city (${city})`, async () => {
      const body = rows.map((r, i) => [cities[r.region]?.[i % 3] ?? "", r.region, r.date, money(r.revenue)]);
      const a = await analyzeFile(write(csv([city, region, "Date", "Sales"], body)));
      expect(a.columns.region).toBe(region);
      expect(a.revenueByRegion?.length).toBe(4);
    });
  }

  it("a product column with a handful of values stands in for a missing category, and the notes say so", async () => {
    const body = rows.map((r) => [r.date, r.category, money(r.revenue)]);
    const a = await analyzeFile(write(csv(["Data", "Produto", "Valor"], body)));
    expect(a.columns.category).toBe("Produto");
    expect(a.revenueByCategory?.length).toBe(3);
    expect(a.columnStandIns.category).toBe("product");
    expect(a.notes.join(" ")).toMatch(/“Produto” stands in as the category/);
  });

  it("a product group header in another language is the category", async () => {
    const body = rows.map((r) => [r.date, r.category, r.product, money(r.revenue)]);
    const a = await analyzeFile(write(csv(["Datum", "Produktgruppe", "Artikel", "Umsatz"], body)));
    expect(a.columns).toMatchObject({ category: "Produktgruppe", product: "Artikel", revenue: "Umsatz" });
  });
});

describe("order ids", () => {
  it("are recognised by their values when the header does not name them, so orders < rows", async () => {
    const body = rows.map((r) => [`#${r.orderId.slice(3)}`, r.date, money(r.revenue)]);
    const a = await analyzeFile(write(csv(["Ref", "Date", "Sales"], body)));
    expect(a.columns.orderId).toBe("Ref");
    expect(a.columnReason.orderId).toBe("content");
    expect(a.orders).toBe(orders);
    expect(a.orders).toBeLessThan(a.rows);
  });

  it("are recognised by header in other languages", async () => {
    for (const header of ["Numéro de facture", "Rechnungsnummer", "Nº Pedido", "Fatura No", "订单号"]) {
      const body = rows.map((r) => [r.orderId, r.date, money(r.revenue)]);
      const a = await analyzeFile(write(csv([header, "Date", "Sales"], body)));
      expect(a.columns.orderId, header).toBe(header);
      expect(a.orders).toBe(orders);
    }
  });

  it("a column of unique row numbers is not an order id", async () => {
    const body = rows.map((r, i) => [i + 1, r.date, money(r.revenue)]);
    const a = await analyzeFile(write(csv(["#", "Date", "Sales"], body)));
    expect(a.columns.orderId).toBeNull();
  });
});
