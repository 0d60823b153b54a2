import { describe, expect, it } from "vitest";
import { capitalise, countOf, joinWords, plural } from "../../src/ui/words.js";

describe("wording helpers", () => {
  it("capitalises the first letter only", () => {
    expect(capitalise("2 new regions and 1 category gone")).toBe("2 new regions and 1 category gone");
    expect(capitalise("new region")).toBe("New region");
    expect(capitalise("")).toBe("");
    expect(capitalise("émile")).toBe("Émile");
  });

  it("joins words with commas and a last 'and'", () => {
    expect(joinWords([])).toBe("");
    expect(joinWords(["volume +$3.7K"])).toBe("volume +$3.7K");
    expect(joinWords(["a", "b"])).toBe("a and b");
    expect(joinWords(["a", "b", "c"])).toBe("a, b and c");
  });

  it("counts with the noun that agrees, the figure as every figure is written", () => {
    expect(plural(1, "day", "days")).toBe("day");
    expect(plural(0, "day", "days")).toBe("days");
    expect(countOf(1, "row", "rows")).toBe("1 row");
    expect(countOf(1_204, "row", "rows")).toBe("1,204 rows");
  });
});
