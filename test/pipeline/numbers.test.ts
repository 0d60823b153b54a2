import { describe, expect, it } from "vitest";
import { detectDecimalComma, findCurrency, numberReading, parseNumber } from "../../src/pipeline/numbers.js";

describe("parseNumber", () => {
  const dot = numberReading(false);
  const comma = numberReading(true);

  it.each([
    ["180000", 180000],
    ["-4.5", -4.5],
    ["$1,200.50", 1200.5],
    ["(1,200.50)", -1200.5],
    ["1,200-", -1200],
    ["−7", -7],
    ["€ 12", 12],
    ["₹1,23,456", Number.NaN],
    ["1 234.5", 1234.5],
    ["12,5", 12.5],
    ["1.234,56", 1234.56],
    ["12%", 12],
    ["USD 99.99", 99.99],
    ["+7", 7],
    ["1e3", 1000],
  ])("reads %s with a decimal point", (text, expected) => {
    expect(parseNumber(text, dot)).toBe(expected);
  });

  it.each([
    ["74,69", 74.69],
    ["1.234,5", 1234.5],
    ["1.234", 1234],
    ["-0,5", -0.5],
    ["548,9715", 548.9715],
  ])("reads %s with a decimal comma", (text, expected) => {
    expect(parseNumber(text, comma)).toBe(expected);
  });

  it.each(["", "  ", "NA", "abc", "=1+1", "@SUM(A1:A9)", "0x1F", "1.2.3", "Infinity"])(
    "refuses %j (never evaluates formulas)",
    (text) => {
      expect(parseNumber(text, dot)).toBeNaN();
    },
  );

  it("remembers the currency mark it stripped", () => {
    const reading = numberReading(false);
    parseNumber("£10.00", reading);
    expect(reading.lastCurrency).toBe("£");
  });

  it("passes real numbers through and refuses non-finite ones", () => {
    expect(parseNumber(42.5, dot)).toBe(42.5);
    expect(parseNumber(Number.POSITIVE_INFINITY, dot)).toBeNaN();
    expect(parseNumber(null, dot)).toBeNaN();
  });
});

describe("detectDecimalComma", () => {
  it("decides from cells that can only be read one way", () => {
    expect(detectDecimalComma(["74,69", "15,28", "1.234,5", "3"])).toBe(true);
    expect(detectDecimalComma(["74.69", "1,234.5", "1,234"])).toBe(false);
    expect(detectDecimalComma(["1,234", "5,678"])).toBe(false);
  });
});

describe("findCurrency", () => {
  it("finds ISO codes and symbols", () => {
    expect(findCurrency("Amount (INR)")).toEqual({ code: "INR", symbol: "₹" });
    expect(findCurrency("$")).toEqual({ code: "USD", symbol: "$" });
    expect(findCurrency("Revenue")).toBeNull();
  });
});
