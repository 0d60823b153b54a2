import type { Logger } from "../logger.js";
import type { Store } from "../services/store.js";

/**
 * Which instance runs an unfinished job when several share one database but each runs its jobs in
 * process (DATABASE_URL without REDIS_URL). The instance that accepts or resumes a job takes its
 * lease in the store and renews all its leases every `leaseMs / 4`; another instance resuming jobs
 * (at its start-up, then every minute) gets only those whose lease lapsed: their instance died. So a
 * rolling deploy never runs a live instance's job a second time, and a dead one's jobs still finish.
 * (With Redis the queue itself decides: BullMQ's job locks play this part.)
 */
export class JobLeases {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Pick<Store, "leaseJob" | "renewLeases">,
    readonly owner: string,
    private readonly logger: Logger,
    readonly leaseMs = 60_000,
  ) {}

  /** True when this instance now holds the job (it may run it); false when another live one does. */
  take(jobId: string): Promise<boolean> {
    return this.store.leaseJob(jobId, this.owner, this.leaseMs);
  }

  startHeartbeat(): void {
    this.timer ??= setInterval(() => {
      this.store
        .renewLeases(this.owner, this.leaseMs)
        .catch((error: unknown) => this.logger.warn({ err: error }, "could not renew job leases"));
    }, this.leaseMs / 4);
    this.timer.unref();
  }

  /**
   * Stops the heartbeat and lets go of the jobs still held (a shutdown whose drain ran out of time):
   * the next instance to start, this one restarted included, resumes them at once instead of waiting
   * for the leases to lapse. (A lease ending a millisecond from now is a lapsed one.)
   */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.store.renewLeases(this.owner, 1).catch((error: unknown) => {
      this.logger.warn({ err: error }, "could not release job leases");
    });
  }
}
