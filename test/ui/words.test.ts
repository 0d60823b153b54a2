import { describe, expect, it } from "vitest";
import { capitalise, countOf, joinWords, ordinal, plural } from "../../src/ui/words.js";

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

  it("says a day of the month as an ordinal", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 20, 21, 22, 23, 30, 31].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "20th",
      "21st",
      "22nd",
      "23rd",
      "30th",
      "31st",
    ]);
  });
});
