import { describe, expect, it } from "vitest";
import { assignColumns, mergeExternalReading } from "../../../src/pipeline/columns/assign.js";
import { headerMeaning } from "../../../src/pipeline/columns/lexicon.js";
import { normaliseHeader } from "../../../src/pipeline/columns/normalise.js";
import { profileColumns } from "../../../src/pipeline/columns/profile.js";
import { salesRows } from "../../helpers/sales-table.js";

const concepts = (h: string) => [...headerMeaning(normaliseHeader(h)).concepts].sort();

describe("header normalisation", () => {
  it("folds accents, case, separators, camelCase and full-width forms into words", () => {
    expect(normaliseHeader("Preço_Unitário").words).toEqual(["preco", "unitario"]);
    expect(normaliseHeader("unitPriceEUR").words).toEqual(["unit", "price"]);
    expect(normaliseHeader("XMLOrderID").words).toEqual(["xml", "order", "id"]);
    expect(normaliseHeader("Ｕｎｉｔ Ｐｒｉｃｅ").words).toEqual(["unit", "price"]);
    expect(normaliseHeader("Ilość.sztuk/zamówienie").words).toEqual(["ilosc", "sztuk", "zamowienie"]);
  });

  it("records a bracketed or trailing currency and drops it from the words", () => {
    for (const [header, code] of [
      ["Amount (EUR)", "EUR"],
      ["Betrag (€)", "EUR"],
      ["Valor [R$]", "BRL"],
      ["Sales USD", "USD"],
      ["売上（円）", null],
    ] as const) {
      const n = normaliseHeader(header);
      if (code) expect(n.currency?.code, header).toBe(code);
      expect(n.words.join(" "), header).not.toMatch(/eur|usd|r\$/);
    }
  });

  it("reads glued and compound words by their parts", () => {
    expect(concepts("QUANTITYORDERED")).toEqual(["quantity", "soldVerb"]);
    expect(concepts("Einzelpreis")).toEqual(["perUnit", "price"]);
    expect(concepts("Zahlbetrag")).toContain("money");
    expect(concepts("Produktgruppe")).toEqual(["group", "product"]);
    // An ordinary word is not read as pieces of others.
    expect(concepts("Retailer")).toEqual([]);
  });

  it("finds CJK terms without spaces", () => {
    expect(concepts("売上金額")).toContain("sales");
    expect(concepts("单价")).toEqual(["perUnit", "price"]);
    expect(concepts("주문번호")).toEqual(expect.arrayContaining(["id", "order"]));
  });
});

describe("an outside classifier's answer", () => {
  const rows = salesRows(30, 3);
  const headers = ["c1", "c2", "c3", "c4"];
  const sample = rows.map((r) => [r.date, r.region, String(r.units), r.revenue.toFixed(2)]);
  const profiles = profileColumns(headers, sample, false);

  it("is taken where the values can play the role, with reason gemini", () => {
    const base = assignColumns(profiles);
    expect(base.index.region).toBe(1);
    const merged = mergeExternalReading(base, profiles, { status: 1 });
    expect(merged.index.status).toBe(1);
    expect(merged.readings.status?.reason).toBe("gemini");
    // One column never plays two roles.
    expect(merged.index.region).toBe(-1);
  });

  it("is refused where the values cannot (text as revenue, money as a date)", () => {
    const base = assignColumns(profiles);
    const merged = mergeExternalReading(base, profiles, { revenue: 1, date: 3 });
    expect(merged.index.revenue).toBe(base.index.revenue);
    expect(merged.index.date).toBe(base.index.date);
  });
});
