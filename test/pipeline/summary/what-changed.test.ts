import { beforeAll, describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../../src/pipeline/analyze.js";
import type { Comparison } from "../../../src/pipeline/compare/types.js";
import { deriveComparisonFacts } from "../../../src/pipeline/summary/compare-facts.js";
import { MAX_WHAT_CHANGED, writeOfflineWhatChanged } from "../../../src/pipeline/summary/compare-offline.js";
import { periodsLine } from "../../../src/pipeline/summary/compare-wording.js";
import type { SummaryModel, SummaryRequest } from "../../../src/pipeline/summary/model.js";
import { writeOfflineSummary } from "../../../src/pipeline/summary/offline.js";
import { summarize } from "../../../src/pipeline/summary/summarize.js";
import { extractFigures, unsupportedFigures } from "../../../src/pipeline/summary/verify.js";
import { SAMPLE_DATA } from "../../helpers/files.js";
import {
  context,
  makeComparison,
  overlappingMonths,
  partialMonth,
  samePeriod,
  undated,
  weeklyComparison,
} from "../../ui/compare-fixtures.js";

function scriptedModel(answers: string[]): SummaryModel & { requests: SummaryRequest[] } {
  const requests: SummaryRequest[] = [];
  return {
    model: "fake-flash",
    requests,
    async generate(request) {
      requests.push(request);
      const next = answers.shift();
      if (next === undefined) throw new Error("no scripted answer left");
      return next;
    },
  };
}

/** A Gemini answer for the sample file whose main sections all check out. */
const answer = (whatChanged: string[] | undefined) =>
  JSON.stringify({
    headline: "Net revenue reached $660K in Jan-Mar 2026, with North contributing 68.2%.",
    keyFindings: ["Electronics made up 93.5% of revenue.", "Revenue fell 61.9% in March."],
    risks: ["Revenue depends heavily on North (68.2%)."],
    actions: ["Grow other regions."],
    ...(whatChanged ? { whatChanged } : {}),
  });

/** Every shape of comparison the wording must cope with. */
const VARIANTS: Record<string, () => Comparison> = {
  weekly: () => weeklyComparison(),
  "partial month": () => weeklyComparison({ periods: partialMonth() }),
  overlapping: () => weeklyComparison({ periods: overlappingMonths() }),
  undated: () => weeklyComparison({ periods: undated() }),
  "re-export with corrections": () =>
    weeklyComparison({
      periods: samePeriod(),
      corrections: [
        { field: "net", previous: 48_213.4, current: 48_513.4, change: 300 },
        { field: "rows", previous: 120, current: 121, change: 1 },
      ],
    }),
  "re-export unchanged": () => weeklyComparison({ periods: samePeriod(), corrections: [] }),
  "fall, euros, no breakdown": () =>
    makeComparison({
      previous: { net: 120_000, cancelled: 3_000 },
      current: { net: 90_500.25, cancelled: 6_400 },
      currency: { code: "EUR", symbol: "€" },
    }),
  "from nothing": () =>
    makeComparison({ previous: { regions: { North: 0 } }, current: { regions: { North: 500 } } }),
  "no currency": () => weeklyComparison({ currency: null }),
};

describe("offline What changed", () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`cites only figures the comparison backs (${name})`, () => {
      const comparison = make();
      const facts = deriveComparisonFacts(comparison);
      const sentences = writeOfflineWhatChanged(comparison);
      expect(sentences.length).toBeGreaterThan(0);
      expect(sentences.length).toBeLessThanOrEqual(MAX_WHAT_CHANGED);
      for (const s of sentences) expect(unsupportedFigures(s, facts), s).toEqual([]);
    });
  }

  it("says the change in net revenue, with its sign, percentage and both periods", () => {
    const [first] = writeOfflineWhatChanged(weeklyComparison());
    expect(first).toBe(
      "Net revenue rose 15.5% (+$6.7K) to $49.8K in week 47 (16-22 Nov 2026), from $43.1K in week 46 (9-15 Nov 2026).",
    );
    const fall = writeOfflineWhatChanged(VARIANTS["fall, euros, no breakdown"]?.() as Comparison)[0];
    expect(fall).toMatch(/^Net revenue fell 24\.6% \(-€29\.5K\) to €90\.5K/);
  });

  it("names the biggest movers with their points, and new and gone groups apart", () => {
    const sentences = writeOfflineWhatChanged(weeklyComparison()).join(" ");
    expect(sentences).toContain(
      "By region, North added the most (+$4.2K, +9.7 pts) and South lost the most (-$900, -2.1 pts).",
    );
    expect(sentences).toContain(
      "Behind the change: volume +$3.7K, price +$3.3K, mix +$800 and vanished categories -$1.1K",
    );
    // Without a price / volume / mix split, the third sentence is the new and gone groups.
    const noSplit = writeOfflineWhatChanged(weeklyComparison({ priceVolumeMix: {} }));
    expect(noSplit[2]).toBe("1 new region (Central, +$2.3K) and 1 category gone (Toys, -$1.1K).");
  });

  it("never compares a partial month with a whole one without saying so", () => {
    const [first] = writeOfflineWhatChanged(weeklyComparison({ periods: partialMonth() }));
    expect(first).toContain("Nov 2026 (only 10 of 30 days)");
  });

  it("says which totals a re-export corrected, exactly, or that none changed", () => {
    const corrected = writeOfflineWhatChanged(VARIANTS["re-export with corrections"]?.() as Comparison)[0];
    expect(corrected).toBe(
      "This export repeats week 47 (16-22 Nov 2026) with corrections: Net revenue: $48,213.40 → $48,513.40 (+$300); Rows: 120 → 121 (+1).",
    );
    expect(writeOfflineWhatChanged(VARIANTS["re-export unchanged"]?.() as Comparison)[0]).toBe(
      "This export repeats week 47 (16-22 Nov 2026) with no change to any total.",
    );
  });

  it("never names the pooled entry, even when it moved most", () => {
    const comparison = weeklyComparison({
      previous: { regions: { North: 20_000, "(other names)": 1_000 } },
      current: { regions: { North: 20_500, "(other names)": 9_000 } },
      pooled: ["(other names)"],
      priceVolumeMix: {},
    });
    expect(comparison.region?.contributions[0]?.name).toBe("(other names)");
    expect(writeOfflineWhatChanged(comparison).join(" ")).not.toContain("other names");
  });

  it("names the periods as people do", () => {
    expect(periodsLine(weeklyComparison())).toBe("Week 47 (16-22 Nov 2026) vs week 46 (9-15 Nov 2026)");
    expect(periodsLine(weeklyComparison({ periods: partialMonth() }))).toBe("Nov 2026 vs Oct 2026");
    expect(periodsLine(weeklyComparison({ periods: samePeriod() }))).toBe(
      "Week 47 (16-22 Nov 2026), exported again",
    );
    expect(periodsLine(weeklyComparison({ periods: undated() }))).toBe(
      "The whole files (one of them has no dates)",
    );
  });
});

describe("the figure checker reads comparisons", () => {
  it("reads points as percentages and a week number as a period", () => {
    expect(extractFigures("North added 9.7 pts in week 47.")).toEqual([
      expect.objectContaining({ raw: "9.7 pts", kind: "percent", value: 9.7 }),
    ]);
    expect(extractFigures("down 2.1 percentage points")[0]?.kind).toBe("percent");
    // Periods as a comparison names them are dates, not figures.
    expect(extractFigures("In Nov 16-22, 2026 (wk 47) against 9-15 Nov 2026 and week 46")).toEqual([]);
  });

  it("catches a wrong change, a wrong contribution and a figure only the metrics hold", () => {
    const facts = deriveComparisonFacts(weeklyComparison());
    expect(unsupportedFigures("Net revenue rose 15.5% (+$6.7K) to $49.8K.", facts)).toEqual([]);
    expect(unsupportedFigures("Net revenue rose 22% to $49.8K.", facts)).toEqual(["22%"]);
    expect(unsupportedFigures("North added 12.5 pts.", facts)).toEqual(["12.5 pts"]);
    expect(unsupportedFigures("North added +$4.2K and West $3K.", facts)).toEqual(["$3K"]);
  });
});

describe("summarize with a comparison", () => {
  let sample: Analysis;
  beforeAll(async () => {
    sample = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
  });
  const comparison = weeklyComparison();

  it("offline: writes the What changed sentences in code", async () => {
    const s = await summarize(sample, { model: null, comparison: context(comparison) });
    expect(s.writer).toBe("offline");
    expect(s.whatChanged?.map((x) => x.text)).toEqual(writeOfflineWhatChanged(comparison));
    expect(s.whatChanged?.every((x) => x.source === "offline")).toBe(true);
  });

  it("without a comparison there is no What changed, and Gemini is not asked for one", async () => {
    const model = scriptedModel([answer(["Net revenue rose 99%."])]);
    const s = await summarize(sample, { model, comparison: null });
    expect(s.whatChanged).toBeUndefined();
    expect(model.requests[0]?.prompt).not.toContain("<comparison>");
    expect(JSON.stringify(model.requests[0]?.responseJsonSchema)).not.toContain("whatChanged");
    expect((await summarize(sample, { model: null })).whatChanged).toBeUndefined();
  });

  it("sends the comparison's aggregates, never a pooled name, and asks for whatChanged", async () => {
    const pooled = weeklyComparison({
      previous: { regions: { North: 20_000, "(other names)": 1_000 } },
      current: { regions: { North: 20_500, "(other names)": 9_000 } },
      pooled: ["(other names)"],
    });
    const model = scriptedModel([answer(["Net revenue rose."])]);
    await summarize(sample, { model, comparison: context(pooled) });
    const request = model.requests[0] as SummaryRequest;
    const block = request.prompt.match(/<comparison>\n([\s\S]*)\n<\/comparison>/)?.[1] ?? "";
    const sent = JSON.parse(block);
    expect(sent.netRevenue).toEqual({
      previous: 21_000,
      current: 29_500,
      change: 8_500,
      changePercent: 40.48,
    });
    expect(sent.byRegion.biggestRises.map((g: { name: string }) => g.name)).toEqual(["North"]);
    expect(block).not.toContain("other names");
    expect(request.systemInstruction).toContain("whatChanged");
    expect((request.responseJsonSchema as { required: string[] }).required).toContain("whatChanged");
  });

  it("keeps Gemini's wording when every figure is in the comparison", async () => {
    const good = [
      "Net revenue rose 15.5% (+$6.7K) to $49.8K in week 47, driven by North (+9.7 pts).",
      "Central is new (+$2.3K) while Toys vanished (-$1.1K).",
    ];
    const model = scriptedModel([answer(good)]);
    const s = await summarize(sample, { model, comparison: context(comparison) });
    expect(model.requests).toHaveLength(1);
    expect(s.writer).toBe("gemini");
    expect(s.whatChanged).toEqual(good.map((text) => ({ text, source: "gemini" })));
  });

  it("catches a wrong figure, asks again naming it, and replaces a sentence still wrong with a written one", async () => {
    const wrong = ["Net revenue rose 22% to $49.8K.", "North added 9.7 pts."];
    const model = scriptedModel([answer(wrong), answer(wrong)]);
    const s = await summarize(sample, { model, comparison: context(comparison) });
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]?.prompt).toMatch(/not in the metrics or the comparison: 22%/);
    expect(s.rejectedFigures).toContain("22%");
    const offline = writeOfflineWhatChanged(comparison);
    expect(s.whatChanged).toEqual([
      { text: offline[0], source: "offline" },
      { text: "North added 9.7 pts.", source: "gemini" },
    ]);
    expect(s.writer).toBe("mixed");
    expect(s.offlineReason).toMatch(/1 sentence from Gemini cited figures not in your data/);
  });

  it("checks What changed against the comparison, not the metrics", async () => {
    // 68.2% is North's share in the metrics: true of the file, but not a change.
    const model = scriptedModel([
      answer(["North now holds 68.2% of revenue."]),
      answer(["North now holds 68.2% of revenue."]),
    ]);
    const s = await summarize(sample, { model, comparison: context(comparison) });
    expect(s.whatChanged?.[0]?.source).toBe("offline");
  });

  it("writes the section in code when Gemini leaves it out, and says so", async () => {
    const model = scriptedModel([answer(undefined)]);
    const s = await summarize(sample, { model, comparison: context(comparison) });
    expect(s.whatChanged?.map((x) => x.text)).toEqual(writeOfflineWhatChanged(comparison));
    expect(s.writer).toBe("mixed");
    expect(s.offlineReason).toBe("Gemini did not say what changed, so that part was written without it");
  });

  it("the offline summary carries What changed only with a comparison", () => {
    expect(writeOfflineSummary(sample, "test").whatChanged).toBeUndefined();
    expect(writeOfflineSummary(sample, "test", comparison).whatChanged?.length).toBeGreaterThan(0);
  });
});
