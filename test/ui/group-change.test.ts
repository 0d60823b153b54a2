import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { breakdownRows, changeText } from "../../src/ui/breakdown-rows.js";
import { buildSummaryEmail } from "../../src/ui/email/summary-email.js";
import { breakdownTableBlock, type TableCell } from "../../src/ui/slack/data-blocks.js";
import { tempFiles } from "../helpers/files.js";
import { dataBlockErrors } from "../helpers/slack-block-rules.js";
import { csv, shortSummary } from "./helpers.js";

const files = tempFiles();
const HEADER = ["Date", "Region", "Category", "Revenue"];

/** Rows of [date, region, category, revenue], in the order given. */
function analyze(name: string, rows: (string | number)[][]) {
  return analyzeFile(files.write(name, csv([HEADER, ...rows])));
}

/** North 100 -> 150 (+50%), South 200 -> 100 (-50%); East only in the latest month (new). */
const TWO_MONTHS = [
  ["2026-01-10", "North", "Tools", 60],
  ["2026-01-11", "North", "Tools", 40],
  ["2026-01-12", "South", "Toys", 200],
  ["2026-02-10", "North", "Tools", 150],
  ["2026-02-11", "South", "Toys", 100],
  ["2026-02-12", "East", "Books", 30],
];

/**
 * North 100 -> 100 -> 120 (+20% in March), Gone only in January (no sales in either compared month),
 * Late only in March (new). Every day of each month has a row, so no month is partial.
 */
const THREE_MONTHS: (string | number)[][] = [];
for (const [month, days] of [
  [1, 31],
  [2, 28],
  [3, 31],
] as const) {
  for (let d = 1; d <= days; d++) {
    const date = `2026-0${month}-${String(d).padStart(2, "0")}`;
    const north = d === 1 ? (month === 3 ? 120 : 100) : 0;
    THREE_MONTHS.push([date, "North", "Tools", north]);
    if (month === 1) THREE_MONTHS.push([date, "Gone", "Toys", 5]);
    if (month === 3) THREE_MONTHS.push([date, "Late", "Books", 7]);
  }
}

/** Slack's table header without a change column (no units in these files). */
const NO_CHANGE_HEADER = ["Breakdown", "Name", "Gross revenue", "Net revenue", "Share", "Rows"];

/** The table's cells by column header, for each row. */
function tableRows(rows: TableCell[][]): Record<string, TableCell>[] {
  const [header, ...body] = rows;
  return body.map((row) => Object.fromEntries(row.map((cell, i) => [header?.[i]?.text ?? "", cell])));
}

describe("change vs the previous month per region and category", () => {
  it("gives each group its latest month against the one before, as monthOverMonth does", async () => {
    const a = await analyze("two-months.csv", TWO_MONTHS);
    expect(a.monthOverMonth).toMatchObject({ from: "2026-01", to: "2026-02" });
    const change = (groups: typeof a.revenueByRegion) =>
      Object.fromEntries((groups ?? []).map((g) => [g.name, g.change]));
    expect(change(a.revenueByRegion)).toEqual({ North: 0.5, South: -0.5, East: null });
    expect(change(a.revenueByCategory)).toEqual({ Tools: 0.5, Toys: -0.5, Books: null });
    const isNew = (groups: typeof a.revenueByRegion) =>
      (groups ?? []).filter((g) => g.newInLatestMonth === true).map((g) => g.name);
    expect(isNew(a.revenueByRegion)).toEqual(["East"]);
    expect(isNew(a.revenueByCategory)).toEqual(["Books"]);
  });

  it("tells a group new in the latest month from one with no sales in either month", async () => {
    // January, February and March: Gone sold only in January, Late only in March.
    const a = await analyze("three-months.csv", THREE_MONTHS);
    expect(a.monthOverMonth).toMatchObject({ from: "2026-02", to: "2026-03" });
    const byName = Object.fromEntries((a.revenueByRegion ?? []).map((g) => [g.name, g]));
    expect(byName.North).toMatchObject({ change: 0.2 });
    expect(byName.North).not.toHaveProperty("newInLatestMonth");
    expect(byName.Late).toMatchObject({ change: null, newInLatestMonth: true });
    expect(byName.Gone?.change).toBeNull();
    expect(byName.Gone).not.toHaveProperty("newInLatestMonth");
  });

  it("does not depend on the rows being sorted by date", async () => {
    const shuffled = [5, 0, 3, 2, 4, 1].map((i) => TWO_MONTHS[i] as (string | number)[]);
    const a = await analyze("shuffled.csv", shuffled);
    expect(Object.fromEntries((a.revenueByRegion ?? []).map((g) => [g.name, g.change]))).toEqual({
      North: 0.5,
      South: -0.5,
      East: null,
    });
  });

  it("counts a row on the same day as the row before a dateless row in its month", async () => {
    const a = await analyze("dateless-between.csv", [
      ["2026-01-10", "North", "Tools", 100],
      ["2026-02-10", "North", "Tools", 100],
      ["", "North", "Tools", 1000],
      ["2026-02-10", "North", "Tools", 50],
    ]);
    expect(a.revenueByRegion?.[0]?.change).toBe(0.5);
  });

  it("places day/month-ambiguous dates in the month the file's day order settles on", async () => {
    // 20/01 and 25/02 can only be day-first, so 10/01 is 10 January and 10/02 is 10 February.
    const a = await analyze("day-first.csv", [
      ["10/01/2026", "North", "Tools", 100],
      ["20/01/2026", "South", "Toys", 200],
      ["10/02/2026", "North", "Tools", 150],
      ["25/02/2026", "South", "Toys", 100],
    ]);
    expect(a.quality.dayOrder).toBe("day-first");
    expect(a.revenueByRegion?.map((g) => [g.name, g.change])).toEqual([
      ["South", -0.5],
      ["North", 0.5],
    ]);
  });

  it("shows the changes as a sortable column named by its months in Slack's table", async () => {
    const block = breakdownTableBlock(await analyze("two-months-slack.csv", TWO_MONTHS));
    expect(block).not.toBeNull();
    if (!block) return;
    expect(dataBlockErrors([block])).toEqual([]);
    expect(block.rows[0]?.map((c) => c.text)).toContain("Feb vs Jan");
    expect(block.rows[0]?.map((c) => c.text)).not.toContain("Change");
    const rows = tableRows(block.rows);
    const byName = Object.fromEntries(
      rows.map((r) => [`${r.Breakdown?.text} ${r.Name?.text}`, r["Feb vs Jan"]]),
    );
    expect(byName["Region North"]).toEqual({ type: "raw_number", value: 50, text: "+50%" });
    expect(byName["Region South"]).toEqual({ type: "raw_number", value: -50, text: "-50%" });
    expect(byName["Category Tools"]).toEqual({ type: "raw_number", value: 50, text: "+50%" });
    // New in February: "new", sorted above every percentage of the table.
    expect(byName["Region East"]).toEqual({ type: "raw_number", value: 51, text: "new" });
    expect(byName["Category Books"]?.text).toBe("new");
  });

  it("keeps n/a in Slack's table for a group with no sales in either month", async () => {
    const block = breakdownTableBlock(await analyze("three-months-slack.csv", THREE_MONTHS));
    const rows = tableRows(block?.rows ?? []);
    const byName = Object.fromEntries(rows.map((r) => [r.Name?.text, r["Mar vs Feb"]]));
    expect(byName.Gone).toEqual({ type: "raw_number", value: 0, text: "n/a" });
    expect(byName.Late?.text).toBe("new");
    expect(byName.North?.text).toBe("+20%");
  });

  it("says n/a, not new, on the Other row even when every group it pools is new", () => {
    const group = (name: string, revenue: number, extra: object) => ({
      name,
      revenue,
      share: revenue / 1000,
      netRevenue: revenue,
      rows: 1,
      ...extra,
    });
    const rows = breakdownRows(
      [
        group("North", 500, { change: 0.25 }),
        group("A", 300, { change: null, newInLatestMonth: true as const }),
        group("B", 200, { change: null, newInLatestMonth: true as const }),
      ],
      null,
      1000,
      2,
    );
    expect(rows.map((r) => [r.name, changeText(r)])).toEqual([
      ["North", "+25%"],
      ["Other (2 more)", "n/a"],
    ]);
  });

  it("shows the changes in the e-mail's breakdown tables, HTML and text", async () => {
    const analysis = await analyze("two-months-email.csv", TWO_MONTHS);
    const email = await buildSummaryEmail(analysis, shortSummary(), { charts: false });
    expect(email.html).toContain(">Feb vs Jan</th>");
    expect(email.html).not.toContain(">Change</th>");
    expect(email.html).toMatch(/North<\/td>(?:<td[^>]*>[^<]*<\/td>){3}<td[^>]*>\+50%<\/td>/);
    expect(email.html).toMatch(/South<\/td>(?:<td[^>]*>[^<]*<\/td>){3}<td[^>]*>-50%<\/td>/);
    expect(email.html).toMatch(/East<\/td>(?:<td[^>]*>[^<]*<\/td>){3}<td[^>]*>new<\/td>/);
    expect(email.text).toContain("gross · net · share · Feb vs Jan");
    expect(email.text).toMatch(/East · .* · new$/m);
    expect(email.text).toMatch(/North · .* · \+50%/);
    expect(email.text).toMatch(/South · .* · -50%/);
  });

  it("has no change column when the file has one month", async () => {
    const a = await analyze("one-month.csv", [
      ["2026-01-10", "North", "Tools", 100],
      ["2026-01-20", "South", "Toys", 200],
    ]);
    expect(a.monthOverMonth).toBeNull();
    expect(a.revenueByRegion?.every((g) => !("change" in g))).toBe(true);
    const block = breakdownTableBlock(a);
    expect(block?.rows[0]?.map((c) => c.text)).toEqual(NO_CHANGE_HEADER);
    const email = await buildSummaryEmail(a, shortSummary(), { charts: false });
    expect(email.html).not.toMatch(/>(?:Change|\w{3} vs \w{3})<\/th>/);
    expect(email.text).toContain("gross · net · share\n");
  });

  it("has no change column when the file has no dates", async () => {
    const a = await analyzeFile(
      files.write(
        "no-dates.csv",
        csv([
          ["Region", "Revenue"],
          ["North", 100],
          ["South", 200],
        ]),
      ),
    );
    expect(a.revenueByRegion?.every((g) => !("change" in g))).toBe(true);
    expect(breakdownTableBlock(a)?.rows[0]?.map((c) => c.text)).toEqual(NO_CHANGE_HEADER);
  });

  it("follows monthOverMonth's partial month: no column when the latest month is a stub", async () => {
    // A daily log of January and February, then two days of March: March is partial.
    const rows: (string | number)[][] = [];
    const day = (m: number, d: number) => `2026-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    for (const [month, days] of [
      [1, 31],
      [2, 28],
      [3, 2],
    ] as const) {
      for (let d = 1; d <= days; d++)
        rows.push([day(month, d), d % 2 ? "North" : "South", "Tools", 10 * month]);
    }
    const a = await analyze("partial.csv", rows);
    expect(a.revenueByMonth.at(-1)).toMatchObject({ month: "2026-03", partial: true });
    expect(a.monthOverMonth).toMatchObject({ from: "2026-02", to: "2026-03" });
    expect(a.revenueByRegion?.every((g) => !("change" in g))).toBe(true);
    expect(breakdownTableBlock(a)?.rows[0]?.map((c) => c.text)).toEqual(NO_CHANGE_HEADER);

    // The same log without the stub compares February with January.
    const full = await analyze("full.csv", rows.slice(0, 59));
    expect(full.revenueByMonth.at(-1)).toMatchObject({ month: "2026-02", partial: false });
    expect(full.revenueByRegion?.find((g) => g.name === "North")?.change).toBe(
      // North: 16 odd days of January at 10, 14 odd days of February at 20.
      Math.round(((14 * 20 - 16 * 10) / (16 * 10)) * 10_000) / 10_000,
    );
  });
});

/** A row every day from `start` to `end` (ISO days): North 10 a day, South 5 a day. */
function daily(start: string, end: string): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    rows.push([day, "North", "Tools", 10], [day, "South", "Toys", 5]);
  }
  return rows;
}

describe("the change column says when a compared month is partial", () => {
  // 20 of March's 31 days against the whole of February: more than a third of March, so the change
  // column is shown, but not a like-for-like month.
  const TO_THE_20TH = "Mar (to the 20th) vs Feb";

  it("Slack's table names how far the latest month goes", async () => {
    const a = await analyze("partial-latest-slack.csv", daily("2026-02-01", "2026-03-20"));
    expect(a.monthOverMonth).toMatchObject({ from: "2026-02", to: "2026-03" });
    const block = breakdownTableBlock(a);
    expect(block && dataBlockErrors([block])).toEqual([]);
    expect(block?.rows[0]?.map((c) => c.text)).toContain(TO_THE_20TH);
  });

  it("the e-mail's tables say it in the HTML and the text part", async () => {
    const a = await analyze("partial-latest-email.csv", daily("2026-02-01", "2026-03-20"));
    const email = await buildSummaryEmail(a, shortSummary(), { charts: false });
    expect(email.html).toContain(`>${TO_THE_20TH}</th>`);
    expect(email.text).toContain(`gross · net · share · ${TO_THE_20TH}`);
  });

  it("names where a previous month that starts late begins", async () => {
    const a = await analyze("partial-previous.csv", daily("2026-01-15", "2026-02-28"));
    expect(breakdownTableBlock(a)?.rows[0]?.map((c) => c.text)).toContain("Feb vs Jan (from the 15th)");
  });

  it("stays the months alone for whole months, a month short by a day or two, and a sparse log", async () => {
    const whole = await analyze("whole.csv", daily("2026-02-01", "2026-03-31"));
    expect(breakdownTableBlock(whole)?.rows[0]?.map((c) => c.text)).toContain("Mar vs Feb");
    // 29 of 31 days: within the days the comparisons also treat as a whole month.
    const nearly = await analyze("nearly.csv", daily("2026-02-01", "2026-03-29"));
    expect(breakdownTableBlock(nearly)?.rows[0]?.map((c) => c.text)).toContain("Mar vs Feb");
    // A few orders a month say nothing about where March ends (the comparisons' rule too).
    expect(
      breakdownTableBlock(await analyze("sparse.csv", TWO_MONTHS))?.rows[0]?.map((c) => c.text),
    ).toContain("Feb vs Jan");
  });
});
