import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { type Block, context, divider, fieldsSection, header, section } from "../../src/ui/slack/blocks.js";
import { enforceLimits, SLACK_LIMITS, shrinkMrkdwn, totalTextLength } from "../../src/ui/slack/limits.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { SAMPLE_DATA } from "../helpers/files.js";
import { expectWithinLimits, sampleSummary, sentence, textObjects } from "./helpers.js";

const line = (n: number, width = 90) => `• ${`sentence ${n} `.padEnd(width, "x")}`;
const lines = (count: number, width?: number) => Array.from({ length: count }, (_, i) => line(i, width));

describe("shrinkMrkdwn", () => {
  it("leaves text that fits alone", () => {
    expect(shrinkMrkdwn("*Risks*\n• one", 100)).toBe("*Risks*\n• one");
  });

  it("drops whole lines from the end and says so", () => {
    const text = ["*Key findings*", ...lines(50)].join("\n");
    const out = shrinkMrkdwn(text, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.startsWith("*Key findings*\n• sentence 0 ")).toBe(true);
    expect(out.endsWith("\n…")).toBe(true);
    for (const l of out.split("\n").slice(1, -1)) expect(l).toMatch(/^• sentence \d+ x+$/);
  });

  it("cuts a single long line without leaving half an entity, and closes the bold it cut open", () => {
    const out = shrinkMrkdwn(`*${"a&amp;".repeat(100)}*`, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toMatch(/^\*(a&amp;)+a?…\*$/);
  });

  it("does not add bold markup to plain text", () => {
    const out = shrinkMrkdwn(`Sales insights: *${"x".repeat(200)}`, 150, { plain: true });
    expect(out.length).toBeLessThanOrEqual(150);
    expect(out.endsWith("x…")).toBe(true);
  });
});

describe("enforceLimits", () => {
  it("caps a message at 50 blocks, keeping the header and the footer", () => {
    const blocks: Block[] = [
      header("Title"),
      ...Array.from({ length: 70 }, (_, i) => section(`block ${i}`)),
      context(["footer"]),
    ];
    const out = enforceLimits(blocks);
    expect(out).toHaveLength(50);
    expect(out[0]).toEqual(header("Title"));
    expect(out.at(-1)).toEqual(context(["footer"]));
    expectWithinLimits(out);
  });

  it("fits every text to its own limit", () => {
    const blocks: Block[] = [
      header(`Sales insights: ${"n".repeat(400)}`),
      section(["*Findings*", ...lines(60)].join("\n")),
      fieldsSection(Array.from({ length: 14 }, (_, i) => `*Field ${i}*\n${"v".repeat(2500)}`)),
      context(Array.from({ length: 12 }, () => "c".repeat(3500))),
      context(["footer"]),
    ];
    const out = enforceLimits(blocks);
    expectWithinLimits(out);
    const fields = out.find((b) => b.type === "section" && b.fields);
    expect(fields?.type === "section" && fields.fields?.length).toBe(10);
  });

  it("keeps all text within 12,000 characters, shortening the longest texts first", () => {
    const long = (title: string) => section([`*${title}*`, ...lines(31)].join("\n")); // ~2,900 chars
    const blocks: Block[] = [
      header("Sales insights: big.csv"),
      section("*Headline*"),
      long("Key findings"),
      long("Risks"),
      long("Recommended actions"),
      long("Top regions"),
      long("Top categories"),
      context(["Figures verified against your data"]),
    ];
    expect(totalTextLength(blocks)).toBeGreaterThan(14_000);
    const out = enforceLimits(blocks);
    expectWithinLimits(out);
    const texts = textObjects(out).map((t) => t.text);
    expect(texts[0]).toBe("Sales insights: big.csv");
    expect(texts).toContain("*Headline*");
    expect(texts.at(-1)).toBe("Figures verified against your data");
    // Each long list kept its title and lost only its tail.
    for (const title of ["Key findings", "Risks", "Recommended actions", "Top regions", "Top categories"]) {
      const text = texts.find((t) => t.startsWith(`*${title}*`));
      expect(text).toBeDefined();
      expect(text?.endsWith("\n…")).toBe(true);
    }
  });

  it("removes a block rather than leave a stub, and merges the dividers it leaves side by side", () => {
    const blocks: Block[] = [
      header("h"),
      divider(),
      section("x".repeat(100)),
      divider(),
      context(["f".repeat(2900)]),
    ];
    const out = enforceLimits(blocks, { ...SLACK_LIMITS, totalText: 2920 });
    expect(out.map((b) => b.type)).toEqual(["header", "divider", "context"]);
  });

  it("does not change its input, and handles an empty message", () => {
    const blocks: Block[] = [header("h"), section("s".repeat(4000)), context(["f"])];
    const copy = structuredClone(blocks);
    enforceLimits(blocks);
    expect(blocks).toEqual(copy);
    expect(enforceLimits([])).toEqual([]);
  });
});

describe("buildSummaryMessage under pressure", () => {
  it("fits a summary far beyond every limit, without throwing", async () => {
    const analysis = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    const huge = (n: number) => `${"Revenue & <margin> went *up* ".repeat(n)}end.`;
    const summary = sampleSummary({
      headline: sentence(huge(400)),
      keyFindings: Array.from({ length: 100 }, (_, i) => sentence(`${i}: ${huge(60)}`)),
      risks: Array.from({ length: 100 }, (_, i) => sentence(`${i}: ${huge(60)}`)),
      actions: Array.from({ length: 100 }, (_, i) => sentence(`${i}: ${huge(60)}`)),
      writer: "mixed",
      offlineReason: huge(500),
    });
    const message = buildSummaryMessage(analysis, summary, {
      fileName: `${"very long name ".repeat(40)}.csv`,
    });
    expectWithinLimits(message.blocks);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    const texts = textObjects(message.blocks);
    expect(texts[0]?.text).toMatch(/^Sales insights: very long name .*…$/);
    expect(texts[0]?.text.length).toBe(150);
    // The footer survives, cut to its limit.
    expect(texts.at(-1)?.text).toMatch(/^Partly written without Gemini \(Revenue &amp; &lt;margin&gt;/);
    for (const t of texts) expect(t.text).not.toMatch(/&[a-z]*$/);
  });
});
