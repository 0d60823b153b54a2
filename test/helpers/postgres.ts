import { randomBytes } from "node:crypto";
import pg from "pg";
import { describePostgresUrl } from "../../src/services/postgres-store.js";

/**
 * A real PostgreSQL for the tests that need one, each test in a throwaway schema of its own.
 *
 * Which server: TEST_DATABASE_URL, else DATABASE_URL, else the local default (127.0.0.1:5432, trust
 * auth, database `test`). Only schemas named sib_test_* are created there, and dropped at the end.
 *
 * Absent (nothing answers): the tests skip with one printed line, unless CI=true, where a missing
 * database is a broken machine and fails. `.ci/run` starts PostgreSQL when it is installed; when it
 * is not, scripts/ci-services.sh lists it in CI_SERVICES_ABSENT and the tests skip even under CI.
 */
export interface TestPostgres {
  /** The server's URL, for messages (password hidden). */
  description: string;
  /** Creates an empty schema and returns a URL whose connections use it (search_path). */
  freshSchemaUrl(): Promise<string>;
  /** A query on the server, outside any test schema unless the SQL names one. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** The schema a URL from freshSchemaUrl points at. */
  schemaOf(url: string): string;
  /** Drops every schema it created and closes its connection. */
  end(): Promise<void>;
}

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";
const PROBE_TIMEOUT_MS = 3_000;

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_URL;
}

/** Null (after printing why) when the tests should skip; throws under CI=true when the server is missing. */
export async function connectTestPostgres(): Promise<TestPostgres | null> {
  const url = testDatabaseUrl();
  const description = describePostgresUrl(url);
  const absent = (process.env.CI_SERVICES_ABSENT ?? "").split(/[\s,]+/);
  if (absent.includes("postgres")) {
    console.warn(
      "Skipping PostgreSQL tests: PostgreSQL is not installed on this machine (CI_SERVICES_ABSENT).",
    );
    return null;
  }
  const admin = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  admin.on("error", () => undefined);
  try {
    await admin.query("SELECT 1");
  } catch (error) {
    await admin.end().catch(() => undefined);
    const reason = (error as Error).message || (error as { code?: string }).code || String(error);
    if (process.env.CI === "true") {
      throw new Error(`CI=true but PostgreSQL at ${description} does not answer: ${reason}`);
    }
    const hint = process.env.TEST_DATABASE_URL ? "" : "; set TEST_DATABASE_URL to run them";
    console.warn(`Skipping PostgreSQL tests: nothing answers at ${description} (${reason})${hint}.`);
    return null;
  }
  const created: string[] = [];
  return {
    description,
    async freshSchemaUrl() {
      const schema = `sib_test_${process.pid}_${randomBytes(5).toString("hex")}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      created.push(schema);
      const withSchema = new URL(url);
      withSchema.searchParams.set("options", `-c search_path=${schema}`);
      return withSchema.toString();
    },
    query: (sql, params) => admin.query(sql, params),
    schemaOf(schemaUrl) {
      const options = new URL(schemaUrl).searchParams.get("options") ?? "";
      const match = /search_path=(\w+)/.exec(options);
      if (!match?.[1]) throw new Error(`no schema in ${describePostgresUrl(schemaUrl)}`);
      return match[1];
    },
    async end() {
      for (const schema of created.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
