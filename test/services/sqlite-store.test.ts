import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { summarize } from "../../src/pipeline/summary/summarize.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import { ANALYSIS_VERSION } from "../../src/pipeline/version.js";
import { MIGRATIONS, openSqliteStore, SCHEMA_VERSION } from "../../src/services/sqlite-store.js";
import type { EmailRecord, NewJob, SnapshotRecord, Store, ThreadSummary } from "../../src/services/store.js";
import { SAMPLE_DATA, tempFiles } from "../helpers/files.js";

const files = tempFiles();
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dbCount = 0;
/** A fresh database file path in the temp folder (not created). */
function dbPath(name = "store"): string {
  dbCount++;
  return join(files.dir, `${name}-${dbCount}.db`);
}

/** A settable clock. */
function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
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

function newJob(id: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id,
    trigger: "upload",
    channel: "C1",
    threadTs: "1767225600.000100",
    fileId: `F-${id}`,
    requester: "U1",
    recipients: [],
    ...overrides,
  };
}

function threadSummary(overrides: Partial<ThreadSummary> = {}): ThreadSummary {
  return {
    channel: "C1",
    threadTs: "1767225600.000100",
    fileId: "F1",
    messageTs: "1767225601.000200",
    contentHash: "a".repeat(64),
    fileName: "Q1 “sales” – 2026.csv",
    requester: "U1",
    netRevenue: 1_234_567.89,
    currencySymbol: "€",
    createdAt: T0,
    ...overrides,
  };
}

function snapshot(overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    channel: "C1",
    fileId: "F1",
    threadTs: "1767225600.000100",
    contentHash: "h1",
    fileName: "sales_w46.csv",
    headerSignature: "date=order date|revenue=amount",
    postedAt: T0,
    snapshot: '{"v":1}',
    createdAt: T0,
    ...overrides,
  };
}

function email(overrides: Partial<EmailRecord> = {}): EmailRecord {
  return {
    idempotencyKey: "key-1",
    jobId: "job-1",
    recipients: ["ana@example.com", "bo@example.org"],
    providerId: "re_123",
    status: "sent",
    reason: null,
    createdAt: T0,
    ...overrides,
  };
}

let analysis: Analysis;
let summary: ExecutiveSummary;
beforeAll(async () => {
  analysis = await analyzeFile(join(SAMPLE_DATA, "sales_q1_2026.csv"));
  summary = await summarize(analysis, { model: null });
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

describe("claim", () => {
  it("lets the first delivery win and refuses repeats", async () => {
    const store = open(dbPath());
    expect(await store.claim(["event:Ev1"], HOUR)).toBe(true);
    expect(await store.claim(["event:Ev1"], HOUR)).toBe(false);
    expect(await store.claim(["event:Ev1"], HOUR)).toBe(false);
    expect(await store.claim(["event:Ev2"], HOUR)).toBe(true);
  });

  it("lets a key be claimed again once its TTL has passed (injected clock), and a repeat does not extend it", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    expect(await store.claim(["k"], 1_000)).toBe(true);
    c.t = T0 + 500;
    expect(await store.claim(["k"], 1_000)).toBe(false);
    c.t = T0 + 999;
    expect(await store.claim(["k"], 1_000)).toBe(false);
    c.t = T0 + 1_000;
    expect(await store.claim(["k"], 1_000)).toBe(true);
    c.t = T0 + 1_999;
    expect(await store.claim(["k"], 1_000)).toBe(false);
  });

  it("refuses when any of the keys is live, and then claims none of the others", async () => {
    const store = open(":memory:");
    expect(await store.claim(["event:Ev1", "file:C1:F1"], HOUR)).toBe(true);
    // Slack's retry of the same upload comes with a new event id but the same file.
    expect(await store.claim(["event:Ev2", "file:C1:F1"], HOUR)).toBe(false);
    expect(await store.claim(["event:Ev2"], HOUR)).toBe(true);
    expect(await store.claim(["file:C1:F2", "event:Ev1"], HOUR)).toBe(false);
    expect(await store.claim(["file:C1:F2"], HOUR)).toBe(true);
  });

  it("treats an expired key among live ones correctly", async () => {
    const c = clock();
    const store = open(":memory:", c.now);
    expect(await store.claim(["short"], 1_000)).toBe(true);
    expect(await store.claim(["long"], 10_000)).toBe(true);
    c.t = T0 + 2_000;
    expect(await store.claim(["short", "long"], 1_000)).toBe(false);
    expect(await store.claim(["short", "other"], 1_000)).toBe(true);
  });

  it("accepts repeated keys in one call, and no keys at all (like the in-memory runner)", async () => {
    const store = open(":memory:");
    expect(await store.claim(["k", "k"], HOUR)).toBe(true);
    expect(await store.claim(["k"], HOUR)).toBe(false);
    expect(await store.claim([], HOUR)).toBe(true);
  });

  it("rejects a TTL that is not positive", async () => {
    const store = open(":memory:");
    await expect(store.claim(["k"], 0)).rejects.toThrow(RangeError);
    await expect(store.claim(["k"], Number.NaN)).rejects.toThrow(RangeError);
  });

  it("survives a restart: a key claimed before closing is still claimed after reopening", async () => {
    const path = dbPath("restart");
    const c = clock();
    const before = openSqliteStore(path, { now: c.now });
    expect(await before.claim(["event:Ev1"], HOUR)).toBe(true);
    await before.close();

    c.t = T0 + HOUR - 1;
    const after = open(path, c.now);
    expect(await after.claim(["event:Ev1"], HOUR)).toBe(false);
    c.t = T0 + HOUR;
    expect(await after.claim(["event:Ev1"], HOUR)).toBe(true);
  });

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

describe("jobs", () => {
  it("creates a job as accepted, stamped with the clock, and reads it back", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    const recipients = ["ana@example.com", "zoë+sales@example.org"];
    const created = await store.createJob(
      newJob("j1", {
        trigger: "shortcut",
        channel: "C7",
        threadTs: "1.5",
        fileId: "F7",
        requester: "U7",
        recipients,
      }),
    );
    const expected = {
      id: "j1",
      trigger: "shortcut",
      channel: "C7",
      threadTs: "1.5",
      fileId: "F7",
      requester: "U7",
      recipients,
      contentHash: null,
      stage: "accepted",
      status: "accepted",
      error: null,
      progressTs: null,
      summaryTs: null,
      compareWith: null,
      createdAt: T0,
      updatedAt: T0,
    };
    expect(created).toStrictEqual(expected);
    expect(await store.getJob("j1")).toStrictEqual(expected);
    recipients.push("late@example.com");
    expect(created.recipients).toHaveLength(2);
  });

  it("keeps the earlier upload an explicit comparison is with, across a reopen", async () => {
    const path = dbPath();
    const store = open(path);
    await store.createJob(newJob("cmp", { fileId: "F47", compareWith: "F46" }));
    await store.close();
    const again = open(path);
    expect((await again.getJob("cmp"))?.compareWith).toBe("F46");
    expect((await again.unfinishedJobs()).map((j) => [j.id, j.compareWith])).toEqual([["cmp", "F46"]]);
  });

  it("returns null for an unknown job and refuses a duplicate id", async () => {
    const store = open(":memory:");
    expect(await store.getJob("nope")).toBeNull();
    await store.createJob(newJob("j1"));
    await expect(store.createJob(newJob("j1"))).rejects.toThrow(/UNIQUE/);
  });

  it("patches only the fields given, can clear one with null, and bumps updatedAt", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    await store.createJob(newJob("j1"));

    c.t = T0 + 100;
    await store.updateJob("j1", { stage: "download", status: "running" });
    c.t = T0 + 200;
    await store.updateJob("j1", { contentHash: "h1", progressTs: "9.1", stage: undefined });
    expect(await store.getJob("j1")).toMatchObject({
      stage: "download",
      status: "running",
      contentHash: "h1",
      progressTs: "9.1",
      summaryTs: null,
      error: null,
      createdAt: T0,
      updatedAt: T0 + 200,
    });

    c.t = T0 + 300;
    await store.updateJob("j1", {
      status: "failed",
      error: "The file is empty.",
      stage: "refused",
      summaryTs: "9.2",
    });
    expect(await store.getJob("j1")).toMatchObject({
      status: "failed",
      error: "The file is empty.",
      summaryTs: "9.2",
    });
    await store.updateJob("j1", { error: null, status: "done" });
    expect(await store.getJob("j1")).toMatchObject({
      status: "done",
      error: null,
      progressTs: "9.1",
      contentHash: "h1",
    });

    c.t = T0 + 400;
    await store.updateJob("j1", {});
    expect((await store.getJob("j1"))?.updatedAt).toBe(T0 + 300);
  });

  it("ignores a patch for an unknown job and rejects an unknown status", async () => {
    const store = open(":memory:");
    await store.updateJob("ghost", { status: "done" });
    expect(await store.getJob("ghost")).toBeNull();
    await store.createJob(newJob("j1"));
    await expect(store.updateJob("j1", { status: "paused" as never })).rejects.toThrow(/CHECK constraint/);
    expect((await store.getJob("j1"))?.status).toBe("accepted");
  });

  it("lists accepted and running jobs, oldest first", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    for (const [id, at] of [
      ["a", 50],
      ["b", 10],
      ["c", 30],
      ["d", 10],
      ["e", 20],
      ["f", 40],
    ] as const) {
      c.t = T0 + at;
      await store.createJob(newJob(id));
    }
    await store.updateJob("a", { status: "running" });
    await store.updateJob("c", { status: "done" });
    await store.updateJob("e", { status: "failed", error: "x" });
    await store.updateJob("f", { status: "running", stage: "read" });
    // b and d share a timestamp: creation order breaks the tie.
    expect((await store.unfinishedJobs()).map((j) => [j.id, j.status])).toEqual([
      ["b", "accepted"],
      ["d", "accepted"],
      ["f", "running"],
      ["a", "running"],
    ]);
    expect(await open(":memory:").unfinishedJobs()).toEqual([]);
  });
});

describe("analyses", () => {
  const V = ANALYSIS_VERSION;

  it("round-trips an Analysis and its summary exactly", async () => {
    expect(JSON.parse(JSON.stringify(analysis))).toStrictEqual(analysis); // the premise
    const store = open(dbPath());
    const stored = {
      contentHash: "c".repeat(64),
      analysisVersion: V,
      fileName: "sales_q1_2026.csv",
      analysis,
      summary,
      createdAt: T0,
    };
    await store.saveAnalysis(stored);
    const back = await store.analysisByHash("c".repeat(64), V);
    expect(back).toStrictEqual(stored);
    expect(back?.analysis).not.toBe(analysis);
    expect(await store.analysisByHash("d".repeat(64), V)).toBeNull();
  });

  it("keeps an analysis without a summary (one that must be written again)", async () => {
    const store = open(dbPath());
    const stored = {
      contentHash: "h",
      analysisVersion: V,
      fileName: "a.csv",
      analysis,
      summary: null,
      createdAt: T0,
    };
    await store.saveAnalysis(stored);
    expect(await store.analysisByHash("h", V)).toStrictEqual(stored);
    // Later the summary is written and stored over it.
    await store.saveAnalysis({ ...stored, summary, createdAt: T0 + 1 });
    expect(await store.analysisByHash("h", V)).toMatchObject({ summary, createdAt: T0 + 1 });
  });

  it("finds an analysis only under the engine version that computed it", async () => {
    const store = open(":memory:");
    await store.saveAnalysis({
      contentHash: "h",
      analysisVersion: V,
      fileName: "a.csv",
      analysis,
      summary,
      createdAt: T0,
    });
    expect(await store.analysisByHash("h", V + 1)).toBeNull();
    const newer = { ...analysis, rows: analysis.rows + 1 };
    await store.saveAnalysis({
      contentHash: "h",
      analysisVersion: V + 1,
      fileName: "a.csv",
      analysis: newer,
      summary: null,
      createdAt: T0 + 1,
    });
    expect((await store.analysisByHash("h", V + 1))?.analysis.rows).toBe(analysis.rows + 1);
    expect((await store.analysisByHash("h", V))?.analysis.rows).toBe(analysis.rows);
  });

  it("replaces what was stored for the same content", async () => {
    const store = open(":memory:");
    await store.saveAnalysis({
      contentHash: "h",
      analysisVersion: V,
      fileName: "a.csv",
      analysis,
      summary,
      createdAt: T0,
    });
    const rewritten = { ...summary, writer: "gemini" as const, model: "gemini-test" };
    await store.saveAnalysis({
      contentHash: "h",
      analysisVersion: V,
      fileName: "b.csv",
      analysis,
      summary: rewritten,
      createdAt: T0 + 1,
    });
    expect(await store.analysisByHash("h", V)).toMatchObject({
      fileName: "b.csv",
      summary: rewritten,
      createdAt: T0 + 1,
    });
  });
});

describe("thread summaries", () => {
  it("round-trip, with or without a currency symbol, and are replaced per (channel, thread, file)", async () => {
    const store = open(dbPath());
    const first = threadSummary();
    await store.saveThreadSummary(first);
    expect(await store.threadSummary("C1", "1767225600.000100", "F1")).toStrictEqual(first);

    const noCurrency = threadSummary({ fileId: "F2", currencySymbol: null, netRevenue: -0.1 + 0.3 });
    await store.saveThreadSummary(noCurrency);
    expect(await store.threadSummary("C1", "1767225600.000100", "F2")).toStrictEqual(noCurrency);

    const replaced = threadSummary({ messageTs: "9.9", contentHash: "b".repeat(64), createdAt: T0 + 5 });
    await store.saveThreadSummary(replaced);
    expect(await store.threadSummary("C1", "1767225600.000100", "F1")).toStrictEqual(replaced);

    expect(await store.threadSummary("C1", "1767225600.000100", "F3")).toBeNull();
    expect(await store.threadSummary("C2", "1767225600.000100", "F1")).toBeNull();
  });

  it("lists a channel's summaries newest first, up to the limit", async () => {
    const store = open(dbPath());
    for (const [i, at] of [30, 10, 50, 20, 40].entries()) {
      await store.saveThreadSummary(threadSummary({ fileId: `F${i}`, createdAt: T0 + at }));
    }
    await store.saveThreadSummary(threadSummary({ channel: "C2", fileId: "Fx", createdAt: T0 + 99 }));
    // Same timestamp: the one saved last comes first.
    await store.saveThreadSummary(threadSummary({ fileId: "F5", createdAt: T0 + 50 }));

    const ids = async (limit: number) => (await store.recentSummaries("C1", limit)).map((s) => s.fileId);
    expect(await ids(3)).toEqual(["F5", "F2", "F4"]);
    expect(await ids(100)).toEqual(["F5", "F2", "F4", "F0", "F3", "F1"]);
    expect(await ids(0)).toEqual([]);
    expect(await ids(-1)).toEqual([]);
    expect(await store.recentSummaries("C2", 10)).toStrictEqual([
      threadSummary({ channel: "C2", fileId: "Fx", createdAt: T0 + 99 }),
    ]);
    expect(await store.recentSummaries("C3", 10)).toEqual([]);
  });
});

describe("e-mails", () => {
  it("only a successful send counts as sent", async () => {
    const store = open(dbPath());
    const failed = email({ status: "failed", providerId: null, reason: "Resend said: invalid `to`" });
    await store.recordEmail(failed);
    expect(await store.sentEmail("key-1")).toBeNull();

    const sent = email({ createdAt: T0 + 10 });
    await store.recordEmail(sent);
    expect(await store.sentEmail("key-1")).toStrictEqual(sent);
    expect(await store.sentEmail("key-2")).toBeNull();
  });

  it("never turns a recorded success back into a failure", async () => {
    const store = open(":memory:");
    const sent = email();
    await store.recordEmail(sent);
    await store.recordEmail(
      email({ status: "failed", providerId: null, reason: "timeout", createdAt: T0 + 10 }),
    );
    expect(await store.sentEmail("key-1")).toStrictEqual(sent);
  });
});

describe("purge", () => {
  it("deletes what is older than the cutoff from every table, and expired dedupe keys, with counts", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    // Old: created at T0.
    await store.createJob(newJob("old-1"));
    await store.createJob(newJob("old-2"));
    await store.saveAnalysis({
      contentHash: "old",
      analysisVersion: ANALYSIS_VERSION,
      fileName: "a.csv",
      analysis,
      summary,
      createdAt: T0,
    });
    await store.saveThreadSummary(threadSummary({ fileId: "old", createdAt: T0 }));
    await store.recordEmail(email({ idempotencyKey: "old", createdAt: T0 }));
    await store.recordEmail(email({ idempotencyKey: "old-failed", status: "failed", createdAt: T0 }));
    await store.claim(["expired-1", "expired-2"], HOUR);
    await store.claim(["live"], 40 * DAY);
    await store.saveSnapshot(snapshot({ fileId: "old", createdAt: T0 }));
    await store.takeRateSlot("user:U1", 5, HOUR);

    // New: 20 days later, and an old job touched recently.
    c.t = T0 + 20 * DAY;
    await store.createJob(newJob("new"));
    await store.updateJob("old-2", { status: "failed" });
    await store.saveAnalysis({
      contentHash: "new",
      analysisVersion: ANALYSIS_VERSION,
      fileName: "b.csv",
      analysis,
      summary: null,
      createdAt: c.t,
    });
    await store.saveThreadSummary(threadSummary({ fileId: "new", createdAt: c.t }));
    await store.recordEmail(email({ idempotencyKey: "new", createdAt: c.t }));
    await store.saveSnapshot(snapshot({ fileId: "new", createdAt: c.t }));

    c.t = T0 + 30 * DAY;
    expect(await store.purge(15 * DAY)).toEqual({
      jobs: 1,
      analyses: 1,
      threads: 1,
      emails: 2,
      snapshots: 1,
      // Two expired dedupe keys and the rate slot taken 30 days ago.
      dedupe: 3,
    });
    expect((await store.recentSnapshots("C1", 10)).map((r) => r.fileId)).toEqual(["new"]);
    expect(await store.getJob("old-1")).toBeNull();
    expect((await store.getJob("old-2"))?.status).toBe("failed");
    expect(await store.getJob("new")).not.toBeNull();
    expect(await store.analysisByHash("old", ANALYSIS_VERSION)).toBeNull();
    expect(await store.analysisByHash("new", ANALYSIS_VERSION)).not.toBeNull();
    expect(await store.threadSummary("C1", "1767225600.000100", "old")).toBeNull();
    expect(await store.threadSummary("C1", "1767225600.000100", "new")).not.toBeNull();
    expect(await store.sentEmail("old")).toBeNull();
    expect(await store.sentEmail("new")).not.toBeNull();
    expect(await store.claim(["live"], HOUR)).toBe(false);
    expect(await store.claim(["expired-1"], HOUR)).toBe(true);

    expect(await store.purge(15 * DAY)).toEqual({
      jobs: 0,
      analyses: 0,
      threads: 0,
      emails: 0,
      snapshots: 0,
      dedupe: 0,
    });
    expect(await store.purge(0)).toEqual({
      jobs: 2,
      analyses: 1,
      threads: 1,
      emails: 1,
      snapshots: 1,
      dedupe: 0,
    });
    await expect(store.purge(-1)).rejects.toThrow(RangeError);
  });
});

describe("snapshots", () => {
  it("keeps one per channel and file, newest post first, and replaces a re-saved one", async () => {
    const store = open(dbPath());
    await store.saveSnapshot(snapshot({ fileId: "F1", postedAt: T0 + 10 }));
    await store.saveSnapshot(snapshot({ fileId: "F2", postedAt: T0 + 30 }));
    await store.saveSnapshot(snapshot({ fileId: "F3", postedAt: T0 + 20 }));
    await store.saveSnapshot(snapshot({ channel: "C2", fileId: "F9", postedAt: T0 + 99 }));
    await store.saveSnapshot(snapshot({ fileId: "F1", postedAt: T0 + 40, snapshot: '{"v":2}' }));

    const recent = await store.recentSnapshots("C1", 10);
    expect(recent.map((r) => r.fileId)).toEqual(["F1", "F2", "F3"]);
    expect(recent[0]).toStrictEqual(snapshot({ fileId: "F1", postedAt: T0 + 40, snapshot: '{"v":2}' }));
    expect((await store.recentSnapshots("C1", 2)).map((r) => r.fileId)).toEqual(["F1", "F2"]);
    expect(await store.recentSnapshots("C1", 0)).toEqual([]);
    expect(await store.recentSnapshots("C3", 5)).toEqual([]);
  });
});

describe("rate slots", () => {
  it("gives `limit` slots per key in a sliding window, and frees them as the window moves", async () => {
    const c = clock();
    const store = open(dbPath(), c.now);
    const take = () => store.takeRateSlot("user:U1", 2, HOUR);
    expect([await take(), await take(), await take()]).toEqual([true, true, false]);
    expect(await store.takeRateSlot("user:U2", 2, HOUR)).toBe(true);
    c.t = T0 + HOUR - 1;
    expect(await take()).toBe(false);
    c.t = T0 + HOUR;
    expect(await take()).toBe(true);
  });

  it("rejects a window that is not positive", async () => {
    const store = open(dbPath());
    await expect(store.takeRateSlot("k", 1, 0)).rejects.toThrow(RangeError);
  });
});
