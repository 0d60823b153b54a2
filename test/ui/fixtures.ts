import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { FIXTURES, SAMPLE_DATA, tempFiles } from "../helpers/files.js";
import { csv } from "./helpers.js";

/**
 * The analyses the renderer tests share: the sample, a file with no dates and no status, a file with
 * 200 regions, and files with hostile values. Call from a test file (temp files go with it).
 */
export function uiFixtures() {
  const files = tempFiles();
  return {
    sample: (): Promise<Analysis> => analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`),
    evil: (): Promise<Analysis> => analyzeFile(`${FIXTURES}evil.csv`),
    noDatesNoStatus: (): Promise<Analysis> =>
      analyzeFile(
        files.write(
          "regions_only.csv",
          csv([
            ["Region", "Category", "Units", "Revenue"],
            ["North", "Widgets", 10, 500],
            ["South", "Gadgets", 4, 700],
            ["North", "Gadgets", 2, 350],
            ["East", "Widgets", 1, 90.5],
          ]),
        ),
      ),
    manyRegions: (): Promise<Analysis> => {
      const rows: (string | number)[][] = [["Date", "Region", "Category", "Revenue", "Status"]];
      for (let i = 1; i <= 200; i++) {
        const region = `Region ${String(i).padStart(3, "0")} ${"with a long name ".repeat(i % 7 === 0 ? 10 : 1)}`;
        rows.push([
          `2026-01-${String((i % 28) + 1).padStart(2, "0")}`,
          region,
          `Cat ${i % 12}`,
          i * 100,
          "Shipped",
        ]);
        rows.push([
          `2026-02-${String((i % 28) + 1).padStart(2, "0")}`,
          region,
          `Cat ${i % 12}`,
          i * 50,
          "Shipped",
        ]);
      }
      return analyzeFile(files.write("many_regions.csv", csv(rows)));
    },
    scripted: (): Promise<Analysis> =>
      analyzeFile(
        files.write(
          "scripted.csv",
          csv([
            ["Date", "Region", "Category", "Revenue"],
            ["2026-01-05", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", 300],
            ["2026-01-06", "<!channel>", 'Tom & Jerry "Ltd"', 200],
            ["2026-01-07", "*bold* _it_ ~gone~ `code`", "<https://evil.example|Click>", 100],
          ]),
        ),
      ),
  };
}
