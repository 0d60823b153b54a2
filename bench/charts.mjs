#!/usr/bin/env node
/**
 * How long drawing the e-mail's two charts takes (SVG with ECharts, then PNG with resvg), and how big
 * the e-mail gets. Target: both PNGs in under 300 ms, the e-mail under 1 MB (issue 11).
 *
 *   npm run build && node bench/charts.mjs     (npm run bench runs it after bench/run.mjs)
 *
 * Files: sample_data/sales_q1_2026.csv (weekly line, 4 regions) and a generated 30-month file with 45
 * long region names and cancellations (quarterly line, 9 bars + Other). Each is drawn once to warm
 * up (module load, font parsing), then BENCH_CHART_REPEATS times (default 15); medians are reported.
 * Prints a table on stderr and, as the last stdout line, one JSON object.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => import(join(ROOT, "dist", p));
const { analyzeFile } = await dist("pipeline/analyze.js");
const { describeCharts } = await dist("ui/charts/describe.js");
const { renderChart } = await dist("ui/charts/render.js");
const { buildSummaryEmail } = await dist("ui/email/summary-email.js");
const { writeOfflineSummary } = await dist("pipeline/summary/offline.js");

const REPEATS = Number(process.env.BENCH_CHART_REPEATS ?? 15);

function longFile() {
  const names = Array.from({ length: 45 }, (_, i) => `Territory ${i} with a rather long name`);
  const rows = ["Date,Region,Revenue,Status"];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let m = 0; m < 30; m++) {
    const y = 2023 + Math.floor(m / 12);
    const mo = String((m % 12) + 1).padStart(2, "0");
    for (let r = 0; r < 80; r++) {
      const day = String(1 + Math.floor(next() * 28)).padStart(2, "0");
      const status = next() < 0.05 ? "Cancelled" : "Shipped";
      rows.push(
        `${y}-${mo}-${day},${names[Math.floor(next() * names.length)]},${(100 + next() * 90000).toFixed(2)},${status}`,
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const dir = await mkdtemp(join(tmpdir(), "bench-charts-"));
try {
  const long = join(dir, "thirty_months.csv");
  await writeFile(long, longFile());
  const results = [];
  for (const [label, path] of [
    ["sample (q1 2026)", join(ROOT, "sample_data", "sales_q1_2026.csv")],
    ["30 months, 45 regions", long],
  ]) {
    const analysis = await analyzeFile(path);
    const charts = describeCharts(analysis);
    for (const c of charts) renderChart(c);
    const times = [];
    let pngBytes = 0;
    for (let i = 0; i < REPEATS; i++) {
      const start = performance.now();
      pngBytes = 0;
      for (const c of charts) pngBytes += renderChart(c).png.length;
      times.push(performance.now() - start);
    }
    const email = await buildSummaryEmail(analysis, writeOfflineSummary(analysis, "benchmark"));
    const emailBytes =
      Buffer.byteLength(email.html) +
      Buffer.byteLength(email.text) +
      email.images.reduce((n, img) => n + Math.ceil(img.content.length / 3) * 4, 0);
    results.push({
      file: label,
      charts: charts.length,
      medianMs: Math.round(median(times) * 10) / 10,
      maxMs: Math.round(Math.max(...times) * 10) / 10,
      pngBytes,
      emailBytes,
    });
  }
  for (const r of results) {
    process.stderr.write(
      `${r.file.padEnd(24)} ${r.charts} charts  median ${String(r.medianMs).padStart(6)} ms  max ${String(r.maxMs).padStart(6)} ms  PNGs ${(r.pngBytes / 1024).toFixed(0)} KB  e-mail ${(r.emailBytes / 1024).toFixed(0)} KB (images as base64)\n`,
    );
  }
  const slow = results.filter((r) => r.medianMs >= 300 || r.emailBytes >= 1_000_000);
  if (slow.length > 0) process.stderr.write(`over target: ${slow.map((r) => r.file).join(", ")}\n`);
  process.stdout.write(`${JSON.stringify({ repeats: REPEATS, results })}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
