import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.js";

/**
 * "Queued (3 ahead)" for jobs waiting in Redis. The instance that queued a job watches it: every
 * `intervalMs` (only while it watches something) it reads the order of the waiting jobs once and
 * tells each watched job its place when that changed.
 *
 * The job may start meanwhile on any instance, and a late "3 ahead" must never overwrite its progress
 * (or, for a quick job, its summary). A small handshake in Redis prevents that: the watcher holds a
 * per-job lock while it updates and updates only if the job has not started; a worker marks the job
 * started and then waits for the lock to be free before running it. Whichever comes first, an update
 * either is skipped or has landed before the job touches its message.
 */
export class QueuePositions {
  private readonly watched = new Map<
    string,
    { onWaiting: (ahead: number) => Promise<void>; ahead: number }
  >();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly options: { intervalMs: number; lockMs: number; maxListed: number },
  ) {}

  /** Starts telling `bullJobId` its place; a job right at the front is not told (it starts next). */
  watch(bullJobId: string, onWaiting: (ahead: number) => Promise<void>): void {
    this.watched.set(bullJobId, { onWaiting, ahead: 0 });
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs);
    void this.tick();
  }

  /** Called by the worker before it runs a job: returns once no position update is in flight. */
  async markStarted(bullJobId: string): Promise<void> {
    await this.redis.set(this.startedKey(bullJobId), "1", "PX", 24 * 60 * 60 * 1000);
    const deadline = Date.now() + this.options.lockMs;
    while ((await this.redis.exists(this.lockKey(bullJobId))) === 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Forgets a finished job's marker. */
  async forget(bullJobId: string): Promise<void> {
    await this.redis.del(this.startedKey(bullJobId));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }

  /** One read of the waiting order; an update for each watched job whose place changed. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // Only the jobs watched before the read: one queued during it is not missing, just not seen yet.
      const watched = [...this.watched];
      // Jobs back from a dead worker sit in "wait" and go first; the rest are ordered by priority.
      const order = await this.queue.getRanges(["wait", "prioritized"], 0, this.options.maxListed - 1, true);
      const place = new Map(order.map((id, index) => [id, index]));
      for (const [id, entry] of watched) {
        const ahead = place.get(id);
        if (ahead === undefined) {
          // Started, finished, or further back than the list read: stop watching it.
          if (order.length < this.options.maxListed) this.watched.delete(id);
          continue;
        }
        if (ahead === entry.ahead) continue;
        entry.ahead = ahead;
        await this.update(id, entry.onWaiting, ahead);
      }
    } catch (error) {
      this.logger.warn({ err: error }, "could not read the queue order for position messages");
    } finally {
      this.ticking = false;
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  }

  private async update(
    id: string,
    onWaiting: (ahead: number) => Promise<void>,
    ahead: number,
  ): Promise<void> {
    const locked = await this.redis.set(this.lockKey(id), "1", "PX", this.options.lockMs, "NX");
    if (locked !== "OK") return;
    try {
      if ((await this.redis.exists(this.startedKey(id))) === 1) {
        this.watched.delete(id);
        return;
      }
      await onWaiting(ahead);
    } catch (error) {
      this.logger.warn({ jobId: id, err: error }, "queue position update failed");
    } finally {
      await this.redis.del(this.lockKey(id));
    }
  }

  private lockKey(id: string): string {
    return this.queue.toKey(`position-lock:${id}`);
  }

  private startedKey(id: string): string {
    return this.queue.toKey(`started:${id}`);
  }
}
