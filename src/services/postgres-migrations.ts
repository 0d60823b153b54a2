/**
 * The PostgreSQL schema, as numbered migrations (src/services/postgres-store.ts runs them at start-up).
 * Its versions are its own: a PostgreSQL database starts at today's shape, so version 1 here holds what
 * SQLite reached in four steps (src/services/sqlite-store.ts), and later changes are added to both.
 *
 * Types, and why:
 * - Times are ms since the epoch in BIGINT, as in SQLite and in the Store contract (read back as numbers:
 *   ms timestamps stay far below 2^53).
 * - Analyses and summaries are `json`, not `jsonb`: `json` keeps the text exactly as written (key order
 *   included) and only checks that it parses, so an Analysis round-trips to a deep-equal object; `jsonb`
 *   reorders keys and normalises numbers.
 * - Rows that the contract orders by "saved last" (SQLite's rowid) get an identity column, `seq`,
 *   assigned on insert and kept by an upsert, exactly like a rowid.
 */

export interface PostgresMigration {
  version: number;
  description: string;
  up: string;
}

/** Append only: a released migration is never edited, a change is a new migration. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = Object.freeze([
  {
    version: 1,
    description:
      "jobs, dedupe keys, analyses by content hash and engine version, thread summaries, snapshots, e-mail audit trail, rate-limit slots",
    up: `
      CREATE TABLE jobs (
        id           TEXT PRIMARY KEY,
        seq          BIGINT GENERATED ALWAYS AS IDENTITY,
        "trigger"    TEXT NOT NULL,
        channel      TEXT NOT NULL,
        thread_ts    TEXT NOT NULL,
        file_id      TEXT NOT NULL,
        content_hash TEXT,
        requester    TEXT NOT NULL,
        recipients   JSON NOT NULL,
        stage        TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('accepted', 'running', 'done', 'failed')),
        error        TEXT,
        progress_ts  TEXT,
        summary_ts   TEXT,
        created_at   BIGINT NOT NULL,
        updated_at   BIGINT NOT NULL
      );
      CREATE INDEX jobs_status ON jobs (status, created_at, seq);
      CREATE INDEX jobs_updated ON jobs (updated_at);

      CREATE TABLE dedupe (
        key        TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX dedupe_expires ON dedupe (expires_at);

      CREATE TABLE analyses (
        content_hash     TEXT NOT NULL,
        analysis_version INTEGER NOT NULL,
        file_name        TEXT NOT NULL,
        analysis         JSON NOT NULL,
        summary          JSON,
        created_at       BIGINT NOT NULL,
        PRIMARY KEY (content_hash, analysis_version)
      );
      CREATE INDEX analyses_created ON analyses (created_at);

      CREATE TABLE thread_summaries (
        channel         TEXT NOT NULL,
        thread_ts       TEXT NOT NULL,
        file_id         TEXT NOT NULL,
        seq             BIGINT GENERATED ALWAYS AS IDENTITY,
        message_ts      TEXT NOT NULL,
        content_hash    TEXT NOT NULL,
        file_name       TEXT NOT NULL,
        requester       TEXT NOT NULL,
        net_revenue     DOUBLE PRECISION NOT NULL,
        currency_symbol TEXT,
        created_at      BIGINT NOT NULL,
        PRIMARY KEY (channel, thread_ts, file_id)
      );
      CREATE INDEX thread_summaries_recent ON thread_summaries (channel, created_at DESC, seq DESC);

      CREATE TABLE snapshots (
        channel          TEXT NOT NULL,
        file_id          TEXT NOT NULL,
        seq              BIGINT GENERATED ALWAYS AS IDENTITY,
        thread_ts        TEXT NOT NULL,
        content_hash     TEXT NOT NULL,
        file_name        TEXT NOT NULL,
        header_signature TEXT NOT NULL,
        posted_at        BIGINT NOT NULL,
        snapshot         TEXT NOT NULL,
        created_at       BIGINT NOT NULL,
        PRIMARY KEY (channel, file_id)
      );
      CREATE INDEX snapshots_recent ON snapshots (channel, posted_at DESC, seq DESC);

      CREATE TABLE emails (
        idempotency_key TEXT PRIMARY KEY,
        job_id          TEXT NOT NULL,
        recipients      JSON NOT NULL,
        provider_id     TEXT,
        status          TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
        reason          TEXT,
        created_at      BIGINT NOT NULL
      );

      CREATE TABLE rate_slots (
        key      TEXT NOT NULL,
        taken_at BIGINT NOT NULL
      );
      CREATE INDEX rate_slots_key ON rate_slots (key, taken_at);
    `,
  },
  {
    version: 2,
    description: "jobs remember the earlier upload an explicit comparison (/insights compare) is with",
    up: `
      ALTER TABLE jobs ADD COLUMN compare_with TEXT;
    `,
  },
  {
    version: 3,
    description: "job leases: which instance runs an unfinished job, until when",
    up: `
      ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
      ALTER TABLE jobs ADD COLUMN lease_until BIGINT;
      CREATE INDEX jobs_lease_owner ON jobs (lease_owner) WHERE lease_owner IS NOT NULL;
    `,
  },
]);

export const POSTGRES_SCHEMA_VERSION: number = checkMigrations(POSTGRES_MIGRATIONS);

function checkMigrations(migrations: readonly PostgresMigration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${i + 1} has version ${m.version}: versions must be 1, 2, 3…`);
  });
  return migrations.length;
}
