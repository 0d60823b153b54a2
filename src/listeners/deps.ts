import { acceptJob, type InsightsDeps, runInsightsJob } from "../analyze-file.js";
import type { AppConfig } from "../config.js";
import { isAllowed } from "../config.js";
import type { JobRunner } from "../jobs/runner.js";
import type { Logger } from "../logger.js";
import type { NewJob } from "../services/store.js";

/** What every listener factory receives. Listeners stay thin: check, acknowledge, hand a job over. */
export interface ListenerDeps {
  config: Pick<AppConfig, "slack">;
  runner: JobRunner;
  jobs: InsightsDeps;
  logger: Logger;
}

export type Access = { ok: true } | { ok: false; message: string };

/**
 * Deny by default: a user and a channel must both be allowed. A refusal is logged as a security event
 * (who, where, what) with no file content.
 */
export function checkAccess(
  deps: ListenerDeps,
  who: { user: string; channel: string; action: string },
): Access {
  const { allowedUsers, allowedChannels } = deps.config.slack;
  const userOk = isAllowed(allowedUsers, who.user);
  const channelOk = isAllowed(allowedChannels, who.channel);
  if (userOk && channelOk) return { ok: true };
  deps.logger.warn(
    { security: true, ...who, userAllowed: userOk, channelAllowed: channelOk },
    "request denied by allowlist",
  );
  return {
    ok: false,
    message: userOk
      ? "Sales Insight Bot is not enabled in this channel. Ask an admin to add it to ALLOWED_CHANNEL_IDS."
      : "You are not on the list of people who can use Sales Insight Bot. Ask an admin to add you to ALLOWED_USER_IDS.",
  };
}

export const SLOW_DOWN =
  "You have asked for a lot of analyses in the last minute. Please wait a moment and try again.";

/** Records the job (before anything is posted) and queues it. */
export function startJob(deps: ListenerDeps, job: NewJob): void {
  const record = acceptJob(job, deps.jobs);
  deps.runner.submit(record.id, () => runInsightsJob(record, deps.jobs));
}
