import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../logger.js";
import type {
  EnqueueOptions,
  JobHandler,
  JobQueue,
  QueueCounts,
  QueuedJobRef,
  QueueHealth,
  QueueObserver,
} from "./queue.js";
import { QueuePositions } from "./queue-positions.js";

export const QUEUE_NAME = "insights";

/**
 * Retries for transient failures only: the use case turns every user-visible failure (a bad file,
 * Slack or Gemini refusing) into a message and a finished job, so what reaches the queue as an error
 * is the infrastructure (the store or Redis unreachable). 5 attempts 2 s apart doubling (2+4+8+16 =
 * 30 s in all) ride out a database failover or a network blip; past that a person is better told.
 */
const ATTEMPTS = 5;
const BACKOFF_MS = 2_000;

/**
 * A dead worker's job runs again on another instance within ~25 s: its lock lapses at most
 * LOCK_MS after the last renewal (renewed every LOCK_MS / 2 while the worker lives), and each
 * instance checks for lapsed locks every STALLED_CHECK_MS. The job's event loop never blocks for
 * anywhere near 7.5 s (files are read as streams, in small synchronous steps), so a live worker never
 * loses its lock by accident. BullMQ's defaults (30 s + 30 s) would leave the job waiting a minute.
 */
const LOCK_MS = 15_000;
const STALLED_CHECK_MS = 10_000;
/** One more take-over than BullMQ's default before giving up: a deploy can kill two workers in a row. */
const MAX_STALLED = 2;

/** Finished jobs stay known for a day (so queuing the same job again is still a no-op), then go. */
const KEEP_DONE = { age: 24 * 60 * 60, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 60 * 60 };

/** A person's outstanding jobs older than this are no longer counted for fairness (see `rank`). */
const FAIRNESS_HORIZON_MS = 6 * 60 * 60 * 1000;
/**
 * A job being announced waits in Redis as a delayed job until the announcement is out, then is
 * released. If this instance dies in between, the job still runs once the delay passes, on any
 * instance: so an acknowledged upload is in Redis before anything slow (a Slack call) happens. Long
 * enough for a slow Slack (the client retries twice, up to 3 s apart).
 */
const ANNOUNCE_HOLD_MS = 15_000;
/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;

/**
 * Adds `jobId` to its requester's outstanding jobs (unless the queue already knows the job, so a
 * repeated enqueue changes nothing), forgets entries past the horizon, and returns the job's rank: 1
 * for the person's only outstanding job, 2 for their second, and so on.
 *   KEYS[1] the person's outstanding jobs (sorted set, scored by time), KEYS[2] the job's BullMQ hash
 *   ARGV[1] job id, ARGV[2] now (ms), ARGV[3] horizon (ms)
 */
const RANK_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if rank then return rank + 1 end
return redis.call('ZCARD', KEYS[1])
`;

type FairRankCommand = (
  fairnessKey: string,
  jobKey: string,
  jobId: string,
  now: number,
  horizonMs: number,
) => Promise<number>;

export interface BullMqQueueOptions {
  url: string;
  /** Every key this app writes in Redis starts with it (several apps, or test runs, can share one Redis). */
  prefix: string;
  /** Jobs this instance's worker runs at once (MAX_CONCURRENT_JOBS). */
  concurrency: number;
  logger: Logger;
  observer?: QueueObserver | null;
  /** Tests shorten these; production uses the values justified above. */
  lockMs?: number;
  stalledCheckMs?: number;
  backoffMs?: number;
  positionIntervalMs?: number;
}

interface JobData {
  jobId: string;
  requester: string;
}

/**
 * The shared backend: jobs wait in Redis and any instance's worker runs them.
 *
 * Fairness between people (BullMQ's groups are a paid feature): each job gets a priority equal to
 * its rank among its requester's outstanding jobs, so everyone's first job comes before anyone's
 * second. Eight files from one person are ranks 1-8; a colleague's file queued after them is rank 1
 * and starts as soon as a worker frees up, after at most the first of the eight. Jobs of equal rank
 * keep their arrival order. A person alone with a burst still gets every free worker.
 */
export class BullMqQueue implements JobQueue {
  readonly backend = "bullmq";
  private readonly producer: Redis;
  private readonly queue: Queue<JobData>;
  private readonly positions: QueuePositions;
  private worker: Worker<JobData> | null = null;
  private workerConnection: Redis | null = null;
  private readonly logger: Logger;

  constructor(private readonly options: BullMqQueueOptions) {
    this.logger = options.logger;
    // The producer fails fast while Redis is down (no offline queue): an upload's acknowledgement must
    // not hang. A job that could not be queued stays "accepted" in the store and is queued again by
    // the periodic resume (src/jobs/resume.ts).
    this.producer = new Redis(options.url, { ...connectionDefaults, enableOfflineQueue: false });
    this.producer.on("error", (error) => this.logger.warn({ err: error }, "Redis connection error (queue)"));
    // Sent once, then called by its hash (EVALSHA).
    this.producer.defineCommand("sibFairRank", { numberOfKeys: 2, lua: RANK_SCRIPT });
    this.queue = new Queue<JobData>(QUEUE_NAME, {
      connection: this.producer,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: ATTEMPTS,
        backoff: { type: "exponential", delay: options.backoffMs ?? BACKOFF_MS },
        removeOnComplete: KEEP_DONE,
        removeOnFail: KEEP_FAILED,
      },
    });
    this.queue.on("error", (error) => this.logger.warn({ err: error }, "queue error"));
    this.positions = new QueuePositions(this.queue, this.producer, this.logger, {
      intervalMs: options.positionIntervalMs ?? 2_000,
      lockMs: 15_000,
      maxListed: 500,
    });
  }

  /** Resolves once Redis answers; rejects after `timeoutMs` with the connection's last error. */
  async connect(timeoutMs = 10_000): Promise<void> {
    if (this.producer.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      let lastError: unknown = null;
      const onError = (error: unknown) => {
        lastError = error;
      };
      const timer = setTimeout(() => {
        this.producer.off("ready", onReady);
        this.producer.off("error", onError);
        reject(
          new Error(
            `Redis did not answer within ${timeoutMs} ms (${String((lastError as Error)?.message ?? "no reply")})`,
          ),
        );
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        this.producer.off("error", onError);
        resolve();
      };
      this.producer.once("ready", onReady);
      this.producer.on("error", onError);
    });
  }

  async start(handler: JobHandler): Promise<void> {
    if (this.worker) throw new Error("the queue's worker is already running");
    // BullMQ's worker needs a connection that retries forever (its blocking reads wait on Redis).
    this.workerConnection = new Redis(this.options.url, {
      ...connectionDefaults,
      maxRetriesPerRequest: null,
    });
    this.workerConnection.on("error", (error) =>
      this.logger.warn({ err: error }, "Redis connection error (worker)"),
    );
    const worker = new Worker<JobData>(QUEUE_NAME, (job) => this.process(job, handler), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs ?? LOCK_MS,
      stalledInterval: this.options.stalledCheckMs ?? STALLED_CHECK_MS,
      maxStalledCount: MAX_STALLED,
      autorun: false,
    });
    worker.on("error", (error) => this.logger.warn({ err: error }, "queue worker error"));
    worker.on("stalled", (jobId) => {
      this.logger.warn({ bullJobId: jobId }, "a worker died with this job: it runs again");
      this.options.observer?.stalled(jobId);
    });
    worker.on("failed", (job, error) => {
      if (!job) return;
      const willRetry = job.attemptsMade < (job.opts.attempts ?? 1);
      this.logger.warn(
        { jobId: job.data.jobId, attemptsMade: job.attemptsMade, willRetry, err: error },
        "queued job failed",
      );
    });
    this.worker = worker;
    void worker.run().catch((error: unknown) => this.logger.error({ err: error }, "queue worker stopped"));
    await worker.waitUntilReady();
  }

  async enqueue(job: QueuedJobRef, options: EnqueueOptions = {}): Promise<void> {
    const bullJobId = bullJobIdOf(job.id);
    const rank = Number(
      await (this.producer as Redis & { sibFairRank: FairRankCommand }).sibFairRank(
        this.fairnessKey(job.requester),
        this.queue.toKey(bullJobId),
        bullJobId,
        Date.now(),
        FAIRNESS_HORIZON_MS,
      ),
    );
    // A job id the queue already holds (waiting, running, or finished within a day) makes this a no-op.
    const added = await this.queue.add(
      job.trigger,
      { jobId: job.id, requester: job.requester },
      {
        jobId: bullJobId,
        priority: Math.min(Math.max(rank, 1), MAX_PRIORITY),
        ...(options.announce ? { delay: ANNOUNCE_HOLD_MS } : {}),
      },
    );
    if (options.announce) {
      await options.announce().catch((error: unknown) => {
        this.logger.warn({ jobId: job.id, err: error }, "job announcement failed");
      });
      // Not delayed any more (a repeated enqueue of a job already running, say): nothing to release.
      await added.promote().catch(() => {});
    }
    if (options.onWaiting) this.positions.watch(bullJobId, options.onWaiting);
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed", "paused");
    return {
      waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c.paused ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  health(): QueueHealth {
    const state = this.producer.status;
    return { ok: state === "ready", backend: this.backend, state };
  }

  /**
   * Stops this worker taking jobs and waits for the ones it runs. Waiting jobs stay in Redis for the
   * other instances. Past the deadline the worker lets go (a SIGKILL would follow anyway); its jobs'
   * locks lapse and another instance takes them over.
   */
  async drain(timeoutMs: number): Promise<{ drained: boolean; unfinished: number }> {
    this.positions.stop();
    const worker = this.worker;
    if (!worker) return { drained: true, unfinished: 0 };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([worker.close().then(() => "drained" as const), timeout]);
    clearTimeout(timer);
    if (outcome === "drained") return { drained: true, unfinished: 0 };
    const unfinished = await this.queue.getActiveCount().catch(() => 1);
    void worker.close(true).catch(() => {});
    return { drained: false, unfinished };
  }

  async close(): Promise<void> {
    this.positions.stop();
    await this.worker?.close(true).catch(() => {});
    await this.queue.close().catch(() => {});
    for (const connection of [this.workerConnection, this.producer]) {
      if (connection && connection.status !== "end")
        await connection.quit().catch(() => connection.disconnect());
    }
  }

  private async process(job: Job<JobData>, handler: JobHandler): Promise<void> {
    const bullJobId = job.id as string;
    const attempt = job.attemptsMade + 1;
    const final = attempt >= (job.opts.attempts ?? 1);
    // Waiting time is measured once, from queuing to the first start (not to a retry or a take-over).
    if (job.attemptsStarted <= 1 && job.stalledCounter === 0)
      this.options.observer?.started(Date.now() - job.timestamp);
    await this.positions.markStarted(bullJobId);
    let settled = false;
    try {
      await handler(job.data.jobId, { attempt, final });
      settled = true;
    } catch (error) {
      settled = final;
      throw error;
    } finally {
      if (settled)
        await this.release(job).catch((error: unknown) =>
          this.logger.warn({ err: error }, "fairness bookkeeping failed"),
        );
    }
  }

  /** The job no longer counts among its requester's outstanding ones. */
  private async release(job: Job<JobData>): Promise<void> {
    const bullJobId = job.id as string;
    await this.producer.zrem(this.fairnessKey(job.data.requester), bullJobId);
    await this.positions.forget(bullJobId);
  }

  private fairnessKey(requester: string): string {
    return this.queue.toKey(`fairness:${requester}`);
  }
}

/** BullMQ refuses custom ids that look like integers or contain ":"; store ids can be all digits. */
export function bullJobIdOf(storeJobId: string): string {
  return `job-${storeJobId.replaceAll(":", "_")}`;
}

const connectionDefaults = {
  // Fly's private network (Upstash included) is IPv6-only: look up both families.
  family: 0,
  // A Redis that drops us is retried with a capped delay, forever (the queue is useless without it).
  retryStrategy: (times: number) => Math.min(times * 200, 5_000),
};
