import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { ExecutiveSummary } from "../pipeline/summary/types.js";
import type {
  DueJobs,
  EmailRecord,
  JobPatch,
  JobRecord,
  NewJob,
  PurgeCounts,
  SnapshotRecord,
  Store,
  StoredAnalysis,
  StoreHealth,
  ThreadSummary,
} from "./store.js";
import {
  DAY_MS,
  type EmailRow,
  INITIAL_STAGE,
  type JobRow,
  PATCH_COLUMNS,
  requireNonNegative,
  requirePositive,
  rowLimit,
  type SnapshotRow,
  type ThreadSummaryRow,
  toEmail,
  toJob,
  toSnapshot,
  toThreadSummary,
} from "./store-rows.js";

/**
 * The Store on one SQLite file (DATA_DIR/insights.db). One connection per process is the single
 * writer; better-sqlite3 is synchronous, so every method is one short statement or one short
 * transaction and nothing interleaves inside a process. Across processes (a second instance started
 * by mistake, a CLI run) the write lock is taken up front (BEGIN IMMEDIATE) and waits up to
 * BUSY_TIMEOUT_MS, so `claim` stays atomic there too.
 *
 * The schema version lives in `PRAGMA user_version` (the database header): it changes in the same
 * transaction as the DDL of each migration, so a crash mid-upgrade leaves the previous version and
 * the previous schema, never a mix.
 */

const BUSY_TIMEOUT_MS = 5_000;

export interface Migration {
  version: number;
  description: string;
  up: string;
}

/** Append only: a released migration is never edited, a change is a new migration. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    description: "jobs, dedupe keys, analyses by content hash, e-mail audit trail",
    up: `
      CREATE TABLE jobs (
        id           TEXT PRIMARY KEY,
        "trigger"    TEXT NOT NULL,
        channel      TEXT NOT NULL,
        thread_ts    TEXT NOT NULL,
        file_id      TEXT NOT NULL,
        content_hash TEXT,
        requester    TEXT NOT NULL,
        recipients   TEXT NOT NULL CHECK (json_valid(recipients)),
        stage        TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('accepted', 'running', 'done', 'failed')),
        error        TEXT,
        progress_ts  TEXT,
        summary_ts   TEXT,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE TABLE dedupe (
        key        TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE analyses (
        content_hash TEXT PRIMARY KEY,
        file_name    TEXT NOT NULL,
        analysis     TEXT NOT NULL CHECK (json_valid(analysis)),
        summary      TEXT NOT NULL CHECK (json_valid(summary)),
        created_at   INTEGER NOT NULL
      );
      CREATE TABLE emails (
        idempotency_key TEXT PRIMARY KEY,
        job_id          TEXT NOT NULL,
        recipients      TEXT NOT NULL CHECK (json_valid(recipients)),
        provider_id     TEXT,
        status          TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
        created_at      INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: "failure reason on e-mails, thread summaries (reuse and /insights history), jobs by status",
    up: `
      ALTER TABLE emails ADD COLUMN reason TEXT;
      CREATE INDEX jobs_status ON jobs (status, created_at);
      CREATE TABLE thread_summaries (
        channel         TEXT NOT NULL,
        thread_ts       TEXT NOT NULL,
        file_id         TEXT NOT NULL,
        message_ts      TEXT NOT NULL,
        content_hash    TEXT NOT NULL,
        file_name       TEXT NOT NULL,
        requester       TEXT NOT NULL,
        net_revenue     REAL NOT NULL,
        currency_symbol TEXT,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (channel, thread_ts, file_id)
      );
      CREATE INDEX thread_summaries_recent ON thread_summaries (channel, created_at DESC);
    `,
  },
  {
    version: 3,
    description:
      "analyses keyed by content hash and engine version; summary optional (an offline fallback is not kept)",
    // SQLite cannot change a primary key in place: copy into a new table. Rows from before engine
    // versioning become version 1, which the current engine never reuses; purge removes them in time.
    up: `
      CREATE TABLE analyses_v3 (
        content_hash     TEXT NOT NULL,
        analysis_version INTEGER NOT NULL,
        file_name        TEXT NOT NULL,
        analysis         TEXT NOT NULL CHECK (json_valid(analysis)),
        summary          TEXT CHECK (summary IS NULL OR json_valid(summary)),
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (content_hash, analysis_version)
      );
      INSERT INTO analyses_v3 (content_hash, analysis_version, file_name, analysis, summary, created_at)
        SELECT content_hash, 1, file_name, analysis, summary, created_at FROM analyses;
      DROP TABLE analyses;
      ALTER TABLE analyses_v3 RENAME TO analyses;
    `,
  },
  {
    version: 4,
    description: "aggregate snapshots for comparing uploads; rate-limit slots shared by instances",
    up: `
      CREATE TABLE snapshots (
        channel          TEXT NOT NULL,
        file_id          TEXT NOT NULL,
        thread_ts        TEXT NOT NULL,
        content_hash     TEXT NOT NULL,
        file_name        TEXT NOT NULL,
        header_signature TEXT NOT NULL,
        posted_at        INTEGER NOT NULL,
        snapshot         TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (channel, file_id)
      );
      CREATE INDEX snapshots_recent ON snapshots (channel, posted_at DESC);
      CREATE TABLE rate_slots (
        key      TEXT NOT NULL,
        taken_at INTEGER NOT NULL
      );
      CREATE INDEX rate_slots_key ON rate_slots (key, taken_at);
    `,
  },
  {
    version: 5,
    description: "jobs remember the earlier upload an explicit comparison (/insights compare) is with",
    up: `
      ALTER TABLE jobs ADD COLUMN compare_with TEXT;
    `,
  },
  {
    version: 6,
    description:
      "job leases: which instance runs an unfinished job, until when (the same contract as PostgreSQL)",
    up: `
      ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
      ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
    `,
  },
]);

export const SCHEMA_VERSION: number = checkMigrations(MIGRATIONS);

function checkMigrations(migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${i + 1} has version ${m.version}: versions must be 1, 2, 3…`);
  });
  return migrations.length;
}

interface AnalysisRow {
  content_hash: string;
  analysis_version: number;
  file_name: string;
  analysis: string;
  summary: string | null;
  created_at: number;
}

/**
 * Opens (creating it and its folder if needed) and upgrades the database at `path`; ":memory:" gives
 * a private in-memory database. Throws if the file was written by a newer version of the app.
 */
export function openSqliteStore(path: string, options: { now?: () => number } = {}): Store {
  const now = options.now ?? Date.now;
  if (path !== ":memory:" && path !== "") mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Before anything writes to the file: a newer schema is left exactly as it was.
    refuseNewer(db, path);
    if (!db.memory) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, path);
    return new SqliteStore(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function refuseNewer(db: Database.Database, path: string): number {
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The database ${path} has schema version ${version}, but this version of sales-insight-bot only knows versions up to ${SCHEMA_VERSION}: it was written by a newer release. Run that release (or newer), or point DATA_DIR at another folder; the database was not changed.`,
    );
  }
  return version;
}

function migrate(db: Database.Database, path: string): void {
  if (userVersion(db) === SCHEMA_VERSION) return;
  const upgrade = db.transaction(() => {
    // Read again under the write lock: another process may have upgraded in the meantime.
    const from = refuseNewer(db, path);
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      try {
        db.exec(migration.up);
      } catch (error) {
        throw new Error(
          `Could not upgrade the database ${path} to schema version ${migration.version} (${migration.description}); it is unchanged at version ${from}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  upgrade.immediate();
}

/** Every statement, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  return {
    dropExpiredKey: db.prepare<[string, number]>("DELETE FROM dedupe WHERE key = ? AND expires_at <= ?"),
    hasKey: db.prepare<[string], unknown>("SELECT 1 FROM dedupe WHERE key = ?").pluck(),
    insertKey: db.prepare<[string, number]>("INSERT INTO dedupe (key, expires_at) VALUES (?, ?)"),
    insertJob: db.prepare<Record<string, string | number | null>>(
      `INSERT INTO jobs (id, "trigger", channel, thread_ts, file_id, content_hash, requester, recipients,
         stage, status, error, progress_ts, summary_ts, compare_with, created_at, updated_at)
       VALUES (@id, @trigger, @channel, @threadTs, @fileId, NULL, @requester, @recipients,
         @stage, 'accepted', NULL, NULL, NULL, @compareWith, @now, @now)`,
    ),
    updateJob: db.prepare<Record<string, string | number | null>>(
      `UPDATE jobs SET
         ${PATCH_COLUMNS.map(([field, column]) => `${column} = CASE WHEN @set_${field} THEN @${field} ELSE ${column} END`).join(",\n           ")},
         updated_at = @now
       WHERE id = @id`,
    ),
    getJob: db.prepare<[string], JobRow<string>>("SELECT * FROM jobs WHERE id = ?"),
    unfinishedJobs: db.prepare<[], JobRow<string>>(
      "SELECT * FROM jobs WHERE status IN ('accepted', 'running') ORDER BY created_at, rowid",
    ),
    dueJobs: db.prepare<[number, number], JobRow<string>>(
      `SELECT * FROM jobs WHERE status IN ('accepted', 'running') AND (updated_at <= ? OR created_at < ?)
       ORDER BY created_at, rowid`,
    ),
    saveAnalysis: db.prepare<[string, number, string, string, string | null, number]>(
      `INSERT INTO analyses (content_hash, analysis_version, file_name, analysis, summary, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (content_hash, analysis_version) DO UPDATE SET file_name = excluded.file_name,
         analysis = excluded.analysis, summary = excluded.summary, created_at = excluded.created_at`,
    ),
    analysisByHash: db.prepare<[string, number], AnalysisRow>(
      "SELECT * FROM analyses WHERE content_hash = ? AND analysis_version = ?",
    ),
    saveThreadSummary: db.prepare<Record<string, string | number | null>>(
      `INSERT INTO thread_summaries (channel, thread_ts, file_id, message_ts, content_hash, file_name, requester,
         net_revenue, currency_symbol, created_at)
       VALUES (@channel, @threadTs, @fileId, @messageTs, @contentHash, @fileName, @requester,
         @netRevenue, @currencySymbol, @createdAt)
       ON CONFLICT (channel, thread_ts, file_id) DO UPDATE SET message_ts = excluded.message_ts,
         content_hash = excluded.content_hash, file_name = excluded.file_name, requester = excluded.requester,
         net_revenue = excluded.net_revenue, currency_symbol = excluded.currency_symbol,
         created_at = excluded.created_at`,
    ),
    threadSummary: db.prepare<[string, string, string], ThreadSummaryRow>(
      "SELECT * FROM thread_summaries WHERE channel = ? AND thread_ts = ? AND file_id = ?",
    ),
    recentSummaries: db.prepare<[string, number], ThreadSummaryRow>(
      "SELECT * FROM thread_summaries WHERE channel = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
    ),
    // A record never turns a successful send back into a failure: the "sent" row is the guard
    // against e-mailing the same people twice.
    recordEmail: db.prepare<Record<string, string | number | null>>(
      `INSERT INTO emails (idempotency_key, job_id, recipients, provider_id, status, reason, created_at)
       VALUES (@idempotencyKey, @jobId, @recipients, @providerId, @status, @reason, @createdAt)
       ON CONFLICT (idempotency_key) DO UPDATE SET job_id = excluded.job_id, recipients = excluded.recipients,
         provider_id = excluded.provider_id, status = excluded.status, reason = excluded.reason,
         created_at = excluded.created_at
       WHERE emails.status <> 'sent'`,
    ),
    sentEmail: db.prepare<[string], EmailRow<string>>(
      "SELECT * FROM emails WHERE idempotency_key = ? AND status = 'sent'",
    ),
    saveSnapshot: db.prepare<Record<string, string | number>>(
      `INSERT INTO snapshots (channel, file_id, thread_ts, content_hash, file_name, header_signature, posted_at,
         snapshot, created_at)
       VALUES (@channel, @fileId, @threadTs, @contentHash, @fileName, @headerSignature, @postedAt, @snapshot,
         @createdAt)
       ON CONFLICT (channel, file_id) DO UPDATE SET thread_ts = excluded.thread_ts,
         content_hash = excluded.content_hash, file_name = excluded.file_name,
         header_signature = excluded.header_signature, posted_at = excluded.posted_at,
         snapshot = excluded.snapshot, created_at = excluded.created_at`,
    ),
    recentSnapshots: db.prepare<[string, number], SnapshotRow>(
      "SELECT * FROM snapshots WHERE channel = ? ORDER BY posted_at DESC, rowid DESC LIMIT ?",
    ),
    dropOldSlots: db.prepare<[string, number]>("DELETE FROM rate_slots WHERE key = ? AND taken_at <= ?"),
    countSlots: db.prepare<[string], number>("SELECT count(*) FROM rate_slots WHERE key = ?").pluck(),
    insertSlot: db.prepare<[string, number]>("INSERT INTO rate_slots (key, taken_at) VALUES (?, ?)"),
    leaseJob: db.prepare<Record<string, string | number>>(
      `UPDATE jobs SET lease_owner = @owner, lease_until = @until
       WHERE id = @id AND status IN ('accepted', 'running')
         AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until <= @now)`,
    ),
    renewLeases: db.prepare<[number, string]>(
      "UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND status IN ('accepted', 'running')",
    ),
    purgeJobs: db.prepare<[number]>("DELETE FROM jobs WHERE updated_at < ?"),
    purgeAnalyses: db.prepare<[number]>("DELETE FROM analyses WHERE created_at < ?"),
    purgeThreads: db.prepare<[number]>("DELETE FROM thread_summaries WHERE created_at < ?"),
    purgeEmails: db.prepare<[number]>("DELETE FROM emails WHERE created_at < ?"),
    purgeSnapshots: db.prepare<[number]>("DELETE FROM snapshots WHERE created_at < ?"),
    purgeSlots: db.prepare<[number]>("DELETE FROM rate_slots WHERE taken_at < ?"),
    purgeDedupe: db.prepare<[number]>("DELETE FROM dedupe WHERE expires_at <= ?"),
  };
}

class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly claimKeys: (keys: string[], expiresAt: number, now: number) => boolean;
  private readonly purgeAll: (cutoff: number, now: number) => PurgeCounts;
  private readonly takeSlot: (key: string, limit: number, windowStart: number, now: number) => boolean;

  constructor(db: Database.Database, now: () => number) {
    this.db = db;
    this.now = now;
    this.sql = prepareStatements(db);

    const sql = this.sql;
    const claim = db.transaction((keys: string[], expiresAt: number, now: number): boolean => {
      for (const key of keys) sql.dropExpiredKey.run(key, now);
      if (keys.some((key) => sql.hasKey.get(key) !== undefined)) return false;
      for (const key of keys) sql.insertKey.run(key, expiresAt);
      return true;
    });
    // IMMEDIATE: the write lock is taken before the check, so another connection cannot slip in
    // between the check and the insert (nor fail the upgrade from a read to a write lock).
    this.claimKeys = (keys, expiresAt, now) => claim.immediate(keys, expiresAt, now);

    const purge = db.transaction(
      (cutoff: number, now: number): PurgeCounts => ({
        jobs: sql.purgeJobs.run(cutoff).changes,
        analyses: sql.purgeAnalyses.run(cutoff).changes,
        threads: sql.purgeThreads.run(cutoff).changes,
        emails: sql.purgeEmails.run(cutoff).changes,
        snapshots: sql.purgeSnapshots.run(cutoff).changes,
        // Expired dedupe keys and rate slots (which matter for an hour at most; a day is a wide margin).
        dedupe: sql.purgeDedupe.run(now).changes + sql.purgeSlots.run(now - DAY_MS).changes,
      }),
    );
    this.purgeAll = (cutoff, now) => purge.immediate(cutoff, now);

    const take = db.transaction((key: string, limit: number, windowStart: number, now: number): boolean => {
      sql.dropOldSlots.run(key, windowStart);
      if ((sql.countSlots.get(key) ?? 0) >= limit) return false;
      sql.insertSlot.run(key, now);
      return true;
    });
    this.takeSlot = (key, limit, windowStart, now) => take.immediate(key, limit, windowStart, now);
  }

  /**
   * All or nothing: a repeat (any key still live) claims none of the others either. A key is live
   * until `ttlMs` after the claim that inserted it; a repeat does not extend it. No keys: true.
   */
  async claim(keys: string[], ttlMs: number): Promise<boolean> {
    requirePositive("claim", "ttlMs", ttlMs, true);
    const now = this.now();
    return this.claimKeys([...new Set(keys)], now + ttlMs, now);
  }

  async createJob(job: NewJob): Promise<JobRecord> {
    const now = this.now();
    this.sql.insertJob.run({
      id: job.id,
      trigger: job.trigger,
      channel: job.channel,
      threadTs: job.threadTs,
      fileId: job.fileId,
      requester: job.requester,
      recipients: JSON.stringify(job.recipients),
      compareWith: job.compareWith ?? null,
      stage: INITIAL_STAGE,
      now,
    });
    // Read back rather than rebuilt, so the record is exactly what a restart will see.
    const record = this.jobById(job.id);
    if (!record) throw new Error(`job ${job.id} was not stored`);
    return record;
  }

  /** Sets the fields present in `patch` (null included) and `updatedAt`; an empty patch or unknown id does nothing. */
  async updateJob(id: string, patch: JobPatch): Promise<void> {
    const params: Record<string, string | number | null> = { id, now: this.now() };
    let changes = 0;
    for (const [field] of PATCH_COLUMNS) {
      const value = patch[field];
      params[`set_${field}`] = value === undefined ? 0 : 1;
      params[field] = value ?? null;
      if (value !== undefined) changes++;
    }
    if (changes > 0) this.sql.updateJob.run(params);
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.jobById(id);
  }

  private jobById(id: string): JobRecord | null {
    const row = this.sql.getJob.get(id);
    return row ? jobFromRow(row) : null;
  }

  async unfinishedJobs(due?: DueJobs): Promise<JobRecord[]> {
    const rows = due
      ? this.sql.dueJobs.all(due.updatedAtOrBefore, due.createdBefore)
      : this.sql.unfinishedJobs.all();
    return rows.map(jobFromRow);
  }

  async leaseJob(id: string, owner: string, leaseMs: number): Promise<boolean> {
    requirePositive("leaseJob", "leaseMs", leaseMs);
    const now = this.now();
    return this.sql.leaseJob.run({ id, owner, until: now + leaseMs, now }).changes === 1;
  }

  async renewLeases(owner: string, leaseMs: number): Promise<number> {
    requirePositive("renewLeases", "leaseMs", leaseMs);
    return this.sql.renewLeases.run(this.now() + leaseMs, owner).changes;
  }

  async saveAnalysis(analysis: StoredAnalysis): Promise<void> {
    this.sql.saveAnalysis.run(
      analysis.contentHash,
      analysis.analysisVersion,
      analysis.fileName,
      JSON.stringify(analysis.analysis),
      analysis.summary === null ? null : JSON.stringify(analysis.summary),
      analysis.createdAt,
    );
  }

  async analysisByHash(contentHash: string, analysisVersion: number): Promise<StoredAnalysis | null> {
    const row = this.sql.analysisByHash.get(contentHash, analysisVersion);
    if (!row) return null;
    return {
      contentHash: row.content_hash,
      analysisVersion: row.analysis_version,
      fileName: row.file_name,
      analysis: JSON.parse(row.analysis) as StoredAnalysis["analysis"],
      summary: row.summary === null ? null : (JSON.parse(row.summary) as ExecutiveSummary),
      createdAt: row.created_at,
    };
  }

  async saveThreadSummary(summary: ThreadSummary): Promise<void> {
    this.sql.saveThreadSummary.run({ ...summary });
  }

  async threadSummary(channel: string, threadTs: string, fileId: string): Promise<ThreadSummary | null> {
    const row = this.sql.threadSummary.get(channel, threadTs, fileId);
    return row ? toThreadSummary(row) : null;
  }

  async recentSummaries(channel: string, limit: number): Promise<ThreadSummary[]> {
    // LIMIT -1 means "no limit" to SQLite; a non-positive limit here means none.
    const n = rowLimit(limit);
    if (n === 0) return [];
    return this.sql.recentSummaries.all(channel, n).map(toThreadSummary);
  }

  async takeRateSlot(key: string, limit: number, windowMs: number): Promise<boolean> {
    requirePositive("takeRateSlot", "windowMs", windowMs);
    const now = this.now();
    return this.takeSlot(key, Math.floor(limit), now - windowMs, now);
  }

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    this.sql.saveSnapshot.run({ ...snapshot });
  }

  async recentSnapshots(channel: string, limit: number): Promise<SnapshotRecord[]> {
    const n = rowLimit(limit);
    if (n === 0) return [];
    return this.sql.recentSnapshots.all(channel, n).map(toSnapshot);
  }

  async recordEmail(email: EmailRecord): Promise<void> {
    this.sql.recordEmail.run({
      idempotencyKey: email.idempotencyKey,
      jobId: email.jobId,
      recipients: JSON.stringify(email.recipients),
      providerId: email.providerId,
      status: email.status,
      reason: email.reason,
      createdAt: email.createdAt,
    });
  }

  async sentEmail(idempotencyKey: string): Promise<EmailRecord | null> {
    const row = this.sql.sentEmail.get(idempotencyKey);
    return row ? toEmail(row, JSON.parse(row.recipients) as string[]) : null;
  }

  /** Jobs by last update, the rest by creation; dedupe keys once expired. */
  async purge(olderThanMs: number): Promise<PurgeCounts> {
    requireNonNegative("purge", "olderThanMs", olderThanMs);
    const now = this.now();
    return this.purgeAll(now - olderThanMs, now);
  }

  /** The file is local: the only way to fail is a closed or broken connection (a disk error shows here too). */
  async health(): Promise<StoreHealth> {
    try {
      this.db.prepare("SELECT 1").get();
      return { ok: true, detail: "sqlite" };
    } catch (error) {
      return { ok: false, detail: `sqlite: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      // Refreshes the query planner's statistics if they are stale; cheap, and recommended at close.
      this.db.pragma("optimize");
    } finally {
      this.db.close();
    }
  }
}

/** SQLite has no array type: recipients are stored as JSON text. */
function jobFromRow(row: JobRow<string>): JobRecord {
  return toJob(row, JSON.parse(row.recipients) as string[]);
}
