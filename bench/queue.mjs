#!/usr/bin/env node
/**
 * The shared queue's benchmark (not a timed test): real bot processes (src/main.ts) on one
 * PostgreSQL and one Redis, a fake Slack and a fake Gemini on loopback.
 *
 *   node --import tsx bench/queue.mjs
 *
 * 1. Throughput: 50 small uploads delivered at once (each its own file, no two alike), timed from the
 *    first delivery to the 50th summary; one instance, then two (the same MAX_CONCURRENT_JOBS each),
 *    both on BullMQ, and one instance on the in-process queue for the queue's own overhead.
 *    Target: two instances take at most 60% of one instance's time. Each job waits on Gemini for
 *    BENCH_GEMINI_MS (default 1000; the real service takes seconds), as jobs in production mostly
 *    wait on Slack and Gemini; BENCH_GEMINI_MS=0 runs them offline (CPU-bound: what the machine's
 *    cores allow, reported too).
 * 2. Acknowledgement: Slack's event delivery round trip with and without REDIS_URL (the same database),
 *    and the enqueue itself (fairness rank + BullMQ add, and the hold-and-release used when a job is
 *    announced) timed directly. Target: enqueue adds under 5 ms.
 *
 * Environment: TEST_DATABASE_URL / TEST_REDIS_URL (defaults: the local servers), BENCH_UPLOADS (50),
 * BENCH_CONCURRENCY (MAX_CONCURRENT_JOBS per instance, 2), BENCH_GEMINI_MS (1000).
 * Writes bench/.data/queue.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { BullMqQueue } from "../src/jobs/bullmq-queue.ts";
import { InProcessQueue } from "../src/jobs/in-process-queue.ts";
import { createLogger } from "../src/logger.ts";
import { EMAIL_BUTTON_ACTION } from "../src/ui/slack/interactive.ts";
import { geminiText, startFakeGemini } from "../test/helpers/fake-gemini.ts";
import { startFakeSlack } from "../test/helpers/fake-slack.ts";
import { SAMPLE_GEMINI_ANSWER } from "../test/helpers/gemini-answers.ts";
import {
  CHANNEL,
  deliver,
  salesCsv,
  startInstance,
  uploadEvent,
  waitFor,
} from "../test/helpers/instances.ts";
import { dropPrefix, redisAvailable, TEST_REDIS_URL, throwawayPrefix } from "../test/helpers/redis.ts";

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const GEMINI_MS = Number(process.env.BENCH_GEMINI_MS ?? 1000);
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

if (!(await redisAvailable("the queue benchmark"))) process.exit(0);
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const schemas = [];
const prefixes = [];
const slack = await startFakeSlack();
const gemini = await startFakeGemini();
gemini.setFallback({ ...geminiText(SAMPLE_GEMINI_ANSWER), delayMs: GEMINI_MS });

let uploadCount = 0;
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)) };
};
const round = (x) => Math.round(x * 100) / 100;

async function freshEnv(withRedis) {
  const schema = `sib_bench_${process.pid}_${schemas.length}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  schemas.push(schema);
  const url = new URL(DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const prefix = throwawayPrefix();
  prefixes.push(prefix);
  return {
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: url.toString(),
    ...(withRedis ? { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } : {}),
    MAX_CONCURRENT_JOBS: String(CONCURRENCY),
    // One person dropping 50 files: the queue, not the per-person cap, decides the pace.
    USER_MAX_CONCURRENT_JOBS: String(CONCURRENCY),
    LOG_LEVEL: "warn",
    ...(GEMINI_MS > 0
      ? { GEMINI_API_KEY: "gemini-bench", GEMINI_BASE_URL: gemini.baseUrl, GEMINI_TIMEOUT_MS: "60000" }
      : {}),
  };
}

const summaryIn = (ts) =>
  slack
    .messages(CHANNEL)
    .some((m) => m.thread_ts === ts && JSON.stringify(m.blocks ?? "").includes(EMAIL_BUTTON_ACTION));

/** Delivers `count` uploads round robin over `instances`; returns the time to the last summary and the acks. */
async function run(instances, count) {
  const uploads = [];
  for (let i = 0; i < count; i++) {
    uploadCount++;
    const fileId = `FB${String(uploadCount).padStart(5, "0")}`;
    slack.addFile({ id: fileId, name: `${fileId}.csv`, content: salesCsv(uploadCount) });
    uploads.push({
      fileId,
      ts: `1767800000.${String(uploadCount).padStart(6, "0")}`,
      eventId: `EvB${uploadCount}`,
    });
  }
  const acks = [];
  const started = performance.now();
  await Promise.all(
    uploads.map(async (u, i) => {
      const t0 = performance.now();
      const res = await deliver(instances[i % instances.length], uploadEvent(u.eventId, u.fileId, u.ts));
      acks.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
    }),
  );
  await waitFor(() => uploads.every((u) => summaryIn(u.ts)), `${count} summaries`, 600_000);
  return { seconds: round((performance.now() - started) / 1000), acks };
}

async function throughput(instanceCount, withRedis = true) {
  const env = await freshEnv(withRedis);
  const instances = await Promise.all(
    Array.from({ length: instanceCount }, (_, i) => startInstance(`bench-${instanceCount}-${i}`, env)),
  );
  try {
    await run(instances, 2 * instanceCount); // warm-up: the first job of a process loads its code
    return await run(instances, UPLOADS);
  } finally {
    await Promise.all(instances.map((i) => i.kill("SIGTERM")));
  }
}

/** Event delivery round trips (sequential, so each measures the acknowledgement alone). */
async function ackLatency(withRedis) {
  const env = await freshEnv(withRedis);
  const instance = await startInstance(withRedis ? "ack-redis" : "ack-in-process", env);
  try {
    await run([instance], 3);
    const acks = [];
    for (let i = 0; i < 40; i++) acks.push(...(await run([instance], 1)).acks);
    return stats(acks);
  } finally {
    await instance.kill("SIGTERM");
  }
}

/** The enqueue call itself, nothing else: BullMQ (plain, and held then released) vs in process. */
async function enqueueCost() {
  const logger = createLogger({ level: "silent" });
  const prefix = throwawayPrefix();
  prefixes.push(prefix);
  const bull = new BullMqQueue({ url: TEST_REDIS_URL, prefix, concurrency: 4, logger });
  await bull.connect();
  // A worker takes the jobs as they come, so the queue stays as short as in production.
  await bull.start(async () => {});
  const bare = new Queue("bare", { connection: { url: TEST_REDIS_URL }, prefix });
  const inProcess = new InProcessQueue({ maxConcurrent: 1, perUserConcurrent: 1 }, logger);
  const redis = new Redis(TEST_REDIS_URL);
  const ping = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    await redis.ping();
    ping.push(performance.now() - t0);
  }
  redis.disconnect();
  const timeBare = async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await bare.add(
        "x",
        {},
        { jobId: `bare-${n}-${i}-${Math.random()}`, priority: 1, removeOnComplete: true },
      );
      out.push(performance.now() - t0);
    }
    return out;
  };
  await timeBare(300);
  const time = async (queue, n, options) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await queue.enqueue(
        { id: `${n}-${i}-${Math.random()}`, requester: `U${i % 5}`, trigger: "upload" },
        options,
      );
      out.push(performance.now() - t0);
    }
    return out;
  };
  await time(bull, 300); // warm-up: scripts loaded, code optimised, connection settled
  await time(inProcess, 300);
  const result = {
    // One Redis round trip on this machine, and BullMQ's own add, for scale: an enqueue is the
    // fairness rank (one round trip) plus the add.
    redisPing: stats(ping),
    bareBullmqAdd: stats(await timeBare(500)),
    bullmq: stats(await time(bull, 500)),
    bullmqHeldThenReleased: stats(await time(bull, 500, { announce: async () => {} })),
    inProcess: stats(await time(inProcess, 500)),
  };
  await bull.close();
  await bare.close();
  return result;
}

try {
  const enqueue = await enqueueCost();
  console.log("enqueue (ms):", JSON.stringify(enqueue));
  const ackInProcess = await ackLatency(false);
  const ackRedis = await ackLatency(true);
  console.log("event ack round trip (ms), DATABASE_URL only:", JSON.stringify(ackInProcess));
  console.log("event ack round trip (ms), DATABASE_URL + REDIS_URL:", JSON.stringify(ackRedis));
  const inProcess = await throughput(1, false);
  console.log(`${UPLOADS} uploads, 1 instance, in-process queue (DATABASE_URL only): ${inProcess.seconds} s`);
  const one = await throughput(1);
  console.log(`${UPLOADS} uploads, 1 instance: ${one.seconds} s`);
  const two = await throughput(2);
  console.log(`${UPLOADS} uploads, 2 instances: ${two.seconds} s`);
  const ratio = round(two.seconds / one.seconds);
  console.log(
    `two / one = ${ratio} (target <= 0.6); Gemini wait ${GEMINI_MS} ms per job, ${CONCURRENCY} jobs per instance, ${cpus().length} CPUs`,
  );
  const report = {
    when: new Date().toISOString(),
    cpus: cpus().length,
    uploads: UPLOADS,
    concurrencyPerInstance: CONCURRENCY,
    geminiMs: GEMINI_MS,
    enqueueMs: enqueue,
    eventAckMs: { databaseOnly: ackInProcess, withRedis: ackRedis },
    throughput: {
      oneInstanceInProcessSeconds: inProcess.seconds,
      oneInstanceSeconds: one.seconds,
      twoInstancesSeconds: two.seconds,
      ratio,
    },
  };
  mkdirSync("bench/.data", { recursive: true });
  writeFileSync(
    `bench/.data/queue${GEMINI_MS === 0 ? "-offline" : ""}.json`,
    `${JSON.stringify(report, null, 2)}\n`,
  );
} finally {
  await Promise.all([slack.close(), gemini.close()]);
  for (const prefix of prefixes) await dropPrefix(prefix);
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
