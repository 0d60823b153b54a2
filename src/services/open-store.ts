import { join } from "node:path";
import { describePostgresUrl, openPostgresStore } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/** Where state lives: PostgreSQL when a URL is given (several instances), else SQLite in dataDir (one). */
export interface StoreLocation {
  databaseUrl: string | null;
  dataDir: string;
}

export interface OpenStoreOptions {
  /** An idle PostgreSQL connection failed (the pool replaces it): worth a warning, not a crash. */
  onConnectionError?: (error: Error) => void;
}

/** The store in words for logs and start-up errors, never with a password. */
export function describeStore(location: StoreLocation): string {
  return location.databaseUrl
    ? `PostgreSQL ${describePostgresUrl(location.databaseUrl)}`
    : `SQLite ${sqlitePath(location.dataDir)}`;
}

/**
 * Thrown when the store cannot be opened at start-up; its message is one line an operator can act on,
 * written to follow "Could not start: ".
 */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}

/**
 * Opens (and migrates) the store the configuration names. Fails with a StoreOpenError saying which
 * database, why, and what to check: an unreachable server, a refused password, a schema from a newer
 * release, an unwritable DATA_DIR.
 */
export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  const what = describeStore(location);
  try {
    if (location.databaseUrl) {
      return await openPostgresStore(location.databaseUrl, {
        ...(options.onConnectionError ? { onConnectionError: options.onConnectionError } : {}),
      });
    }
    return openSqliteStore(sqlitePath(location.dataDir));
  } catch (error) {
    const check = location.databaseUrl
      ? "Check DATABASE_URL and that the database server is running and reachable."
      : "Check DATA_DIR.";
    throw new StoreOpenError(`the database (${what}) could not be opened: ${reasonOf(error)}. ${check}`, {
      cause: error,
    });
  }
}

function sqlitePath(dataDir: string): string {
  return join(dataDir, "insights.db");
}

/**
 * The most specific message an error carries, on one line. Node reports a refused connection to a
 * host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError with an empty
 * message; its parts say what happened.
 */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts =
    error instanceof AggregateError && error.errors.length > 0
      ? error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e)))
      : [error.message || (error as { code?: string }).code || error.name];
  return [...new Set(parts)].join("; ").replace(/\s+/g, " ").replace(/\.$/, "").trim();
}
