import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { dealFlag } from "../../../src/pipeline/shapes/crm.js";
import { tempFiles } from "../../helpers/files.js";
import { toCsv } from "../../helpers/shapes.js";
import { buildWorkbook, type SpecCell } from "../../helpers/xlsx.js";

const files = tempFiles();
let counter = 0;
const cents = (n: number) => Math.round(n * 100);

/**
 * A deal export whose outcome is in true/false columns (Salesforce: IsClosed, IsWon). Outcomes rotate
 * so all three appear in the header-inference sample; sums are kept in cents.
 */
function flaggedDeals(format: (flag: boolean) => SpecCell, headers = ["IsClosed", "IsWon"]) {
  const rows: SpecCell[][] = [["Id", "Name", "Amount", "CloseDate", ...headers, "Region"]];
  const sums = { won: [0, 0], lost: [0, 0], open: [0, 0] };
  for (let i = 0; i < 60; i++) {
    const outcome = (["won", "lost", "open"] as const)[i % 3] as "won" | "lost" | "open";
    const amount = 1_000 + ((i * 7_919) % 50_000) + 0.25 * (i % 4);
    const bucket = sums[outcome];
    bucket[0] = (bucket[0] ?? 0) + 1;
    bucket[1] = (bucket[1] ?? 0) + cents(amount);
    const closed = outcome !== "open";
    const won = outcome === "won";
    rows.push([
      `006${String(i).padStart(5, "0")}`,
      `Deal ${i}`,
      amount.toFixed(2),
      `2026-${String(1 + (i % 9)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
      format(closed),
      format(won),
      i % 2 === 0 ? "East" : "West",
    ]);
  }
  return { rows, sums };
}

describe("deal exports with true/false outcome columns (Salesforce IsClosed / IsWon)", () => {
  for (const [label, format] of [
    ["true/false", (b: boolean) => String(b)],
    ["TRUE/FALSE", (b: boolean) => String(b).toUpperCase()],
    ["1/0", (b: boolean) => (b ? "1" : "0")],
    ["Yes/blank", (b: boolean) => (b ? "Yes" : "")],
  ] as const) {
    it(`CSV with ${label}: revenue is the won deals; lost and open are set aside`, async () => {
      const { rows, sums } = flaggedDeals(format);
      const path = files.write(`flags-${++counter}.csv`, toCsv(rows as (string | number)[][]));
      const a = await analyzeFile(path);
      expect(cents(a.totalRevenue)).toBe(sums.won[1]);
      expect(a.pipeline?.won.count).toBe(sums.won[0]);
      expect(a.pipeline?.lost.count).toBe(sums.lost[0]);
      expect(cents(a.pipeline?.lost.value ?? 0)).toBe(sums.lost[1]);
      expect(a.pipeline?.open.count).toBe(sums.open[0]);
      expect(cents(a.pipeline?.open.value ?? 0)).toBe(sums.open[1]);
      expect(a.pipeline?.stageColumn).toBe("IsWon");
      expect(a.notes.join(" ")).toMatch(/deal export: revenue counts only won deals/);
    });
  }

  it("XLSX boolean cells, HubSpot-style headers (Is Closed Won / Is closed lost)", async () => {
    const { rows, sums } = flaggedDeals((b) => b, ["Is closed lost", "Is Closed Won"]);
    // The first flag column here says lost, not closed: rewrite it from the outcome.
    for (const row of rows.slice(1)) row[4] = row[4] === true && row[5] !== true;
    const path = files.write(`flags-${++counter}.xlsx`, buildWorkbook({ sheets: [{ name: "Deals", rows }] }));
    const a = await analyzeFile(path);
    expect(cents(a.totalRevenue)).toBe(sums.won[1]);
    expect(a.pipeline?.lost.count).toBe(sums.lost[0]);
    expect(a.pipeline?.open.count).toBe(sums.open[0]);
  });

  it("a won flag alone is not enough: lost and open deals cannot be told apart", async () => {
    const { rows } = flaggedDeals((b) => String(b), ["Flag", "IsWon"]);
    const path = files.write(`flags-${++counter}.csv`, toCsv(rows as (string | number)[][]));
    const a = await analyzeFile(path);
    expect(a.pipeline).toBeNull();
    expect(a.rows).toBe(60);
  });

  it("a Closed column of dates is not a flag", async () => {
    const { rows } = flaggedDeals((b) => String(b));
    for (const row of rows.slice(1)) row[4] = "2026-03-01";
    const path = files.write(`flags-${++counter}.csv`, toCsv(rows as (string | number)[][]));
    expect((await analyzeFile(path)).pipeline).toBeNull();
  });

  it("reads flag cells in the usual spellings and refuses anything else", () => {
    expect(["TRUE", "yes", "Y", "1", "x", "Wahr", "sí"].map(dealFlag)).toEqual(Array(7).fill(true));
    expect(["FALSE", "no", "N", "0", "", "Nein", "não"].map(dealFlag)).toEqual(Array(7).fill(false));
    expect([true, false, 1, 0, 2, "Closed Won", "2026-01-01"].map(dealFlag)).toEqual([
      true,
      false,
      true,
      false,
      null,
      null,
      null,
    ]);
  });
});
