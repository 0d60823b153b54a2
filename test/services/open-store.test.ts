import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { describeStore, openStore, StoreOpenError } from "../../src/services/open-store.js";
import { SCHEMA_VERSION } from "../../src/services/sqlite-store.js";
import type { Store } from "../../src/services/store.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe("openStore", () => {
  it("opens SQLite in DATA_DIR when no database URL is set", async () => {
    const dataDir = join(files.dir, "data");
    const store = await openStore({ databaseUrl: null, dataDir });
    opened.push(store);
    expect(await store.health()).toEqual({ ok: true, detail: "sqlite" });
    await store.createJob({
      id: "j1",
      trigger: "upload",
      channel: "C1",
      threadTs: "1.1",
      fileId: "F1",
      requester: "U1",
      recipients: [],
    });
    const check = new Database(join(dataDir, "insights.db"), { readonly: true });
    expect(check.prepare("SELECT id FROM jobs").pluck().all()).toEqual(["j1"]);
    check.close();
    expect(describeStore({ databaseUrl: null, dataDir })).toBe(`SQLite ${join(dataDir, "insights.db")}`);
  });

  it("describes a PostgreSQL URL without its password", () => {
    expect(
      describeStore({
        databaseUrl: "postgres://bot:p%40ss-w0rd@db.internal:5433/insights?sslmode=require",
        dataDir: "x",
      }),
    ).toBe("PostgreSQL postgres://bot:***@db.internal:5433/insights");
    expect(describeStore({ databaseUrl: "postgresql://db/insights", dataDir: "x" })).toBe(
      "PostgreSQL postgresql://db/insights",
    );
  });

  it("fails with one line naming the database (no password), the reason and what to check when PostgreSQL is unreachable", async () => {
    const attempt = openStore({
      databaseUrl: "postgres://bot:hunter2-secret@127.0.0.1:1/insights",
      dataDir: "x",
    });
    await expect(attempt).rejects.toBeInstanceOf(StoreOpenError);
    const message = await attempt.then(
      () => "",
      (error: Error) => error.message,
    );
    expect(message).toMatch(
      /^the database \(PostgreSQL postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/insights\) could not be opened: .*ECONNREFUSED.*\. Check DATABASE_URL/,
    );
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("\n");
  });

  it("fails with one line when the SQLite file was written by a newer release", async () => {
    const dataDir = join(files.dir, "newer");
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, "insights.db"));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openStore({ databaseUrl: null, dataDir })).rejects.toThrow(
      /^the database \(SQLite .*insights\.db\) could not be opened: .*newer release.*Check DATA_DIR\.$/,
    );
  });
});
