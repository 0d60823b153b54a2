import { beforeAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/pipeline/analyze.js";
import type { ComparisonContext } from "../../src/pipeline/compare/context.js";
import { writeOfflineWhatChanged } from "../../src/pipeline/summary/compare-offline.js";
import { writeOfflineSummary } from "../../src/pipeline/summary/offline.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import { describeComparisonChart } from "../../src/ui/charts/compare-chart.js";
import { renderChart } from "../../src/ui/charts/render.js";
import { buildSummaryEmail } from "../../src/ui/email/summary-email.js";
import type { Block } from "../../src/ui/slack/blocks.js";
import { DATA_BLOCK_LIMITS } from "../../src/ui/slack/data-blocks.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { dataBlockErrors } from "../helpers/slack-block-rules.js";
import {
  context,
  makeComparison,
  partialMonth,
  samePeriod,
  undated,
  weeklyComparison,
} from "./compare-fixtures.js";
import { uiFixtures } from "./fixtures.js";
import { allStrings, expectWithinLimits, sampleSummary, textObjects } from "./helpers.js";

const fx = uiFixtures();

/** The texts of the blocks between the meta line and the first divider after it: the section. */
function sectionTexts(blocks: Block[]): string[] {
  const start = blocks.findIndex((b) => b.type === "section" && b.text?.text.startsWith("*What changed*"));
  if (start < 0) return [];
  const end = blocks.findIndex((b, i) => i > start && b.type === "divider");
  return textObjects(blocks.slice(start, end)).map((t) => t.text);
}

function withWhatChanged(summary: ExecutiveSummary, ctx: ComparisonContext): ExecutiveSummary {
  return {
    ...summary,
    whatChanged: writeOfflineWhatChanged(ctx.comparison).map((text) => ({ text, source: "offline" })),
  };
}

describe("Slack: What changed", () => {
  let sample: Analysis;
  beforeAll(async () => {
    sample = await fx.sample();
  });
  const ctx = context(weeklyComparison());

  it("opens the summary, right under the file's header and meta line", () => {
    const m = buildSummaryMessage(sample, withWhatChanged(sampleSummary(), ctx), { comparison: ctx });
    expect(m.blocks[0]?.type).toBe("header");
    expect(m.blocks[1]?.type).toBe("context");
    const first = m.blocks[2];
    expect(first?.type === "section" && first.text?.text).toBe(
      "*What changed* · Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)\n" +
        "• Net revenue rose 15.5% (+$6.7K) to $49.8K in week 47 (16-22 Nov 2026), from $43.1K in week 46 (9-15 Nov 2026).\n" +
        "• By region, North added the most (+$4.2K, +9.7 pts) and South lost the most (-$900, -2.1 pts).\n" +
        "• Behind the change: volume +$3.7K, price +$3.3K, mix +$800 and vanished categories -$1.1K; units went from 1,180 to 1,310.",
    );
    // The headline follows the section.
    const headline = m.blocks.findIndex(
      (b) => b.type === "section" && b.text?.text.startsWith("*Net revenue reached"),
    );
    expect(headline).toBeGreaterThan(2);
    expectWithinLimits(m.blocks);
  });

  it("shows totals before and after, cancellations in points, movers, new and gone groups and drivers", () => {
    const texts = sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: ctx }).blocks);
    expect(texts).toContain("*Net revenue*\n$43.1K → $49.8K\n+$6.7K (+15.5%)");
    expect(texts).toContain("*Gross revenue*\n$44.9K → $51.3K\n+$6.5K (+14.4%)");
    expect(texts).toContain("*Cancellations (share of gross)*\n3.9% → 3%\n-0.9 pts");
    expect(texts).toContain("*Units*\n1,204 → 1,310\n+106 (+8.8%)");
    const movers = texts.find((t) => t.startsWith("*Biggest movers*")) ?? "";
    expect(movers.split("\n").slice(1)).toEqual([
      "*Regions up:* North +$4.2K (+9.7 pts) · West +$1.1K (+2.6 pts)",
      "*Regions down:* South -$900 (-2.1 pts)",
      "*Categories up:* Garden +$4.3K (+10 pts) · Electronics +$3.5K (+8.1 pts)",
      "*New regions:* Central +$2.3K",
      "*Categories gone:* Toys -$1.1K",
      "*Drivers:* volume +$3.7K · price +$3.3K · mix +$800 · vanished categories -$1.1K",
    ]);
  });

  it("names the compared file, linked, and when it was posted (in the reader's time zone)", () => {
    const texts = sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: ctx }).blocks);
    expect(texts.at(-1)).toBe(
      "Compared with <https://acme.slack.com/archives/C0123/p1763370720000100|sales_w46.csv>, posted <!date^1794906720^{date_short_pretty} at {time}|17 Nov 2026, 09:12 UTC> (found as the previous upload of this series).",
    );
    const explicit = context(weeklyComparison(), {
      chosenBy: "explicit",
      previous: { fileName: "sales_w46.csv", postedAt: "2026-11-17T09:12:00Z", link: null },
    });
    const line = sectionTexts(
      buildSummaryMessage(sample, sampleSummary(), { comparison: explicit }).blocks,
    ).at(-1);
    expect(line).toMatch(
      /^Compared with sales_w46\.csv, posted <!date\^\d+\^.*\(as asked with \/insights compare\)\.$/,
    );
  });

  it("is absent without a comparison: the message is exactly as before", () => {
    const without = buildSummaryMessage(sample, sampleSummary());
    expect(buildSummaryMessage(sample, sampleSummary(), { comparison: null })).toEqual(without);
    expect(allStrings(without).join(" ")).not.toContain("What changed");
    // A summary that carries sentences from an earlier comparison shows nothing without one.
    expect(buildSummaryMessage(sample, withWhatChanged(sampleSummary(), ctx))).toEqual(without);
  });

  it("surfaces every period warning, first and marked", () => {
    const partial = context(weeklyComparison({ periods: partialMonth() }));
    const [head] = sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: partial }).blocks);
    expect(head?.split("\n").slice(0, 2)).toEqual([
      "*What changed* · Nov 2026 vs Oct 2026",
      ":warning: Nov 2026 has data for only 10 of its 30 days (this period), so a partial month is compared with a whole one.",
    ]);
    const none = context(weeklyComparison({ periods: undated() }));
    expect(
      sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: none }).blocks)[0],
    ).toContain(":warning: One of the files has no dates, so the whole files are compared");
  });

  it("lists a re-export's corrections exactly", () => {
    const reexport = context(
      weeklyComparison({
        periods: samePeriod(),
        corrections: [{ field: "net", previous: 48_213.4, current: 48_513.4, change: 300 }],
      }),
    );
    const texts = sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: reexport }).blocks);
    expect(texts[0]).toBe("*What changed* · Week 47 (16-22 Nov 2026), exported again");
    expect(texts.join("\n")).toContain("*Corrections*\n• Net revenue: $48,213.40 → $48,513.40 (+$300)");
  });

  it("escapes every value from the files, and links only a plain https permalink", () => {
    const hostile = makeComparison({
      previous: { regions: { "<!channel>": 100, "*bold* _it_": 50 } },
      current: { regions: { "<!channel>": 300, "<https://evil.example|Click>": 80 } },
    });
    const evil = context(hostile, {
      previous: {
        fileName: "<!here> w46 *.csv",
        postedAt: "2026-11-17T09:12:00Z",
        link: "javascript:alert(1)",
      },
    });
    const m = buildSummaryMessage(sample, sampleSummary(), { comparison: evil });
    const text = sectionTexts(m.blocks).join("\n");
    expect(text).toContain("&lt;!channel&gt; +$200");
    expect(text).toContain("&lt;https://evil.example|Click&gt; +$80");
    expect(text).toContain("Compared with &lt;!here&gt; w46 ∗.csv, posted");
    expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil|javascript:/);
    const pipe = context(hostile, {
      previous: { fileName: "x.csv", postedAt: "2026-11-17T09:12:00Z", link: "https://a.slack.com/x|y" },
    });
    expect(
      sectionTexts(buildSummaryMessage(sample, sampleSummary(), { comparison: pipe }).blocks).at(-1),
    ).toMatch(/^Compared with x\.csv,/);
  });

  it("stays within Slack's limits with hundreds of long group names and long sentences", async () => {
    const many = await fx.manyRegions();
    const regions = (k: number) =>
      Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`Region ${i} ${"very long name ".repeat(20)}`, (i + 1) * k]),
      );
    const big = context(
      makeComparison({
        previous: { regions: regions(100), categories: regions(100) },
        current: { regions: regions(130), categories: regions(70) },
      }),
    );
    const summary = {
      ...sampleSummary(),
      whatChanged: Array.from({ length: 4 }, () => ({
        text: "A long sentence. ".repeat(200),
        source: "gemini" as const,
      })),
    };
    const m = buildSummaryMessage(many, summary, { comparison: big });
    expectWithinLimits(m.blocks);
    expect(dataBlockErrors(m.blocks)).toEqual([]);
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });

  it("draws both periods in place of the by-group bars, within Slack's chart rules", () => {
    const charts = (c?: ComparisonContext) =>
      buildSummaryMessage(sample, sampleSummary(), { comparison: c ?? null }).blocks.flatMap((b) =>
        b.type === "data_visualization" ? [b] : [],
      );
    expect(charts().map((c) => c.block_id)).toEqual(["revenue-over-time", "revenue-by-group"]);
    const compared = charts(ctx);
    expect(compared.map((c) => c.block_id)).toEqual(["revenue-over-time", "revenue-compared"]);
    expect(compared.length).toBeLessThanOrEqual(DATA_BLOCK_LIMITS.chartsPerMessage);
    const chart = compared[1]?.chart;
    expect(chart?.series.map((s) => s.name)).toEqual(["Week 46", "Week 47"]);
    expect(chart?.axis_config.categories).toEqual(["North", "Central", "West", "South"]);
    expect(chart?.series[1]?.data.map((p) => p.value)).toEqual([24_200, 2_300, 9_200, 14_100]);
    expect(dataBlockErrors(buildSummaryMessage(sample, sampleSummary(), { comparison: ctx }).blocks)).toEqual(
      [],
    );
  });

  it("says the change in the notification text", () => {
    const m = buildSummaryMessage(sample, sampleSummary(), { comparison: ctx });
    expect(m.text).toMatch(/· Net revenue 660K · Week 47: net revenue \+\$6\.7K \(\+15\.5%\) vs week 46$/);
  });
});

describe("the comparison chart", () => {
  it("never draws the pooled entry, and falls back to the two totals without a breakdown", () => {
    const pooled = makeComparison({
      previous: { regions: { North: 100, "(other names)": 10 } },
      current: { regions: { North: 150, "(other names)": 500 } },
      pooled: ["(other names)"],
    });
    expect(describeComparisonChart(pooled)?.categories).toEqual(["North"]);
    const totals = describeComparisonChart(
      makeComparison({ previous: { net: 100 }, current: { net: 150, cancelled: 5 } }),
    );
    expect(totals?.categories).toEqual(["Net revenue", "Gross revenue"]);
    expect(totals?.series.map((s) => s.values)).toEqual([
      [100, 100],
      [150, 155],
    ]);
  });

  it("renders grouped bars as a PNG of the e-mail's size", () => {
    const chart = describeComparisonChart(weeklyComparison());
    if (!chart) throw new Error("expected a chart");
    const { png, svg } = renderChart(chart);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1040);
    // Both series are drawn, with the legend naming the periods.
    expect(svg).toContain("Week 46");
    expect(svg).toContain("Week 47");
  });
});

describe("E-mail: What changed", () => {
  let sample: Analysis;
  beforeAll(async () => {
    sample = await fx.sample();
  });
  const ctx = context(weeklyComparison({ periods: partialMonth() }));

  it("opens the e-mail with the same section, HTML escaped, and its text part", async () => {
    const email = await buildSummaryEmail(sample, withWhatChanged(sampleSummary(), ctx), {
      comparison: ctx,
      charts: false,
    });
    const html = email.html;
    const section = html.indexOf("What changed");
    expect(section).toBeGreaterThan(0);
    // Before the headline (its last mention: the first is the preview text in the head).
    expect(section).toBeLessThan(html.lastIndexOf("Net revenue reached"));
    expect(html).toContain("Nov 2026 has data for only 10 of its 30 days (this period)");
    expect(html).toContain('<a href="https://acme.slack.com/archives/C0123/p1763370720000100"');
    expect(html).toContain("posted 17 Nov 2026, 09:12 UTC");
    expect(html).toMatch(
      /Net revenue<\/td><td[^>]*>\$43\.1K<\/td><td[^>]*>\$49\.8K<\/td><td[^>]*>\+\$6\.7K \(\+15\.5%\)/,
    );
    expect(html).toContain("-0.9 pts");
    expect(email.text).toContain(
      "What changed: Nov 2026 vs Oct 2026\n! Nov 2026 has data for only 10 of its 30 days (this period), so a partial month is compared with a whole one.\n- Net revenue rose 15.5% (+$6.7K) to $49.8K in Nov 2026 (only 10 of 30 days), from $43.1K in Oct 2026.",
    );
    expect(email.text).toContain("Net revenue:                    $43.1K -> $49.8K, +$6.7K (+15.5%)");
    expect(email.text).toContain("Regions up: North +$4.2K (+9.7 pts) · West +$1.1K (+2.6 pts)");
    expect(email.text).toContain(
      "Compared with sales_w46.csv, posted 17 Nov 2026, 09:12 UTC (found as the previous upload of this series). https://acme.slack.com/archives/C0123/p1763370720000100",
    );
  });

  it("escapes names for HTML and neutralises formulas in its tables and text", async () => {
    const hostile = context(
      makeComparison({
        previous: { regions: { '=HYPERLINK("http://x")': 100, "<b>Bold</b>": 50 } },
        current: { regions: { '=HYPERLINK("http://x")': 300, "<b>Bold</b>": 20 } },
      }),
      {
        previous: {
          fileName: "<img src=x onerror=alert(1)>.csv",
          postedAt: "2026-11-17T09:12:00Z",
          link: null,
        },
      },
    );
    const email = await buildSummaryEmail(sample, sampleSummary(), { comparison: hostile, charts: false });
    expect(email.html).toContain("&#39;=HYPERLINK(&quot;http://x&quot;)");
    expect(email.html).toContain("&lt;b&gt;Bold&lt;/b&gt;");
    expect(email.html).toContain("Compared with &lt;img src=x onerror=alert(1)&gt;.csv");
    expect(email.html).not.toMatch(/<img src=x|<b>Bold/);
    expect(email.text).toContain('Regions up: \'=HYPERLINK("http://x") +$200');
  });

  it("is absent without a comparison", async () => {
    const email = await buildSummaryEmail(sample, withWhatChanged(sampleSummary(), ctx), { charts: false });
    expect(email.html).not.toContain("What changed");
    expect(email.text).not.toContain("What changed");
  });

  it("attaches the comparison chart in place of the by-group chart", async () => {
    const email = await buildSummaryEmail(sample, sampleSummary(), { comparison: ctx });
    expect(email.images.map((i) => i.contentId)).toEqual(["revenue-over-time", "revenue-compared"]);
    expect(email.html).toContain('src="cid:revenue-compared"');
  });
});

describe("offline summary, Slack and e-mail agree", () => {
  it("the offline summary's sentences are the ones the section shows", async () => {
    const sample = await fx.sample();
    const ctx = context(weeklyComparison());
    const summary = writeOfflineSummary(sample, "test", ctx.comparison);
    const [head] = sectionTexts(buildSummaryMessage(sample, summary, { comparison: ctx }).blocks);
    for (const s of summary.whatChanged ?? []) expect(head).toContain(`• ${s.text}`);
  });
});

describe("the footer", () => {
  it("names the What changed sentences written without Gemini", async () => {
    const sample = await fx.sample();
    const summary: ExecutiveSummary = {
      ...sampleSummary(),
      whatChanged: [
        { text: "Net revenue rose 15.5%.", source: "gemini" },
        { text: "North added the most.", source: "offline" },
      ],
      writer: "mixed",
      offlineReason: "1 sentence from Gemini cited figures not in your data and was replaced",
    };
    const m = buildSummaryMessage(sample, summary, { comparison: context(weeklyComparison()) });
    const footer = textObjects(m.blocks).at(-1)?.text ?? "";
    expect(footer).toMatch(
      /^Written by Gemini; replaced without Gemini: 1 of 2 sentences on what changed \(1 sentence/,
    );
  });
});
