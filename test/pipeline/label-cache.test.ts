import { describe, expect, it } from "vitest";
import { LabelCache } from "../../src/pipeline/label-cache.js";

describe("LabelCache", () => {
  it("finds a value only under exactly the text it was kept for", () => {
    const cache = new LabelCache<number>();
    cache.set("North", 1);
    expect(cache.get("North")).toBe(1);
    // Same length, first and last letters: the same slot, a different text.
    expect(cache.get("Nxxxh")).toBeUndefined();
    expect(cache.get("north")).toBeUndefined();
    expect(cache.get("")).toBeUndefined();
  });

  it("keeps the latest of two texts that share a slot", () => {
    const cache = new LabelCache<string>();
    cache.set("Nabch", "first");
    cache.set("Nxyzh", "second");
    expect(cache.get("Nabch")).toBeUndefined();
    expect(cache.get("Nxyzh")).toBe("second");
  });

  it("remembers a short text cut from a chunk but not a long one, which could pin the chunk", () => {
    const chunk = `East,${"Home and Garden Supplies"},${"x".repeat(1000)}`;
    const cache = new LabelCache<number>();
    const short = chunk.slice(0, 4);
    const long = chunk.slice(5, 29);
    cache.remember(short, 1);
    cache.remember(long, 2);
    expect(cache.get("East")).toBe(1);
    expect(cache.get("Home and Garden Supplies")).toBeUndefined();
    cache.set("Home and Garden Supplies", 3);
    expect(cache.get(long)).toBe(3);
  });

  it("serves many distinct labels correctly through collisions", () => {
    const cache = new LabelCache<number>();
    const labels = Array.from({ length: 5_000 }, (_, i) => `P${i}`);
    const seen = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (const [i, label] of labels.entries()) {
        const hit = cache.get(label);
        if (hit !== undefined) expect(hit).toBe(i);
        seen.set(label, i);
        cache.remember(label, i);
      }
    }
    expect(seen.size).toBe(5_000);
  });
});
