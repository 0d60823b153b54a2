import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractFigures } from "../../src/pipeline/summary/verify.js";
import { compactNumber, formatInteger, formatMoney, formatPercent } from "../../src/ui/format.js";

/** Exponent form ("1e+21", "1.2E-7"), "NaN", "Infinity", "∞", or a signed zero ("-0", "-0.0", "-$0"). */
const UNREADABLE = /\d[eE][+-]?\d|NaN|Infinity|∞|-\$?0(?:\.0*)?(?![.\d])/;

const anyNumber = fc.oneof(
  fc.double(),
  fc.double({ min: -1e25, max: 1e25, noNaN: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
  fc.constantFrom(1e21, -1e21, 1e300, 1e308, Number.MAX_VALUE, Number.MIN_VALUE, -0, 0.9995e3, 999.95),
);

describe("number formatting", () => {
  it("never writes exponent form, NaN, Infinity or a signed zero, for any double", () => {
    const usd = { code: "USD", symbol: "$" };
    fc.assert(
      fc.property(anyNumber, fc.integer({ min: 0, max: 3 }), (value, digits) => {
        for (const text of [
          formatMoney(value, usd),
          formatMoney(value, null),
          compactNumber(value),
          formatInteger(value),
          formatPercent(value),
          formatPercent(value, digits),
        ]) {
          expect(text).not.toMatch(UNREADABLE);
          expect(text.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("writes money the figure checker reads back as the same value, up to 10 quintillion", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e19, max: 1e19, noNaN: true }), (value) => {
        const text = formatMoney(value, { code: "USD", symbol: "$" });
        const figures = extractFigures(`Revenue was ${text}.`);
        expect(figures).toHaveLength(1);
        const figure = figures[0] as (typeof figures)[number];
        // The written precision (tolerance) plus the 0.05% the compact form rounds up at.
        expect(Math.abs(figure.value - Math.abs(value))).toBeLessThanOrEqual(
          figure.tolerance + Math.abs(value) * 0.0005,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("writes the figures of the issue in plain digits", () => {
    expect(formatMoney(1e308, { code: "USD", symbol: "$" })).not.toMatch(/e\+/);
    expect(compactNumber(1e300 / 1e9)).not.toMatch(/e\+/);
    expect(formatMoney(1e22, null)).toBe("10000000000T");
    expect(formatMoney(2.5e12, null)).toBe("2.5T");
    expect(formatMoney(Number.NaN, null)).toBe("n/a");
    expect(formatMoney(-0.001, { code: "USD", symbol: "$" })).toBe("$0.00");
    expect(formatPercent(-0.0000001)).toBe("0%");
    expect(formatInteger(-0.2)).toBe("0");
  });
});
