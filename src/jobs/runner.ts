import type { Logger } from "../logger.js";
import { FairQueue } from "./fair-queue.js";

const DEDUPE_TTL_MS = 60 * 60 * 1000;
const RATE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Where accepted work waits and runs: a fair queue (a cap on jobs in flight, a per-person cap, free
 * slots given to people in turn), a generous per-person hourly cap beyond which people are asked to
 * slow down, a memory of what was already accepted (Slack delivers at least once), and a drain for
 * shutdown. Bursts are queued, not refused: eight files dropped at once get eight summaries.
 */
export class JobRunner {
  private readonly queue: FairQueue;
  private readonly seen = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();
  private readonly running = new Set<Promise<void>>();
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
    },
  ) {
    this.queue = new FairQueue(
      { maxConcurrent: options.maxConcurrent, perUserConcurrent: options.perUserConcurrent ?? 1 },
      (jobId, error) => options.logger.error({ jobId, err: error }, "job failed unexpectedly"),
    );
  }

  get accepting(): boolean {
    return !this.closed;
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
   * Queues `work` (it must report its own failures to the user). `user` is whose job it is;
   * `onWaiting` hears how many jobs will start before it, while it waits.
   */
  submit(
    jobId: string,
    work: () => Promise<void>,
    options: { user?: string; onWaiting?: (ahead: number) => void } = {},
  ): void {
    if (this.closed) throw new Error("the job runner is shutting down");
    const run = this.queue.enqueue({
      id: jobId,
      user: options.user ?? "",
      work,
      ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}),
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /**
   * Stops taking work and waits, up to `timeoutMs`, for the jobs already accepted, queued ones
   * included: each was promised an answer.
   */
  async shutdown(timeoutMs: number): Promise<{ drained: boolean; unfinished: number }> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.allSettled([...this.running]).then(() => "drained" as const),
      timeout,
    ]);
    clearTimeout(timer);
    return { drained: outcome === "drained", unfinished: this.running.size };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
