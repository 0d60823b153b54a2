#!/usr/bin/env node
/**
 * Cost of a comparison on top of the analysis of the new file (issue 12: at most +50 ms for two
 * 1M-row files): the previous upload's snapshot is read back from its stored form, the new analysis
 * becomes a snapshot (and is encoded, to be stored in turn), and the two are compared. Reading the
 * 1M rows themselves is the analysis's cost, measured by bench/run.mjs; this times what comes after.
 *
 * The analyses are synthetic at the worst size a snapshot keeps: 5,000 regions and 5,000 categories
 * (MAX_GROUPS each, plus the pooled entry) over 24 months, with units, cancellations and the figures
 * of a 1M-row file (~8 rows per group and month).
 *
 *   npm run build && node bench/compare.mjs
 *   BENCH_REPEATS=N   timed runs after 3 warm-up runs (default 20); the median and max are printed
 *   BENCH_JSON_OUT=f  also write the result line to f
 */
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const dist = new URL("../dist/", import.meta.url);
const { buildSnapshot, encodeSnapshot, decodeSnapshot } = await import(
  new URL("pipeline/compare/snapshot.js", dist)
);
const { compareSnapshots } = await import(new URL("pipeline/compare/compare.js", dist));

const GROUPS = 5_000;
const MONTHS = 24;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);

let seed = 12_345;
function random() {
  seed = (seed * 48_271) % 2_147_483_647;
  return seed / 2_147_483_647;
}
const money = (max) => Math.round(random() * max * 100) / 100;

function months(startYear) {
  return Array.from(
    { length: MONTHS },
    (_, i) => `${startYear + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
  );
}

/** A breakdown of GROUPS names plus the pooled row, as MetricsFold reports it. */
function breakdown(prefix, monthCount, shift) {
  const rows = [];
  const groups = [];
  for (let g = 0; g < GROUPS; g++) {
    const name = `${prefix} ${(g + shift) % (GROUPS + 200)}`;
    const net = Array.from({ length: monthCount }, () => money(3_000));
    const revenue = net.map((v) => Math.round((v + money(60)) * 100) / 100);
    const units = net.map(() => Math.floor(random() * 40));
    rows.push({ name, revenue, net, units });
    const gross = revenue.reduce((a, b) => a + b, 0);
    const netSum = net.reduce((a, b) => a + b, 0);
    groups.push({
      name,
      revenue: Math.round(gross * 100) / 100,
      share: 0,
      netRevenue: Math.round(netSum * 100) / 100,
      rows: 200,
      units: units.reduce((a, b) => a + b, 0),
    });
  }
  const pooledNet = Array.from({ length: monthCount }, () => money(50_000));
  rows.push({
    name: "(other)",
    revenue: pooledNet,
    net: pooledNet,
    units: pooledNet.map(() => 100),
    pooled: true,
  });
  const pooledSum = pooledNet.reduce((a, b) => a + b, 0);
  return {
    rows,
    groups,
    pooled: {
      names: 180,
      namesUncounted: false,
      rows: 4_000,
      revenue: pooledSum,
      share: 0,
      netRevenue: pooledSum,
    },
  };
}

function analysis(name, startYear, shift) {
  const monthList = months(startYear);
  const region = breakdown("Region", MONTHS, shift);
  const category = breakdown("Category", MONTHS, shift * 2);
  const byMonth = monthList.map((month) => ({
    month,
    revenue: 1_000_000,
    netRevenue: 950_000,
    rows: 41_667,
    daysWithData: 28,
    partial: false,
    change: null,
  }));
  return {
    source: { name },
    columns: {
      revenue: "Revenue",
      units: "Quantity",
      unitPrice: null,
      date: "Order Date",
      region: "Region",
      category: "Category",
      status: "Status",
      product: null,
      customer: null,
      orderId: "Order ID",
      currency: null,
    },
    currency: { code: "USD", symbol: "$" },
    totalRevenue: 24_000_000,
    netRevenue: 22_800_000,
    totalUnits: 4_800_000,
    orders: 1_000_000,
    rows: 1_000_000,
    cancellations: { count: 50_000, revenue: 1_200_000, units: 240_000, rate: 0.05, revenueShare: 0.05 },
    dateRange: { start: `${monthList[0]}-01`, end: `${monthList.at(-1)}-28` },
    revenueByMonth: byMonth,
    revenueByDay: null,
    revenueByRegion: region.groups,
    revenueByCategory: category.groups,
    revenueByProduct: region.groups.slice(0, 20),
    pooled: { region: region.pooled, category: category.pooled, product: null, status: null },
    groupMonths: { months: monthList, region: region.rows, category: category.rows },
  };
}

const previousAnalysis = analysis("sales_2024_2025.csv", 2024, 0);
const currentAnalysis = analysis("sales_2025_2026.csv", 2025, 150);
// What the store holds for the previous upload.
const stored = encodeSnapshot(buildSnapshot(previousAnalysis));

/** Wall and CPU (user + system, all threads) milliseconds of each step. */
function once() {
  const marks = [];
  const mark = () => {
    const cpu = process.cpuUsage();
    marks.push({ wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 });
  };
  mark();
  const previous = decodeSnapshot(stored);
  mark();
  const current = buildSnapshot(currentAnalysis);
  mark();
  const encoded = encodeSnapshot(current);
  mark();
  const comparison = compareSnapshots(previous, current);
  mark();
  if (!previous || !comparison.region || !encoded) throw new Error("comparison failed");
  const step = (i, key) => marks[i + 1][key] - marks[i][key];
  const out = {};
  ["decode", "build", "encode", "compare"].forEach((name, i) => {
    out[name] = step(i, "wall");
    out[`${name}Cpu`] = step(i, "cpu");
  });
  out.total = marks[4].wall - marks[0].wall;
  out.totalCpu = marks[4].cpu - marks[0].cpu;
  return out;
}

for (let i = 0; i < 3; i++) once();
const runs = Array.from({ length: REPEATS }, once);
// On a busy machine the wall clock waits for a core: the minimum and the CPU time say what it costs.
const stat = (key) => {
  const values = runs.map((r) => r[key]).sort((a, b) => a - b);
  const round = (v) => Number(v.toFixed(2));
  return {
    min: round(values[0]),
    median: round(values[Math.floor(values.length / 2)]),
    max: round(values.at(-1)),
  };
};
const steps = ["decode", "build", "encode", "compare", "total"];
const result = {
  bench: "compare",
  groups: { region: GROUPS + 1, category: GROUPS + 1 },
  months: MONTHS,
  snapshotBytes: Buffer.byteLength(stored),
  repeats: REPEATS,
  wallMs: Object.fromEntries(steps.map((s) => [s, stat(s)])),
  cpuMs: Object.fromEntries(steps.map((s) => [s, stat(`${s}Cpu`)])),
  node: process.version,
};
const line = (kind, table) =>
  `${kind}: decode previous ${table.decode.median}, build current ${table.build.median}, ` +
  `encode current ${table.encode.median}, compare ${table.compare.median}; total ${table.total.median} ` +
  `(min ${table.total.min}, max ${table.total.max})`;
console.log(
  `snapshot ${(result.snapshotBytes / 1e6).toFixed(2)} MB (${GROUPS} regions + ${GROUPS} categories x ${MONTHS} months)`,
);
console.log(line("median wall ms", result.wallMs));
console.log(line("median CPU ms", result.cpuMs));
console.log(JSON.stringify(result));
if (process.env.BENCH_JSON_OUT) writeFileSync(process.env.BENCH_JSON_OUT, `${JSON.stringify(result)}\n`);
