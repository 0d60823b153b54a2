import { spawn } from "node:child_process";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BullMqQueue, type BullMqQueueOptions } from "../../src/jobs/bullmq-queue.js";
import type { JobAttempt, JobHandler } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { dropPrefix, redisAvailable, TEST_REDIS_URL, throwawayPrefix } from "../helpers/redis.js";
import { waitFor as waitUntil } from "../helpers/wait-for.js";

/**
 * The BullMQ backend against a real Redis (each test under its own key prefix): a repeated enqueue is
 * a no-op, transient failures are retried with growing delays, a killed worker's job is taken over,
 * one person's burst does not starve another, and queue positions never land after a job started.
 */
const available = await redisAvailable("BullMQ queue tests");
const logger = createLogger({ level: "silent" });
const open: BullMqQueue[] = [];
const prefixes: string[] = [];

function newQueue(options: Partial<BullMqQueueOptions> = {}, prefix = throwawayPrefix()): BullMqQueue {
  if (!prefixes.includes(prefix)) prefixes.push(prefix);
  const queue = new BullMqQueue({ url: TEST_REDIS_URL, prefix, concurrency: 1, logger, ...options });
  open.push(queue);
  return queue;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close()));
});

afterAll(async () => {
  for (const prefix of prefixes) await dropPrefix(prefix);
});

/** Polls every 20 ms: the queue's events come within a few milliseconds. */
const waitFor = <T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
) => waitUntil(check, what, timeoutMs, 20);

const job = (id: string, requester = "U1") => ({ id, requester, trigger: "upload" });

describe.skipIf(!available)("BullMQ queue (real Redis)", () => {
  it("runs a job queued twice once, and queuing it again after it finished is still a no-op", async () => {
    const queue = newQueue();
    await queue.connect();
    const ran: string[] = [];
    await queue.enqueue(job("1234"));
    await queue.enqueue(job("1234"));
    await queue.start(async (id) => {
      ran.push(id);
    });
    await waitFor(() => ran.length === 1, "the job");
    await queue.enqueue(job("1234"));
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toEqual(["1234"]);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(queue.health()).toEqual({ ok: true, backend: "bullmq", state: "ready" });
  });

  it("says in health when Redis cannot be reached, and connect gives up with the reason", async () => {
    const queue = newQueue({ url: "redis://127.0.0.1:1" });
    await expect(queue.connect(500)).rejects.toThrow(/Redis did not answer within 500 ms/);
    expect(queue.health()).toMatchObject({ ok: false, backend: "bullmq" });
    expect(queue.health().state).not.toBe("ready");
    await expect(queue.enqueue(job("nowhere"))).rejects.toThrow();
  });

  it("retries a transient failure with growing delays, and says which attempt is the last", async () => {
    const queue = newQueue({ backoffMs: 100 });
    await queue.connect();
    const attempts: Array<JobAttempt & { at: number }> = [];
    await queue.start(async (_id, attempt) => {
      attempts.push({ ...attempt, at: Date.now() });
      if (attempts.length < 3) throw new Error("the store is unreachable");
    });
    await queue.enqueue(job("retry-1"));
    await waitFor(() => attempts.length === 3, "three attempts");
    expect(attempts.map((a) => [a.attempt, a.final])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    const [a, b, c] = attempts as [
      JobAttempt & { at: number },
      JobAttempt & { at: number },
      JobAttempt & { at: number },
    ];
    // Exponential: about 100 ms, then about 200 ms.
    expect(b.at - a.at).toBeGreaterThanOrEqual(90);
    expect(c.at - b.at).toBeGreaterThanOrEqual(190);
    await waitFor(async () => (await queue.counts()).active === 0, "the job to complete");
    expect(await queue.counts()).toMatchObject({ failed: 0, delayed: 0 });
  });

  it("gives up after the last attempt, which the handler is told is final", async () => {
    const queue = newQueue({ backoffMs: 10 });
    await queue.connect();
    const attempts: JobAttempt[] = [];
    await queue.start(async (_id, attempt) => {
      attempts.push(attempt);
      throw new Error("still down");
    });
    await queue.enqueue(job("doomed"));
    await waitFor(async () => (await queue.counts()).failed === 1, "the job to fail", 15_000);
    expect(attempts).toHaveLength(5);
    expect(attempts.at(-1)).toEqual({ attempt: 5, final: true });
    expect(attempts.slice(0, 4).every((a) => !a.final)).toBe(true);
  });

  it("takes over the job of a worker killed mid-job, within the lock time plus a check", async () => {
    const prefix = throwawayPrefix();
    const lockMs = 1_000;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/jobs/fixtures/hanging-worker.ts", TEST_REDIS_URL, prefix, String(lockMs)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    try {
      await waitFor(() => out.includes("ready"), "the child worker", 20_000);
      const queue = newQueue({ lockMs, stalledCheckMs: lockMs / 2 }, prefix);
      await queue.connect();
      await queue.enqueue(job("orphan"));
      await waitFor(() => out.includes("started orphan"), "the child to take the job");
      child.kill("SIGKILL");
      const killedAt = Date.now();
      const stalled: string[] = [];
      const ran: string[] = [];
      const observed = newQueue(
        {
          lockMs,
          stalledCheckMs: lockMs / 2,
          observer: { started: () => {}, stalled: (id) => stalled.push(id) },
        },
        prefix,
      );
      await observed.start(async (id) => {
        ran.push(id);
      });
      await waitFor(() => ran.length === 1, "the take-over", 10_000);
      expect(ran).toEqual(["orphan"]);
      expect(stalled).toEqual(["job-orphan"]);
      // Lock time (the lock lapses) plus at most one check interval, plus scheduling slack.
      expect(Date.now() - killedAt).toBeLessThan(lockMs + lockMs / 2 + 1_500);
    } finally {
      child.kill("SIGKILL");
    }
  }, 40_000);

  it("serves everyone's first job before anyone's second: a burst does not starve others", async () => {
    const queue = newQueue();
    await queue.connect();
    for (let i = 1; i <= 8; i++) await queue.enqueue(job(`burst-${i}`, "UBURST"));
    await queue.enqueue(job("other-1", "UOTHER"));
    await queue.enqueue(job("third-1", "UTHIRD"));
    await queue.enqueue(job("other-2", "UOTHER"));
    const order: string[] = [];
    await queue.start(async (id) => {
      order.push(id);
    });
    await waitFor(() => order.length === 11, "every job");
    expect(order).toEqual([
      "burst-1",
      "other-1",
      "third-1",
      "burst-2",
      "other-2",
      "burst-3",
      "burst-4",
      "burst-5",
      "burst-6",
      "burst-7",
      "burst-8",
    ]);
  });

  it("a colleague's job queued while a burst is running goes next, on two workers sharing the queue", async () => {
    const prefix = throwawayPrefix();
    const a = newQueue({}, prefix);
    const b = newQueue({}, prefix);
    await Promise.all([a.connect(), b.connect()]);
    const order: string[] = [];
    const slow: JobHandler = async (id) => {
      order.push(id);
      await new Promise((r) => setTimeout(r, 100));
    };
    await a.start(slow);
    await b.start(slow);
    for (let i = 1; i <= 6; i++) await a.enqueue(job(`burst-${i}`, "UBURST"));
    await waitFor(() => order.length >= 2, "the burst to start");
    await b.enqueue(job("colleague", "UOTHER"));
    await waitFor(() => order.length === 7, "every job", 10_000);
    // Two were running when the colleague's arrived; it starts with the next free worker.
    expect(order.indexOf("colleague")).toBeLessThanOrEqual(3);
  });

  it("tells a waiting job its place, and never after the job started", async () => {
    const queue = newQueue({ positionIntervalMs: 50 });
    await queue.connect();
    const timeline: string[] = [];
    const watcher = (id: string) => async (ahead: number) => {
      // A slow Slack: an update started when the job ahead began is still in flight when that job
      // ends and a worker would take this one.
      await new Promise((r) => setTimeout(r, 400));
      timeline.push(`${id}: ${ahead} ahead`);
    };
    for (const id of ["p1", "p2", "p3"]) await queue.enqueue(job(id, `U-${id}`), { onWaiting: watcher(id) });
    await waitFor(() => timeline.includes("p3: 2 ahead"), "the first positions");
    expect(timeline).toEqual(expect.arrayContaining(["p2: 1 ahead", "p3: 2 ahead"]));
    await queue.start(async (id) => {
      timeline.push(`run ${id}`);
      await new Promise((r) => setTimeout(r, 150));
    });
    await waitFor(() => timeline.includes("run p3"), "every job", 10_000);
    for (const id of ["p1", "p2", "p3"]) {
      const started = timeline.indexOf(`run ${id}`);
      const updates = timeline.flatMap((line, i) => (line.startsWith(`${id}:`) ? [i] : []));
      expect(updates.every((i) => i < started)).toBe(true);
    }
    expect(timeline).not.toContain("p1: 0 ahead");
    expect(timeline).toContain("p2: 0 ahead");
  });
});
