import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { buildSnapshot } from "../../../src/pipeline/compare/build-snapshot.js";
import { compareLatestMonths } from "../../../src/pipeline/compare/compare.js";
import { tempFiles } from "../../helpers/files.js";

const files = tempFiles();

async function latestMonths(name: string, days: string[]) {
  const rows = days.map((day, i) => `${day},R${i % 3},${100 + i}`);
  const a = await analyzeFile(files.write(name, `Date,Region,Revenue\n${rows.join("\n")}\n`));
  return { analysis: a, comparison: compareLatestMonths(buildSnapshot(a)) };
}

const kinds = (c: Awaited<ReturnType<typeof latestMonths>>["comparison"]) =>
  c?.periods.warnings.map((w) => w.kind) ?? [];

describe("partial months follow the monthly series' rule: only a dense daily log has them", () => {
  it("a daily log that stops on 10 March: March is partial, said so, with the same days compared", async () => {
    const days: string[] = [];
    for (let d = 1; d <= 28; d++) days.push(`2026-02-${String(d).padStart(2, "0")}`);
    for (let d = 1; d <= 10; d++) days.push(`2026-03-${String(d).padStart(2, "0")}`);
    const { analysis, comparison } = await latestMonths("dense.csv", days);
    expect(analysis.revenueByMonth.at(-1)?.partial).toBe(true);
    expect(kinds(comparison)).toContain("partial-period");
    expect(comparison?.sameDays).not.toBeNull();
  });

  it("six orders over a quarter ending on 10 March: not called partial (the summary does not either)", async () => {
    const { analysis, comparison } = await latestMonths("sparse.csv", [
      "2026-01-05",
      "2026-01-20",
      "2026-02-03",
      "2026-02-15",
      "2026-02-27",
      "2026-03-10",
    ]);
    expect(analysis.revenueByMonth.at(-1)?.partial).toBe(false);
    expect(kinds(comparison)).not.toContain("partial-period");
    // The lengths still differ, and that is still said.
    expect(kinds(comparison)).toContain("unequal-length");
  });
});
