import { describe, expect, it } from "vitest";
import {
  detectDecimalComma,
  findCurrency,
  isAmount,
  MAX_AMOUNT,
  numberReading,
  parseNumber,
} from "../../src/pipeline/numbers.js";
import { ExactSum } from "../../src/pipeline/sum.js";

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
    ["1234567890123456789012", 1.2345678901234568e21],
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

  it.each([
    "",
    "  ",
    "NA",
    "abc",
    "=1+1",
    "@SUM(A1:A9)",
    "0x1F",
    "0b101",
    "0o17",
    "1.2.3",
    "Infinity",
    "-Infinity",
    "NaN",
    "1e3",
    "1.23457E+21",
    "-1e-5",
    "$1e6",
    "1e400",
    `1${"0".repeat(400)}`,
  ])("refuses %j (never evaluates formulas, never reads exponent notation or non-finite values)", (text) => {
    expect(parseNumber(text, dot)).toBeNaN();
  });

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

describe("isAmount and ExactSum within the bound", () => {
  it("accepts amounts below 10 trillion and nothing else", () => {
    expect(isAmount(9_999_999_999_999.99)).toBe(true);
    expect(isAmount(-9_999_999_999_999.99)).toBe(true);
    expect(isAmount(MAX_AMOUNT)).toBe(false);
    expect(isAmount(-MAX_AMOUNT)).toBe(false);
    expect(isAmount(Number.NaN)).toBe(false);
    expect(isAmount(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it("a million amounts at the bound sum to a finite total", () => {
    const largest = 9_999_999_999_999.99;
    const sum = new ExactSum();
    for (let i = 0; i < 1_000_000; i++) sum.add(largest);
    for (let i = 0; i < 1_000_000; i++) sum.add(-largest);
    expect(Number.isFinite(sum.value)).toBe(true);
    expect(Math.abs(sum.value)).toBeLessThan(1);
  });

  it("a million amounts with cents sum exact to the cent while the total is under 45 trillion", () => {
    const sum = new ExactSum();
    for (let i = 0; i < 1_000_000; i++) sum.add(i % 2 === 0 ? 12_345_678.91 : -12_345_678.9);
    expect(Math.round(sum.value * 100)).toBe(500_000);
  });
});
