import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { POSTGRES_MIGRATIONS, type PostgresMigration } from "../../src/services/postgres-migrations.js";
import { openPostgresStore, POSTGRES_SCHEMA_VERSION } from "../../src/services/postgres-store.js";
import type { Store } from "../../src/services/store.js";
import { connectTestPostgres, type TestPostgres } from "../helpers/postgres.js";
import { describeStoreContract } from "./store-contract.js";
import { HOUR } from "./store-fixtures.js";

// One line and a skip when no PostgreSQL answers (a failure under CI=true): see test/helpers/postgres.ts.
const server = await connectTestPostgres();
afterAll(async () => {
  await server?.end();
});

/** The server, inside a test that only runs when there is one. */
function pg(): TestPostgres {
  if (!server) throw new Error("unreachable: these tests are skipped without PostgreSQL");
  return server;
}

describe.skipIf(!server)("PostgreSQL store", () => {
  describeStoreContract("PostgreSQL", async () => {
    const url = await pg().freshSchemaUrl();
    return { open: (now) => openPostgresStore(url, now ? { now } : {}) };
  });

  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  async function open(url: string, options: Parameters<typeof openPostgresStore>[1] = {}) {
    const store = await openPostgresStore(url, options);
    opened.push(store);
    return store;
  }
  async function tablesIn(schema: string): Promise<string[]> {
    const { rows } = await pg().query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    return rows.map((r) => r.table_name);
  }
  async function versionsIn(schema: string): Promise<number[]> {
    const { rows } = await pg().query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
    );
    return rows.map((r) => r.version);
  }

  describe("migrations", () => {
    it("are numbered 1, 2, … and end at POSTGRES_SCHEMA_VERSION", () => {
      expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      expect(POSTGRES_MIGRATIONS.at(-1)?.version).toBe(POSTGRES_SCHEMA_VERSION);
      for (const m of POSTGRES_MIGRATIONS) expect(m.description).not.toBe("");
    });

    it("create every table in the connection's schema and record each version once", async () => {
      const url = await pg().freshSchemaUrl();
      await open(url);
      const schema = pg().schemaOf(url);
      expect(await tablesIn(schema)).toEqual([
        "analyses",
        "dedupe",
        "emails",
        "jobs",
        "rate_slots",
        "schema_migrations",
        "snapshots",
        "thread_summaries",
      ]);
      expect(await versionsIn(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    });

    it("run once when instances start together on a fresh schema: the others wait for the lock, then find them done", async () => {
      const url = await pg().freshSchemaUrl();
      // A slow migration widens the window in which a second migrator would collide with the first.
      const slow: PostgresMigration[] = [
        ...POSTGRES_MIGRATIONS,
        {
          version: POSTGRES_MIGRATIONS.length + 1,
          description: "slow, and counts how often it runs",
          up: "CREATE TABLE runs (at BIGINT); INSERT INTO runs VALUES (1); SELECT pg_sleep(0.3);",
        },
      ];
      const started = Date.now();
      const stores = await Promise.all(Array.from({ length: 4 }, () => open(url, { migrations: slow })));
      const schema = pg().schemaOf(url);
      expect((await pg().query(`SELECT count(*)::int AS n FROM ${schema}.runs`)).rows[0]?.n).toBe(1);
      expect(await versionsIn(schema)).toEqual(slow.map((m) => m.version));
      // Each instance works on the shared schema.
      const won = await Promise.all(stores.map((s) => s.claim(["only-key"], HOUR)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it("upgrade a schema left at version 1 to the current one, keeping its rows", async () => {
      const url = await pg().freshSchemaUrl();
      const schema = pg().schemaOf(url);
      await (await openPostgresStore(url, { migrations: POSTGRES_MIGRATIONS.slice(0, 1) })).close();
      await pg().query(
        `INSERT INTO ${schema}.jobs (id, "trigger", channel, thread_ts, file_id, content_hash, requester, recipients,
           stage, status, error, progress_ts, summary_ts, created_at, updated_at)
         VALUES ('kept', 'command', 'C9', '1.1', 'F9', 'h9', 'U9', '["x@example.com"]', 'read', 'running', NULL,
           '2.2', NULL, 10, 20)`,
      );
      const store = await open(url);
      expect(await versionsIn(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(await store.getJob("kept")).toEqual({
        id: "kept",
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
        // Jobs from before migration 2 were never explicit comparisons.
        compareWith: null,
        createdAt: 10,
        updatedAt: 20,
      });
    });

    it("refuse a schema written by a newer release, and leave it untouched", async () => {
      const url = await pg().freshSchemaUrl();
      const schema = pg().schemaOf(url);
      await (await openPostgresStore(url)).close();
      await pg().query(
        `INSERT INTO ${schema}.schema_migrations (version, description, applied_at) VALUES ($1, 'from the future', 0)`,
        [POSTGRES_SCHEMA_VERSION + 1],
      );
      const before = await tablesIn(schema);
      await expect(openPostgresStore(url)).rejects.toThrow(
        new RegExp(
          `schema version ${POSTGRES_SCHEMA_VERSION + 1}.*versions up to ${POSTGRES_SCHEMA_VERSION}.*newer release.*was not changed`,
        ),
      );
      expect(await tablesIn(schema)).toEqual(before);
      expect(await versionsIn(schema)).toEqual([
        ...POSTGRES_MIGRATIONS.map((m) => m.version),
        POSTGRES_SCHEMA_VERSION + 1,
      ]);
    });

    it("roll a failed migration back whole: the version before it, nothing half-applied", async () => {
      const url = await pg().freshSchemaUrl();
      const schema = pg().schemaOf(url);
      const broken: PostgresMigration[] = [
        ...POSTGRES_MIGRATIONS,
        {
          version: POSTGRES_SCHEMA_VERSION + 1,
          description: "adds a column, then fails",
          up: "ALTER TABLE emails ADD COLUMN half_applied TEXT; CREATE TABLE jobs (x INTEGER);",
        },
      ];
      await expect(openPostgresStore(url, { migrations: broken })).rejects.toThrow(
        new RegExp(
          `upgrade .* to schema version ${POSTGRES_SCHEMA_VERSION + 1} .*unchanged at version ${POSTGRES_SCHEMA_VERSION}.*already exists`,
        ),
      );
      expect(await versionsIn(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      const { rows } = await pg().query(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'half_applied'",
        [schema],
      );
      expect(rows).toEqual([]);
      // The lock went with the failed attempt: the good migrations open the schema at once.
      const store = await open(url);
      expect(await store.claim(["k"], HOUR)).toBe(true);
    });
  });

  describe("connection", () => {
    it("fails to open with the reason when nothing listens, without a password in the message", async () => {
      const url = new URL(await pg().freshSchemaUrl());
      url.password = "s3cret-pw";
      url.host = "127.0.0.1:1";
      const failure = openPostgresStore(url.toString());
      await expect(failure).rejects.toThrow(/ECONNREFUSED/);
      await expect(failure).rejects.not.toThrow(/s3cret-pw/);
    });

    it("reports unhealthy within the timeout while the database is unreachable, and healthy once it is back", async () => {
      const url = new URL(await pg().freshSchemaUrl());
      const proxy = await tcpProxy(url.hostname, Number(url.port || 5432));
      url.host = `127.0.0.1:${proxy.port}`;
      const errors: Error[] = [];
      const store = await open(url.toString(), { onConnectionError: (e) => errors.push(e) });
      expect(await store.health()).toEqual({ ok: true, detail: "postgres" });

      await proxy.down();
      const started = Date.now();
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toMatch(/^postgres: /);
      expect(Date.now() - started).toBeLessThan(3_000);
      await expect(store.getJob("j1")).rejects.toThrow();

      await proxy.up();
      // The pool drops the broken connections and opens new ones: no restart needed.
      expect(await store.health()).toEqual({ ok: true, detail: "postgres" });
      expect(await store.getJob("j1")).toBeNull();
      await proxy.close();
    });
  });
});

/**
 * A TCP relay to the database that can be cut (connections destroyed, port closed) and restored on the
 * same port: the database "goes away" without touching the server other tests use.
 */
async function tcpProxy(host: string, port: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let listenPort = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      const listening = createServer((client) => {
        const upstream = tcpConnect(port, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server = listening;
      listening.listen(listenPort, "127.0.0.1", () => {
        listenPort = (listening.address() as { port: number }).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
      server = null;
    });
  await up();
  return { port: listenPort, up, down, close: down };
}
