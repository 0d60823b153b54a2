import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashSet53 } from "../../src/pipeline/hash-set53.js";

describe("HashSet53", () => {
  it("agrees with a Set on any sequence of 53-bit integers, including 0 and 2^53 - 1", () => {
    const hash = fc.oneof(
      fc.constantFrom(0, 1, 2 ** 32, 2 ** 32 - 1, 2 ** 53 - 1),
      fc.integer({ min: 0, max: 2 ** 53 - 1 }),
      fc.integer({ min: 0, max: 40 }),
    );
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 300 }), (hashes) => {
        const set = new HashSet53(1000);
        const reference = new Set<number>();
        for (const h of hashes) {
          expect(set.add(h)).toBe(!reference.has(h));
          reference.add(h);
        }
        expect(set.size).toBe(reference.size);
      }),
    );
  });

  it("tells apart hashes that share their low or high 32 bits", () => {
    const set = new HashSet53(10);
    expect(set.add(5)).toBe(true);
    expect(set.add(5 + 2 ** 32)).toBe(true);
    expect(set.add(7 + 2 ** 32)).toBe(true);
    expect(set.add(5 + 2 ** 32)).toBe(false);
    expect(set.add(5)).toBe(false);
  });

  it("stores no more than its capacity and calls later hashes new", () => {
    const set = new HashSet53(3);
    for (const h of [1, 2, 3]) expect(set.add(h)).toBe(true);
    expect(set.add(4)).toBe(true);
    expect(set.add(4)).toBe(true);
    expect(set.add(2)).toBe(false);
    expect(set.size).toBe(3);
  });
});
