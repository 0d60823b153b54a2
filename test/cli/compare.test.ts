import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

const HEADER = "Order Date,Region,Category,Quantity,Revenue,Status";
const w46 = files.write(
  "sales_w46.csv",
  [
    HEADER,
    "2026-11-09,North,Tools,2,200,Shipped",
    "2026-11-11,South,Tools,3,300,Shipped",
    "2026-11-15,East,Tools,1,99.99,Shipped",
  ].join("\n"),
);
const w47 = files.write(
  "sales_w47.csv",
  [
    HEADER,
    "2026-11-16,North,Tools,3,300,Shipped",
    "2026-11-18,South,Tools,2,220,Shipped",
    "2026-11-20,\u001b[31mWest,Garden,1,75.25,Shipped",
  ].join("\n"),
);

describe("sales-insight compare", () => {
  it("prints what changed, the periods and the movers", async () => {
    const { code, stdout, stderr } = await run(["compare", w46, w47]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("What changed: sales_w47.csv against sales_w46.csv");
    expect(stdout).toContain("recognised (the same columns and file-name pattern)");
    expect(stdout).toContain("16-20 Nov 2026 against 9-15 Nov 2026");
    expect(stdout).toMatch(/Net revenue\s+599\.99 -> 595\.25 {2}\(-4\.74, -0\.8%\)/);
    expect(stdout).toMatch(/Up\s+North\s+\+100\.00/);
    expect(stdout).toMatch(/Gone\s+East\s+-99\.99/);
    // A name from the file never sends an escape sequence to the terminal.
    expect(stdout).not.toContain("\u001b");
  });

  it("prints the comparison as JSON with --json", async () => {
    const { code, stdout } = await run(["compare", w46, w47, "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.series).toEqual({ reason: "headers-and-name" });
    expect(json.comparison.totals.net).toEqual({
      previous: 599.99,
      current: 595.25,
      change: -4.74,
      changePct: -0.0079,
    });
    expect(json.comparison.periods.relation).toBe("consecutive");
    expect(json.comparison.region.appeared[0].name).toBe("\u001b[31mWest");
  });

  it("names the file it cannot read and exits 2", async () => {
    const { code, stderr } = await run(["compare", w46, `${files.dir}/missing.csv`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Cannot analyse .*missing\.csv: /);
  });

  it("wants exactly two files", async () => {
    expect((await run(["compare", w46])).code).toBe(2);
    expect((await run(["compare", w46, w47, w47])).code).toBe(2);
  });
});
