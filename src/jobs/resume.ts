import type { Logger } from "../logger.js";
import type { Store } from "../services/store.js";
import type { JobRunner } from "./runner.js";

/** Jobs older than this when the app starts are reported as failed, not resumed: the moment has passed. */
export const RESUME_WINDOW_MS = 6 * 60 * 60 * 1000;

/**
 * Queues again the jobs the store holds as accepted or running. The use case is safe to repeat (it
 * reuses the progress message and the e-mail idempotency key), and queuing a job the queue still
 * knows is a no-op, so with BullMQ this only recovers jobs Redis never got: an instance that died
 * between writing a job and queuing it, or a Redis outage at that moment. Jobs queued in Redis are
 * left where they are (not resumed twice).
 *
 * With a shared database but in-process queues, the queue takes the job's lease first (leases.ts), so
 * only jobs whose instance died are run here.
 *
 * `minAgeMs` leaves alone jobs younger than that: another instance may be between writing one and
 * queuing it. Jobs past the resume window are marked failed instead.
 */
export async function resumeUnfinishedJobs(
  store: Store,
  runner: JobRunner,
  logger: Logger,
  options: { minAgeMs: number; now?: number; periodic?: boolean } = { minAgeMs: 0 },
): Promise<{ resumed: number; stale: number }> {
  const now = options.now ?? Date.now();
  let resumed = 0;
  let stale = 0;
  // The database picks the jobs acted on (most unfinished jobs are being worked on and are not even
  // loaded); what it returns is either past the window or idle for at least minAgeMs.
  const due = { updatedAtOrBefore: now - options.minAgeMs, createdBefore: now - RESUME_WINDOW_MS };
  for (const record of await store.unfinishedJobs(due)) {
    if (record.createdAt < due.createdBefore) {
      await store.updateJob(record.id, {
        status: "failed",
        error: "The app restarted too long after this request to resume it.",
      });
      logger.warn({ jobId: record.id }, "stale unfinished job marked failed");
      stale++;
      continue;
    }
    // Every minute most of these are no-ops (Redis has the job, or another instance holds its lease).
    const log = { jobId: record.id, stage: record.stage };
    if (options.periodic) logger.debug(log, "queuing an unfinished job again");
    else logger.info(log, "queuing an unfinished job again");
    await runner.enqueue(record);
    resumed++;
  }
  return { resumed, stale };
}
