import { describe, expect, it } from "vitest";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { uiFixtures } from "./fixtures.js";
import {
  allStrings,
  expectWithinLimits,
  sampleSummary,
  sentence,
  shortSummary,
  textObjects,
} from "./helpers.js";

const fixtures = uiFixtures();
const NO_RICH = { charts: false, table: false };

/** The message as JSON: paste the snapshot into Block Kit Builder to see it. */
const asJson = (message: unknown) => `${JSON.stringify(message, null, 2)}\n`;

describe("buildSummaryMessage", () => {
  it("renders the sample file", async () => {
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary());
    await expect(asJson(message)).toMatchFileSnapshot("./__snapshots__/sample.slack.json");
    expectWithinLimits(message.blocks);
    expect(message.text).toBe(
      "sales_q1_2026.csv: Net revenue reached 660K in Jan-Mar 2026, with North bringing in 68.2%. · Net revenue 660K",
    );
    const footer = textObjects(message.blocks).at(-1)?.text;
    expect(footer).toBe("Figures verified against your data · Only aggregated metrics were sent to Gemini");
  });

  it("puts buttons just above the footer, inside the block limit, keeping the header", async () => {
    const actions = { type: "actions" as const, elements: [{ type: "button", action_id: "x" }] };
    const plain = buildSummaryMessage(await fixtures.sample(), sampleSummary());
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary(), { actions });
    expect(message.blocks).toHaveLength(plain.blocks.length + 1);
    expect(message.blocks.at(-2)).toEqual(actions);
    expect(message.blocks[0]?.type).toBe("header");
    expectWithinLimits(message.blocks);
  });

  it("shows KPI fields in order, with the file's figures", async () => {
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary());
    const fields = textObjects(message.blocks).filter((t) => t.kind === "field");
    expect(fields.map((f) => f.text)).toEqual([
      "*Net revenue*\n660K",
      "*Gross revenue*\n684K",
      "*Units*\n640",
      "*Orders*\n5",
      "*Average order value*\n132K",
      "*Period*\nJan-Mar 2026",
      "*Cancellations*\n1 row · 24K (3.5% of gross revenue)",
    ]);
  });

  it("shows gross revenue beside net, and every breakdown says it is gross", async () => {
    const analysis = await fixtures.sample();
    expect(analysis.totalRevenue).toBe(684_000);
    const texts = textObjects(buildSummaryMessage(analysis, sampleSummary(), { rich: NO_RICH }).blocks).map(
      (t) => t.text,
    );
    expect(texts).toContain("*Gross revenue*\n684K");
    const breakdowns = texts.filter((t) => t.startsWith("*Top "));
    expect(breakdowns).toHaveLength(2);
    for (const b of breakdowns) expect(b).toMatch(/^\*Top \w+ by gross revenue\*/);
  });

  it("leaves out what a file without dates or status cannot say", async () => {
    const analysis = await fixtures.noDatesNoStatus();
    expect(analysis.dateRange).toBeNull();
    expect(analysis.cancellations).toBeNull();
    const message = buildSummaryMessage(analysis, shortSummary());
    await expect(asJson(message)).toMatchFileSnapshot("./__snapshots__/no-dates.slack.json");
    const texts = textObjects(message.blocks).map((t) => t.text);
    expect(texts.some((t) => t.startsWith("*Period*"))).toBe(false);
    expect(texts.some((t) => t.startsWith("*Cancellations*"))).toBe(false);
    expect(texts.some((t) => t.startsWith("*Risks*"))).toBe(false);
    expect(texts.at(-1)).toBe(
      "Written without Gemini: Gemini is not configured (GEMINI_API_KEY is not set).",
    );
    expectWithinLimits(message.blocks);
  });

  it("lists the top 5 of 200 regions and stays within Slack's limits", async () => {
    const analysis = await fixtures.manyRegions();
    expect(analysis.revenueByRegion).toHaveLength(200);
    // The mrkdwn lists: what Slack gets when it refuses the table block.
    const message = buildSummaryMessage(analysis, sampleSummary(), { rich: NO_RICH });
    await expect(asJson(message)).toMatchFileSnapshot("./__snapshots__/many-regions.slack.json");
    expectWithinLimits(message.blocks);
    const regions =
      textObjects(message.blocks).find((t) => t.text.startsWith("*Top regions by gross revenue*"))?.text ??
      "";
    const lines = regions.split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe("1. *Region 200 with a long name* · 30K · 1%");
    // Region 196's name is 180 characters: cut to 80.
    expect(lines[5]).toMatch(/^5\. \*Region 196 (with a long name ?)+…\* · 29\.4K · 1%$/);
    expect(lines[6]).toBe("+195 more regions");
    for (const l of lines.slice(1, 6)) expect(l.length).toBeLessThan(130);
  });

  it("never lets a file's values ping, link or format (evil.csv)", async () => {
    const analysis = await fixtures.evil();
    const message = buildSummaryMessage(analysis, shortSummary(), { fileName: "<!channel> <@U123>.csv" });
    await expect(asJson(message)).toMatchFileSnapshot("./__snapshots__/evil.slack.json");
    const strings = [...allStrings(message.blocks), message.text];
    for (const s of strings) {
      expect(s).not.toContain("<!channel>");
      expect(s).not.toContain("<@U123>");
      expect(s).not.toMatch(/<[^\s]/);
    }
    const all = strings.join("\n");
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).toContain("&lt;@U123&gt;");
    expect(all).toContain('=HYPERLINK("http://evil.example")');
    expect(textObjects(message.blocks)[0]?.text).toBe("Sales insights: &lt;!channel&gt; &lt;@U123&gt;.csv");
    // No text object lets Slack auto-link or auto-mention.
    for (const t of textObjects(message.blocks)) {
      if (t.type === "mrkdwn") expect(t.verbatim).toBe(true);
    }
    expectWithinLimits(message.blocks);
  });

  it("escapes hostile summary sentences and formatting marks too", async () => {
    const analysis = await fixtures.scripted();
    const summary = shortSummary({
      headline: sentence("<!here> *Revenue* hit <https://evil.example|600>"),
      keyFindings: [sentence("`<script>` & ~friends~")],
    });
    const rich = buildSummaryMessage(analysis, summary);
    expect([...allStrings(rich.blocks), rich.text].join("\n")).not.toMatch(/<[!@#a-z]/);
    const message = buildSummaryMessage(analysis, summary, { rich: NO_RICH });
    const all = [...allStrings(message.blocks), message.text].join("\n");
    expect(all).not.toMatch(/<[!@#a-z]/);
    expect(all).toContain("*&lt;!here&gt; ∗Revenue∗ hit &lt;https://evil.example|600&gt;*");
    expect(all).toContain("• ˋ&lt;script&gt;ˋ &amp; ∼friends∼");
    expect(all).toContain("*∗bold∗ ＿it＿ ∼gone∼ ˋcodeˋ*");
  });

  it("uses the name the user knows the file by", async () => {
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary(), {
      fileName: "Q1 sales.csv",
    });
    expect(textObjects(message.blocks)[0]?.text).toBe("Sales insights: Q1 sales.csv");
    expect(message.text.startsWith("Q1 sales.csv: ")).toBe(true);
  });

  it("cuts a long file name to fit the 150-character header", async () => {
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary(), {
      fileName: `${"&".repeat(200)}.csv`,
    });
    const header = textObjects(message.blocks)[0]?.text ?? "";
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).toMatch(/^Sales insights: (&amp;)+…$/);
  });
});

describe("summary footer", () => {
  const footer = async (overrides: Parameters<typeof sampleSummary>[0]) =>
    textObjects(buildSummaryMessage(await fixtures.sample(), sampleSummary(overrides)).blocks).at(-1)?.text;

  it("says when Gemini was not used, and why", async () => {
    expect(await footer({ writer: "offline", offlineReason: "Gemini timed out after 20 s." })).toBe(
      "Written without Gemini: Gemini timed out after 20 s.",
    );
    expect(await footer({ writer: "offline", offlineReason: null })).toBe("Written without Gemini");
  });

  it("names the parts of a mixed summary that were replaced", async () => {
    const s = sampleSummary();
    const mixed = {
      writer: "mixed" as const,
      offlineReason: "Gemini wrote figures the data does not support.",
      headline: { ...s.headline, source: "offline" as const },
      risks: [s.risks[0] ?? sentence(""), { ...(s.risks[1] ?? sentence("")), source: "offline" as const }],
      actions: s.actions.map((a) => ({ ...a, source: "offline" as const })),
    };
    expect(await footer(mixed)).toBe(
      "Written by Gemini; replaced without Gemini: the headline, 1 of 2 risks and the recommended actions " +
        "(Gemini wrote figures the data does not support.) · Figures verified against your data · " +
        "Only aggregated metrics were sent to Gemini",
    );
  });

  it("does not claim verification it did not do", async () => {
    expect(await footer({ verified: false })).toBe(
      "Some figures could not be verified against your data · Only aggregated metrics were sent to Gemini",
    );
  });
});
