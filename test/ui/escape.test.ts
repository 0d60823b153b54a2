import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cleanText,
  clip,
  clipEscaped,
  escapeHtml,
  escapeSlackPlainText,
  escapeSlackText,
  jsonForTerminal,
  neutraliseFormula,
  spreadsheetCell,
  stripTerminalControls,
} from "../../src/ui/escape.js";

describe("escapeSlackText", () => {
  it("shows mentions, broadcasts and links as text", () => {
    expect(escapeSlackText("<!channel>")).toBe("&lt;!channel&gt;");
    expect(escapeSlackText("<!here|here>")).toBe("&lt;!here|here&gt;");
    expect(escapeSlackText("<@U123>")).toBe("&lt;@U123&gt;");
    expect(escapeSlackText("<#C123|general>")).toBe("&lt;#C123|general&gt;");
    expect(escapeSlackText("<https://evil.example|Click me>")).toBe("&lt;https://evil.example|Click me&gt;");
    expect(escapeSlackText("<!date^1392734382^{date}|x>")).not.toContain("<");
  });

  it("escapes & first, so existing entities show as written", () => {
    expect(escapeSlackText("R&D")).toBe("R&amp;D");
    expect(escapeSlackText("&lt;!channel&gt;")).toBe("&amp;lt;!channel&amp;gt;");
  });

  it("swaps formatting marks for look-alikes where they could format", () => {
    expect(escapeSlackText("*Hot* deals")).toBe("\u2217Hot\u2217 deals");
    expect(escapeSlackText("~old~ new")).toBe("\u223Cold\u223C new");
    expect(escapeSlackText("`rm -rf`")).toBe("\u02CBrm -rf\u02CB");
    expect(escapeSlackText("```block```")).not.toContain("`");
    expect(escapeSlackText("_North_")).toBe("\uFF3FNorth\uFF3F");
    expect(escapeSlackText("Region _ West")).toBe("Region \uFF3F West");
  });

  it("keeps underscores inside words as written", () => {
    expect(escapeSlackText("Product_Category")).toBe("Product_Category");
    expect(escapeSlackText("SKU_123_b")).toBe("SKU_123_b");
    expect(escapeSlackText("Zürich_Ost")).toBe("Zürich_Ost");
  });

  it("keeps one line of printable text", () => {
    expect(escapeSlackText("North\r\n\t East")).toBe("North East");
    expect(escapeSlackText("  padded  ")).toBe("padded");
    expect(escapeSlackText("a\u0000b\u0007c\u007f\u009bd")).toBe("abcd");
    expect(escapeSlackText("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(escapeSlackText("line\u2028break")).toBe("line break");
  });

  it("keeps emoji and replaces lone surrogates", () => {
    expect(escapeSlackText("Sales 📈")).toBe("Sales 📈");
    expect(escapeSlackText("bad\uD800half")).toBe("bad\uFFFDhalf");
    expect(escapeSlackText("\uDC00x")).toBe("\uFFFDx");
  });

  it("never lets a control character of mrkdwn through (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = escapeSlackText(s);
        expect(out).not.toMatch(/[<>*`~]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/[\r\n\t]/);
      }),
    );
  });
});

describe("escapeSlackPlainText", () => {
  it("escapes &, <, > but leaves formatting marks (plain_text formats nothing)", () => {
    expect(escapeSlackPlainText("<!here> *Q1* & more")).toBe("&lt;!here&gt; *Q1* &amp; more");
  });
});

describe("escapeHtml", () => {
  it("escapes text and attribute characters", () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
    );
    expect(escapeHtml("O'Brien & Sons")).toBe("O&#39;Brien &amp; Sons");
    expect(escapeHtml("<!channel>")).toBe("&lt;!channel&gt;");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });

  it("cleans like the Slack escaper", () => {
    expect(escapeHtml("a\r\nb\u0000")).toBe("a b");
  });

  it("never lets markup through (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
    );
  });
});

describe("cleanText", () => {
  it("collapses whitespace and trims", () => {
    expect(cleanText("\n  a \n\n b  ")).toBe("a b");
    expect(cleanText("")).toBe("");
  });
});

describe("clip", () => {
  it("leaves short text alone and ends cut text with …", () => {
    expect(clip("abc", 3)).toBe("abc");
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("abcdef", 1)).toBe("…");
    expect(clip("abcdef", 0)).toBe("");
  });

  it("does not split a surrogate pair", () => {
    const out = clip("ab😀cd", 4);
    expect(out).toBe("ab…");
    expect(out.length).toBeLessThanOrEqual(4);
  });
});

describe("clipEscaped", () => {
  it("returns the escaped text when it fits", () => {
    expect(clipEscaped("R&D", 10, escapeSlackText)).toBe("R&amp;D");
  });

  it("cuts before escaping, so no entity is cut in half", () => {
    expect(clipEscaped("a<b<c<d", 10, escapeSlackText)).toBe("a&lt;b…");
    expect(clipEscaped("<<<<<<", 4, escapeSlackText)).toBe("…");
  });

  it("always fits and never ends inside an entity (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.integer({ min: 0, max: 120 }),
        (s, max) => {
          for (const escapeFn of [escapeSlackText, escapeSlackPlainText, escapeHtml]) {
            const out = clipEscaped(s, max, escapeFn);
            expect(out.length).toBeLessThanOrEqual(max);
            expect(out).not.toMatch(/&[a-z#0-9]*$/);
            expect(out).not.toMatch(/</);
          }
        },
      ),
    );
  });
});

/** Anything a terminal could act on: C0 but newline and tab, DEL, C1, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
const TERMINAL_ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("stripTerminalControls", () => {
  it("removes ANSI, OSC and one-byte C1 introducers but keeps the layout", () => {
    const osc8 = "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007";
    expect(stripTerminalControls(`North ${osc8}\n\tSouth\u001b[2J\u009b31mred\u202Eabc`)).toBe(
      "North click\n\tSouthredabc",
    );
    // Whole sequences go, not only their ESC: no "[31m" is left in the middle of a name.
    expect(stripTerminalControls("No\u001b[31mrth \u001b]0;title\u001b\\East \u001b(BWest")).toBe(
      "North East West",
    );
    // An OSC string a cell leaves open ends at the line's end, not at the end of the report.
    expect(stripTerminalControls("Region \u001b]8;;x\nTotal 10\n")).toBe("Region \nTotal 10\n");
    expect(stripTerminalControls("a\rb\u007fc\u0085d")).toBe("abcd");
  });

  it("never lets a character a terminal acts on through (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(stripTerminalControls(s)).not.toMatch(TERMINAL_ACTIVE);
      }),
    );
  });
});

describe("jsonForTerminal", () => {
  it("escapes what JSON.stringify leaves raw, and parses back to the same values (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, s) => {
        const data = { value, s };
        const out = jsonForTerminal(data);
        expect(out).not.toMatch(TERMINAL_ACTIVE);
        expect(out).not.toMatch(/[\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
    );
    expect(jsonForTerminal({ a: "x\u009by" })).toBe('{\n  "a": "x\\u009by"\n}');
  });
});

describe("neutraliseFormula and spreadsheetCell", () => {
  it("prefixes the characters that start a formula with an apostrophe", () => {
    for (const formula of [
      '=HYPERLINK("http://x")',
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(A1)",
      "\t=1",
      "\r=1",
      "＝1+1",
    ])
      expect(neutraliseFormula(formula)).toBe(`'${formula}`);
    for (const text of ["North", "'quoted", "a=b", "1-2", "", " =1"])
      expect(neutraliseFormula(text)).toBe(text);
  });

  it("cleans first, so leading whitespace or controls cannot hide a formula", () => {
    expect(spreadsheetCell("  \t=1+1")).toBe("'=1+1");
    expect(spreadsheetCell("\u0000@SUM(A1)")).toBe("'@SUM(A1)");
    expect(spreadsheetCell("North\nEast")).toBe("North East");
  });

  it("never returns a cell a spreadsheet would evaluate (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(spreadsheetCell(s)).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
      }),
    );
  });
});
