import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planLatestMonths, planPeriods } from "../../../src/pipeline/compare/periods.js";
import { dailySales, snapshotOf } from "./fixtures.js";

const NORTH = { North: { cents: 10_000 } };

describe("planPeriods", () => {
  it("week 46 then week 47: consecutive weeks, whole files, no warning", () => {
    const w46 = snapshotOf("sales_w46.csv", dailySales("2026-11-09", "2026-11-15", NORTH));
    const w47 = snapshotOf("sales_w47.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const plan = planPeriods(w46, w47);
    expect(plan.periods.relation).toBe("consecutive");
    expect(plan.periods.granularity).toBe("week");
    expect(plan.periods.warnings).toEqual([]);
    expect(plan.previous).toEqual({ from: "previous", basis: "whole-file" });
    expect(plan.sameDays).toBeNull();
  });

  it("a weekend between two working weeks is still consecutive; a longer gap is flagged", () => {
    const a = snapshotOf("a.csv", dailySales("2026-11-09", "2026-11-13", NORTH));
    const b = snapshotOf("b.csv", dailySales("2026-11-16", "2026-11-20", NORTH));
    expect(planPeriods(a, b).periods.relation).toBe("consecutive");
    const c = snapshotOf("c.csv", dailySales("2026-11-30", "2026-12-04", NORTH));
    const plan = planPeriods(a, c);
    expect(plan.periods.relation).toBe("gap");
    expect(plan.periods.warnings).toContainEqual({ kind: "gap", days: 16 });
  });

  it("October then November in progress: the partial month is flagged and the same days are compared", () => {
    const oct = snapshotOf("sales 2026-10.csv", dailySales("2026-10-01", "2026-10-31", NORTH));
    const nov = snapshotOf("sales 2026-11.csv", dailySales("2026-11-01", "2026-11-10", NORTH));
    const plan = planPeriods(oct, nov);
    expect(plan.periods.relation).toBe("consecutive");
    expect(plan.periods.granularity).toBe("month");
    expect(plan.periods.warnings).toEqual([
      { kind: "partial-period", side: "current", month: "2026-11", daysWithData: 10, daysInMonth: 30 },
    ]);
    expect(plan.sameDays).toEqual({
      previous: { from: "previous", start: "2026-10-01", end: "2026-10-10" },
      current: { from: "current", start: "2026-11-01", end: "2026-11-10" },
    });
  });

  it("a whole month after another (31 vs 30 days) is like for like", () => {
    const oct = snapshotOf("oct.csv", dailySales("2026-10-01", "2026-10-31", NORTH));
    const nov = snapshotOf("nov.csv", dailySales("2026-11-01", "2026-11-30", NORTH));
    const plan = planPeriods(oct, nov);
    expect(plan.periods.warnings).toEqual([]);
    expect(plan.sameDays).toBeNull();
  });

  it("a week cut short is an unequal length, not a partial month, and the same weekdays are compared", () => {
    const w46 = snapshotOf("w46.csv", dailySales("2026-11-09", "2026-11-15", NORTH));
    const w47 = snapshotOf("w47.csv", dailySales("2026-11-16", "2026-11-18", NORTH));
    const plan = planPeriods(w46, w47);
    expect(plan.periods.warnings).toEqual([{ kind: "unequal-length", previousDays: 7, currentDays: 3 }]);
    expect(plan.sameDays?.previous).toEqual({ from: "previous", start: "2026-11-09", end: "2026-11-11" });
  });

  it("a year-to-date backfill then a month: the month against the backfill's last month", () => {
    const ytd = snapshotOf("sales 2026 ytd.csv", dailySales("2026-01-01", "2026-10-31", NORTH));
    const nov = snapshotOf("sales 2026-11.csv", dailySales("2026-11-01", "2026-11-30", NORTH));
    const plan = planPeriods(ytd, nov);
    expect(plan.periods.relation).toBe("consecutive");
    expect(plan.previous).toEqual({ from: "previous", basis: "months", months: ["2026-10"] });
    expect(plan.current).toEqual({ from: "current", basis: "months", months: ["2026-11"] });
    expect(plan.periods.granularity).toBe("month");
    expect(plan.periods.warnings).toEqual([]);
  });

  it("four weeks then one: the week against the last seven days", () => {
    const month = snapshotOf("last 4 weeks.csv", dailySales("2026-10-19", "2026-11-15", NORTH));
    const week = snapshotOf("this week.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const plan = planPeriods(month, week);
    expect(plan.previous).toEqual({
      from: "previous",
      basis: "days",
      start: "2026-11-09",
      end: "2026-11-15",
    });
    expect(plan.current).toEqual({ from: "current", basis: "whole-file" });
    expect(plan.periods.granularity).toBe("week");
    expect(plan.periods.warnings).toEqual([]);
  });

  it("a longer previous file that cannot be cut is compared whole and flagged", () => {
    const long = snapshotOf("long.csv", dailySales("2026-01-05", "2026-11-15", NORTH));
    const week = snapshotOf("week.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const plan = planPeriods(long, week);
    expect(plan.previous).toEqual({ from: "previous", basis: "whole-file" });
    expect(plan.periods.warnings).toEqual([{ kind: "unequal-length", previousDays: 315, currentDays: 7 }]);
  });

  it("the same dates again: a re-export", () => {
    const a = snapshotOf("sales_w47.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const b = snapshotOf(
      "sales_w47 (1).csv",
      dailySales("2026-11-16", "2026-11-22", { North: { cents: 9_000 } }),
    );
    const plan = planPeriods(a, b);
    expect(plan.periods.relation).toBe("same-period");
    expect(plan.periods.warnings).toEqual([]);
  });

  it("a year-to-date file that grew by a month: the new month against the month before, both from the new file", () => {
    const ytdOct = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-10-31", NORTH));
    const ytdNov = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-11-30", NORTH));
    const plan = planPeriods(ytdOct, ytdNov);
    expect(plan.periods.relation).toBe("overlapping");
    expect(plan.previous).toEqual({ from: "current", basis: "months", months: ["2026-10"] });
    expect(plan.current).toEqual({ from: "current", basis: "months", months: ["2026-11"] });
    expect(plan.periods.granularity).toBe("month");
    expect(plan.periods.previous).toMatchObject({ start: "2026-10-01", end: "2026-10-31", lengthDays: 31 });
  });

  it("a year-to-date file that grew by two months compares them with the two before", () => {
    const ytdSep = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-09-30", NORTH));
    const ytdNov = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-11-30", NORTH));
    const plan = planPeriods(ytdSep, ytdNov);
    expect(plan.previous).toEqual({ from: "current", basis: "months", months: ["2026-08", "2026-09"] });
    expect(plan.current).toEqual({ from: "current", basis: "months", months: ["2026-10", "2026-11"] });
  });

  it("a month-to-date file that grew by a week compares the new days with the week before", () => {
    const a = snapshotOf("mtd.csv", dailySales("2026-11-01", "2026-11-15", NORTH));
    const b = snapshotOf("mtd.csv", dailySales("2026-11-01", "2026-11-22", NORTH));
    const plan = planPeriods(a, b);
    expect(plan.periods.relation).toBe("overlapping");
    expect(plan.previous).toEqual({ from: "current", basis: "days", start: "2026-11-09", end: "2026-11-15" });
    expect(plan.current).toEqual({ from: "current", basis: "days", start: "2026-11-16", end: "2026-11-22" });
    expect(plan.periods.granularity).toBe("week");
  });

  it("a long year-to-date file that grew mid-month falls back to its latest month, flagged partial", () => {
    const a = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-11-15", NORTH));
    const b = snapshotOf("ytd.csv", dailySales("2026-01-01", "2026-11-22", NORTH));
    const plan = planPeriods(a, b);
    expect(plan.current).toEqual({ from: "current", basis: "months", months: ["2026-11"] });
    expect(plan.periods.warnings).toContainEqual({
      kind: "partial-period",
      side: "current",
      month: "2026-11",
      daysWithData: 22,
      daysInMonth: 30,
    });
    // No day figures in a file this long: no same-days comparison.
    expect(plan.sameDays).toBeNull();
  });

  it("an older file uploaded after a newer one is flagged", () => {
    const newer = snapshotOf("w47.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const older = snapshotOf("w46.csv", dailySales("2026-11-09", "2026-11-15", NORTH));
    const plan = planPeriods(newer, older);
    expect(plan.periods.relation).toBe("previous-newer");
    expect(plan.periods.warnings).toContainEqual({ kind: "previous-newer" });
  });

  it("an undated file is compared whole, flagged", () => {
    const dated = snapshotOf("a.csv", dailySales("2026-11-16", "2026-11-22", NORTH));
    const undated = { ...dated, fileName: "b.csv", dateRange: null, months: [], days: null };
    const plan = planPeriods(dated, undated);
    expect(plan.periods.relation).toBe("undated");
    expect(plan.periods.warnings).toEqual([{ kind: "undated" }]);
    expect(plan.periods.granularity).toBe("other");
  });

  it("flags two currencies", () => {
    const a = snapshotOf("a.csv", dailySales("2026-11-09", "2026-11-15", NORTH), { currency: "EUR" });
    const b = snapshotOf("b.csv", dailySales("2026-11-16", "2026-11-22", NORTH), { currency: "USD" });
    expect(planPeriods(a, b).periods.warnings).toContainEqual({
      kind: "currency-differs",
      previous: "EUR",
      current: "USD",
    });
  });
});

describe("planLatestMonths", () => {
  it("the latest month against the one before; a 10-day month is flagged and compared day for day", () => {
    const s = snapshotOf("q.csv", dailySales("2026-09-01", "2026-11-10", NORTH));
    const plan = planLatestMonths(s);
    expect(plan?.periods.relation).toBe("latest-months");
    expect(plan?.previous).toEqual({ from: "previous", basis: "months", months: ["2026-10"] });
    expect(plan?.current).toEqual({ from: "current", basis: "months", months: ["2026-11"] });
    expect(plan?.periods.warnings).toEqual([
      { kind: "partial-period", side: "current", month: "2026-11", daysWithData: 10, daysInMonth: 30 },
    ]);
    expect(plan?.sameDays).toEqual({
      previous: { from: "previous", start: "2026-10-01", end: "2026-10-10" },
      current: { from: "current", start: "2026-11-01", end: "2026-11-10" },
    });
  });

  it("is null for a single month", () => {
    expect(planLatestMonths(snapshotOf("m.csv", dailySales("2026-11-01", "2026-11-30", NORTH)))).toBeNull();
  });
});

describe("planPeriods on random files", () => {
  const day = fc
    .integer({ min: 0, max: 500 })
    .map((d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));
  const file = fc.tuple(day, fc.integer({ min: 0, max: 120 })).map(([start, length]) => {
    const end = new Date(Date.parse(`${start}T00:00:00Z`) + length * 86_400_000).toISOString().slice(0, 10);
    return dailySales(start, end, NORTH);
  });

  it("always picks months the files hold, days they cover, and same-day windows of equal length", () => {
    fc.assert(
      fc.property(file, file, (a, b) => {
        const previous = snapshotOf("a.csv", a);
        const current = snapshotOf("b.csv", b);
        const plan = planPeriods(previous, current);
        for (const side of [plan.previous, plan.current]) {
          const snapshot = side.from === "previous" ? previous : current;
          if (side.basis === "months") {
            expect(side.months.length).toBeGreaterThan(0);
            for (const m of side.months) expect(snapshot.months.map((x) => x.month)).toContain(m);
          }
          if (side.basis === "days") {
            expect((snapshot.days?.[0]?.day ?? "9999") <= side.start).toBe(true);
            expect((snapshot.days?.at(-1)?.day ?? "") >= side.end).toBe(true);
          }
        }
        if (plan.sameDays) {
          const length = (w: { start: string; end: string }) => Date.parse(w.end) - Date.parse(w.start);
          expect(length(plan.sameDays.previous)).toBe(length(plan.sameDays.current));
        }
        const { lengthDays: before } = plan.periods.previous;
        const { lengthDays: after } = plan.periods.current;
        // Sides of different lengths are never compared without a warning.
        if (before !== null && after !== null && Math.abs(before - after) > 3) {
          expect(plan.periods.warnings.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
