import type { Logger } from "../logger.js";
import { FairQueue } from "./fair-queue.js";
import type { JobLeases } from "./leases.js";
import type {
  EnqueueOptions,
  JobHandler,
  JobQueue,
  QueueCounts,
  QueuedJobRef,
  QueueHealth,
  QueueObserver,
} from "./queue.js";

/**
 * The embedded backend: jobs wait in this process (the fair queue: a cap on jobs in flight, a cap
 * per person, free slots given to people in turn) and run here. What survives a restart is the
 * store, which main.ts reads back on start-up. Jobs queued before `start` wait for the handler.
 */
export class InProcessQueue implements JobQueue {
  readonly backend = "in-process";
  private readonly fair: FairQueue;
  private handler: JobHandler | null = null;
  private readonly beforeHandler: Array<() => void> = [];
  /** Every job queued and not yet settled, for the drain. */
  private readonly pending = new Set<Promise<void>>();
  private readonly known = new Set<string>();
  private running = 0;
  private closed = false;

  constructor(
    limits: { maxConcurrent: number; perUserConcurrent: number },
    private readonly logger: Logger,
    private readonly observer: QueueObserver | null = null,
    /** With a database shared by several instances: run only the jobs this instance holds the lease on. */
    private readonly leases: JobLeases | null = null,
  ) {
    this.fair = new FairQueue(limits, (jobId, error) =>
      logger.error({ jobId, err: error }, "job failed unexpectedly"),
    );
  }

  async start(handler: JobHandler): Promise<void> {
    this.handler = handler;
    for (const release of this.beforeHandler.splice(0)) release();
  }

  async enqueue(job: QueuedJobRef, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error("the job queue is shutting down");
    // The same id twice (a resume racing a live submit) is one job, as with BullMQ's job ids.
    if (this.known.has(job.id)) return;
    this.known.add(job.id);
    try {
      if (this.leases && !(await this.leases.take(job.id))) {
        // Another live instance runs it (it accepted it, or resumed it first).
        this.known.delete(job.id);
        return;
      }
    } catch (error) {
      this.known.delete(job.id);
      throw error;
    }
    // In memory, "safely queued" comes with the process: announce first, then queue.
    await options.announce?.().catch((error: unknown) => {
      this.logger.warn({ jobId: job.id, err: error }, "job announcement failed");
    });
    const queuedAt = Date.now();
    // Position messages run one after another, and the job itself only after the last of them.
    let messages: Promise<void> = Promise.resolve();
    const { onWaiting } = options;
    const run = this.fair.enqueue({
      id: job.id,
      user: job.requester,
      work: async () => {
        this.observer?.started(Date.now() - queuedAt);
        this.running++;
        try {
          await messages;
          const handler = await this.handlerReady();
          await handler(job.id, { attempt: 1, final: true });
        } finally {
          this.running--;
          this.known.delete(job.id);
        }
      },
      ...(onWaiting
        ? {
            onWaiting: (ahead: number) => {
              messages = messages
                .then(() => onWaiting(ahead))
                .catch((error: unknown) => {
                  this.logger.warn({ jobId: job.id, err: error }, "queue position update failed");
                });
            },
          }
        : {}),
    });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  async counts(): Promise<QueueCounts> {
    return { waiting: this.fair.size, active: this.running, delayed: 0, failed: 0 };
  }

  health(): QueueHealth {
    return { ok: !this.closed, backend: this.backend, state: this.closed ? "closed" : "ready" };
  }

  /** Waiting jobs live only here, so they are drained too: each was promised an answer. */
  async drain(timeoutMs: number): Promise<{ drained: boolean; unfinished: number }> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.allSettled([...this.pending]).then(() => "drained" as const),
      timeout,
    ]);
    clearTimeout(timer);
    return { drained: outcome === "drained", unfinished: this.pending.size };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private handlerReady(): Promise<JobHandler> {
    if (this.handler) return Promise.resolve(this.handler);
    return new Promise((resolve) => {
      this.beforeHandler.push(() => resolve(this.handler as JobHandler));
    });
  }
}
