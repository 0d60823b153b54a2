import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { App } from "@slack/bolt";
import { buildApp } from "../../src/app.js";
import { loadAppConfig } from "../../src/config.js";
import { JobRunner } from "../../src/jobs/runner.js";
import { createLogger } from "../../src/logger.js";
import { createEmailSender } from "../../src/services/email.js";
import { createGeminiSummaryModel } from "../../src/services/gemini.js";
import { createSlackFiles } from "../../src/services/slack-files.js";
import { createSlackMessenger } from "../../src/services/slack-messenger.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";
import type { Store } from "../../src/services/store.js";
import { createTelemetry, instrumentModel } from "../../src/telemetry.js";
import { type FakeGemini, startFakeGemini } from "./fake-gemini.js";
import { type FakeResend, startFakeResend } from "./fake-resend.js";
import { assertUserTeamPresent, type FakeSlack, startFakeSlack } from "./fake-slack.js";
import { waitFor } from "./wait-for.js";

export { waitFor };

/**
 * The whole app in HTTP mode on 127.0.0.1, talking to fake Slack, Gemini and Resend servers (real
 * HTTP servers on loopback), driven by requests signed exactly as Slack signs them. Shared by the
 * end-to-end suites so that each one states only its own settings and checks.
 */
export interface SlackAppHarnessOptions {
  signingSecret: string;
  /** Prefix of the temporary DATA_DIR. */
  dataDirPrefix: string;
  /** The suite's own settings (allowed users and channels, e-mail defaults...); the fakes' URLs and keys are set here. */
  env: Record<string, string>;
  /** Channels and the like the fake workspace must hold before the app starts. */
  prepareSlack?: (slack: FakeSlack) => void;
  /** Wraps the SQLite store the app is given (to make some of its calls fail, say). */
  wrapStore?: (store: Store) => Store;
}

interface FixtureFile {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** The fields of the fixture event the suites set; the rest stays as Slack sends it. */
export interface FileShareEnvelope {
  event_id: string;
  event: {
    user: string;
    channel: string;
    ts: string;
    event_ts: string;
    thread_ts?: string;
    files: FixtureFile[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface SlackAppHarness {
  slack: FakeSlack;
  gemini: FakeGemini;
  resend: FakeResend;
  app: App;
  baseUrl: string;
  dataDir: string;
  /** The store the app uses (wrapped, when the suite asked). */
  store: Store;
  /** Every request body the app finished handling (all listeners settled), in order. */
  processed: Record<string, unknown>[];
  /** The app's log lines (level info and up), parsed. */
  logLines: Record<string, unknown>[];
  logs(msg: string): Record<string, unknown>[];
  /** The headers Slack signs a request body with. */
  sign(body: string, timestamp?: number): Record<string, string>;
  /** POSTs to /slack/events, signed; the payload must name its user's team, as Slack's do. */
  post(body: string, contentType: string, extra?: Record<string, string>): Promise<Response>;
  /** The file_share message event of test/fixtures/slack, its file URLs pointing at the fake Slack. */
  fileShareEnvelope(): FileShareEnvelope;
  /** Forgets what the fakes received and what the app logged and handled: the next test starts clean. */
  reset(): void;
  /**
   * A job still running when its test ends would post into the next test: waits until every job the
   * test started has reached a final status in the store (its last Slack call comes before that).
   */
  waitForJobs(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlackAppHarness(options: SlackAppHarnessOptions): Promise<SlackAppHarness> {
  const slack = await startFakeSlack();
  options.prepareSlack?.(slack);
  const gemini = await startFakeGemini();
  const resend = await startFakeResend();
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  const processed: Record<string, unknown>[] = [];
  const logLines: Record<string, unknown>[] = [];
  const config = loadAppConfig({
    SLACK_BOT_TOKEN: "xoxb-e2e-test-token",
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    GEMINI_API_KEY: "gemini-e2e-key",
    GEMINI_BASE_URL: gemini.baseUrl,
    GEMINI_TIMEOUT_MS: "2000",
    RESEND_API_KEY: "re_e2e_key",
    RESEND_BASE_URL: resend.baseUrl,
    EMAIL_FROM: "Insights <insights@example.com>",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const logger = createLogger({
    level: "info",
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
        done();
      },
    }),
  });
  const sqlite = openSqliteStore(join(dataDir, "insights.db"));
  const store = options.wrapStore ? options.wrapStore(sqlite) : sqlite;
  const telemetry = createTelemetry({ defaultMetrics: false });
  const runner = new JobRunner({
    maxConcurrent: 2,
    perUserPerHour: 100,
    logger,
    claim: (keys, ttlMs) => store.claim(keys, ttlMs),
    takeRateSlot: (key, limit, windowMs) => store.takeRateSlot(key, limit, windowMs),
  });
  const apiKey = config.gemini.apiKey ?? "";
  const app = buildApp({
    config,
    logger,
    runner,
    jobs: {
      files: createSlackFiles({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl }),
      model: instrumentModel(
        createGeminiSummaryModel({ ...config.gemini, apiKey }, { sleep: async () => {} }),
        telemetry,
      ),
      email: createEmailSender(config.email, { sleep: async () => {} }),
      limits: config.limits,
      workDir: join(dataDir, "work"),
      store,
      telemetry,
      logger,
    },
    messenger: (a) => createSlackMessenger(a.client),
  });
  // Global middleware runs before the listeners, and `next()` resolves once they have all settled:
  // the positive signal that a request was handled, whatever the listeners decided to do with it.
  app.use(async ({ body, next }) => {
    try {
      await next();
    } finally {
      processed.push(body as Record<string, unknown>);
    }
  });
  await app.init();
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const logs = (msg: string) => logLines.filter((l) => l.msg === msg);
  const sign = (body: string, timestamp = Math.floor(Date.now() / 1000)) => {
    const signature = `v0=${createHmac("sha256", options.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
  };

  return {
    slack,
    gemini,
    resend,
    app,
    baseUrl,
    dataDir,
    store,
    processed,
    logLines,
    logs,
    sign,
    async post(body, contentType, extra = {}) {
      const parsed = contentType.includes("json")
        ? (JSON.parse(body) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body));
      const payload = typeof parsed.payload === "string" ? JSON.parse(parsed.payload) : parsed;
      if (payload.type !== "url_verification") assertUserTeamPresent(payload);
      return fetch(`${baseUrl}/slack/events`, {
        method: "POST",
        headers: { "content-type": contentType, ...sign(body), ...extra },
        body,
      });
    },
    fileShareEnvelope() {
      return JSON.parse(
        readFileSync(new URL("../fixtures/slack/event-file-share.json", import.meta.url), "utf8").replaceAll(
          "__API_URL__",
          `${slack.baseUrl}/`,
        ),
      );
    },
    reset() {
      slack.calls.length = 0;
      slack.ephemerals.length = 0;
      slack.downloads.length = 0;
      slack.responses.length = 0;
      gemini.requests.length = 0;
      resend.requests.length = 0;
      processed.length = 0;
      logLines.length = 0;
    },
    async waitForJobs() {
      const jobIds = logs("job accepted").map((l) => String(l.jobId));
      await waitFor(async () => {
        const jobs = await Promise.all(jobIds.map((id) => store.getJob(id)));
        return jobs.every((job) => job?.status === "done" || job?.status === "failed");
      }, "this test's jobs to finish");
    },
    async close() {
      await app.stop();
      await Promise.all([slack.close(), gemini.close(), resend.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
