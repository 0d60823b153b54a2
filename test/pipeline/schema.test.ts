import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { Cell } from "../../src/pipeline/cell.js";
import { inferSchema } from "../../src/pipeline/schema.js";

function roles(headers: string[], rows: Cell[][]) {
  const s = inferSchema(headers, rows);
  return Object.fromEntries(Object.entries(s.index).map(([role, i]) => [role, i >= 0 ? headers[i] : null]));
}

describe("inferSchema", () => {
  it("prefers net Sales over Gross Sales and never takes Profit or COGS", () => {
    const headers = ["Gross Sales", "Profit", "COGS", " Sales", "Units Sold", "Date"];
    const rows: Cell[][] = [[1000, 100, 700, 900, 5, "2026-01-01"]];
    expect(roles(headers, rows).revenue).toBe(" Sales");
  });

  it("prefers Order Date over Ship Date and Region over Country, State and City", () => {
    const headers = ["Ship Date", "Order Date", "Country", "City", "State", "Region", "Sales"];
    const rows: Cell[][] = [
      ["1/3/2026", "1/1/2026", "US", "Austin", "TX", "South", "10"],
      ["1/4/2026", "1/2/2026", "US", "Boston", "MA", "East", "12"],
    ];
    expect(roles(headers, rows)).toMatchObject({ date: "Order Date", region: "Region", revenue: "Sales" });
  });

  it("checks content, not only names: a text column called Total is not revenue", () => {
    const headers = ["Total", "Amount", "Date"];
    const rows: Cell[][] = [
      ["yes", "10.5", "2026-01-01"],
      ["no", "3", "2026-01-02"],
    ];
    expect(roles(headers, rows).revenue).toBe("Amount");
  });

  it("skips a region column with one value when a better breakdown exists", () => {
    const headers = ["ship-country", "ship-state", "Amount"];
    const rows: Cell[][] = [
      ["IN", "KERALA", "1"],
      ["IN", "GOA", "2"],
    ];
    expect(roles(headers, rows).region).toBe("ship-state");
  });

  it("falls back to quantity x unit price, and otherwise names what is missing", () => {
    expect(inferSchema(["Qty", "Price Each"], [["2", "3.5"]]).revenueSource).toBe("units x unit price");
    expect(() => inferSchema(["Qty", "Colour"], [["2", "red"]])).toThrow(InputError);
    try {
      inferSchema(["Qty", "Colour"], [["2", "red"]]);
    } catch (e) {
      expect((e as InputError).userMessage).toMatch(/Found a quantity column \(Qty\) but no unit price/);
    }
  });

  it("takes the currency from a header like Amount (INR)", () => {
    expect(inferSchema(["Amount (INR)"], [["12"]]).headerCurrency).toEqual({ code: "INR", symbol: "₹" });
  });
});
