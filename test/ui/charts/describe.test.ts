import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import {
  describeCharts,
  MAX_POINTS,
  revenueByGroup,
  revenueOverTime,
  TOP_BARS,
} from "../../../src/ui/charts/describe.js";
import { SAMPLE_DATA, tempFiles } from "../../helpers/files.js";
import { csv } from "../helpers.js";

const files = tempFiles();
let n = 0;

/** A file with one sale of `amount(i)` on each of the given ISO days. */
async function daily(days: string[], amount: (i: number) => number = (i) => 100 + i) {
  const rows: (string | number)[][] = [["Date", "Region", "Revenue"]];
  days.forEach((d, i) => {
    rows.push([d, i % 2 ? "North" : "South", amount(i)]);
  });
  return analyzeFile(files.write(`d${n++}.csv`, csv(rows)));
}

function isoDays(start: string, count: number, step = 1): string[] {
  const t = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(t + i * step * 86_400_000).toISOString().slice(0, 10),
  );
}

function monthStarts(startYear: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const y = startYear + Math.floor(i / 12);
    return `${y}-${String((i % 12) + 1).padStart(2, "0")}-15`;
  });
}

describe("revenue over time: the grain", () => {
  it("draws a file of up to 20 days by day, gaps as zeros", async () => {
    const a = await daily(["2026-03-01", "2026-03-02", "2026-03-05"]);
    const chart = revenueOverTime(a);
    expect(chart?.grain).toBe("day");
    expect(chart?.title).toMatch(/by day/);
    expect(chart?.categories).toEqual(["1 Mar", "2 Mar", "3 Mar", "4 Mar", "5 Mar"]);
    expect(chart?.series[0]?.values).toEqual([100, 101, 0, 0, 102]);
  });

  it("draws 21 days to ~3 months by week (Monday weeks), summing exactly", async () => {
    const days = isoDays("2026-01-01", 60);
    const a = await daily(days, () => 0.1);
    const chart = revenueOverTime(a);
    expect(chart?.grain).toBe("week");
    expect(chart?.title).toMatch(/by week/);
    // 1 Jan 2026 is a Thursday: a 4-day first week, then Monday weeks.
    expect(chart?.categories.slice(0, 3)).toEqual(["1 Jan", "5 Jan", "12 Jan"]);
    expect(chart?.series[0]?.values[0]).toBe(0.4);
    expect(chart?.series[0]?.values[1]).toBe(0.7);
    const total = chart?.series[0]?.values.reduce((x, y) => x + y, 0) ?? 0;
    expect(total).toBeCloseTo(6, 9);
    expect(chart?.categories.length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it("switches from days to weeks past 20 days", async () => {
    expect(revenueOverTime(await daily(isoDays("2026-05-01", 20)))?.grain).toBe("day");
    expect(revenueOverTime(await daily(isoDays("2026-05-01", 21)))?.grain).toBe("week");
  });

  it("draws months beyond ~3 months, up to 20 of them", async () => {
    const chart = revenueOverTime(await daily(monthStarts(2024, 20)));
    expect(chart?.grain).toBe("month");
    expect(chart?.categories).toHaveLength(20);
    expect(chart?.categories[0]).toBe("Jan 2024");
    expect(chart?.title).toMatch(/by month/);
  });

  it("rolls 21-60 months up to quarters, and says so", async () => {
    const chart = revenueOverTime(await daily(monthStarts(2022, 30), () => 10));
    expect(chart?.grain).toBe("quarter");
    expect(chart?.title).toMatch(/by quarter/);
    expect(chart?.categories).toHaveLength(10);
    expect(chart?.categories[0]).toBe("Q1 2022");
    expect(chart?.series[0]?.values[0]).toBe(30);
  });

  it("shows the latest 20 months when even quarters would be more than 20", async () => {
    const chart = revenueOverTime(await daily(monthStarts(2015, 100), (i) => i));
    expect(chart?.grain).toBe("latest-months");
    expect(chart?.title).toMatch(/latest 20 months/);
    expect(chart?.categories).toHaveLength(MAX_POINTS);
    expect(chart?.categories.at(-1)).toBe("Apr 2023");
    expect(chart?.series[0]?.values.at(-1)).toBe(99);
  });

  it("adds cancellations as a second series only when the file has some", async () => {
    const sample = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    const chart = revenueOverTime(sample);
    expect(sample.cancellations?.count).toBeGreaterThan(0);
    expect(chart?.series.map((s) => s.name)).toEqual(["Net revenue", "Cancellations"]);
    const cancelled = chart?.series[1]?.values.reduce((x, y) => x + y, 0) ?? 0;
    expect(cancelled).toBeCloseTo(Math.abs(sample.cancellations?.revenue ?? 0), 2);
    expect(chart?.description).toContain("cancellations");

    const plain = revenueOverTime(await daily(isoDays("2026-05-01", 3)));
    expect(plain?.series).toHaveLength(1);
  });

  it("has no line without dates", async () => {
    const a = await analyzeFile(
      files.write(
        "nodates.csv",
        csv([
          ["Region", "Revenue"],
          ["North", 5],
        ]),
      ),
    );
    expect(revenueOverTime(a)).toBeNull();
    expect(describeCharts(a).map((c) => c.id)).toEqual(["revenue-by-group"]);
  });
});

describe("revenue by group", () => {
  it("shows the top groups and pools the rest as Other, adding up to gross revenue", async () => {
    const rows: (string | number)[][] = [["Region", "Revenue"]];
    for (let i = 1; i <= 30; i++) rows.push([`R${i}`, i * 10.01]);
    const a = await analyzeFile(files.write("regions30.csv", csv(rows)));
    const chart = revenueByGroup(a);
    expect(chart?.categories).toHaveLength(TOP_BARS + 1);
    expect(chart?.categories[0]).toBe("R30");
    expect(chart?.categories.at(-1)).toBe("Other");
    const values = chart?.series[0]?.values ?? [];
    // R1..R21 pooled: 10.01 * (21 * 22 / 2)
    expect(values.at(-1)).toBe(2312.31);
    expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(a.totalRevenue, 6);
    expect(chart?.description).toMatch(/Other pools 21 regions/);
  });

  it("names a single leftover group instead of an Other of one", async () => {
    const rows: (string | number)[][] = [["Region", "Revenue"]];
    for (let i = 1; i <= TOP_BARS + 1; i++) rows.push([`R${i}`, i]);
    const chart = revenueByGroup(await analyzeFile(files.write("regions10.csv", csv(rows))));
    expect(chart?.categories).not.toContain("Other");
    expect(chart?.categories).toHaveLength(TOP_BARS + 1);
  });

  it("calls the pool 'All other' when a group is named Other, and falls back to categories", async () => {
    const rows: (string | number)[][] = [
      ["Category", "Revenue"],
      ["Other", 1000],
    ];
    for (let i = 1; i <= 12; i++) rows.push([`C${i}`, i]);
    const chart = revenueByGroup(await analyzeFile(files.write("cats.csv", csv(rows))));
    expect(chart?.title).toMatch(/by category/);
    expect(chart?.categories[0]).toBe("Other");
    expect(chart?.categories.at(-1)).toBe("All other");
  });

  it("pools names the fold could not list (past 5,000) into Other", async () => {
    const rows: (string | number)[][] = [["Region", "Revenue"]];
    for (let i = 0; i < 6_000; i++) rows.push([`Region ${i}`, 1]);
    const a = await analyzeFile(files.write("regions6000.csv", csv(rows)));
    expect(a.pooled.region).not.toBeNull();
    const chart = revenueByGroup(a);
    const values = chart?.series[0]?.values ?? [];
    expect(values.reduce((x, y) => x + y, 0)).toBe(6_000);
    expect(values.at(-1)).toBe(6_000 - TOP_BARS);
  });
});
