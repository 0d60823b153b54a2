import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import type { ChartDescription } from "../../src/ui/charts/describe.js";
import {
  breakdownTableBlock,
  chartBlock,
  DATA_BLOCK_LIMITS,
  shortenLabel,
  tableCharacters,
  uniqueLabels,
} from "../../src/ui/slack/data-blocks.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { tempFiles } from "../helpers/files.js";
import { dataBlockErrors } from "../helpers/slack-block-rules.js";
import { uiFixtures } from "./fixtures.js";
import { csv, sampleSummary, shortSummary } from "./helpers.js";

const files = tempFiles();
const fixtures = uiFixtures();

function chart(overrides: Partial<ChartDescription> = {}): ChartDescription {
  const categories = overrides.categories ?? ["A", "B", "C"];
  return {
    id: "revenue-by-group",
    kind: "bar",
    title: "Gross revenue by region",
    categories,
    series: [{ name: "Gross revenue", values: categories.map((_, i) => i + 1) }],
    xLabel: "Region",
    yLabel: "Gross revenue",
    currency: null,
    description: "",
    ...overrides,
  };
}

describe("labels", () => {
  it("keeps 20 characters, shortens 21 with an ellipsis", () => {
    expect(shortenLabel("x".repeat(20), 20)).toBe("x".repeat(20));
    const cut = shortenLabel("x".repeat(21), 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("never splits a surrogate pair, and swaps Slack's control characters for look-alikes", () => {
    const cut = shortenLabel(`${"x".repeat(18)}😀😀`, 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(shortenLabel("<!channel> & co", 20)).toBe("‹!channel› ＆ co");
  });

  it("makes labels that collide after shortening unique, within the limit", () => {
    const labels = uniqueLabels(
      ["North America Eastern 1", "North America Eastern 2", "North America Eastern 3"],
      20,
    );
    expect(new Set(labels).size).toBe(3);
    for (const l of labels) expect(l.length).toBeLessThanOrEqual(20);
    expect(labels[1]).toMatch(/… 2$/);
  });
});

describe("chartBlock", () => {
  it("keeps a 50-character title and shortens a 51-character one", () => {
    expect(chartBlock(chart({ title: "t".repeat(50) })).title).toBe("t".repeat(50));
    const long = chartBlock(chart({ title: "t".repeat(51) })).title;
    expect(long).toHaveLength(50);
    expect(long.endsWith("…")).toBe(true);
  });

  it("keeps 20 points; a line keeps the latest, bars the largest", () => {
    const categories = Array.from({ length: 21 }, (_, i) => `P${i}`);
    const line = chartBlock(
      chart({ kind: "line", categories, series: [{ name: "Net", values: categories.map((_, i) => i) }] }),
    );
    expect(line.chart.axis_config.categories).toEqual(categories.slice(1));
    expect(line.chart.series[0]?.data[0]).toEqual({ label: "P1", value: 1 });
    const bars = chartBlock(
      chart({ categories, series: [{ name: "Gross", values: categories.map((_, i) => i) }] }),
    );
    expect(bars.chart.axis_config.categories).toEqual(categories.slice(0, 20));
    for (const block of [line, bars]) expect(dataBlockErrors([block])).toEqual([]);
  });

  it("keeps at most 6 series with unique names, one point per category each", () => {
    const series = Array.from({ length: 8 }, (_, i) => ({
      name: "Same long series name here",
      values: [i, i, i],
    }));
    const block = chartBlock(chart({ series }));
    expect(block.chart.series).toHaveLength(DATA_BLOCK_LIMITS.series);
    expect(new Set(block.chart.series.map((s) => s.name)).size).toBe(6);
    expect(dataBlockErrors([block])).toEqual([]);
  });

  it("sends whole units for large figures and keeps cents for small ones", () => {
    const big = chartBlock(chart({ series: [{ name: "Gross", values: [1234.56, 99.5, -0.4] }] }));
    expect(big.chart.series[0]?.data.map((p) => p.value)).toEqual([1235, 100, 0]);
    const small = chartBlock(chart({ series: [{ name: "Gross", values: [12.34, 0.5, 99.99] }] }));
    expect(small.chart.series[0]?.data.map((p) => p.value)).toEqual([12.34, 0.5, 99.99]);
  });

  it("draws a missing or non-finite value as 0, never skipping a category", () => {
    const block = chartBlock(chart({ series: [{ name: "Net", values: [1, Number.NaN] }] }));
    expect(block.chart.series[0]?.data.map((p) => p.value)).toEqual([1, 0, 0]);
    expect(dataBlockErrors([block])).toEqual([]);
  });

  it("shortens long group names that differ only at the end into distinct categories", () => {
    const categories = ["Very long region name number one", "Very long region name number two"];
    const block = chartBlock(chart({ categories, series: [{ name: "Gross", values: [1, 2] }] }));
    expect(dataBlockErrors([block])).toEqual([]);
    expect(block.chart.axis_config.categories[0]).not.toBe(block.chart.axis_config.categories[1]);
  });
});

describe("breakdownTableBlock", () => {
  it("lists every region and category of the sample, numbers as raw_number so columns sort", async () => {
    const analysis = await fixtures.sample();
    const table = breakdownTableBlock(analysis);
    expect(table).not.toBeNull();
    const rows = table?.rows ?? [];
    expect(rows).toHaveLength(
      1 + (analysis.revenueByRegion?.length ?? 0) + (analysis.revenueByCategory?.length ?? 0),
    );
    for (const row of rows.slice(1)) {
      expect(row.slice(2).every((c) => c.type === "raw_number")).toBe(true);
    }
    expect(rows[1]?.[2]).toEqual({ type: "raw_number", value: 466_500, text: "466,500" });
    expect(rows[0]?.map((c) => c.text)).toEqual([
      "Breakdown",
      "Name",
      "Gross revenue",
      "Net revenue",
      "Share",
      "Units",
      "Mar vs Feb",
      "Rows",
    ]);
    // North: 150 + 210 + 60 units (the cancelled row's included, like its revenue).
    expect(rows[1]?.[5]).toEqual({ type: "raw_number", value: 420, text: "420" });
    // North: 286,500 in February, nothing in March.
    expect(rows[1]?.[6]).toEqual({ type: "raw_number", value: -100, text: "-100%" });
    expect(dataBlockErrors([table])).toEqual([]);
  });

  it("fits a 5,000-group file in 101 rows and 10,000 characters; each section still adds up", async () => {
    const rows: (string | number)[][] = [["Region", "Category", "Revenue"]];
    for (let i = 0; i < 5_000; i++)
      rows.push([`Region ${i} ${"long ".repeat(i % 9)}`, `Cat ${i % 300}`, 1 + (i % 97) + 0.25]);
    const analysis = await analyzeFile(files.write("groups5000.csv", csv(rows)));
    expect(analysis.revenueByRegion).toHaveLength(5_000);
    const table = breakdownTableBlock(analysis);
    expect(dataBlockErrors([table])).toEqual([]);
    const body = table?.rows.slice(1) ?? [];
    expect(body.length).toBeLessThanOrEqual(100);
    expect(tableCharacters(table?.rows ?? [])).toBeLessThanOrEqual(10_000);
    for (const noun of ["Region", "Category"]) {
      const section = body.filter((r) => r[0]?.text === noun);
      expect(section.at(-1)?.[1]?.text).toMatch(/^Other \([\d,]+ more\)$/);
      const sum = section.reduce((n, r) => n + (r[2]?.type === "raw_number" ? r[2].value : 0), 0);
      expect(sum).toBeCloseTo(analysis.totalRevenue, 2);
    }
    expect(table?.caption).toMatch(/the rest as Other/);
  });

  it("pools rows at the character boundary: the exact size fits whole, one less pools", async () => {
    const analysis = await fixtures.manyRegions();
    const full = breakdownTableBlock(analysis, 1_000_000);
    // 200 regions and 12 categories: the row limit pools first.
    expect((full?.rows.length ?? 0) - 1).toBe(100);
    const exact = tableCharacters(full?.rows ?? []);
    expect(breakdownTableBlock(analysis, exact)?.rows).toEqual(full?.rows);
    const smaller = breakdownTableBlock(analysis, exact - 1);
    expect(tableCharacters(smaller?.rows ?? [])).toBeLessThanOrEqual(exact - 1);
    expect(smaller?.rows.length).toBeLessThan(full?.rows.length ?? 0);
  });

  it("is left out when the file has neither regions nor categories", async () => {
    const a = await analyzeFile(
      files.write(
        "plain.csv",
        csv([
          ["Date", "Revenue"],
          ["2026-01-01", 5],
        ]),
      ),
    );
    expect(breakdownTableBlock(a)).toBeNull();
  });
});

describe("the summary message with charts and a table", () => {
  it("has at most 2 charts, one table in place of the top-5 lists, and a one-line text", async () => {
    const message = buildSummaryMessage(await fixtures.sample(), sampleSummary());
    const types = message.blocks.map((b) => b.type);
    expect(types.filter((t) => t === "data_visualization")).toHaveLength(2);
    expect(types.filter((t) => t === "data_table")).toHaveLength(1);
    expect(JSON.stringify(message.blocks)).not.toContain("*Top regions");
    expect(message.text).not.toContain("\n");
    expect(message.text).toMatch(/Net revenue 660K/);
    expect(dataBlockErrors(message.blocks)).toEqual([]);
  });

  it("stays valid for a 5,000-group file and for hostile names", async () => {
    const rows: (string | number)[][] = [["Date", "Region", "Revenue"]];
    for (let i = 0; i < 5_000; i++)
      rows.push([`2026-0${1 + (i % 9)}-01`, `<@U${i}> ${"&".repeat(i % 30)}`, i]);
    const analysis = await analyzeFile(files.write("hostile5000.csv", csv(rows)));
    const message = buildSummaryMessage(analysis, shortSummary());
    expect(dataBlockErrors(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toMatch(/<[!@#a-z]/i);
  });
});

describe("the fake Slack's block rules", () => {
  it("refuse what Slack documents as invalid (so the builders' checks are not vacuous)", () => {
    const good = chartBlock(chart());
    const broken = (change: (b: ReturnType<typeof chartBlock>) => void) => {
      const b = structuredClone(good);
      change(b);
      return dataBlockErrors([b]);
    };
    expect(broken((b) => (b.title = "t".repeat(51)))).toHaveLength(1);
    expect(
      broken((b) => ((b.chart.series[0] as { data: { label: string }[] }).data[0] = { label: "Z" } as never)),
    ).not.toEqual([]);
    expect(broken((b) => b.chart.series[0]?.data.pop())).not.toEqual([]);
    expect(broken((b) => (b.chart.axis_config.categories[0] = "x".repeat(21)))).not.toEqual([]);
    expect(dataBlockErrors([good, good, good])).toEqual([
      expect.stringMatching(/no more than 2 data_visualization blocks .*\/blocks\/2/),
    ]);
    const header = [{ type: "raw_text", text: "Name" }];
    const rows = Array.from({ length: 101 }, () => [{ type: "raw_text", text: "x" }]);
    expect(dataBlockErrors([{ type: "data_table", caption: "c", rows: [header, ...rows] }])).not.toEqual([]);
    expect(dataBlockErrors([{ type: "data_table", caption: "c", rows: [header, ...rows.slice(1)] }])).toEqual(
      [],
    );
    expect(dataBlockErrors([good], { unsupported: new Set(["data_visualization"]) })[0]).toMatch(
      /unsupported/,
    );
  });
});
