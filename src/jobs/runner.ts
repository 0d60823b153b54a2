import type { Logger } from "../logger.js";
import { InProcessQueue } from "./in-process-queue.js";
import type { EnqueueOptions, JobHandler, JobQueue, QueuedJobRef, QueueHealth } from "./queue.js";

const DEDUPE_TTL_MS = 60 * 60 * 1000;
const RATE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Where accepted work goes: a job queue (in this process by default, BullMQ on Redis when several
 * instances share the work; see src/jobs/queue.ts), a generous per-person hourly cap beyond which
 * people are asked to slow down, a memory of what was already accepted (Slack delivers at least
 * once), and a drain for shutdown. Bursts are queued, not refused: eight files dropped at once get
 * eight summaries.
 *
 * The dedupe memory and the hourly cap live in the store when one is given (main.ts always gives
 * it), not in the queue's Redis: the store is already shared by every instance that shares the
 * queue (REDIS_URL requires DATABASE_URL), its claim is one atomic statement, and a dedupe key must
 * outlive a Redis flush or eviction (an evicted key would let a Slack retry through as a second job).
 */
export class JobRunner {
  readonly queue: JobQueue;
  private readonly seen = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();
  private closed = false;

  constructor(
    private readonly options: {
      maxConcurrent: number;
      /** Jobs one person may have running at once (the rest of theirs wait their turn). */
      perUserConcurrent?: number;
      /** Jobs one person may start in a sliding hour; past it they are asked to slow down. */
      perUserPerHour: number;
      logger: Logger;
      now?: () => number;
      /** Durable dedupe (the store) so a retry after a restart is still recognised; in memory otherwise. */
      claim?: (keys: string[], ttlMs: number) => Promise<boolean>;
      /**
       * The hourly cap kept in the store (shared by every instance on it, kept across restarts); in
       * memory otherwise.
       */
      takeRateSlot?: (user: string, limit: number, windowMs: number) => Promise<boolean>;
      /** Where jobs wait and run; in this process (with the limits above) when absent. */
      queue?: JobQueue;
    },
  ) {
    this.queue =
      options.queue ??
      new InProcessQueue(
        { maxConcurrent: options.maxConcurrent, perUserConcurrent: options.perUserConcurrent ?? 1 },
        options.logger,
      );
  }

  get accepting(): boolean {
    return !this.closed;
  }

  /** Whether the app can take work: not shutting down, and its queue reachable. */
  health(): { ok: boolean; queue: QueueHealth } {
    const queue = this.queue.health();
    return { ok: !this.closed && queue.ok, queue };
  }

  /** Starts running queued jobs (this process's worker) through `handler`. */
  start(handler: JobHandler): Promise<void> {
    return this.queue.start(handler);
  }

  /** True the first time any of `keys` is seen (within `ttlMs`, an hour by default); false for a repeat. */
  async claim(keys: string[], ttlMs: number = DEDUPE_TTL_MS): Promise<boolean> {
    if (this.options.claim) return this.options.claim(keys, ttlMs);
    const now = this.now();
    for (const [key, expires] of this.seen) if (expires <= now) this.seen.delete(key);
    if (keys.some((k) => this.seen.has(k))) return false;
    for (const k of keys) this.seen.set(k, now + ttlMs);
    return true;
  }

  /** Sliding one-hour window per user; false means "slow down". */
  async allow(user: string): Promise<boolean> {
    const { takeRateSlot, perUserPerHour } = this.options;
    if (takeRateSlot) return takeRateSlot(`user:${user}`, perUserPerHour, RATE_WINDOW_MS);
    const now = this.now();
    const times = (this.recent.get(user) ?? []).filter((t) => t > now - RATE_WINDOW_MS);
    if (times.length >= this.options.perUserPerHour) {
      this.recent.set(user, times);
      return false;
    }
    times.push(now);
    this.recent.set(user, times);
    return true;
  }

  /**
   * Queues a job already written to the store. The handler given to `start` runs it (in this
   * process or, with BullMQ, in any instance's worker). Queuing the same job twice is a no-op.
   */
  async enqueue(job: QueuedJobRef, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed && this.queue.backend === "in-process")
      throw new Error("the job runner is shutting down");
    await this.queue.enqueue(job, options);
  }

  /**
   * Stops taking work into this process and waits, up to `timeoutMs`, for the jobs it accepted (in
   * process: the queued ones too, each was promised an answer; with BullMQ the queued ones stay in
   * Redis for the other instances, or for this one after its restart).
   */
  async shutdown(timeoutMs: number): Promise<{ drained: boolean; unfinished: number }> {
    this.closed = true;
    return this.queue.drain(timeoutMs);
  }

  /** Releases the queue's connections, once nothing more will be queued. */
  close(): Promise<void> {
    return this.queue.close();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
