import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { tempFiles } from "../helpers/files.js";
import { salesRows } from "../helpers/sales-table.js";

const files = tempFiles();

async function run(args: string[]) {
  let stdout = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => {}, env: {} });
  return { code, stdout };
}

/** A file whose revenue header is a word no vocabulary knows: the values must be read, and the output say so. */
function unnamedRevenueFile(): string {
  const rows = salesRows(40, 5).map((r) => `${r.date},${r.region},${r.revenue.toFixed(2)}`);
  return files.write("unnamed.csv", `Datum,Gebiet,Saldo\n${rows.join("\n")}\n`);
}

describe("the CLI shows how each column was read", () => {
  it("--json gives columnConfidence and columnReason per role beside columns", async () => {
    const { code, stdout } = await run(["analyze", unnamedRevenueFile(), "--json", "--offline"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.columns).toMatchObject({ revenue: "Saldo", date: "Datum", region: "Gebiet" });
    expect(json.columnReason).toEqual({ revenue: "content", date: "header", region: "header" });
    for (const role of ["revenue", "date", "region"]) {
      expect(json.columnConfidence[role]).toBeGreaterThan(0);
      expect(json.columnConfidence[role]).toBeLessThanOrEqual(1);
    }
    expect(json.columnConfidence.revenue).toBeLessThan(json.columnConfidence.date);
  });

  it("the text report shows the reading next to each column, and the note", async () => {
    const { code, stdout } = await run(["analyze", unnamedRevenueFile(), "--offline"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/revenue\s+Saldo {2}\(from the values, \d+% sure\)/);
    expect(stdout).toMatch(/date\s+Datum {2}\(from the header, \d+% sure\)/);
    expect(stdout).toContain("Revenue: “Saldo” (read from the values, not the header).");
  });
});
