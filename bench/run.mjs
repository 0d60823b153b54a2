#!/usr/bin/env node
/**
 * End-to-end throughput benchmark for `node dist/cli.js analyze FILE --json`, side by side with two
 * baselines run on the same files as separate processes, interleaved per repeat:
 *   - floor:  bench/floor-scan.mjs, a minimal hand-written single-pass byte scanner computing the same
 *             core metrics (CSV only). The CLI's CPU time (user + sys) is reported as a multiple of it.
 *   - pandas: bench/pandas-metrics.py (read_csv / read_excel with openpyxl + groupby), what a user
 *             would write instead. The CLI's wall time is reported as a fraction of it. Skipped, with a
 *             printed line, when pandas is not importable.
 * Two hostile CSVs check that reading stays linear: 50 MB of blank lines and 50 MB of lines without a
 * delimiter, each between 1,000 real rows at the top and at the bottom.
 *
 *   npm run bench                      build, then run the full benchmark (1M + 5M row CSV, 100k row XLSX,
 *                                      the two 50 MB hostile CSVs)
 *   node bench/run.mjs                 same, without building
 *   BENCH_SMOKE=1 node bench/run.mjs   tiny files (20k CSV rows, 2k XLSX rows, 2 MB hostile CSVs), 1 repeat,
 *                                      no pandas: seconds (CI)
 *
 * Environment:
 *   BENCH_SMOKE=1        tiny sizes, 1 repeat
 *   BENCH_REPEATS=N      runs per file (default 3; 1 with BENCH_SMOKE unless set)
 *   BENCH_CLI=path       CLI entry to benchmark (default dist/cli.js)
 *   BENCH_BASELINE_CLI=path
 *                        a second CLI entry (e.g. a build of main copied to bench/.data/dist-main) run as
 *                        engine "baseline", interleaved with the others: before/after figures from the
 *                        same minutes of a shared machine, with the ratio cliCpuOverBaselineCpu
 *   BENCH_TIMER=auto|gnu-time|fallback
 *                        auto (default): GNU /usr/bin/time -f '%e %M %U %S' if it works, else the fallback
 *                        (hrtime wall clock + peak RSS and CPU from process.resourceUsage() via an --import
 *                        preload, or Python's resource.getrusage for pandas)
 *   BENCH_PYTHON=path    Python with pandas (default /usr/bin/python3, Debian's python3-pandas)
 *   BENCH_PANDAS=0|1     run pandas (default 1; 0 with BENCH_SMOKE unless set)
 *   BENCH_FLOOR=0|1      run the floor scan (default 1)
 *   BENCH_TIMEOUT_S=N    per-run timeout in seconds (default 900)
 *   BENCH_JSON_OUT=file  also write the final JSON line to this file
 *   BENCH_ONLY=a,b       only the named files (csv-1m, csv-5m, xlsx-100k, csv-blank-lines-50mb, ...)
 *
 * Data files are generated once into bench/.data/ by scripts/generate-sample-data.ts (the single source of
 * truth for the row generator, run through `node --import tsx`) and reused while their .meta.json marker
 * still matches (rows, seed, byte size, and a hash of the generator script).
 *
 * Output: progress on stderr; a table and, as the very last stdout line, one JSON object with every figure
 * (pipe through `tail -n 1` to compare commits). Per file: the CLI's median wall, CPU and peak RSS, the
 * same for floor and pandas, and the ratios `cliCpuOverFloorCpu` and `cliWallOverPandasWall`.
 * Exits 1 if any CLI or floor run fails or reports the wrong `rows` or revenue.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { isTruthy, positiveInt } from "./env.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA_DIR = path.join(ROOT, "bench", ".data");
const GENERATOR = path.join(ROOT, "scripts", "generate-sample-data.ts");
const CLI = path.resolve(ROOT, process.env.BENCH_CLI || path.join("dist", "cli.js"));
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI
  ? path.resolve(ROOT, process.env.BENCH_BASELINE_CLI)
  : null;
const SMOKE = isTruthy(process.env.BENCH_SMOKE);
const REPEATS = positiveInt("BENCH_REPEATS", SMOKE ? 1 : 3);
const TIMEOUT_MS = positiveInt("BENCH_TIMEOUT_S", 900) * 1000;
const SEED = 42;
const PYTHON = process.env.BENCH_PYTHON || "/usr/bin/python3";
const RUN_PANDAS = isTruthy(process.env.BENCH_PANDAS ?? (SMOKE ? "0" : "1"));
const RUN_FLOOR = isTruthy(process.env.BENCH_FLOOR ?? "1");
const FLOOR_SCAN = path.join(ROOT, "bench", "floor-scan.mjs");
const PANDAS_SCRIPT = path.join(ROOT, "bench", "pandas-metrics.py");

const HOSTILE_BYTES = SMOKE ? 2_000_000 : 50_000_000;
const ALL_DATASETS = SMOKE
  ? [
      { name: "csv-20k", format: "csv", rows: 20_000 },
      { name: "xlsx-2k", format: "xlsx", rows: 2_000 },
      { name: "csv-blank-lines-2mb", format: "csv", hostile: "blank-lines" },
      { name: "csv-no-delimiter-2mb", format: "csv", hostile: "no-delimiter" },
    ]
  : [
      { name: "csv-1m", format: "csv", rows: 1_000_000 },
      { name: "csv-5m", format: "csv", rows: 5_000_000 },
      { name: "xlsx-100k", format: "xlsx", rows: 100_000 },
      { name: "csv-blank-lines-50mb", format: "csv", hostile: "blank-lines" },
      { name: "csv-no-delimiter-50mb", format: "csv", hostile: "no-delimiter" },
    ];
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((n) => n.trim())) : null;
const DATASETS = ONLY ? ALL_DATASETS.filter((ds) => ONLY.has(ds.name)) : ALL_DATASETS;

/**
 * Writes the child's peak RSS (KiB) and CPU seconds to $BENCH_RSS_FILE on exit; used only when GNU time
 * is unavailable.
 */
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";process.on("exit",()=>{try{const u=process.resourceUsage();writeFileSync(process.env.BENCH_RSS_FILE,JSON.stringify({maxRSS:u.maxRSS,userS:u.userCPUTime/1e6,systemS:u.systemCPUTime/1e6}))}catch{}});',
)}`;

const displayPath = (p) => (p.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, p) : p);
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------------
// Data files
// ---------------------------------------------------------------------------------------------------------

function generatorHash() {
  return createHash("sha256").update(readFileSync(GENERATOR)).digest("hex");
}

function readMeta(metaFile) {
  try {
    return JSON.parse(readFileSync(metaFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** Return { file, bytes, summary } for the dataset, generating it unless a matching file already exists. */
function ensureDataFile(ds, genHash) {
  const file = path.join(DATA_DIR, `bench_${ds.rows}_s${SEED}.${ds.format}`);
  const metaFile = `${file}.meta.json`;
  const meta = readMeta(metaFile);
  if (
    meta &&
    existsSync(file) &&
    meta.rows === ds.rows &&
    meta.seed === SEED &&
    meta.format === ds.format &&
    meta.generatorSha256 === genHash &&
    statSync(file).size === meta.bytes
  ) {
    log(`reusing ${path.relative(ROOT, file)} (${ds.rows.toLocaleString("en-US")} rows)`);
    return { file, bytes: meta.bytes, summary: meta.summary };
  }

  log(`generating ${path.relative(ROOT, file)} (${ds.rows.toLocaleString("en-US")} rows) ...`);
  const tmp = `${file}.tmp-${process.pid}`;
  const started = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    ["--import", "tsx", GENERATOR, `bench-${ds.format}`, tmp, String(ds.rows), String(SEED)],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
  );
  if (res.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(
      `generator failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`}); is tsx installed (npm ci)?`,
    );
  }
  const summary = JSON.parse(res.stdout.trim().split("\n").pop() ?? "");
  if (summary.rows !== ds.rows) throw new Error(`generator wrote ${summary.rows} rows, expected ${ds.rows}`);
  const bytes = statSync(tmp).size;
  if (summary.bytes !== undefined && summary.bytes !== bytes) {
    throw new Error(`generator reported ${summary.bytes} bytes but the file has ${bytes}`);
  }
  renameSync(tmp, file);
  writeFileSync(
    metaFile,
    `${JSON.stringify(
      {
        generator: path.relative(ROOT, GENERATOR),
        generatorSha256: genHash,
        format: ds.format,
        rows: ds.rows,
        seed: SEED,
        bytes,
        summary,
      },
      null,
      2,
    )}\n`,
  );
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  log(`  ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s`);
  return { file, bytes, summary };
}

/**
 * A hostile CSV for the linear-time check: 1,000 sales rows, about HOSTILE_BYTES of filler (blank lines,
 * or lines of text without a delimiter), then 1,000 more rows. Revenue of row i is i dollars, so the
 * expected total is known; only the blank-lines file has a known row count (filler lines without a
 * delimiter are rows too, with no revenue).
 */
function ensureHostileFile(ds) {
  const version = 1;
  const file = path.join(DATA_DIR, `bench_${ds.hostile}_${HOSTILE_BYTES}.csv`);
  const metaFile = `${file}.meta.json`;
  const meta = readMeta(metaFile);
  if (meta && existsSync(file) && meta.version === version && statSync(file).size === meta.bytes) {
    log(`reusing ${path.relative(ROOT, file)}`);
    return { file, bytes: meta.bytes, summary: meta.summary, expectedRows: meta.expectedRows };
  }
  log(`generating ${path.relative(ROOT, file)} ...`);
  const block = (from) => {
    let text = "";
    for (let i = from; i < from + 1000; i++) {
      const day = String((i % 28) + 1).padStart(2, "0");
      text += `2026-01-${day},Electronics,North,1,${i}.00,${i}.00,Delivered\n`;
    }
    return text;
  };
  const fillerLine = ds.hostile === "blank-lines" ? "\n" : "see attached note without any delimiter\n";
  const filler = fillerLine.repeat(Math.ceil(HOSTILE_BYTES / fillerLine.length));
  const text = `${"Date,Product_Category,Region,Units_Sold,Unit_Price,Revenue,Status"}\n${block(1)}${filler}${block(1001)}`;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  const totalCents = ((2000 * 2001) / 2) * 100;
  const summary = { totalRevenueCents: totalCents, netRevenueCents: totalCents };
  const expectedRows = ds.hostile === "blank-lines" ? 2000 : undefined;
  const bytes = Buffer.byteLength(text);
  writeFileSync(metaFile, `${JSON.stringify({ version, bytes, summary, expectedRows }, null, 2)}\n`);
  return { file, bytes, summary, expectedRows };
}

function removeStaleTempFiles() {
  for (const name of readdirSync(DATA_DIR)) {
    if (/\.tmp-\d+$/.test(name)) rmSync(path.join(DATA_DIR, name), { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------------------

function detectTimer(tmpDir) {
  const forced = process.env.BENCH_TIMER || "auto";
  if (!["auto", "gnu-time", "fallback"].includes(forced)) {
    throw new Error(`BENCH_TIMER must be auto, gnu-time or fallback, got ${JSON.stringify(forced)}`);
  }
  if (forced === "fallback") return "fallback";
  let reason = "/usr/bin/time not found";
  if (existsSync("/usr/bin/time")) {
    const probe = path.join(tmpDir, "probe.txt");
    const res = spawnSync("/usr/bin/time", ["-f", TIME_FORMAT, "-o", probe, process.execPath, "-e", ""], {
      stdio: "ignore",
    });
    if (res.status === 0 && parseTimeFile(probe)) return "gnu-time";
    reason = "/usr/bin/time is not GNU time (no -f/-o support)";
  }
  if (forced === "gnu-time") throw new Error(`BENCH_TIMER=gnu-time but ${reason}`);
  log(
    `note: ${reason}; measuring wall time with hrtime and peak RSS with process.resourceUsage() in a preload ` +
      `(Debian/Ubuntu: apt-get install -y time)`,
  );
  return "fallback";
}

const TIME_FORMAT = "%e %M %U %S";

/** GNU time writes "Command exited with non-zero status N" first on failure, so read the last line. */
function parseTimeFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const last = text.trim().split("\n").pop() ?? "";
  const m = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(last.trim());
  return m
    ? { elapsedS: Number(m[1]), maxRssKB: Number(m[2]), cpuS: Number(m[3]) + Number(m[4]) }
    : undefined;
}

let activeChild;
let activeTmpDir;

/** The command line of one engine on one file; null when the engine does not read that format. */
function engineCommand(engine, file, format, timer) {
  const node = (args) => [
    process.execPath,
    ...(timer === "gnu-time" ? [] : ["--import", RSS_PRELOAD]),
    ...args,
  ];
  if (engine === "cli") return node([CLI, "analyze", file, "--json"]);
  if (engine === "baseline") return node([BASELINE_CLI, "analyze", file, "--json"]);
  if (engine === "floor") return format === "csv" ? node([FLOOR_SCAN, file]) : null;
  if (engine === "pandas") return [PYTHON, PANDAS_SCRIPT, file];
  throw new Error(`unknown engine ${engine}`);
}

function runOnce(timer, tmpDir, command, env, runId) {
  const timeFile = path.join(tmpDir, `time-${runId}.txt`);
  const rssFile = path.join(tmpDir, `rss-${runId}.txt`);
  const [cmd, args] =
    timer === "gnu-time"
      ? ["/usr/bin/time", ["-f", TIME_FORMAT, "-o", timeFile, ...command]]
      : [command[0], command.slice(1)];

  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    // detached: own process group, so a timeout or Ctrl-C can stop time *and* node together.
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: timer === "gnu-time" ? env : { ...env, BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    activeChild = child;
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timeout);
      activeChild = undefined;
      resolve({ error: `spawn failed: ${error.message}`, stdout: "", stderr: "" });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timeout);
      activeChild = undefined;
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      let peakRssKB;
      let timeElapsedS;
      let cpuS;
      if (timer === "gnu-time") {
        const t = parseTimeFile(timeFile);
        peakRssKB = t?.maxRssKB;
        timeElapsedS = t?.elapsedS;
        cpuS = t?.cpuS;
      } else {
        let usage;
        try {
          usage = JSON.parse(readFileSync(rssFile, "utf8"));
        } catch {}
        peakRssKB = Number.isFinite(usage?.maxRSS) ? usage.maxRSS : undefined;
        cpuS = Number.isFinite(usage?.userS) ? usage.userS + usage.systemS : undefined;
      }
      const result = { wallS, timeElapsedS, peakRssKB, cpuS, code, stdout, stderr };
      if (timedOut) result.error = `timed out after ${TIMEOUT_MS / 1000} s`;
      else if (code !== 0) result.error = `exit ${code ?? signal}`;
      resolve(result);
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (activeChild) killGroup(activeChild);
    if (activeTmpDir) rmSync(activeTmpDir, { recursive: true, force: true });
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Checking the CLI's answer
// ---------------------------------------------------------------------------------------------------------

function parseJsonOutput(stdout) {
  const text = stdout.trim();
  try {
    return JSON.parse(text);
  } catch {}
  for (const line of text.split(/\r?\n/).reverse()) {
    if (!line.trimStart().startsWith("{")) continue;
    try {
      return JSON.parse(line);
    } catch {}
  }
  const a = text.indexOf("{");
  const b = text.lastIndexOf("}");
  if (a >= 0 && b > a) {
    try {
      return JSON.parse(text.slice(a, b + 1));
    } catch {}
  }
  return undefined;
}

/** Top-level numeric `key`, else the shallowest nested one (depth <= 3). Returns { value, path }. */
function findNumber(json, key) {
  const queue = [{ node: json, path: "" }];
  while (queue.length > 0) {
    const { node, path: at } = queue.shift();
    if (node === null || typeof node !== "object" || at.split(".").length > 3) continue;
    const v = node[key];
    if (typeof v === "number" || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))) {
      return { value: Number(v), path: at ? `${at}.${key}` : key };
    }
    for (const [k, child] of Object.entries(node)) {
      if (child && typeof child === "object" && !Array.isArray(child)) {
        queue.push({ node: child, path: at ? `${at}.${k}` : k });
      }
    }
  }
  return undefined;
}

function revenueCheck(json, summary) {
  const found = findNumber(json, "totalRevenue");
  if (!found) return "absent";
  const near = (cents) => Math.abs(found.value - cents / 100) < 0.005;
  if (near(summary.totalRevenueCents)) return "gross";
  if (near(summary.netRevenueCents)) return "net";
  return `mismatch: ${found.path}=${found.value}, generated gross ${summary.totalRevenueCents / 100}, net ${summary.netRevenueCents / 100}`;
}

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function round(n, digits) {
  return n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits));
}

function gitInfo() {
  const git = (...args) =>
    spawnSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const head = git("rev-parse", "HEAD");
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = git("status", "--porcelain", "--untracked-files=no");
  return { commit: head.stdout.trim(), dirty: status.status === 0 ? status.stdout.trim() !== "" : null };
}

/** Limits sized so the benchmark files are accepted; values already in the environment win. */
function childEnv(ds, bytes) {
  const env = { ...process.env };
  env.MAX_FILE_MB ||= String(Math.min(2048, Math.max(50, Math.ceil(bytes / 1048576) + 1)));
  // A hostile file has at most one row per line, and a line is at least one byte.
  env.MAX_ROWS ||= String(Math.max(1_000_000, (ds.rows ?? bytes) + 1));
  return env;
}

function printTable(results) {
  const header = [
    "file",
    "rows",
    "MB",
    "cli wall s",
    "cli CPU s",
    "cli RSS MB",
    "floor CPU s",
    "cli/floor CPU",
    "pandas wall s",
    "cli/pandas wall",
    ...(BASELINE_CLI ? ["baseline CPU s", "baseline wall s"] : []),
  ];
  const fmtInt = (n) => (n === null || n === undefined ? "-" : Math.round(n).toLocaleString("en-US"));
  const fmt = (n, d) => (n === null || n === undefined ? "-" : n.toFixed(d));
  const lines = results.map((r) => [
    r.file,
    fmtInt(r.rows),
    fmt(r.mb, 1),
    fmt(r.medianWallS, 3),
    fmt(r.medianCpuS, 3),
    fmt(r.peakRssMB, 1),
    fmt(r.floor?.medianCpuS, 3),
    r.ratios.cliCpuOverFloorCpu === null ? "-" : `${r.ratios.cliCpuOverFloorCpu.toFixed(2)}x`,
    fmt(r.pandas?.medianWallS, 3),
    r.ratios.cliWallOverPandasWall === null ? "-" : `${r.ratios.cliWallOverPandasWall.toFixed(2)}x`,
    ...(BASELINE_CLI ? [fmt(r.baseline?.medianCpuS, 3), fmt(r.baseline?.medianWallS, 3)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(row(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(row(l));
  for (const r of results) if (r.error) console.log(`FAILED ${r.file}: ${r.error}`);
  for (const r of results) if (r.floor?.error) console.log(`FAILED ${r.file} floor: ${r.floor.error}`);
  for (const r of results) if (r.pandas?.error) console.log(`note ${r.file} pandas: ${r.pandas.error}`);
  for (const r of results) {
    if (!r.error && r.revenueCheck !== "gross" && r.revenueCheck !== "net") {
      console.log(`warning ${r.file}: totalRevenue ${r.revenueCheck}`);
    }
  }
}

/** Checks one engine's JSON answer against what the generator wrote; returns an error or undefined. */
function checkAnswer(stdout, expectedRows, summary) {
  const json = parseJsonOutput(stdout);
  if (json === undefined) return { error: "stdout is not JSON" };
  const rows = findNumber(json, "rows");
  if (!rows) return { error: "JSON output has no numeric `rows`" };
  if (expectedRows !== undefined && rows.value !== expectedRows) {
    return { error: `${rows.path} = ${rows.value}, expected ${expectedRows}` };
  }
  const revenue = revenueCheck(json, summary);
  if (revenue !== "gross" && revenue !== "net") return { error: `totalRevenue ${revenue}`, revenue };
  return { revenue };
}

/** pandas needs Debian's python3-pandas (or BENCH_PYTHON); returns a reason to skip it, or undefined. */
function pandasUnavailable() {
  if (!RUN_PANDAS) return "disabled (BENCH_PANDAS=0, the default with BENCH_SMOKE)";
  const probe = spawnSync(PYTHON, ["-c", "import pandas, openpyxl"], { stdio: "ignore" });
  if (probe.error) return `${PYTHON} not found (set BENCH_PYTHON)`;
  if (probe.status !== 0)
    return `pandas/openpyxl not importable by ${PYTHON} (Debian: apt-get install python3-pandas python3-openpyxl)`;
  return undefined;
}

function summarise(runs, ok) {
  const wall = ok ? median(runs.map((r) => r.wallS)) : undefined;
  const cpus = runs.map((r) => r.cpuS).filter((v) => v !== null);
  const cpu = ok && cpus.length === runs.length ? median(cpus) : undefined;
  const rssKBs = runs.map((r) => r.peakRssKB).filter((v) => v !== null);
  const peakRssKB = ok && rssKBs.length > 0 ? Math.max(...rssKBs) : undefined;
  return {
    medianWallS: round(wall, 4),
    medianCpuS: round(cpu, 3),
    peakRssMB: round(peakRssKB === undefined ? undefined : (peakRssKB * 1024) / 1e6, 1),
  };
}

async function main() {
  if (!existsSync(CLI)) {
    log(`${displayPath(CLI)} not found: run \`npm run build\` first (or set BENCH_CLI)`);
    process.exit(2);
  }
  mkdirSync(DATA_DIR, { recursive: true });
  removeStaleTempFiles();
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), "sales-bench-"));
  activeTmpDir = tmpDir;
  try {
    const timer = detectTimer(tmpDir);
    const genHash = generatorHash();
    const prepared = DATASETS.map((ds) => ({
      ds,
      ...(ds.hostile ? ensureHostileFile(ds) : { ...ensureDataFile(ds, genHash), expectedRows: ds.rows }),
    }));
    const skipPandas = pandasUnavailable();
    if (skipPandas) log(`pandas skipped: ${skipPandas}`);
    if (!RUN_FLOOR) log("floor scan skipped: BENCH_FLOOR=0");
    const engines = [
      "cli",
      ...(BASELINE_CLI ? ["baseline"] : []),
      ...(RUN_FLOOR ? ["floor"] : []),
      ...(skipPandas ? [] : ["pandas"]),
    ];
    log(`node ${process.version}, timer ${timer}, ${REPEATS} repeat(s) per file, cli ${displayPath(CLI)}`);

    const results = [];
    let runId = 0;
    for (const { ds, file, bytes, summary, expectedRows } of prepared) {
      const env = childEnv(ds, bytes);
      const state = Object.fromEntries(
        engines.map((e) => [e, { runs: [], error: undefined, revenue: "absent" }]),
      );
      for (let i = 0; i < REPEATS; i++) {
        // Engines take turns within each repeat (rotating who goes first), so a slow spell on this
        // shared machine does not land on one engine only.
        const order = engines.map((_, k) => engines[(k + i) % engines.length]);
        for (const engine of order) {
          const s = state[engine];
          const command = engineCommand(engine, file, ds.format, timer);
          if (s.error || command === null) continue;
          const r = await runOnce(timer, tmpDir, command, env, runId++);
          const wall = r.wallS === undefined ? "" : ` ${r.wallS.toFixed(3)} s`;
          const cpu = r.cpuS === undefined ? "" : `, CPU ${r.cpuS.toFixed(2)} s`;
          const rss = r.peakRssKB === undefined ? "" : `, ${(r.peakRssKB / 1024).toFixed(1)} MiB`;
          log(
            `${path.basename(file)} ${engine} run ${i + 1}/${REPEATS}:${wall}${cpu}${rss}${r.error ? ` (${r.error})` : ""}`,
          );
          if (!r.error) {
            // pandas' row count follows its own rules (lines without a delimiter are rows of NaN).
            const checked = checkAnswer(r.stdout, engine === "pandas" ? undefined : expectedRows, summary);
            if (checked.error) r.error = checked.error;
            else s.revenue = checked.revenue;
          }
          if (r.error) {
            s.error = r.error;
            const tail = (text) => text.trim().slice(-1500);
            if (r.stderr.trim()) log(`stderr:\n${tail(r.stderr)}`);
            if (r.stdout.trim()) log(`stdout:\n${tail(r.stdout)}`);
            continue;
          }
          s.runs.push({
            wallS: round(r.wallS, 4),
            timeElapsedS: round(r.timeElapsedS, 2),
            cpuS: round(r.cpuS, 3),
            peakRssKB: r.peakRssKB ?? null,
          });
        }
      }
      const engineResult = (engine) => {
        const s = state[engine];
        if (!s || engineCommand(engine, file, ds.format, timer) === null) return null;
        const ok = s.error === undefined && s.runs.length === REPEATS;
        return { ...summarise(s.runs, ok), runs: s.runs, ...(s.error ? { error: s.error } : {}) };
      };
      const cli = engineResult("cli");
      const floor = engineResult("floor");
      const pandas = engineResult("pandas");
      const baseline = engineResult("baseline");
      const ratio = (a, b) =>
        a === null || b === null || a === undefined || b === undefined || b === 0 ? null : round(a / b, 3);
      const mb = bytes / 1e6;
      const wall = cli.medianWallS ?? undefined;
      results.push({
        name: ds.name,
        file: path.basename(file),
        format: ds.format,
        rows: expectedRows ?? null,
        bytes,
        mb: round(mb, 2),
        medianWallS: cli.medianWallS,
        medianCpuS: cli.medianCpuS,
        rowsPerS: round(wall && expectedRows ? expectedRows / wall : undefined, 0),
        mbPerS: round(wall ? mb / wall : undefined, 2),
        peakRssMB: cli.peakRssMB,
        runs: cli.runs,
        revenueCheck: cli.error ? null : state.cli.revenue,
        floor,
        pandas,
        ...(baseline ? { baseline } : {}),
        ratios: {
          cliCpuOverFloorCpu: ratio(cli.medianCpuS, floor?.medianCpuS),
          cliWallOverFloorWall: ratio(cli.medianWallS, floor?.medianWallS),
          cliWallOverPandasWall: ratio(cli.medianWallS, pandas?.medianWallS),
          cliCpuOverPandasCpu: ratio(cli.medianCpuS, pandas?.medianCpuS),
          ...(baseline
            ? {
                cliCpuOverBaselineCpu: ratio(cli.medianCpuS, baseline.medianCpuS),
                cliWallOverBaselineWall: ratio(cli.medianWallS, baseline.medianWallS),
              }
            : {}),
        },
        limits: { MAX_FILE_MB: env.MAX_FILE_MB, MAX_ROWS: env.MAX_ROWS },
        expected: {
          totalRevenue: summary.totalRevenueCents / 100,
          netRevenueExcludingCancelled: summary.netRevenueCents / 100,
        },
        ...(cli.error ? { error: cli.error } : {}),
      });
    }

    // The floor must agree with the CLI too, or its CPU figure is not a fair floor.
    const allOk = results.every((r) => !r.error && !r.floor?.error);
    printTable(results);
    const cpus = os.cpus();
    const report = {
      schema: "sales-insight-bot/bench@2",
      ok: allOk,
      smoke: SMOKE,
      repeats: REPEATS,
      timer,
      engines,
      ...(skipPandas ? { pandasSkipped: skipPandas } : {}),
      units: {
        mb: "1e6 bytes",
        peakRssMB: "1e6 bytes (max over runs)",
        wall: "median over runs",
        cpu: "user + sys seconds, median over runs",
      },
      git: gitInfo(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus[0]?.model ?? null,
      cpus: cpus.length,
      totalMemMB: Math.round(os.totalmem() / 1e6),
      date: new Date().toISOString(),
      results,
    };
    const line = JSON.stringify(report);
    if (process.env.BENCH_JSON_OUT) writeFileSync(process.env.BENCH_JSON_OUT, `${line}\n`);
    console.log(line);
    process.exitCode = allOk ? 0 : 1;
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
