import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/pipeline/analyze.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import { ANALYSIS_VERSION } from "../../src/pipeline/version.js";
import { MIGRATIONS, openSqliteStore, SCHEMA_VERSION } from "../../src/services/sqlite-store.js";
import type { Store } from "../../src/services/store.js";
import { tempFiles } from "../helpers/files.js";
import { describeStoreContract } from "./store-contract.js";
import { clock, email, HOUR, newJob, sampleAnalysis, T0, threadSummary } from "./store-fixtures.js";

const files = tempFiles();

let dbCount = 0;
/** A fresh database file path in the temp folder (not created). */
function dbPath(name = "store"): string {
  dbCount++;
  return join(files.dir, `${name}-${dbCount}.db`);
}

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function open(path: string, now?: () => number): Store {
  const store = openSqliteStore(path, now ? { now } : {});
  opened.push(store);
  return store;
}

function raw(path: string, options?: Database.Options): Database.Database {
  const db = new Database(path, options);
  opened.push(db);
  return db;
}

let analysis: Analysis;
let summary: ExecutiveSummary;
beforeAll(async () => {
  ({ analysis, summary } = await sampleAnalysis());
});

describeStoreContract("SQLite", async () => {
  const path = dbPath("contract");
  return { open: async (now) => openSqliteStore(path, now ? { now } : {}) };
});

describe("openSqliteStore", () => {
  it("creates the folder and the file, in WAL mode, at the current schema version", async () => {
    const path = join(files.dir, "nested", "deeper", "insights.db");
    const store = open(path);
    await store.createJob(newJob("j1"));
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(true);

    const check = raw(path, { readonly: true });
    expect(check.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const tables = check
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      "analyses",
      "dedupe",
      "emails",
      "jobs",
      "rate_slots",
      "snapshots",
      "thread_summaries",
    ]);
  });

  it("opens an existing database again without re-running migrations", async () => {
    const path = dbPath();
    const first = open(path);
    await first.createJob(newJob("j1"));
    await first.close();
    const again = open(path);
    expect((await again.getJob("j1"))?.id).toBe("j1");
  });

  it("works in memory", async () => {
    const store = open(":memory:");
    expect(await store.claim(["k"], HOUR)).toBe(true);
    expect(await store.claim(["k"], HOUR)).toBe(false);
  });

  it("refuses a database written by a newer schema, and leaves it untouched", async () => {
    const path = dbPath("newer");
    const db = new Database(path);
    db.exec("CREATE TABLE from_the_future (x INTEGER)");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    expect(() => openSqliteStore(path)).toThrow(
      new RegExp(`schema version ${SCHEMA_VERSION + 1}.*versions up to ${SCHEMA_VERSION}.*newer release`),
    );
    const check = raw(path, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(check.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(check.prepare("SELECT name FROM sqlite_master").pluck().all()).toEqual(["from_the_future"]);
  });

  it("refuses a file that is not a SQLite database", async () => {
    const path = files.write("not-a-db.db", "this is a CSV, not a database\n".repeat(200));
    expect(() => openSqliteStore(path)).toThrow(/not a database/);
  });

  it("fails clearly when the folder cannot be created", async () => {
    const blocker = files.write("blocker", "a file where a folder should be");
    expect(() => openSqliteStore(join(blocker, "data", "insights.db"))).toThrow(/ENOTDIR|EEXIST/);
  });

  it("close is idempotent and the store is unusable afterwards", async () => {
    const store = openSqliteStore(dbPath());
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.getJob("j1")).rejects.toThrow(/not open/);
  });
});

describe("migrations", () => {
  it("are numbered 1, 2, … and end at SCHEMA_VERSION", async () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS.at(-1)?.version).toBe(SCHEMA_VERSION);
    for (const m of MIGRATIONS) expect(m.description).not.toBe("");
  });

  function v1Database(path: string): Database.Database {
    const v1 = MIGRATIONS[0];
    if (!v1) throw new Error("no migrations");
    const db = new Database(path);
    db.exec(v1.up);
    db.pragma("user_version = 1");
    return db;
  }

  it("upgrades a v1 database: old rows stay readable and the new tables work", async () => {
    const path = dbPath("v1");
    const db = v1Database(path);
    db.prepare(
      `INSERT INTO jobs (id, "trigger", channel, thread_ts, file_id, content_hash, requester, recipients, stage,
         status, error, progress_ts, summary_ts, created_at, updated_at)
       VALUES ('old-running', 'command', 'C9', '1.1', 'F9', 'h9', 'U9', '["x@example.com"]', 'read', 'running',
         NULL, '2.2', NULL, ?, ?),
              ('old-done', 'upload', 'C9', '1.1', 'F8', NULL, 'U9', '[]', 'done', 'done', NULL, NULL, '3.3', ?, ?)`,
    ).run(T0, T0 + 5, T0 + 1, T0 + 6);
    db.prepare("INSERT INTO dedupe (key, expires_at) VALUES ('event:Ev1', ?)").run(T0 + HOUR);
    db.prepare("INSERT INTO analyses VALUES ('h9', 'old.csv', ?, ?, ?)").run(
      JSON.stringify(analysis),
      JSON.stringify(summary),
      T0,
    );
    db.prepare(
      `INSERT INTO emails (idempotency_key, job_id, recipients, provider_id, status, created_at)
       VALUES ('old-key', 'old-running', '["x@example.com"]', 're_old', 'sent', ?)`,
    ).run(T0);
    expect(() => db.prepare("SELECT reason FROM emails").all()).toThrow(/no such column/);
    db.close();

    const c = clock(T0 + 10);
    const store = open(path, c.now);
    const check = raw(path, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma("journal_mode", { simple: true })).toBe("wal");

    expect(await store.getJob("old-running")).toEqual({
      id: "old-running",
      trigger: "command",
      channel: "C9",
      threadTs: "1.1",
      fileId: "F9",
      requester: "U9",
      recipients: ["x@example.com"],
      contentHash: "h9",
      stage: "read",
      status: "running",
      error: null,
      progressTs: "2.2",
      summaryTs: null,
      // Jobs from before migration 5 were never explicit comparisons.
      compareWith: null,
      createdAt: T0,
      updatedAt: T0 + 5,
    });
    expect((await store.unfinishedJobs()).map((j) => j.id)).toEqual(["old-running"]);
    // Analyses from before engine versioning are kept as version 1, which today's engine never reuses.
    expect(await store.analysisByHash("h9", 1)).toStrictEqual({
      contentHash: "h9",
      analysisVersion: 1,
      fileName: "old.csv",
      analysis,
      summary,
      createdAt: T0,
    });
    expect(ANALYSIS_VERSION).toBeGreaterThan(1);
    expect(await store.analysisByHash("h9", ANALYSIS_VERSION)).toBeNull();
    expect(await store.sentEmail("old-key")).toEqual({
      idempotencyKey: "old-key",
      jobId: "old-running",
      recipients: ["x@example.com"],
      providerId: "re_old",
      status: "sent",
      reason: null,
      createdAt: T0,
    });
    expect(await store.claim(["event:Ev1"], HOUR)).toBe(false);

    // What v2 added.
    await store.saveThreadSummary(threadSummary({ contentHash: "h9" }));
    expect((await store.threadSummary("C1", "1767225600.000100", "F1"))?.contentHash).toBe("h9");
    await store.recordEmail(
      email({ idempotencyKey: "new-key", status: "failed", providerId: null, reason: "bounced" }),
    );
    expect(check.prepare("SELECT reason FROM emails WHERE idempotency_key = 'new-key'").pluck().get()).toBe(
      "bounced",
    );
    // What v3 added: the same content under another engine version is another row; no summary is allowed.
    await store.saveAnalysis({
      contentHash: "h9",
      analysisVersion: ANALYSIS_VERSION,
      fileName: "new.csv",
      analysis,
      summary: null,
      createdAt: T0 + 10,
    });
    expect((await store.analysisByHash("h9", ANALYSIS_VERSION))?.summary).toBeNull();
    expect((await store.analysisByHash("h9", 1))?.fileName).toBe("old.csv");
    const indexes = check
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .pluck();
    expect(indexes.all()).toEqual(expect.arrayContaining(["jobs_status", "thread_summaries_recent"]));
  });

  it("rolls a failed upgrade back whole: still v1, nothing half-applied", async () => {
    const path = dbPath("broken");
    const db = v1Database(path);
    // Something in the way of v2's CREATE TABLE, after its ALTER TABLE has already run.
    db.exec("CREATE TABLE thread_summaries (x INTEGER)");
    db.close();

    expect(() => openSqliteStore(path)).toThrow(/upgrade .* to schema version 2 .*unchanged at version 1/);
    const check = raw(path, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(1);
    const emailColumns = check.pragma("table_info(emails)") as { name: string }[];
    expect(emailColumns.map((c) => c.name)).not.toContain("reason");
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'jobs_status'").get()).toBeUndefined();
  });
});

describe("claim across processes (worker threads, one connection each)", () => {
  it("is atomic across connections: concurrent claimers never both win a key", async () => {
    const path = dbPath("concurrent");
    openSqliteStore(path).close(); // created and migrated up front; the workers only claim
    const keys = Array.from({ length: 300 }, (_, i) => `event:Ev${i}`);
    const workers = 4;
    const won = await raceWorkers(path, keys, workers);
    expect(won).toHaveLength(workers);
    const all = won.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...keys].sort());
  });

  it("lets several connections open a fresh file at once: one migrates, the others see it done", async () => {
    const path = dbPath("fresh-race");
    const won = await raceWorkers(path, ["only-key"], 4);
    expect(won.flat()).toEqual(["only-key"]);
    const check = raw(path, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
  });
});

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
(async () => {
  const { tsImport } = await import("tsx/esm/api");
  const { openSqliteStore } = await tsImport(workerData.module, workerData.module);
  const store = openSqliteStore(workerData.path);
  const gate = new Int32Array(workerData.gate);
  Atomics.add(gate, 1, 1);
  Atomics.wait(gate, 0, 0);
  const won = [];
  for (const key of workerData.keys) if (await store.claim([key], 60000)) won.push(key);
  await store.close();
  parentPort.postMessage({ won });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** Each worker opens its own connection to `path`, waits at a gate, then all claim the same keys at once. */
async function raceWorkers(path: string, keys: string[], count: number): Promise<string[][]> {
  const gate = new SharedArrayBuffer(8);
  const flags = new Int32Array(gate);
  const workerData = {
    path,
    keys,
    gate,
    module: new URL("../../src/services/sqlite-store.ts", import.meta.url).href,
  };
  let failed = false;
  const results = Array.from(
    { length: count },
    () =>
      new Promise<string[]>((resolve, reject) => {
        const fail = (error: Error) => {
          failed = true;
          reject(error);
        };
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
        worker.once("message", (message: { won?: string[]; error?: string }) => {
          if (message.won) resolve(message.won);
          else fail(new Error(message.error));
          void worker.terminate();
        });
        worker.once("error", fail);
      }),
  );
  // Handled from the start: a worker that fails before the gate opens is a test failure, not an unhandled rejection.
  const all = Promise.all(results);
  all.catch(() => undefined);
  const deadline = Date.now() + 20_000;
  while (Atomics.load(flags, 1) < count && !failed && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  return all;
}
