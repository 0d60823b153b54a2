import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

async function analyse(name: string, text: string) {
  return analyzeFile(files.write(name, text));
}

const NOTE = /holds reporting periods such as “(.+?)”, not dates, so there are no figures by month or day/;

describe("a table of reporting periods instead of dates", () => {
  it("names the period column and what to add, and invents no months", async () => {
    const a = await analyse(
      "quarters.csv",
      "Quarter,Region,Revenue\n2024-Q1,North,100\n2024-Q1,South,50\n2024-Q2,North,120\n2024-Q3,South,80\n",
    );
    expect(a.totalRevenue).toBe(350);
    expect(a.revenueByMonth).toEqual([]);
    expect(a.periodColumn).toEqual({ column: "Quarter", example: "2024-Q1" });
    const note = a.notes.find((n) => NOTE.test(n));
    expect(note).toMatch(/^“Quarter” holds reporting periods such as “2024-Q1”/);
    expect(note).toMatch(/add a column with each sale's date/);
  });

  it.each([
    ["Q1 2024", "Q2 2024"],
    ["q3/24", "q4/24"],
    ["FY24 Q3", "FY24 Q4"],
    ["FY2023", "FY2024"],
    ["H1 2024", "H2 2024"],
    ["2024 Q1", "2024 Q2"],
  ])("reads %s and %s as periods", async (first, second) => {
    const a = await analyse(
      `periods-${first.replace(/\W/g, "")}.csv`,
      `Period,Region,Revenue\n${first},North,10\n${second},South,20\n${second},North,5\n`,
    );
    expect(a.periodColumn?.column).toBe("Period");
    expect(a.notes.some((n) => NOTE.test(n))).toBe(true);
  });

  it("says nothing when the table has dates as well", async () => {
    const a = await analyse(
      "dated-quarters.csv",
      "Date,Quarter,Region,Revenue\n2024-01-05,2024-Q1,North,100\n2024-04-02,2024-Q2,South,50\n",
    );
    expect(a.periodColumn).toBeNull();
    expect(a.notes.some((n) => NOTE.test(n))).toBe(false);
    expect(a.revenueByMonth.map((m) => m.month)).toEqual(["2024-01", "2024-02", "2024-03", "2024-04"]);
  });

  it("takes no column of text for one that happens to hold a period", async () => {
    const a = await analyse(
      "comments.csv",
      "Comment,Region,Revenue\nQ1,North,10\nlate delivery,South,20\nrepeat customer,North,5\nnew account,East,7\n",
    );
    expect(a.periodColumn).toBeNull();
  });
});
