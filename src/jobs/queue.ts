/**
 * Where accepted jobs wait until a worker runs them. Two backends share this contract:
 * - in-process (src/jobs/in-process-queue.ts): the default; jobs wait in this process's memory and
 *   run here; a restart re-queues the unfinished ones from the store.
 * - BullMQ on Redis (src/jobs/bullmq-queue.ts, with REDIS_URL): jobs wait in Redis and any
 *   instance's worker runs them; a dead worker's job is taken over by another.
 *
 * A job is always written to the store first; the queue carries only its id and its requester (whose
 * turn it is), and the handler loads the record from the store when the job starts.
 */
export interface QueuedJobRef {
  /** The store's job id. */
  id: string;
  /** Whose job it is: fairness between people goes by this. */
  requester: string;
  trigger: string;
}

export interface EnqueueOptions {
  /**
   * Runs once the job is safely queued and before it may start (the "Queued" message, so a worker
   * never starts a job whose announcement is still on its way). Its failure does not unqueue the job.
   */
  announce?: () => Promise<void>;
  /**
   * Told how many jobs will start before this one whenever that number changes while it waits. The
   * job does not start before the promise returned for the last call has settled, so a late "3 ahead"
   * never overwrites the job's own progress.
   */
  onWaiting?: (ahead: number) => Promise<void>;
}

export interface JobAttempt {
  /** 1 for the first run; a run after a transient failure counts up. */
  attempt: number;
  /** No retry follows if this run throws. */
  final: boolean;
}

/**
 * Runs one job by its store id. It reports user-visible failures itself and returns; throwing means
 * a transient failure (the store or the network behind it), which the queue may retry.
 */
export type JobHandler = (jobId: string, attempt: JobAttempt) => Promise<void>;

export interface QueueCounts {
  /** Waiting for a worker (in BullMQ: waiting or prioritized). */
  waiting: number;
  active: number;
  /** Waiting out a backoff before a retry (or, for a moment, held while its "Queued" message is posted). */
  delayed: number;
  /** Gave up after its last attempt (kept for a while for inspection). */
  failed: number;
}

export interface QueueHealth {
  ok: boolean;
  backend: "in-process" | "bullmq";
  /** "ready" when it can take jobs; for Redis, the client's connection state otherwise. */
  state: string;
}

/** What the queue reports as it works, for /metrics. */
export interface QueueObserver {
  /** A job started for the first time after waiting `waitedMs` since it was queued. */
  started(waitedMs: number): void;
  /** A job whose worker died (its lock expired) was put back to run again. */
  stalled(jobId: string): void;
}

export interface JobQueue {
  readonly backend: QueueHealth["backend"];
  /** Starts this process's worker: jobs queued from now on (and waiting already) run through `handler`. */
  start(handler: JobHandler): Promise<void>;
  /**
   * Queues a job already in the store. Queuing the same id again while the queue still knows it is a
   * no-op, so a retried enqueue or a start-up resume never runs a job twice.
   */
  enqueue(job: QueuedJobRef, options?: EnqueueOptions): Promise<void>;
  counts(): Promise<QueueCounts>;
  health(): QueueHealth;
  /**
   * Stops taking jobs into this process's worker and waits, up to `timeoutMs`, for the ones it is
   * running (in-process: and the ones waiting, which live nowhere else).
   */
  drain(timeoutMs: number): Promise<{ drained: boolean; unfinished: number }>;
  /** Releases connections; after drain. */
  close(): Promise<void>;
}
