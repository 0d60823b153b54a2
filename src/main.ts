import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "./app.js";
import { type AppConfig, ConfigError, loadAppConfig } from "./config.js";
import { BullMqQueue } from "./jobs/bullmq-queue.js";
import { InProcessQueue } from "./jobs/in-process-queue.js";
import { JobLeases } from "./jobs/leases.js";
import type { JobQueue } from "./jobs/queue.js";
import { resumeUnfinishedJobs } from "./jobs/resume.js";
import { JobRunner } from "./jobs/runner.js";
import { createLogger, type Logger } from "./logger.js";
import { createEmailSender } from "./services/email.js";
import { createGeminiServices } from "./services/gemini.js";
import { describeStore, openStore, StoreOpenError } from "./services/open-store.js";
import { createSlackFiles } from "./services/slack-files.js";
import { createSlackMessenger } from "./services/slack-messenger.js";
import type { Store } from "./services/store.js";
import {
  createTelemetry,
  instrumentModel,
  queueObserver,
  type Telemetry,
  watchQueueDepth,
} from "./telemetry.js";

const PURGE_EVERY_MS = 60 * 60 * 1000;
/**
 * With a shared queue, jobs the store holds but Redis never got (an instance died between writing
 * and queuing one, or Redis was down then) are queued again this often, once they are this old (so a
 * job another instance is queuing right now is left to it). With a shared database and in-process
 * queues, the same pass runs the jobs of instances that died (their leases lapsed).
 */
const REQUEUE_EVERY_MS = 60 * 1000;
const REQUEUE_MIN_AGE_MS = 30 * 1000;

/** Process entry: config, logger, services, app; start; stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  describeStartup(config, logger);

  let store: Store;
  try {
    store = await openStore(config, {
      onConnectionError: (error) =>
        logger.warn({ err: error }, "a database connection failed; the pool opens a new one"),
    });
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    logger.fatal({ err: error }, "could not open the database");
    process.stderr.write(`Could not start: ${error.message}\n`);
    process.exit(1);
  }
  const telemetry = createTelemetry();
  // With a shared database and in-process queues, each instance leases the jobs it runs (see leases.ts).
  const leases = config.databaseUrl && !config.queue ? new JobLeases(store, randomUUID(), logger) : null;
  const queue = await openQueue(config, logger, telemetry, leases);
  const runner = new JobRunner({
    queue,
    maxConcurrent: config.jobs.maxConcurrent,
    perUserConcurrent: config.jobs.perUserConcurrent,
    perUserPerHour: config.jobs.perUserPerHour,
    logger,
    claim: (keys, ttlMs) => store.claim(keys, ttlMs),
    takeRateSlot: (key, limit, windowMs) => store.takeRateSlot(key, limit, windowMs),
  });
  const { apiKey } = config.gemini;
  const gemini = apiKey
    ? createGeminiServices(
        { ...config.gemini, apiKey },
        {
          onFailure: (reason) =>
            logger.warn({ reason }, "Gemini column help failed: the heuristic reading stands"),
        },
      )
    : null;
  const jobs = {
    files: createSlackFiles({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl }),
    model: gemini ? instrumentModel(gemini.summaryModel, telemetry) : null,
    columnClassifier: gemini?.columnClassifier ?? null,
    email: createEmailSender(config.email),
    limits: config.limits,
    workDir: join(tmpdir(), "sales-insight-bot"),
    store,
    telemetry,
    logger,
  };
  const app = buildApp({ config, logger, runner, jobs, messenger: (a) => createSlackMessenger(a.client) });

  try {
    await app.init();
    if (config.slack.appToken) await app.start();
    else await app.start(config.slack.port);
  } catch (error) {
    const detail = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    logger.fatal({ err: error }, "could not start");
    process.stderr.write(
      `Could not start: Slack did not accept the app's credentials or could not be reached (${detail}). Check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL.\n`,
    );
    process.exit(1);
  }
  logger.info(
    { mode: config.slack.appToken ? "socket" : "http", port: config.slack.port },
    "Sales Insight Bot is running",
  );
  // Unfinished jobs are queued again. In process that is every one of them (they lived only in the
  // last run's memory); with Redis the queue still holds its jobs, and queuing one it knows is a
  // no-op, so this only recovers the ones Redis never got, now and then periodically.
  // With leases, the periodic pass also picks up the jobs of an instance that died (its leases lapse).
  const shared = queue.backend === "bullmq";
  const resume = (minAgeMs: number, periodic = false) =>
    resumeUnfinishedJobs(store, runner, logger, { minAgeMs, periodic }).catch((error: unknown) =>
      logger.error({ err: error }, "could not queue unfinished jobs again"),
    );
  leases?.startHeartbeat();
  await resume(shared ? REQUEUE_MIN_AGE_MS : 0);
  const requeue =
    shared || leases
      ? setInterval(() => void resume(shared ? REQUEUE_MIN_AGE_MS : 0, true), REQUEUE_EVERY_MS)
      : null;
  requeue?.unref();
  const purge = setInterval(() => void purgeOldData(store, config.retentionDays, logger), PURGE_EVERY_MS);
  purge.unref();
  await purgeOldData(store, config.retentionDays, logger);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new work is accepted");
    if (requeue) clearInterval(requeue);
    const { drained, unfinished } = await runner.shutdown(config.jobs.shutdownTimeoutMs);
    if (!drained) logger.warn({ unfinished }, "shutdown deadline reached with jobs still running");
    // Jobs cut short here are the next instance's to resume, right away.
    await leases?.release();
    await app.stop().catch((error: unknown) => logger.warn({ err: error }, "error while stopping"));
    clearInterval(purge);
    await runner.close();
    await store.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/**
 * The job queue: in this process by default; BullMQ on Redis with REDIS_URL, so any instance's worker
 * runs any instance's jobs. Start-up stops with a clear message when Redis cannot be reached.
 */
async function openQueue(
  config: AppConfig,
  logger: Logger,
  telemetry: Telemetry,
  leases: JobLeases | null,
): Promise<JobQueue> {
  const observer = queueObserver(telemetry);
  let queue: JobQueue;
  if (config.queue) {
    const bullmq = new BullMqQueue({
      url: config.queue.redisUrl,
      prefix: config.queue.prefix,
      concurrency: config.jobs.maxConcurrent,
      logger,
      observer,
    });
    try {
      await bullmq.connect();
    } catch (error) {
      logger.fatal({ err: error }, "could not reach Redis");
      process.stderr.write(
        `Could not start: the job queue's Redis could not be reached (${(error as Error).message}). Check REDIS_URL.\n`,
      );
      await bullmq.close();
      process.exit(1);
    }
    queue = bullmq;
  } else {
    queue = new InProcessQueue(
      { maxConcurrent: config.jobs.maxConcurrent, perUserConcurrent: config.jobs.perUserConcurrent },
      logger,
      observer,
      leases,
    );
  }
  watchQueueDepth(telemetry, () => queue.counts());
  logger.info({ queue: queue.backend, prefix: config.queue?.prefix }, "job queue ready");
  return queue;
}

async function purgeOldData(store: Store, retentionDays: number, logger: Logger): Promise<void> {
  try {
    const counts = await store.purge(retentionDays * 24 * 60 * 60 * 1000);
    logger.info({ ...counts, retentionDays }, "old data purged");
  } catch (error) {
    logger.error({ err: error }, "purge failed");
  }
}

function describeStartup(config: AppConfig, logger: Logger): void {
  const { allowedUsers, allowedChannels, allowedEmailDomains } = config.slack;
  const say = (name: string, list: { anyone: boolean; values: ReadonlySet<string> }) =>
    list.anyone
      ? "anyone"
      : list.values.size === 0
        ? `no one (${name} is empty)`
        : `${list.values.size} allowed`;
  logger.info(
    {
      users: say("ALLOWED_USER_IDS", allowedUsers),
      channels: say("ALLOWED_CHANNEL_IDS", allowedChannels),
      emailDomains: say("ALLOWED_EMAIL_DOMAINS", allowedEmailDomains),
      gemini: config.gemini.apiKey ? config.gemini.model : "offline (GEMINI_API_KEY not set)",
      email: config.email.resendApiKey ? "resend" : `outbox (${config.email.outboxDir})`,
      database: describeStore(config),
    },
    "access and services",
  );
  if (!allowedUsers.anyone && allowedUsers.values.size === 0) {
    logger.warn("ALLOWED_USER_IDS is empty: nobody can use the bot until you list user ids (or *)");
  }
  if (!allowedChannels.anyone && allowedChannels.values.size === 0) {
    logger.warn(
      "ALLOWED_CHANNEL_IDS is empty: the bot answers in no channel until you list channel ids (or *)",
    );
  }
}

await main();
