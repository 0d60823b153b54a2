import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { SHARED_DATASETS, sharedDatasetsAvailable } from "../helpers/shared.js";

/**
 * Twelve real public sales files (../shared/datasets). Five carry independently computed results in
 * expected/; the other seven were computed separately for this project (test/fixtures/datasets).
 */
const available = sharedDatasetsAvailable();
const within = (actual: number, expected: number, share = 0.005) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * share + 0.01);

interface Expected {
  mapping: Record<string, string | null>;
  row_count: number;
  total_revenue: number;
  total_units: number;
  total_revenue_excl_cancelled?: number;
  date_min: string;
  date_max: string;
  revenue_by_region_top5: [string, number][] | null;
  revenue_by_category_top5: [string, number][] | null;
  status_counts: Record<string, number> | null;
  cancellations: { count: number; revenue: number } | null;
  best_transaction: { revenue: number };
  source: { local_file: string };
}

const ROLE_KEYS: [string, keyof Analysis["columns"]][] = [
  ["revenue", "revenue"],
  ["units", "units"],
  ["unit_price", "unitPrice"],
  ["date", "date"],
  ["region", "region"],
  ["category", "category"],
  ["status", "status"],
];

describe.skipIf(!available)("real datasets with expected/ results", () => {
  for (const slug of ["sia_q1", "galli_apr19", "kaggle_sds", "superstore_us", "contextures"]) {
    it(slug, async () => {
      const expected = JSON.parse(
        readFileSync(`${SHARED_DATASETS}expected/${slug}.json`, "utf8"),
      ) as Expected;
      const a = await analyzeFile(`${SHARED_DATASETS}${expected.source.local_file}`);
      for (const [theirs, ours] of ROLE_KEYS)
        expect(a.columns[ours], ours).toBe(expected.mapping[theirs] ?? null);
      expect(a.rows).toBe(expected.row_count);
      within(a.totalRevenue, expected.total_revenue);
      within(a.totalUnits ?? 0, expected.total_units);
      expect(a.dateRange).toEqual({
        start: expected.date_min.slice(0, 10),
        end: expected.date_max.slice(0, 10),
      });
      if (expected.total_revenue_excl_cancelled !== undefined)
        within(a.netRevenue, expected.total_revenue_excl_cancelled);
      for (const [list, top] of [
        [a.revenueByRegion, expected.revenue_by_region_top5],
        [a.revenueByCategory, expected.revenue_by_category_top5],
      ] as const) {
        if (!top) continue;
        top.forEach(([name, revenue], i) => {
          expect(list?.[i]?.name).toBe(name);
          within(list?.[i]?.revenue ?? 0, revenue);
        });
      }
      if (expected.status_counts) expect(a.statusCounts).toEqual(expected.status_counts);
      if (expected.cancellations) {
        expect(a.cancellations?.count).toBe(expected.cancellations.count);
        within(a.cancellations?.revenue ?? 0, expected.cancellations.revenue);
      }
      within(a.topTransaction?.revenue ?? 0, expected.best_transaction.revenue);
    });
  }

  it("galli_apr19: counts the blank rows, repeated headers and duplicates it set aside", async () => {
    const a = await analyzeFile(`${SHARED_DATASETS}galli_apr19.csv`);
    expect(a.rowsSkipped.reasons).toEqual({ "blank row": 59, "repeated header": 35 });
    expect(a.quality.duplicateRows).toBe(22);
    expect(a.revenueSource).toBe("units x unit price");
    expect(a.revenueByMonth.at(-1)).toMatchObject({ month: "2019-05", partial: true, rows: 28 });
  });

  it("kaggle_sds: keeps NA (North America) as a region and reads the single-byte encoding", async () => {
    const a = await analyzeFile(`${SHARED_DATASETS}kaggle_sds.csv`);
    expect(a.source.encoding).toBe("windows-1252");
    expect(a.revenueByRegion?.find((g) => g.name === "NA")?.rows).toBe(1074);
  });

  it("superstore_us: picks Sales over Profit, Order Date over Ship Date", async () => {
    const a = await analyzeFile(`${SHARED_DATASETS}superstore_us.csv`);
    expect(a.totalRevenue).not.toBeCloseTo(286397.02, 0);
    expect(a.dateRange?.start).toBe("2016-01-03");
  });
});

describe.skipIf(!available)("real datasets checked by hand", () => {
  const handChecked = JSON.parse(
    readFileSync(new URL("../fixtures/datasets/handchecked.json", import.meta.url), "utf8"),
  ) as {
    files: Record<
      string,
      {
        file: string;
        mapping: Record<string, string | null>;
        rows: number;
        totalRevenue: number;
        netRevenue: number;
        totalUnits: number;
        dateRange: { start: string; end: string };
        cancellations: { count: number; revenue: number } | null;
        topRegion: [string, number];
      }
    >;
  };
  for (const [slug, e] of Object.entries(handChecked.files)) {
    it(slug, async () => {
      const a = await analyzeFile(`${SHARED_DATASETS}${e.file}`);
      for (const [role, header] of Object.entries(e.mapping)) {
        expect(a.columns[role as keyof Analysis["columns"]], role).toBe(header);
      }
      expect(a.rows).toBe(e.rows);
      within(a.totalRevenue, e.totalRevenue);
      within(a.netRevenue, e.netRevenue);
      within(a.totalUnits ?? 0, e.totalUnits);
      expect(a.dateRange).toEqual(e.dateRange);
      expect(a.topRegion?.name).toBe(e.topRegion[0]);
      within(a.topRegion?.revenue ?? 0, e.topRegion[1]);
      if (e.cancellations) {
        expect(a.cancellations).toMatchObject({ count: e.cancellations.count });
        within(a.cancellations?.revenue ?? 0, e.cancellations.revenue);
      } else {
        expect(a.cancellations?.count ?? 0).toBe(0);
      }
    });
  }

  it("adidas_us: flags the rows where Total Sales is not Units x Price", async () => {
    const a = await analyzeFile(`${SHARED_DATASETS}adidas_us.xlsx`);
    expect(a.quality.revenueMismatchRows).toBe(3886);
    // Every one of them is off by exactly ten: a scale error, not a tax.
    expect(a.quality.revenueMismatchRatio).toBe(10);
    expect(a.notes.join(" ")).toMatch(
      /3,886 rows have Total Sales exactly 10 times Units Sold x Price per Unit: one of these columns is probably in other units/,
    );
  });

  it("uci_retail: invoices starting with C are cancellations; the dates are 1 December 2010", async () => {
    const a = await analyzeFile(`${SHARED_DATASETS}uci_retail.csv`);
    expect(a.cancellations).toMatchObject({ count: 12, revenue: -202.93 });
    expect(a.quality.dayOrder).toBe("day-first");
  });
});
