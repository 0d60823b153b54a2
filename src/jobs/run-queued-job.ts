import { type InsightsDeps, runInsightsJob } from "../analyze-file.js";
import type { JobHandler } from "./queue.js";

/**
 * The worker side of a queued job: load its record from the store (the queue carries only the id)
 * and run the use case. A job already finished (a duplicate delivery of the queue's message, a resume
 * racing a live run) is left alone. The use case reports every user-visible failure itself; what
 * escapes it is transient (the store unreachable), and is thrown so the queue can retry. When no
 * retry follows, the requester is told and the job marked failed, so nobody waits in silence.
 */
export function queuedJobHandler(deps: InsightsDeps): JobHandler {
  return async (jobId, { attempt, final }) => {
    const log = deps.logger.child({ jobId, attempt });
    const record = await deps.store.getJob(jobId);
    if (!record) {
      log.warn("queued job not found in the store (purged?): nothing to run");
      return;
    }
    if (record.status === "done" || record.status === "failed") {
      log.info({ status: record.status }, "queued job already finished: not run again");
      return;
    }
    if (attempt > 1) log.info({ stage: record.stage }, "retrying a job after a transient failure");
    try {
      await runInsightsJob(record, deps);
    } catch (error) {
      if (!final) {
        log.warn({ err: error }, "job hit a transient failure: it will be retried");
        throw error;
      }
      log.error({ err: error }, "job failed on its last attempt");
      const text = `:warning: Something went wrong while analysing this file (job ${record.id}). Please try again; if it keeps failing, tell the app's admins.`;
      const progressTs = (await deps.store.getJob(jobId).catch(() => null))?.progressTs ?? record.progressTs;
      await (progressTs
        ? deps.slack.update(record.channel, progressTs, { text })
        : deps.slack.post(record.channel, record.threadTs, { text }).then(() => undefined)
      ).catch((slackError: unknown) => log.warn({ err: slackError }, "could not tell the requester"));
      await deps.store
        .updateJob(jobId, { status: "failed", stage: "failed", error: "internal error" })
        .catch((storeError: unknown) => log.warn({ err: storeError }, "could not mark the job failed"));
      throw error;
    }
  };
}
