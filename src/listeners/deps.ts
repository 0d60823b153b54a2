import { acceptJob, announceJob, type InsightsDeps, showQueuePosition } from "../analyze-file.js";
import type { AppConfig } from "../config.js";
import { type Allowlist, isAllowed } from "../config.js";
import type { JobRunner } from "../jobs/runner.js";
import type { Logger } from "../logger.js";
import type { Workspace } from "../services/slack-workspace.js";
import type { NewJob } from "../services/store.js";
import { escapeSlackPlainText, escapeSlackText } from "../ui/escape.js";

/** What every listener factory receives. Listeners stay thin: check, acknowledge, hand a job over. */
export interface ListenerDeps {
  /** retentionDays: how long figures are kept, for messages that say so (absent in some tests). */
  config: Pick<AppConfig, "slack"> & Partial<Pick<AppConfig, "retentionDays">>;
  runner: JobRunner;
  jobs: InsightsDeps;
  logger: Logger;
  /** The installing workspace and the bot's identity (auth.test, asked once). */
  workspace: () => Promise<Workspace>;
}

export type Access = { ok: true } | { ok: false; message: string };

/**
 * Deny by default: the person's workspace, the person and the channel must all be allowed. The
 * workspace comes from the payload (`user_team`/`team` on events, `user.team_id` on interactions,
 * `team_id` on commands); a payload without one is refused. A refusal is logged as a security event
 * (who, where, what, which setting) with no file content.
 */
export async function checkAccess(
  deps: ListenerDeps,
  who: { user: string; team: string | null | undefined; channel: string; action: string },
): Promise<Access> {
  const { allowedUsers, allowedChannels, allowedTeams } = deps.config.slack;
  const teamOk = await teamAllowed(deps, allowedTeams, who.team);
  const userOk = isAllowed(allowedUsers, who.user);
  const channelOk = isAllowed(allowedChannels, who.channel);
  if (teamOk && userOk && channelOk) return { ok: true };
  if (!teamOk) {
    deps.logger.warn(
      { security: true, ...who, teamAllowed: false, setting: "ALLOWED_TEAM_IDS" },
      "request denied by allowlist",
    );
    return {
      ok: false,
      message:
        "Sales Insight Bot is only available to people in the workspace that installed it. Ask your Slack admin if you need access.",
    };
  }
  // The setting to change is named for the admins here, in the log; the user reads plain words.
  deps.logger.warn(
    {
      security: true,
      ...who,
      userAllowed: userOk,
      channelAllowed: channelOk,
      setting: userOk ? "ALLOWED_CHANNEL_IDS" : "ALLOWED_USER_IDS",
    },
    "request denied by allowlist",
  );
  return {
    ok: false,
    message: userOk
      ? "Sales Insight Bot is not enabled in this channel. Ask your Slack admin to enable it here."
      : "You don't have access to Sales Insight Bot yet. Ask your Slack admin to give you access.",
  };
}

async function teamAllowed(
  deps: ListenerDeps,
  allowedTeams: Allowlist | null,
  team: string | null | undefined,
): Promise<boolean> {
  if (!team) return false;
  if (allowedTeams !== null) return isAllowed(allowedTeams, team);
  try {
    return team === (await deps.workspace()).teamId;
  } catch (error) {
    // Without auth.test the installing workspace is unknown: deny rather than guess.
    deps.logger.warn({ err: error }, "auth.test failed: cannot tell the installing workspace");
    return false;
  }
}

export const SLOW_DOWN =
  "You have asked for a lot of analyses in the last hour. Please wait a while, then try again.";

/** One refusal per person per channel per day at most: a denied person uploading all day is not spammed. */
const REFUSAL_QUIET_MS = 24 * 60 * 60 * 1000;

/**
 * Tells someone whose upload was refused why, privately, in the channel: at most once per person
 * per channel per day (remembered in the store, so a restart does not repeat it).
 */
export async function refuseUploadPrivately(
  deps: ListenerDeps,
  who: { user: string; channel: string },
  message: string,
): Promise<void> {
  if (!(await deps.runner.claim([`refusal:${who.channel}:${who.user}`], REFUSAL_QUIET_MS))) return;
  try {
    await deps.jobs.slack.privateNotice(who.channel, who.user, { text: message });
  } catch (error) {
    deps.logger.warn({ err: error, ...who }, "could not send the private refusal");
  }
}

/**
 * Records the job (before anything is posted), queues it with its "Queued" message, and returns once
 * the message is up. The queue posts the message after the job is safely queued (with Redis: held
 * back until then) and before any worker, in this instance or another, may start it and update that
 * message. Callers starting several jobs await each in turn, so the messages land in that order.
 * A job the queue could not take (Redis unreachable) stays accepted in the store and is queued again
 * by the periodic resume; it is still announced, so the person sees "Queued".
 */
export async function startJob(
  deps: ListenerDeps,
  job: NewJob,
  fileName: string | null = null,
): Promise<void> {
  const record = await acceptJob(job, deps.jobs);
  const announce = () => announceJob(record, deps.jobs, fileName);
  try {
    await deps.runner.enqueue(record, {
      announce,
      onWaiting: (ahead) => showQueuePosition(record, deps.jobs, fileName, ahead),
    });
  } catch (error) {
    if (deps.runner.queue.backend === "in-process") throw error;
    deps.logger.error(
      { jobId: record.id, err: error },
      "could not queue the job: it stays accepted and is queued again when the queue is back",
    );
    await announce();
  }
}

/**
 * How to tell someone the bot cannot post in `channel` because it is not a member: `mrkdwn` for
 * respond() and ephemeral text (mentions render as names there), `plain` for modal field errors.
 */
export async function notInChannel(
  deps: ListenerDeps,
  channel: { id: string; name?: string | undefined },
): Promise<{ mrkdwn: string; plain: string }> {
  let botName = "Sales Insight Bot";
  let botMention = "the app";
  try {
    const me = await deps.workspace();
    botName = me.botName;
    botMention = `<@${me.botUserId}>`;
  } catch (error) {
    deps.logger.warn({ err: error }, "auth.test failed: naming the bot generically");
  }
  deps.logger.info({ channel: channel.id }, "not a member of the channel: asked the user to invite the bot");
  const where = channel.name ? `#${channel.name}` : "this channel";
  return {
    mrkdwn: `I'm not a member of <#${channel.id}>, so I can't post there. Invite ${botMention} (\`/invite @${escapeSlackText(botName)}\` in the channel), then try again.`,
    plain: escapeSlackPlainText(
      `Invite @${botName} to ${where} first (/invite @${botName}), then try again.`,
    ),
  };
}
