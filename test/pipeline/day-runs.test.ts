import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

describe("rows on the same day as the row before", () => {
  it("count towards that day, with blank, invalid and other-format dates in between", async () => {
    // Runs of one day (the fold reuses the previous row's day), broken by cells that are not a date,
    // a blank, a text date of the same day and a jump back to an earlier day.
    const cells = [
      "2026-01-05",
      "2026-01-05",
      "2026-01-05",
      "not a date",
      "2026-01-05",
      "",
      "2026-01-05",
      "01/05/2026",
      "2026-01-05",
      "2026-02-01",
      "2026-02-01",
      "2026-01-05",
      "2026-13-01",
      "2026-02-01",
      "2026-02-30",
      "2026-02-01",
    ];
    const lines = ["Date,Region,Revenue"];
    const expected = new Map<string, { revenue: number; rows: number }>();
    let invalid = 0;
    cells.forEach((date, i) => {
      const revenue = (i + 1) * 10;
      lines.push(`${date},North,${revenue}`);
      const month =
        /^(2026-0[12])-(0[1-9]|[12]\d)$/.exec(date)?.[1] ?? (date === "01/05/2026" ? "2026-01" : null);
      if (month) {
        const m = expected.get(month) ?? { revenue: 0, rows: 0 };
        m.revenue += revenue;
        m.rows++;
        expected.set(month, m);
      } else if (date !== "") invalid++;
    });
    const a = await analyzeFile(files.write("runs.csv", `${lines.join("\n")}\n`));
    expect(a.revenueByMonth.map((m) => [m.month, m.revenue, m.rows])).toEqual(
      [...expected].map(([month, m]) => [month, m.revenue, m.rows]),
    );
    expect(a.quality.invalidDates).toBe(invalid);
    expect(a.revenueByMonth.find((m) => m.month === "2026-01")?.daysWithData).toBe(1);
  });
});

describe("the best row of a large file", () => {
  it("is reported with its own cells, not those of a later row", async () => {
    // Past the 1,000-row sample the CSV reader hands rows over typed (in one shared array).
    const lines = ["Date,Region,Category,Revenue"];
    for (let i = 0; i < 3_000; i++) {
      const revenue = i === 2_222 ? 99_999.5 : (i % 97) + 1;
      lines.push(`2026-0${1 + (i % 9)}-1${i % 10},Region ${i % 7},Category ${i % 5},${revenue}`);
    }
    const a = await analyzeFile(files.write("best-row.csv", `${lines.join("\n")}\n`));
    expect(a.topTransaction).toMatchObject({
      rowNumber: 2_224,
      revenue: 99_999.5,
      date: "2026-09-12",
      region: "Region 3",
      category: "Category 2",
    });
    expect(a.quality.duplicateRows).toBe(0);
  });
});
