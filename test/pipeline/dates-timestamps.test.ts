import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { dateReading, parseDateCell } from "../../src/pipeline/dates.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();
const underDateHeader = () => dateReading(true);

describe("Unix timestamps under a date header", () => {
  it("reads seconds and milliseconds, as text or numbers, by their UTC calendar day", () => {
    expect(parseDateCell("1704067200", underDateHeader())).toBe(20240101);
    expect(parseDateCell(1706745599, underDateHeader())).toBe(20240131);
    expect(parseDateCell("1709251200123", underDateHeader())).toBe(20240301);
    expect(parseDateCell(1709251200123.5, underDateHeader())).toBe(20240301);
  });

  it("leaves them alone without a date header, and keeps Excel serials and yyyymmdd", () => {
    expect(parseDateCell("1704067200", dateReading(false))).toBeNaN();
    expect(parseDateCell(45292, underDateHeader())).toBe(20240101);
    expect(parseDateCell(20240315, underDateHeader())).toBe(20240315);
    // Before 2000 or after 2100 a number this size is not a sales date.
    expect(parseDateCell(946684799, underDateHeader())).toBeNaN();
  });

  it("a CSV of timestamps gets its months (they were silently lost)", async () => {
    const csv = "Date,Region,Revenue\n1704067200,North,100\n1706745600,South,200\n1709251200,North,300\n";
    const a = await analyzeFile(files.write("stamps.csv", csv));
    expect(a.columns.date).toBe("Date");
    expect(a.revenueByMonth.map((m) => [m.month, m.revenue])).toEqual([
      ["2024-01", 100],
      ["2024-02", 200],
      ["2024-03", 300],
    ]);
  });
});

describe("month names with a two-digit year (Excel's mmm-yy)", () => {
  it("reads Mar-24, Sept-23 and Mar '24 as the first of the month", () => {
    const r = dateReading(false);
    expect(["Mar-24", "Sept-23", "Mar '24", "dec-99", "Jan’25"].map((t) => parseDateCell(t, r))).toEqual([
      20240301, 20230901, 20240301, 19991201, 20250101,
    ]);
  });

  it("does not guess at 'Mar 24' (the 24th of March?) or non-months", () => {
    const r = dateReading(false);
    expect(parseDateCell("Mar 24", r)).toBeNaN();
    expect(parseDateCell("Foo-24", r)).toBeNaN();
  });

  it("a monthly table written mmm-yy has its months", async () => {
    const csv = "Month,Region,Revenue\nJan-24,North,100\nFeb-24,South,200\nMar-24,North,300\n";
    const a = await analyzeFile(files.write("mmm-yy.csv", csv));
    expect(a.columns.date).toBe("Month");
    expect(a.dateRange).toEqual({ start: "2024-01-01", end: "2024-03-01" });
  });
});
