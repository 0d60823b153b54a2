import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { newJobId } from "../../analyze-file.js";
import { isSpreadsheetFile } from "../../services/slack-files.js";
import { checkAccess, type ListenerDeps, refuseUploadPrivately, SLOW_DOWN, startJob } from "../deps.js";

interface SharedFile {
  id: string;
  name?: string | null;
  filetype?: string | null;
  mimetype?: string | null;
  file_access?: string;
}

/**
 * A CSV/XLSX dropped in a channel: analyse it and answer in its thread. Bolt has already acknowledged
 * the event; Slack may still deliver it twice (retries), so each delivery and each file is claimed once.
 */
export function fileShareListener(deps: ListenerDeps) {
  return async ({ event, body, context }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    if (event.subtype !== "file_share") return;
    const message = event as unknown as {
      user?: string;
      /** The poster's workspace: `user_team` in Slack Connect channels, `team` otherwise. */
      user_team?: string;
      team?: string;
      bot_id?: string;
      thread_ts?: string;
      files?: SharedFile[];
    };
    // Files from bots, this app's own included, are never analysed.
    if (message.bot_id || !message.user || message.user === context.botUserId) return;
    const files = (message.files ?? []).filter(
      (f) => isSpreadsheetFile(f) || f.file_access === "check_file_info",
    );
    if (files.length === 0) return;
    const user = message.user;
    const channel = event.channel;
    const eventId = (body as { event_id?: string }).event_id ?? `${channel}:${event.ts}`;
    // A file shared inside a thread is answered in that thread (Slack wants the parent ts).
    const threadTs = message.thread_ts ?? event.ts;
    const team = message.user_team ?? message.team ?? null;
    const access = await checkAccess(deps, { user, team, channel, action: "upload" });
    if (!access.ok) return refuseUploadPrivately(deps, { user, channel }, access.message);
    const fresh: SharedFile[] = [];
    for (const f of files) {
      if (await deps.runner.claim([`event:${eventId}:${f.id}`, `file:${channel}:${event.ts}:${f.id}`]))
        fresh.push(f);
    }
    if (fresh.length === 0) {
      deps.logger.info({ eventId, retryNum: context.retryNum }, "duplicate delivery ignored");
      return;
    }
    for (const file of fresh) {
      if (!(await deps.runner.allow(user))) {
        await deps.jobs.slack.privateNotice(channel, user, { text: SLOW_DOWN }).catch(() => {});
        return;
      }
      await startJob(
        deps,
        {
          id: newJobId(),
          trigger: "upload",
          channel,
          threadTs,
          fileId: file.id,
          requester: user,
          recipients: deps.config.slack.defaultEmailTo,
        },
        file.name ?? null,
      );
    }
  };
}
