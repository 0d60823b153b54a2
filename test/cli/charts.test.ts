import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from "../../src/ui/charts/render.js";
import { SAMPLE_DATA, tempFiles } from "../helpers/files.js";

const files = tempFiles();

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe("sales-insight analyze --charts DIR", () => {
  it("writes each chart as PNG and SVG, and --json carries the chart descriptions", async () => {
    const dir = join(files.dir, "charts", "q1");
    const { code, stdout, stderr } = await run([
      "analyze",
      `${SAMPLE_DATA}sales_q1_2026.csv`,
      "--json",
      "--offline",
      "--charts",
      dir,
    ]);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      "revenue-by-group.png",
      "revenue-by-group.svg",
      "revenue-over-time.png",
      "revenue-over-time.svg",
    ]);
    const png = readFileSync(join(dir, "revenue-by-group.png"));
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH * CHART_SCALE);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT * CHART_SCALE);
    const svg = readFileSync(join(dir, "revenue-by-group.svg"), "utf8");
    expect(svg).toMatch(new RegExp(`^<svg[^>]+width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`));
    // The figures on the bars, formatted like the summary.
    for (const label of ["North", "467K", "20.3K"]) expect(svg).toContain(`>${label}<`);
    expect(stderr).toMatch(/^Charts written: .*revenue-over-time\.png/);

    const json = JSON.parse(stdout);
    expect(json.charts.map((c: { id: string }) => c.id)).toEqual(["revenue-over-time", "revenue-by-group"]);
    expect(json.charts[1]).toMatchObject({
      kind: "bar",
      categories: ["North", "West", "East", "South"],
      series: [{ name: "Gross revenue", values: [466_500, 109_250, 88_000, 20_250] }],
    });
  });

  it("says so when there is nothing to draw, and fails clearly when DIR cannot be written", async () => {
    const plain = files.write("no-groups.csv", "Order ID,Units,Revenue\nA1,1,5\nA2,2,7\nA3,1,9\n");
    const none = await run(["analyze", plain, "--offline", "--charts", join(files.dir, "none")]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/No charts/);

    const blocker = join(files.dir, "a-file");
    writeFileSync(blocker, "");
    const bad = await run([
      "analyze",
      `${SAMPLE_DATA}sales_q1_2026.csv`,
      "--offline",
      "--charts",
      join(blocker, "x"),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Cannot write the charts to .*a-file\/x \(ENOTDIR\)\.$/m);
  });
});
