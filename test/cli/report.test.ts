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
