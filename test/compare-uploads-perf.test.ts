import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareUpload } from "../src/compare-uploads.js";
import { createLogger } from "../src/logger.js";
import { type Analysis, analyzeFile } from "../src/pipeline/analyze.js";
import { DEFAULT_LIMITS } from "../src/pipeline/limits.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import type { Store } from "../src/services/store.js";
import { tempFiles } from "./helpers/files.js";

/**
 * Issue 12's performance bar, measured in the use case's own comparison step: comparing two 1M-row
 * files costs no more than analysing the second one plus 50 ms, because the first one's snapshot is
 * stored and read back, never the file; and what the store holds for a 1M-row file with 5,000 groups
 * stays under 2 MB.
 *
 * Two 1M-row CSVs, January-June and July-December 2026, each with 5,000 categories and 50 regions,
 * are analysed once (that is the "analysing the second one" the bar allows); then the step runs for
 * each against a SQLite file: the first saves its snapshot, the second builds its own, reads the
 * channel's snapshots, decodes the first, compares, encodes and saves. The figures are printed.
 */
const ROWS = 1_000_000;
const CATEGORIES = 5_000;
const REGIONS = 50;
const MAX_STORED_BYTES = 2 * 1024 * 1024;
const MAX_STEP_MS = 50;
/**
 * The step runs this many times and the bar is held against its CPU time (user + system, this process),
 * fastest run: the machines this runs on are shared, and wall time there measures how long the step
 * waited for a core as much as the step. Wall times (fastest, median, every run) are printed too. The
 * first runs include the JIT warming up the engine's code, which a long-running app pays once.
 */
const REPEATS = 9;

const files = tempFiles();
let first: Analysis;
let second: Analysis;
let analyseSecondMs: number;
let store: Store;
const logger = createLogger({ level: "silent" });

/** A deterministic pseudo-random sequence (no Math.random: the files are the same on every run). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function writeSales(path: string, firstMonth: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  const random = lcg(seed);
  out.write("Order Date,Region,Category,Units,Unit Price,Revenue,Status\n");
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    const month = firstMonth + Math.floor(random() * 6);
    const day = 1 + Math.floor(random() * 28);
    // Every category appears (the first 5,000 rows name each once), then at random.
    const category = i < CATEGORIES ? i : Math.floor(random() * CATEGORIES);
    const region = Math.floor(random() * REGIONS);
    const units = 1 + Math.floor(random() * 9);
    const priceCents = 500 + Math.floor(random() * 20_000);
    const status = random() < 0.03 ? "Cancelled" : "Shipped";
    chunk += `2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")},Region ${region},Line ${String(category).padStart(4, "0")},${units},${(priceCents / 100).toFixed(2)},${((units * priceCents) / 100).toFixed(2)},${status}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

beforeAll(async () => {
  const a = join(files.dir, "sales_h1.csv");
  const b = join(files.dir, "sales_h2.csv");
  await Promise.all([writeSales(a, 1, 1), writeSales(b, 7, 2)]);
  // 1M rows of this shape are about 70 MB: over the app's default upload cap, which is not what is measured.
  const limits = { ...DEFAULT_LIMITS, maxFileBytes: 200 * 1024 * 1024 };
  first = await analyzeFile(a, { fileName: "sales_h1.csv", limits });
  const started = performance.now();
  second = await analyzeFile(b, { fileName: "sales_h2.csv", limits });
  analyseSecondMs = performance.now() - started;
  store = openSqliteStore(join(files.dir, "insights.db"));
}, 180_000);

afterAll(async () => {
  await store?.close();
});

const upload = (fileId: string, fileName: string, contentHash: string, postedAt: number) => ({
  channel: "CPERF",
  fileId,
  threadTs: `${postedAt / 1000}.000100`,
  contentHash,
  fileName,
  postedAt,
  compareWith: null,
});

describe("the comparison step on two 1M-row files with 5,000 categories", () => {
  it("costs under 50 ms on top of the analysis, and stores under 2 MB per upload", async () => {
    expect(first.rows).toBe(ROWS);
    expect(second.rows).toBe(ROWS);

    const saved = await compareUpload(first, upload("FH1", "sales_h1.csv", "h1", 1_767_000_000_000), {
      store,
      logger,
      save: "always",
    });
    expect(saved.context?.chosenBy ?? null).not.toBe("series");

    const runs: { total: number; cpu: number; step: Awaited<ReturnType<typeof compareUpload>> }[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const step = await compareUpload(second, upload("FH2", "sales_h2.csv", "h2", 1_768_000_000_000), {
        store,
        logger,
        save: "always",
      });
      const total = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      runs.push({ total, cpu: (cpu.user + cpu.system) / 1000, step });
    }
    const sorted = [...runs].sort((x, y) => x.total - y.total);
    const fastest = sorted[0];
    const leastCpu = Math.min(...runs.map((r) => r.cpu));
    const median = sorted[Math.floor(REPEATS / 2)];
    if (!fastest || !median) throw new Error("no runs");
    const { step } = fastest;
    expect(step.context?.chosenBy).toBe("series");
    expect(step.context?.previous?.fileName).toBe("sales_h1.csv");
    expect(step.context?.comparison.category?.groups).toBeGreaterThanOrEqual(CATEGORIES);

    const records = await store.recentSnapshots("CPERF", 10);
    const sizes = records.map((r) => Buffer.byteLength(r.snapshot));
    console.log(
      JSON.stringify({
        rows: ROWS,
        categories: CATEGORIES,
        regions: REGIONS,
        analyseSecondMs: Math.round(analyseSecondMs),
        comparisonStepFastestMs: Math.round(fastest.total * 100) / 100,
        comparisonStepMedianMs: Math.round(median.total * 100) / 100,
        comparisonStepLeastCpuMs: Math.round(leastCpu * 100) / 100,
        cpuRunsMs: runs.map((r) => Math.round(r.cpu * 100) / 100),
        allRunsMs: runs.map((r) => Math.round(r.total * 100) / 100),
        parts: Object.fromEntries(
          Object.entries(step.timings).map(([k, v]) => [k, Math.round(v * 100) / 100]),
        ),
        storedSnapshotBytes: sizes,
        // What the analysis cache keeps per entry (a compared summary's entry repeats it).
        analysisJsonBytes: Buffer.byteLength(JSON.stringify(second)),
      }),
    );
    expect(leastCpu).toBeLessThan(MAX_STEP_MS);
    for (const size of sizes) expect(size).toBeLessThan(MAX_STORED_BYTES);
  }, 60_000);
});
