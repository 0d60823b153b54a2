import { describe, expect, it } from "vitest";
import { formatDecimal } from "../../src/pipeline/decimal-format.js";

// One formatter per digit count: toLocaleString with options builds a new one per call (slow).
const FORMATTERS = [0, 1, 2, 3].map(
  (digits) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }),
);
const intl = (value: number, digits: number) => (FORMATTERS[digits] as Intl.NumberFormat).format(value);

/** Reproducible pseudo-random doubles of every magnitude the notes and summaries print, and then some. */
function* values(count: number): Generator<number> {
  let seed = 987654321;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    const sign = random() < 0.3 ? -1 : 1;
    const scale = 10 ** Math.floor(random() * 40 - 12);
    switch (i % 6) {
      case 0: // cents, the usual money value
        yield (sign * Math.round(random() * 1e9)) / 100;
        break;
      case 1: // exact halves at each decimal place: where rounding modes disagree
        yield sign * ((Math.floor(random() * 1e6) + 0.5) / 10 ** Math.floor(random() * 5));
        break;
      case 2: // integers: counts, up to and past 2^53
        yield sign * Math.floor(random() * scale * 1e3);
        break;
      case 3: // runs of 9s that carry into a new digit
        yield sign * (10 ** Math.floor(random() * 12) - 10 ** -Math.floor(random() * 6) / 2);
        break;
      default:
        yield sign * random() * scale;
    }
  }
}

describe("formatDecimal", () => {
  it("writes what toLocaleString('en-US') writes, for any finite number and 0-3 fraction digits", () => {
    let compared = 0;
    for (const value of values(100_000)) {
      for (const digits of [0, 1, 2, 3]) {
        const expected = intl(value, digits);
        if (formatDecimal(value, digits) !== expected) {
          expect(formatDecimal(value, digits), `${value} with ${digits} digits`).toBe(expected);
        }
        compared++;
      }
    }
    expect(compared).toBe(400_000);
  });

  it.each([
    [1.005, 2, "1.01"],
    [2.675, 2, "2.68"],
    [0.005, 2, "0.01"],
    [0.0005, 2, "0"],
    [-0.001, 2, "-0"],
    [-0, 3, "-0"],
    [999.96, 1, "1,000"],
    [1e21, 2, "1,000,000,000,000,000,000,000"],
    [123456789012345680000, 0, "123,456,789,012,345,680,000"],
    [5e-324, 3, "0"],
    [1234567.891, 3, "1,234,567.891"],
  ])("edge case %d with %d digits: %s", (value, digits, expected) => {
    expect(formatDecimal(value, digits)).toBe(expected);
    expect(intl(value, digits)).toBe(expected);
  });

  it("defaults to three fraction digits, as toLocaleString does", () => {
    expect(formatDecimal(1234.56789)).toBe(intl(1234.56789, 3));
    expect(formatDecimal(1234.56789)).toBe((1234.56789).toLocaleString("en-US"));
  });
});
