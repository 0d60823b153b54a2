import { describe, expect, it } from "vitest";
import { detectDelimiter } from "../../../src/pipeline/read/csv-dialect.js";

describe("detectDelimiter", () => {
  it.each([
    ["a,b,c\n1,2,3\n", ","],
    ["a;b;c\n1,5;2,5;3\n", ";"],
    ["a\tb\tc\n1\t2\t3\n", "\t"],
    ["a|b|c\n1|2|3\n", "|"],
    ['name;note\n"Smith, J, Jr";"a, b, c"\n"x, y";z\n', ";"],
  ])("detects %j", (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});
