import type { App } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp, healthOf } from "../src/app.js";
import { loadAppConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import type { Store } from "../src/services/store.js";
import { createTelemetry } from "../src/telemetry.js";
import { type FakeSlack, startFakeSlack } from "./helpers/fake-slack.js";
import { freePort } from "./helpers/net.js";

/** GET /health in HTTP mode: what a load balancer or Fly's check sees of the instance and its database. */
let slack: FakeSlack;
let app: App;
let port: number;
let store: Store;
let accepting = true;
const warnings: unknown[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  port = await freePort();
  const config = loadAppConfig({
    SLACK_BOT_TOKEN: "xoxb-health",
    SLACK_SIGNING_SECRET: "health-secret-123",
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
  });
  const logger = createLogger({ level: "silent" });
  const logged = { ...logger, warn: (...args: unknown[]) => warnings.push(args) } as typeof logger;
  app = createApp(
    config,
    logger,
    healthOf(() => accepting, { database: () => store.health() }, logged),
    createTelemetry({ defaultMetrics: false }),
  );
  await app.init();
  await app.start(port);
});

afterEach(async () => {
  accepting = true;
  await store?.close();
});

afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

async function health() {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: response.status, body: await response.json() };
}

describe("GET /health", () => {
  it("answers 200 naming the database as ok while it answers", async () => {
    store = openSqliteStore(":memory:");
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "ok" } });
  });

  it("answers 503 with the database unreachable when it does not answer, and logs why", async () => {
    store = openSqliteStore(":memory:");
    await store.close();
    warnings.length = 0;
    expect(await health()).toEqual({ status: 503, body: { status: "unavailable", database: "unreachable" } });
    expect(JSON.stringify(warnings)).toMatch(/"check":"database".*"detail":"sqlite: .*not open/);
  });

  it("answers 503 while shutting down, still naming each check", async () => {
    store = openSqliteStore(":memory:");
    accepting = false;
    expect(await health()).toEqual({ status: 503, body: { status: "shutting down", database: "ok" } });
  });
});
