import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { decodeColumn, encodeColumn } from "../../../src/pipeline/compare/packed.js";
import {
  buildSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  POOLED_NAME,
} from "../../../src/pipeline/compare/snapshot.js";
import type { Snapshot, SnapshotGroup, SnapshotMonth } from "../../../src/pipeline/compare/types.js";
import type { GroupMonthGrid } from "../../../src/pipeline/metrics-types.js";
import { SAMPLE_DATA } from "../../helpers/files.js";
import { gridFrom, gridRows, snapshotOf, type TestGridRow } from "./fixtures.js";

describe("packed columns", () => {
  it("round-trip any numbers exactly, negative, large and fractional included", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: -128, max: 127 })),
          fc.array(fc.integer({ min: -40_000, max: 40_000 })),
          fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
          fc.array(fc.integer({ min: -(2 ** 50), max: 2 ** 50 })),
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
        (values) => {
          const decoded = decodeColumn(encodeColumn(values), values.length);
          // -0 and 0 are the same figure.
          expect(decoded && Array.from(decoded, (v) => v + 0)).toEqual(values.map((v) => v + 0));
        },
      ),
    );
  });

  it("use the narrowest type: a column of small counts is far smaller than one of cents", () => {
    const counts = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 100);
    const cents = counts.map((c) => c * 104_729);
    // Large columns are deflated (lower-case tag), a few values are not worth it (upper case).
    expect(encodeColumn(counts).startsWith("b:")).toBe(true);
    expect(encodeColumn(cents).startsWith("i:")).toBe(true);
    expect(encodeColumn([0.5]).startsWith("D:")).toBe(true);
    expect(encodeColumn([1, 2]).startsWith("B:")).toBe(true);
    // A deflated column whose bytes are damaged is refused.
    const packed = encodeColumn(cents);
    expect(decodeColumn(`${packed.slice(0, 20)}AAAA${packed.slice(24)}`, cents.length)).toBeNull();
    expect(encodeColumn(counts).length).toBeLessThan(encodeColumn(cents).length / 2);
  });

  it("refuse a column of the wrong length, a damaged text or an unknown type", () => {
    const packed = encodeColumn([1, 300, -5]);
    expect(decodeColumn(packed, 2)).toBeNull();
    expect(decodeColumn(packed, 4)).toBeNull();
    expect(decodeColumn(`${packed.slice(0, -4)}`, 3)).toBeNull();
    expect(decodeColumn(`x${packed.slice(1)}`, 3)).toBeNull();
    expect(decodeColumn("h:not base64!", 1)).toBeNull();
    expect(decodeColumn([1, 2], 2)).toBeNull();
    // Bytes that are not a whole number of values of the type.
    expect(decodeColumn(`i${encodeColumn([1, 2, 3]).slice(1)}`, 1)).toBeNull();
  });
});

describe("buildSnapshot", () => {
  it("keeps the analysis's aggregates (and never a row)", async () => {
    const analysis = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    const snapshot = buildSnapshot(analysis);
    expect(snapshot.fileName).toBe("sales_q1_2026.csv");
    expect(snapshot.totals.revenue).toBe(analysis.totalRevenue);
    expect(snapshot.totals.net).toBe(analysis.netRevenue);
    expect(snapshot.totals.rows).toBe(analysis.rows);
    expect(snapshot.months.map((m) => [m.month, m.revenue, m.net])).toEqual(
      analysis.revenueByMonth.map((m) => [m.month, m.revenue, m.netRevenue]),
    );
    expect(snapshot.region?.totals.map((g) => [g.name, g.net])).toEqual(
      analysis.revenueByRegion?.map((g) => [g.name, g.netRevenue]),
    );
    // The header signature is normalised: roles read from the same headers match across files.
    expect(snapshot.headerSignature.revenue).toBe(
      analysis.columns.revenue
        ?.toLowerCase()
        .replace(/[_\s]+/g, " ")
        .trim(),
    );
    // The analysis's own region x month grid: each region's months sum to its net revenue.
    const grid = snapshot.region?.months;
    expect([...(grid?.names ?? [])].sort()).toEqual(analysis.revenueByRegion?.map((g) => g.name).sort());
    for (const row of gridRows(grid ?? null)) {
      const total = analysis.revenueByRegion?.find((g) => g.name === row.name)?.netRevenue ?? Number.NaN;
      expect(Math.round(row.net.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(total * 100));
    }
    // Nothing of a row: no row numbers, no top transaction.
    expect(JSON.stringify(snapshot)).not.toContain("rowNumber");
  });

  it("takes the region/category x month grid when it lines up with the months, and pools under one label", async () => {
    const analysis = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
    const months = analysis.revenueByMonth.map((m) => m.month);
    const grid: GroupMonthGrid = {
      months,
      region: [
        {
          name: "North",
          revenue: months.map(() => 2),
          net: months.map(() => 1.5),
          units: months.map(() => 3),
        },
        { name: "x", revenue: months.map(() => 1), net: months.map(() => 1), units: null, pooled: true },
      ],
      category: null,
    };
    const snapshot = buildSnapshot({ ...analysis, groupMonths: grid });
    expect(gridRows(snapshot.region?.months ?? null)).toEqual([
      { name: "North", net: months.map(() => 1.5), units: months.map(() => 3) },
      // The pooled row has no units of its own: 0, so price/volume/mix leaves it unpriced.
      { name: POOLED_NAME, net: months.map(() => 1), units: months.map(() => 0), pooled: true },
    ]);
    expect(snapshot.category?.months).toBeNull();
    // A grid over other months (an analysis cached differently) is not trusted.
    const shifted = buildSnapshot({
      ...analysis,
      groupMonths: { ...grid, months: months.map((m) => `${m}x`) },
    });
    expect(shifted.region?.months).toBeNull();
  });
});

describe("encodeSnapshot / decodeSnapshot", () => {
  const sample = snapshotOf(
    "sales_w47.csv",
    [
      { day: "2026-11-16", region: "North", category: "Tools", cents: 12_345, units: 3 },
      { day: "2026-11-17", region: "South", category: "Toys", cents: 0, cancelled: 999, units: 1 },
      { day: "2026-11-22", region: "Zürich", category: "Tools", cents: 50, units: 0.25 },
    ],
    { currency: "EUR" },
  );

  it("round-trips a snapshot exactly", () => {
    const decoded = decodeSnapshot(encodeSnapshot(sample));
    expect(decoded).toEqual(sample);
  });

  it("round-trips products, pooled entries and negative figures", () => {
    const pooled: SnapshotGroup = {
      name: POOLED_NAME,
      revenue: -1.5,
      net: -2,
      units: null,
      rows: 4,
      pooled: true,
    };
    const withExtras: Snapshot = {
      ...sample,
      products: [{ name: "Widget", revenue: 10, net: 9.99, units: null, rows: 2 }],
      region: sample.region && {
        totals: [...sample.region.totals, pooled],
        months: gridFrom([
          ...gridRows(sample.region.months),
          { name: POOLED_NAME, net: [-2], units: [1], pooled: true },
          { name: "Not in totals", net: [4.01], units: [2.5] },
        ]),
      },
    };
    expect(decodeSnapshot(encodeSnapshot(withExtras))).toEqual(withExtras);
  });

  it("refuses another version, damaged text and unknown fields", () => {
    const text = encodeSnapshot(sample);
    const json = JSON.parse(text);
    expect(decodeSnapshot(JSON.stringify({ ...json, v: 2 }))).toBeNull();
    expect(decodeSnapshot(JSON.stringify({ ...json, extra: 1 }))).toBeNull();
    expect(decodeSnapshot(text.slice(0, -10))).toBeNull();
    expect(decodeSnapshot("null")).toBeNull();
    // Months out of order, or a range that ends before it starts.
    const twoMonths = JSON.parse(
      encodeSnapshot({
        ...sample,
        region: null,
        category: null,
        months: [...sample.months, { ...(sample.months[0] as SnapshotMonth), month: "2026-12" }],
      }),
    );
    expect(decodeSnapshot(JSON.stringify(twoMonths))).not.toBeNull();
    expect(
      decodeSnapshot(JSON.stringify({ ...twoMonths, m: { ...twoMonths.m, k: ["2026-12", "2026-11"] } })),
    ).toBeNull();
    expect(decodeSnapshot(JSON.stringify({ ...json, r: ["2026-11-22", "2026-11-16"] }))).toBeNull();
    // A packed column cut short is refused whole, not half read.
    const cut = { ...json, m: { ...json.m, e: encodeColumn([]) } };
    expect(decodeSnapshot(JSON.stringify(cut))).toBeNull();
    // A grid row pointing past the names.
    const region = json.g.region;
    const badIndex = {
      ...json,
      g: { ...json.g, region: { ...region, m: { ...region.m, i: encodeColumn([0, 1, 99]) } } },
    };
    expect(decodeSnapshot(JSON.stringify(badIndex))).toBeNull();
  });

  it("stays under 2 MB for 5,000 regions and 5,000 categories over 24 months", () => {
    const months = Array.from(
      { length: 24 },
      (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
    );
    // A 1M-row file over 24 months and 5,000 names: ~8 rows per name and month, 20-400 each.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const breakdown = (prefix: string) => {
      const rows: TestGridRow[] = [];
      const totals: SnapshotGroup[] = [];
      for (let g = 0; g < 5_000; g++) {
        const net = months.map(() => Math.round(random() * 320_000) / 100);
        const units = months.map(() => Math.round(random() * 40));
        const name = `${prefix} ${g} ${"x".repeat(g % 12)}`;
        rows.push({ name, net, units });
        const sum = net.reduce((a, b) => a + b, 0);
        totals.push({ name, revenue: sum, net: sum, units: units.reduce((a, b) => a + b, 0), rows: 192 });
      }
      return { totals, months: gridFrom(rows) };
    };
    const big: Snapshot = {
      ...sample,
      dateRange: { start: "2025-01-01", end: "2026-12-31" },
      months: months.map((month) => ({
        month,
        revenue: 1e7,
        net: 9e6,
        rows: 41_666,
        daysWithData: 28,
        partial: false,
      })),
      days: null,
      region: breakdown("Region"),
      category: breakdown("Category"),
    };
    const text = encodeSnapshot(big);
    const bytes = Buffer.byteLength(text);
    console.log(`snapshot of 5,000 regions + 5,000 categories x 24 months: ${(bytes / 1e6).toFixed(2)} MB`);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    const decoded = decodeSnapshot(text);
    expect(decoded?.region?.months).toEqual(big.region?.months);
    expect(decoded?.category?.totals.length).toBe(5_000);
  });
});
