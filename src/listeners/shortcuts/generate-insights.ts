import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { isSpreadsheetFile } from "../../services/slack-files.js";
import { emailModal } from "../../ui/slack/interactive.js";
import { checkAccess, type ListenerDeps, notInChannel } from "../deps.js";

/** "Generate insights" on a message: open the recipients modal for that message's spreadsheet. */
export function generateInsightsShortcut(deps: ListenerDeps) {
  return async ({
    shortcut,
    ack,
    respond,
    client,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs) => {
    await ack();
    const reply = async (text: string) => {
      try {
        await respond({ response_type: "ephemeral", text });
      } catch (error) {
        deps.logger.warn({ err: error }, "could not answer the shortcut");
      }
    };
    const channel = shortcut.channel.id;
    const access = await checkAccess(deps, {
      user: shortcut.user.id,
      team: shortcut.user.team_id ?? shortcut.team?.id,
      channel,
      action: "shortcut",
    });
    if (!access.ok) return reply(access.message);
    const message = shortcut.message as {
      ts: string;
      thread_ts?: string;
      files?: { id?: string; name?: string; filetype?: string; mimetype?: string; file_access?: string }[];
    };
    // Every spreadsheet in the message (up to Slack's 10), in upload order; Slack Connect stubs
    // carry no name yet and are resolved by the job.
    const files = (message.files ?? [])
      .filter((f) => isSpreadsheetFile(f) || f.file_access === "check_file_info")
      .flatMap((f) => (f.id ? [{ id: f.id, name: f.name ?? "a shared file" }] : []));
    const file = files[0];
    if (!file)
      return reply(
        "That message has no CSV or Excel (.xlsx) file. Use Generate insights on the message that shares the spreadsheet.",
      );
    // The shortcut shows on every message once the app is installed: no modal promising a summary
    // the bot could not post.
    if (!(await deps.jobs.slack.isMember(channel))) {
      return reply((await notInChannel(deps, shortcut.channel)).mrkdwn);
    }
    const ref = { channel, threadTs: message.thread_ts ?? message.ts, fileId: file.id };
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: emailModal(ref, {
        fileName: file.name,
        defaultRecipients: deps.config.slack.defaultEmailTo,
        files,
      }),
    });
  };
}
