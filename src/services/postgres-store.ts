import pg from "pg";
import type { ExecutiveSummary } from "../pipeline/summary/types.js";
import {
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  type PostgresMigration,
} from "./postgres-migrations.js";
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
 * The Store on PostgreSQL (DATABASE_URL), for several instances sharing one state. The contract is the
 * one SQLite implements (src/services/store.ts); what SQLite gets from having one writer, this gets
 * from the database: a dedupe claim is one upsert that only one transaction can win, a rate slot is
 * taken under a per-key transaction lock, and the schema is migrated under a session lock so that
 * instances starting together migrate once.
 */

/**
 * Connections per instance. An instance runs MAX_CONCURRENT_JOBS jobs (2 by default, 64 at most), each
 * holding a connection only for one short statement or transaction at a time, plus the event handlers'
 * claims and /health: 10 (pg's default) leaves room, and two or three instances stay far below a small
 * server's max_connections (100 on PostgreSQL's default, 25+ on Fly's smallest).
 */
const POOL_SIZE = 10;
/** Waiting longer than this for a connection means the database is down or saturated: fail the call. */
const CONNECT_TIMEOUT_MS = 5_000;
/** No statement of this store runs long; a stuck one (a lock held by a dead client) fails instead of hanging a job. */
const STATEMENT_TIMEOUT_MS = 30_000;
/** How long /health waits for `SELECT 1`: Fly's check times out at a few seconds. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Advisory-lock namespaces (the first of pg_advisory_lock's two int4 keys), so this app's locks never
 * meet another application's on the same database. The second key is hashtext() of what is locked.
 */
const LOCK_MIGRATIONS = 0x51b_0001;
const LOCK_RATE_SLOT = 0x51b_0002;

export interface PostgresStoreOptions {
  now?: () => number;
  /** Called when an idle pooled connection fails (the server restarted, a network cut); the pool reconnects. */
  onConnectionError?: (error: Error) => void;
  /** Tests only: the migrations to run instead of POSTGRES_MIGRATIONS. */
  migrations?: readonly PostgresMigration[];
}

/** The URL without its password, for logs and error messages. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

/**
 * ms timestamps and count(*) are BIGINT, which pg returns as strings by default (to be safe past 2^53).
 * Every BIGINT here is a time in ms or a row count, far below 2^53: read them as numbers. Per pool, so
 * nothing else in the process changes how it reads BIGINT.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * Connects, upgrades the schema (under a lock: instances starting together migrate once) and returns
 * the store. Throws when the database cannot be reached, or was written by a newer release (then it is
 * left exactly as it was).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const config: pg.PoolConfig = {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "sales-insight-bot",
    types: typeParsers,
  };
  await migratePostgres(config, options.migrations ?? POSTGRES_MIGRATIONS, describePostgresUrl(url));
  const pool = new pg.Pool({ ...config, max: POOL_SIZE, idleTimeoutMillis: 30_000 });
  // Without a listener, an idle connection's error (a server restart) would crash the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  return new PostgresStore(pool, options.now ?? Date.now);
}

/**
 * Applies the migrations newer than the database's version, each in its own transaction (PostgreSQL's
 * DDL is transactional: a failed migration leaves the previous version whole). One connection holds a
 * session advisory lock for the whole upgrade, so a second instance starting at the same moment waits,
 * then finds the work done; the lock goes with the connection if the process dies mid-way.
 */
export async function migratePostgres(
  config: pg.ClientConfig,
  migrations: readonly PostgresMigration[],
  where: string,
): Promise<void> {
  const known = migrations.length;
  // Its own connection, without the statement timeout: waiting for another instance's upgrade is fine.
  const client = new pg.Client({ ...config, statement_timeout: 0 });
  // A connection lost between queries is reported as an event; the next query fails with the reason.
  client.on("error", () => undefined);
  await client.connect();
  try {
    // Locked per schema: each throwaway test schema (and each app sharing a server) migrates on its own.
    await client.query("SELECT pg_advisory_lock($1, hashtext(current_schema()))", [LOCK_MIGRATIONS]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version     INTEGER PRIMARY KEY,
         description TEXT NOT NULL,
         applied_at  BIGINT NOT NULL
       )`,
    );
    const result = await client.query<{ version: number }>(
      "SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations",
    );
    const from = result.rows[0]?.version ?? 0;
    if (from > known) {
      throw new Error(
        `The database ${where} has schema version ${from}, but this version of sales-insight-bot only knows versions up to ${known}: it was written by a newer release. Run that release (or newer), or point DATABASE_URL at another database; the database was not changed.`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      try {
        await client.query("BEGIN");
        await client.query(migration.up);
        await client.query(
          "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
          [migration.version, migration.description, Date.now()],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(
          `Could not upgrade the database ${where} to schema version ${migration.version} (${migration.description}); it is unchanged at version ${migration.version - 1}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  } finally {
    // Ending the session releases the advisory lock too; unlocking first just frees it a round trip sooner.
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

export { POSTGRES_SCHEMA_VERSION };

interface AnalysisRow {
  content_hash: string;
  analysis_version: number;
  file_name: string;
  analysis: StoredAnalysis["analysis"];
  summary: ExecutiveSummary | null;
  created_at: number;
}

const JOB_COLUMNS = `id, "trigger", channel, thread_ts, file_id, content_hash, requester, recipients, stage, status,
  error, progress_ts, summary_ts, compare_with, created_at, updated_at`;
const SUMMARY_COLUMNS = `channel, thread_ts, file_id, message_ts, content_hash, file_name, requester, net_revenue,
  currency_symbol, created_at`;
const SNAPSHOT_COLUMNS = `channel, file_id, thread_ts, content_hash, file_name, header_signature, posted_at, snapshot,
  created_at`;

class PostgresStore implements Store {
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  /** BEGIN ... COMMIT on one pooled connection; ROLLBACK when `work` throws or answers `rollback`. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<{ value: T; rollback?: boolean }>) {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const { value, rollback } = await work(client);
      await client.query(rollback ? "ROLLBACK" : "COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is discarded, not handed to the next caller.
      client.release(broken);
    }
  }

  /**
   * All or nothing: a repeat (any key still live) claims none of the others either. A key is live
   * until `ttlMs` after the claim that inserted it; a repeat does not extend it. No keys: true.
   *
   * One upsert per call: a key is inserted, or taken over when its row has expired, or left alone when
   * live. Two instances claiming the same key meet on its primary key: the second waits for the first
   * to commit, then sees the row live and gets nothing back. Keys are upserted in sorted order, so two
   * multi-key claims lock rows in the same order and cannot deadlock.
   */
  async claim(keys: string[], ttlMs: number): Promise<boolean> {
    requirePositive("claim", "ttlMs", ttlMs, true);
    const unique = [...new Set(keys)];
    if (unique.length === 0) return true;
    const now = this.now();
    const sql = `INSERT INTO dedupe (key, expires_at)
       SELECT k, $2 FROM unnest($1::text[]) AS k ORDER BY k
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedupe.expires_at <= $3
       RETURNING key`;
    const params = [unique, now + ttlMs, now];
    // One statement is atomic on its own; several keys need a transaction to undo a partial claim.
    if (unique.length === 1) return (await this.pool.query(sql, params)).rowCount === 1;
    return this.transaction(async (client) => {
      const won = (await client.query(sql, params)).rowCount === unique.length;
      return { value: won, rollback: !won };
    });
  }

  /**
   * Counting the slots and inserting one is a read then a write, and the row to insert does not exist
   * yet, so no row lock can stop two instances from both counting `limit - 1` and both inserting. A
   * transaction-scoped advisory lock on the key serialises the takers of that key only (others run in
   * parallel), is released by COMMIT or a dropped connection, and needs no retry loop (SERIALIZABLE
   * would, on every conflict). Two keys with the same hashtext only wait for each other, never share slots.
   */
  async takeRateSlot(key: string, limit: number, windowMs: number): Promise<boolean> {
    requirePositive("takeRateSlot", "windowMs", windowMs);
    const now = this.now();
    const windowStart = now - windowMs;
    return this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_RATE_SLOT, key]);
      // One snapshot for both parts: the count ignores the slots the same statement deletes.
      const taken = await client.query(
        `WITH dropped AS (DELETE FROM rate_slots WHERE key = $1 AND taken_at <= $2)
         INSERT INTO rate_slots (key, taken_at)
           SELECT $1, $3 WHERE (SELECT count(*) FROM rate_slots WHERE key = $1 AND taken_at > $2) < $4
         RETURNING 1`,
        [key, windowStart, now, Math.floor(limit)],
      );
      return { value: taken.rowCount === 1 };
    });
  }

  async createJob(job: NewJob): Promise<JobRecord> {
    const now = this.now();
    const { rows } = await this.pool.query<JobRow<string[]>>(
      `INSERT INTO jobs (id, "trigger", channel, thread_ts, file_id, content_hash, requester, recipients, stage,
         status, error, progress_ts, summary_ts, compare_with, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, 'accepted', NULL, NULL, NULL, $9, $10, $10)
       RETURNING ${JOB_COLUMNS}`,
      [
        job.id,
        job.trigger,
        job.channel,
        job.threadTs,
        job.fileId,
        job.requester,
        JSON.stringify(job.recipients),
        INITIAL_STAGE,
        job.compareWith ?? null,
        now,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error(`job ${job.id} was not stored`);
    // Read back rather than rebuilt, so the record is exactly what a restart will see.
    return jobFromRow(row);
  }

  /** Sets the fields present in `patch` (null included) and `updatedAt`; an empty patch or unknown id does nothing. */
  async updateJob(id: string, patch: JobPatch): Promise<void> {
    const sets: string[] = [];
    const params: (string | number | null)[] = [id];
    for (const [field, column] of PATCH_COLUMNS) {
      const value = patch[field];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    params.push(this.now());
    await this.pool.query(
      `UPDATE jobs SET ${sets.join(", ")}, updated_at = $${params.length} WHERE id = $1`,
      params,
    );
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const { rows } = await this.pool.query<JobRow<string[]>>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0] ? jobFromRow(rows[0]) : null;
  }

  async unfinishedJobs(due?: DueJobs): Promise<JobRecord[]> {
    const { rows } = due
      ? await this.pool.query<JobRow<string[]>>(
          `SELECT ${JOB_COLUMNS} FROM jobs WHERE status IN ('accepted', 'running')
             AND (updated_at <= $1 OR created_at < $2) ORDER BY created_at, seq`,
          [due.updatedAtOrBefore, due.createdBefore],
        )
      : await this.pool.query<JobRow<string[]>>(
          `SELECT ${JOB_COLUMNS} FROM jobs WHERE status IN ('accepted', 'running') ORDER BY created_at, seq`,
        );
    return rows.map(jobFromRow);
  }

  /**
   * One UPDATE: two instances leasing the same job meet on its row lock; the second re-reads the row
   * after the first commits, sees a live lease of another owner, and updates nothing.
   */
  async leaseJob(id: string, owner: string, leaseMs: number): Promise<boolean> {
    requirePositive("leaseJob", "leaseMs", leaseMs);
    const now = this.now();
    const result = await this.pool.query(
      `UPDATE jobs SET lease_owner = $2, lease_until = $3
       WHERE id = $1 AND status IN ('accepted', 'running')
         AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until <= $4)`,
      [id, owner, now + leaseMs, now],
    );
    return result.rowCount === 1;
  }

  async renewLeases(owner: string, leaseMs: number): Promise<number> {
    requirePositive("renewLeases", "leaseMs", leaseMs);
    const result = await this.pool.query(
      "UPDATE jobs SET lease_until = $1 WHERE lease_owner = $2 AND status IN ('accepted', 'running')",
      [this.now() + leaseMs, owner],
    );
    return result.rowCount ?? 0;
  }

  async saveAnalysis(analysis: StoredAnalysis): Promise<void> {
    await this.pool.query(
      `INSERT INTO analyses (content_hash, analysis_version, file_name, analysis, summary, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (content_hash, analysis_version) DO UPDATE SET file_name = excluded.file_name,
         analysis = excluded.analysis, summary = excluded.summary, created_at = excluded.created_at`,
      [
        analysis.contentHash,
        analysis.analysisVersion,
        analysis.fileName,
        JSON.stringify(analysis.analysis),
        analysis.summary === null ? null : JSON.stringify(analysis.summary),
        analysis.createdAt,
      ],
    );
  }

  async analysisByHash(contentHash: string, analysisVersion: number): Promise<StoredAnalysis | null> {
    const { rows } = await this.pool.query<AnalysisRow>(
      `SELECT content_hash, analysis_version, file_name, analysis, summary, created_at
       FROM analyses WHERE content_hash = $1 AND analysis_version = $2`,
      [contentHash, analysisVersion],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      contentHash: row.content_hash,
      analysisVersion: row.analysis_version,
      fileName: row.file_name,
      analysis: row.analysis,
      summary: row.summary,
      createdAt: row.created_at,
    };
  }

  async saveThreadSummary(summary: ThreadSummary): Promise<void> {
    await this.pool.query(
      `INSERT INTO thread_summaries (${SUMMARY_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (channel, thread_ts, file_id) DO UPDATE SET message_ts = excluded.message_ts,
         content_hash = excluded.content_hash, file_name = excluded.file_name, requester = excluded.requester,
         net_revenue = excluded.net_revenue, currency_symbol = excluded.currency_symbol,
         created_at = excluded.created_at`,
      [
        summary.channel,
        summary.threadTs,
        summary.fileId,
        summary.messageTs,
        summary.contentHash,
        summary.fileName,
        summary.requester,
        summary.netRevenue,
        summary.currencySymbol,
        summary.createdAt,
      ],
    );
  }

  async threadSummary(channel: string, threadTs: string, fileId: string): Promise<ThreadSummary | null> {
    const { rows } = await this.pool.query<ThreadSummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM thread_summaries WHERE channel = $1 AND thread_ts = $2 AND file_id = $3`,
      [channel, threadTs, fileId],
    );
    return rows[0] ? toThreadSummary(rows[0]) : null;
  }

  async recentSummaries(channel: string, limit: number): Promise<ThreadSummary[]> {
    const n = rowLimit(limit);
    if (n === 0) return [];
    const { rows } = await this.pool.query<ThreadSummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM thread_summaries WHERE channel = $1
       ORDER BY created_at DESC, seq DESC LIMIT $2`,
      [channel, n],
    );
    return rows.map(toThreadSummary);
  }

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO snapshots (${SNAPSHOT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (channel, file_id) DO UPDATE SET thread_ts = excluded.thread_ts,
         content_hash = excluded.content_hash, file_name = excluded.file_name,
         header_signature = excluded.header_signature, posted_at = excluded.posted_at,
         snapshot = excluded.snapshot, created_at = excluded.created_at`,
      [
        snapshot.channel,
        snapshot.fileId,
        snapshot.threadTs,
        snapshot.contentHash,
        snapshot.fileName,
        snapshot.headerSignature,
        snapshot.postedAt,
        snapshot.snapshot,
        snapshot.createdAt,
      ],
    );
  }

  async recentSnapshots(channel: string, limit: number): Promise<SnapshotRecord[]> {
    const n = rowLimit(limit);
    if (n === 0) return [];
    const { rows } = await this.pool.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE channel = $1 ORDER BY posted_at DESC, seq DESC LIMIT $2`,
      [channel, n],
    );
    return rows.map(toSnapshot);
  }

  /**
   * A record never turns a successful send back into a failure: the "sent" row is the guard against
   * e-mailing the same people twice. The condition is part of the upsert, so two instances recording
   * at once cannot interleave a read and a write.
   */
  async recordEmail(email: EmailRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO emails (idempotency_key, job_id, recipients, provider_id, status, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO UPDATE SET job_id = excluded.job_id, recipients = excluded.recipients,
         provider_id = excluded.provider_id, status = excluded.status, reason = excluded.reason,
         created_at = excluded.created_at
       WHERE emails.status <> 'sent'`,
      [
        email.idempotencyKey,
        email.jobId,
        JSON.stringify(email.recipients),
        email.providerId,
        email.status,
        email.reason,
        email.createdAt,
      ],
    );
  }

  async sentEmail(idempotencyKey: string): Promise<EmailRecord | null> {
    const { rows } = await this.pool.query<EmailRow<string[]>>(
      `SELECT idempotency_key, job_id, recipients, provider_id, status, reason, created_at
       FROM emails WHERE idempotency_key = $1 AND status = 'sent'`,
      [idempotencyKey],
    );
    const row = rows[0];
    return row ? toEmail(row, row.recipients) : null;
  }

  /** Jobs by last update, the rest by creation; dedupe keys once expired. One transaction: counts add up. */
  async purge(olderThanMs: number): Promise<PurgeCounts> {
    requireNonNegative("purge", "olderThanMs", olderThanMs);
    const now = this.now();
    const cutoff = now - olderThanMs;
    return this.transaction(async (client) => {
      const del = async (sql: string, at: number) => (await client.query(sql, [at])).rowCount ?? 0;
      return {
        value: {
          jobs: await del("DELETE FROM jobs WHERE updated_at < $1", cutoff),
          analyses: await del("DELETE FROM analyses WHERE created_at < $1", cutoff),
          threads: await del("DELETE FROM thread_summaries WHERE created_at < $1", cutoff),
          emails: await del("DELETE FROM emails WHERE created_at < $1", cutoff),
          snapshots: await del("DELETE FROM snapshots WHERE created_at < $1", cutoff),
          // Expired dedupe keys and rate slots (which matter for an hour at most; a day is a wide margin).
          dedupe:
            (await del("DELETE FROM dedupe WHERE expires_at <= $1", now)) +
            (await del("DELETE FROM rate_slots WHERE taken_at < $1", now - DAY_MS)),
        },
      };
    });
  }

  async health(): Promise<StoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)),
        HEALTH_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.pool.query("SELECT 1"), timeout]);
      return { ok: true, detail: "postgres" };
    } catch (error) {
      return { ok: false, detail: `postgres: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** jsonb comes back decoded: the row already holds the recipients array. */
function jobFromRow(row: JobRow<string[]>): JobRecord {
  return toJob(row, row.recipients);
}
