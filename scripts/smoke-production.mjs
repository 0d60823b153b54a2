#!/usr/bin/env node
// Production smoke test: what the Docker image does, without Docker.
//
//   npm run build && node scripts/smoke-production.mjs
//
// 1. `npm pack` the repo (only package.json "files": dist, sample_data) and check that dist/main.js and
//    everything it imports are in the tarball, and that every package it imports is a dependency
//    (not a devDependency).
// 2. In a fresh directory, `npm init -y` + `npm install --omit=dev <tarball>`: production
//    dependencies only, from the registry (better-sqlite3 compiles here when no prebuilt binary fits),
//    then the same trim and native-module check as the Dockerfile.
// 3. Start a fake Slack Web API on 127.0.0.1, and the app from the install in HTTP mode against it.
// 4. GET /health answers 200 (within 30 s); GET /metrics answers Prometheus text; POST /slack/events
//    checks signatures (unsigned: 401, signed url_verification: the challenge).
// 5. SIGTERM: the process exits 0 within SHUTDOWN_TIMEOUT_MS + 3 s.
//
// Prints each step with its timing; exits 1 on the first failure, with the app's last log lines.
// SMOKE_KEEP=1 keeps the temporary directories for a look afterwards.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SHUTDOWN_TIMEOUT_MS = 5000;
const HEALTH_TIMEOUT_MS = 30_000;
const SIGNING_SECRET = "smoke-signing-secret";
/** Entry points the image runs: the app (CMD) and the CLI (package.json "bin"). */
const ENTRY_POINTS = ["dist/main.js", "dist/cli.js", "dist/cli-bundle.cjs"];
/** Read by the CLI (src/cli-loader.ts) but imported by nothing: checked for by name. */
const DATA_FILES = ["dist/cli-bundle.cache"];
/** What the Dockerfile deletes from better-sqlite3 after `npm prune`; kept in step with it. */
const SQLITE_TRIM = [
  "deps",
  "src",
  "build/deps",
  "build/Release/obj",
  "build/Release/obj.target",
  "build/Release/.deps",
  "build/Release/test_extension.node",
  "build/Release/sqlite3.a",
];

const started = performance.now();
const cleanups = [];
/** The app's output, newest last, for the failure report. */
const appLog = [];
let app = null;

class SmokeFailure extends Error {}

function fail(message) {
  throw new SmokeFailure(message);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function step(name, fn) {
  const t0 = performance.now();
  process.stdout.write(`- ${name} ... `);
  try {
    const detail = await fn();
    process.stdout.write(`ok (${seconds(performance.now() - t0)})${detail ? `: ${detail}` : ""}\n`);
    return detail;
  } catch (error) {
    process.stdout.write(`FAILED (${seconds(performance.now() - t0)})\n`);
    throw error;
  }
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise({ stdout, stderr });
      else {
        const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-40).join("\n");
        reject(new SmokeFailure(`${command} ${args.join(" ")} exited with ${code}:\n${output}`));
      }
    });
  });
}

async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// `require(` too: the CLI bundle (dist/cli-bundle.cjs) is CommonJS.
const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Follows the relative imports from the entry points through the packed files: every module they
 * reach must be in the tarball, and every package they import must be a production dependency.
 */
function checkPackedImports(packedFiles, pkg) {
  const packed = new Set(packedFiles);
  const builtins = new Set(builtinModules);
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  const problems = [];
  const seen = new Set();
  const queue = [];
  for (const entry of ENTRY_POINTS) {
    if (packed.has(entry)) queue.push(entry);
    else problems.push(`${entry} is not in the tarball`);
  }
  for (const file of DATA_FILES) if (!packed.has(file)) problems.push(`${file} is not in the tarball`);
  const packages = new Set();
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const [, specifier] of source.matchAll(IMPORT_PATTERN)) {
      if (specifier.startsWith(".")) {
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (packed.has(target)) queue.push(target);
        else problems.push(`${file} imports ${specifier}, which is not in the tarball`);
      } else if (!specifier.startsWith("node:") && !builtins.has(specifier)) {
        const name = packageName(specifier);
        packages.add(name);
        if (!dependencies.has(name)) {
          problems.push(`${file} imports "${name}", which is not in package.json "dependencies"`);
        }
      }
    }
  }
  if (problems.length > 0) fail(problems.join("\n"));
  return { modules: seen.size, packages: packages.size };
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Slack's Web API, as far as start-up needs it: auth.test names the bot; anything else is ok. */
async function startFakeSlack() {
  const calls = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      calls.push(`${req.method} ${req.url}`);
      const body =
        req.method === "POST" && req.url?.startsWith("/api/auth.test")
          ? { ok: true, user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0", user: "smoke-bot", team: "Smoke" }
          : { ok: true };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  cleanups.push(() => new Promise((ok) => server.close(() => ok())));
  return { url: `http://127.0.0.1:${server.address().port}/api/`, calls };
}

function remember(chunk) {
  for (const line of String(chunk).split("\n")) {
    if (line.trim() === "") continue;
    appLog.push(line);
    if (appLog.length > 40) appLog.shift();
  }
}

async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

function exited() {
  return app.exitCode !== null || app.signalCode !== null;
}

async function main() {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  console.log(`Production smoke test of ${pkg.name}@${pkg.version} (node ${process.version})`);
  if (!existsSync(join(ROOT, "dist/main.js"))) fail("dist/main.js is missing: run `npm run build` first");

  const packDir = await tempDir("sib-pack-");
  // A plain directory name, so that `npm init -y` derives a valid package name from it.
  const appDir = join(await tempDir("sib-image-"), "image");
  await mkdir(appDir);
  const dataDir = await tempDir("sib-data-");

  // 1. The tarball: what package.json "files" ships (dist, sample_data).
  let tarball;
  await step("npm pack", async () => {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: ROOT });
    const [info] = JSON.parse(stdout.slice(stdout.indexOf("[")));
    tarball = join(packDir, info.filename);
    const { modules, packages } = checkPackedImports(
      info.files.map((f) => f.path),
      pkg,
    );
    return `${info.filename}, ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB; ${ENTRY_POINTS.join(" and ")} reach ${modules} modules and ${packages} packages, all packed or dependencies`;
  });

  // 2. The image: production dependencies only.
  await step("npm init -y && npm install --omit=dev <tarball> (better-sqlite3 may compile)", async () => {
    await run("npm", ["init", "-y"], { cwd: appDir });
    const manifestPath = join(appDir, "package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    // The project's own install-script policy (better-sqlite3 allowed, the rest as decided there).
    manifest.private = true;
    if (pkg.allowScripts) manifest.allowScripts = pkg.allowScripts;
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", tarball], { cwd: appDir });
    const installed = await readdir(join(appDir, "node_modules"));
    const dev = Object.keys(pkg.devDependencies ?? {}).filter((name) =>
      existsSync(join(appDir, "node_modules", name)),
    );
    return `${installed.length} top-level entries in node_modules${dev.length ? `; also present (pulled in by a dependency): ${dev.join(", ")}` : ""}`;
  });
  const appRoot = join(appDir, "node_modules", pkg.name);
  if (!existsSync(join(appRoot, "dist/main.js"))) fail(`${appRoot}/dist/main.js is not installed`);

  await step("trim better-sqlite3 as the Dockerfile does, then load it", async () => {
    const sqlite = join(appDir, "node_modules/better-sqlite3");
    if (!existsSync(sqlite)) return "not a dependency (nothing to trim)";
    await Promise.all(SQLITE_TRIM.map((path) => rm(join(sqlite, path), { recursive: true, force: true })));
    await run(
      process.execPath,
      ["-e", "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
      { cwd: appDir },
    );
    return "native module loads";
  });

  // The charts need resvg's native binary (an optional dependency) and the bundled font, both from
  // this production install: the image has no system fonts, so a missing font shows here.
  await step("the CLI draws the charts (resvg, bundled font) from the production install", async () => {
    const charts = join(appDir, "charts");
    await run(
      process.execPath,
      [
        join(appRoot, "dist/cli.js"),
        "analyze",
        join(appRoot, "sample_data/sales_q1_2026.csv"),
        "--offline",
        "--charts",
        charts,
      ],
      { cwd: appDir },
    );
    const pngs = (await readdir(charts)).filter((f) => f.endsWith(".png"));
    if (pngs.length !== 2) fail(`expected 2 PNG charts in ${charts}, found ${pngs.join(", ") || "none"}`);
    const png = readFileSync(join(charts, pngs[0]));
    if (png.subarray(1, 4).toString("ascii") !== "PNG") fail(`${pngs[0]} is not a PNG`);
    return `${pngs.join(", ")} (${png.readUInt32BE(16)}x${png.readUInt32BE(20)})`;
  });

  // 3. The app, in HTTP mode, against a fake Slack.
  const slack = await startFakeSlack();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? appDir,
    TMPDIR: dataDir,
    NODE_ENV: "production",
    SLACK_BOT_TOKEN: "xoxb-smoke",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: String(port),
    DATA_DIR: join(dataDir, "data"),
    ALLOWED_USER_IDS: "*",
    ALLOWED_CHANNEL_IDS: "*",
    LOG_LEVEL: "info",
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
  await mkdir(env.DATA_DIR, { recursive: true });

  await step(`start node ${pkg.name}/dist/main.js (HTTP mode, port ${port})`, async () => {
    app = spawn(process.execPath, [join("node_modules", pkg.name, "dist/main.js")], {
      cwd: appDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout.on("data", remember);
    app.stderr.on("data", remember);
    cleanups.push(async () => {
      if (!exited()) app.kill("SIGKILL");
    });
    return `pid ${app.pid}`;
  });

  // 4. What an operator and Slack see.
  await step("GET /health answers 200", async () => {
    const deadline = performance.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (exited())
        fail(`the app exited (code ${app.exitCode}, signal ${app.signalCode}) before /health answered`);
      const result = await get(`${base}/health`).catch(() => null);
      if (result?.status === 200)
        return `${result.body}; Slack API calls so far: ${slack.calls.join(", ") || "none"}`;
      if (performance.now() > deadline) {
        fail(
          `/health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${result?.status ?? "no answer"})`,
        );
      }
      await new Promise((ok) => setTimeout(ok, 200));
    }
  });

  await step("GET /metrics answers Prometheus text", async () => {
    const { status, body } = await get(`${base}/metrics`);
    if (status === 404) fail("GET /metrics answered 404: this build has no /metrics route yet");
    if (status !== 200) fail(`GET /metrics answered ${status}`);
    if (!body.includes("# HELP"))
      fail(`GET /metrics answered 200 without "# HELP" lines:\n${body.slice(0, 300)}`);
    const families = [...body.matchAll(/^# TYPE (sib_\w+)/gm)].map((m) => m[1]);
    const own = families.filter((name) => !name.startsWith("sib_process_"));
    return `${families.length} sib_* families; the app's own: ${own.join(", ") || "none"}`;
  });

  await step("POST /slack/events checks Slack's signature", async () => {
    const body = JSON.stringify({ type: "url_verification", challenge: "smoke-challenge", token: "x" });
    const url = `${base}/slack/events`;
    const headers = { "content-type": "application/json" };
    const unsigned = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) });
    if (unsigned.status !== 401) fail(`an unsigned request got ${unsigned.status}, not 401`);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    const signed = await fetch(url, {
      method: "POST",
      headers: { ...headers, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
      body,
      signal: AbortSignal.timeout(5000),
    });
    const text = await signed.text();
    if (signed.status !== 200 || !text.includes("smoke-challenge")) {
      fail(`a signed url_verification got ${signed.status}: ${text.slice(0, 200)}`);
    }
    return "unsigned 401, signed url_verification 200 with the challenge";
  });

  // 5. Shutdown as Fly.io does it.
  await step(`SIGTERM: exits 0 within ${seconds(SHUTDOWN_TIMEOUT_MS + 3000)}`, async () => {
    const limit = SHUTDOWN_TIMEOUT_MS + 3000;
    const t0 = performance.now();
    const exit = new Promise((ok) => app.once("exit", (code, signal) => ok({ code, signal })));
    app.kill("SIGTERM");
    const timer = new Promise((ok) => setTimeout(() => ok(null), limit));
    const result = await Promise.race([exit, timer]);
    if (result === null) fail(`still running ${seconds(limit)} after SIGTERM`);
    if (result.code !== 0) fail(`exited with code ${result.code} (signal ${result.signal}) after SIGTERM`);
    const left = await readdir(env.DATA_DIR);
    return `exit code 0 after ${seconds(performance.now() - t0)}; DATA_DIR holds: ${left.join(", ") || "nothing yet"}`;
  });

  console.log(`Production smoke test passed in ${seconds(performance.now() - started)}.`);
}

async function cleanUp() {
  if (process.env.SMOKE_KEEP === "1") {
    console.log("SMOKE_KEEP=1: temporary directories kept.");
    if (app && !exited()) app.kill("SIGKILL");
    return;
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(
    `\nProduction smoke test FAILED: ${error instanceof SmokeFailure ? error.message : error.stack}`,
  );
  if (appLog.length > 0) console.error(`\nThe app's last log lines:\n${appLog.join("\n")}`);
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
