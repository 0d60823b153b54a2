import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

async function report(path: string): Promise<string> {
  let stdout = "";
  const code = await runCli(["analyze", path, "--offline"], {
    stdout: (t) => (stdout += t),
    stderr: () => {},
    env: {},
  });
  expect(code).toBe(0);
  return stdout;
}

describe("text report", () => {
  it("says how many names were pooled past the breakdown's limit, and how much they hold", async () => {
    const lines = ["Date,Region,Revenue"];
    for (let i = 1; i <= 6_000; i++) lines.push(`2026-01-${String((i % 28) + 1).padStart(2, "0")},R${i},100`);
    const text = await report(files.write("many-regions.csv", `${lines.join("\n")}\n`));
    const pooledLine = text.split("\n").find((l) => l.includes("more names pooled"));
    expect(pooledLine).toBeDefined();
    // Every name holds 100 of the 600,000: the pooled sum and share follow from the pooled count.
    const [, count, amount, share] = /\+ ([\d,]+) more names pooled: \$?([\d,.]+)\s+([\d.]+)%/.exec(
      pooledLine ?? "",
    ) ?? ["", "0", "0", "0"];
    const names = Number(count.replaceAll(",", ""));
    expect(names).toBeGreaterThan(0);
    expect(names).toBeLessThanOrEqual(1_000);
    expect(Number(amount.replaceAll(",", ""))).toBe(names * 100);
    expect(Number(share)).toBeCloseTo((names * 100 * 100) / 600_000, 1);
  });

  it("never prints a month-over-month change in exponent form", async () => {
    const text = await report(
      files.write("jump.csv", "Date,Revenue\n2026-01-05,0.01\n2026-02-05,1000000000000\n"),
    );
    const latest = text.split("\n").find((l) => l.includes("Latest month"));
    expect(latest).toBeDefined();
    expect(latest).not.toMatch(/e\+/);
    expect(latest).toMatch(/\+[\d,]+(\.\d)?%/);
  });
});

describe("text report: change vs the month before per region and category", () => {
  /** January to March, every day: North 100 -> 100 -> 120, Gone only in January, Late only in March. */
  function threeMonths(): string {
    const lines = ["Date,Region,Revenue"];
    for (const [month, days] of [
      [1, 31],
      [2, 28],
      [3, 31],
    ] as const) {
      for (let d = 1; d <= days; d++) {
        const date = `2026-0${month}-${String(d).padStart(2, "0")}`;
        lines.push(`${date},North,${d === 1 ? (month === 3 ? 120 : 100) : 0}`);
        if (month === 1) lines.push(`${date},Gone,5`);
        if (month === 3) lines.push(`${date},Late,7`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  it("names the two months in the column header and says new for a group with no sales before", async () => {
    const text = await report(files.write("three-months.csv", threeMonths()));
    const lines = text.split("\n");
    const title = lines.findIndex((l) => l.startsWith("Revenue by region"));
    expect(lines[title + 1]).toMatch(/Revenue\s+Share\s+Mar vs Feb$/);
    const row = (name: string) => lines.slice(title).find((l) => l.trimStart().startsWith(`${name} `));
    expect(row("North")).toMatch(/\+20%$/);
    expect(row("Late")).toMatch(/\bnew$/);
    // No sales in February or March: not new, not known.
    expect(row("Gone")).toMatch(/\bn\/a$/);
  });

  it("has no change column when the file has one month", async () => {
    const text = await report(
      files.write("one-month.csv", "Date,Region,Revenue\n2026-01-05,North,10\n2026-01-06,South,20\n"),
    );
    expect(text).not.toMatch(/ vs |\bnew$|n\/a$/m);
  });
});

describe("text report: a partial month in the change column", () => {
  it("names how far the latest month goes, as Slack and the e-mail do", async () => {
    const lines = ["Date,Region,Revenue"];
    for (
      let t = Date.parse("2026-02-01T00:00:00Z");
      t <= Date.parse("2026-03-20T00:00:00Z");
      t += 86_400_000
    ) {
      const day = new Date(t).toISOString().slice(0, 10);
      lines.push(`${day},North,10`, `${day},South,5`);
    }
    const text = (await report(files.write("partial-latest.csv", `${lines.join("\n")}\n`))).split("\n");
    const title = text.findIndex((l) => l.startsWith("Revenue by region"));
    expect(text[title + 1]).toMatch(/Revenue\s+Share\s+Mar \(to the 20th\) vs Feb$/);
  });
});
