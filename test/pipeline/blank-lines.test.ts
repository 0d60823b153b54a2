import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

/**
 * Past the schema sample the CSV reader counts empty lines in runs instead of handing each over as a
 * row: the counts, the row numbers after them and the totals must come out as if each were a row.
 */
describe("runs of blank lines after the sample", () => {
  it.each(["\n", "\r\n"])(
    "are counted one by one, with later row numbers intact (line break %j)",
    async (eol) => {
      const lines = ["Date,Region,Revenue"];
      let blank = 0;
      let rows = 0;
      let total = 0;
      let best = { line: 0, revenue: 0 };
      const data = (revenue: number, region = "North") => {
        lines.push(`2026-01-${String(1 + (rows % 28)).padStart(2, "0")},${region},${revenue}`);
        rows++;
        total += revenue;
        if (revenue > best.revenue) best = { line: lines.length, revenue };
      };
      for (let i = 0; i < 1_500; i++) data(10 + (i % 7));
      // Runs of every length up to a few chunks' worth, between data rows, quoted rows and at the end.
      for (const run of [1, 2, 3, 50, 1, 300_000, 7]) {
        for (let i = 0; i < run; i++) lines.push("");
        blank += run;
        data(20);
        lines.push(`2026-02-01,"South, East",5`);
        rows++;
        total += 5;
      }
      data(99_999);
      for (let i = 0; i < 4; i++) lines.push("");
      blank += 4;
      const a = await analyzeFile(files.write(`blank-runs${eol.length}.csv`, `${lines.join(eol)}${eol}`), {
        limits: undefined,
      });
      expect(a.rows).toBe(rows);
      expect(a.rowsSkipped.reasons).toEqual({ "blank row": blank });
      expect(a.totalRevenue).toBe(total);
      expect(a.topTransaction).toMatchObject({ rowNumber: best.line, revenue: 99_999 });
      expect(a.revenueByRegion?.find((r) => r.name === "South, East")?.rows).toBe(7);
    },
  );
});
