import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { newJobId, runInsightsJob } from "../../analyze-file.js";
import { parseRecipients } from "../../recipients.js";
import { isSpreadsheetFile } from "../../services/slack-files.js";
import { escapeSlackText } from "../../ui/escape.js";
import { checkAccess, type ListenerDeps, SLOW_DOWN } from "../deps.js";

/** How far back /insights looks for the latest spreadsheet. */
const HISTORY_LIMIT = 100;

export const USAGE = [
  "*/insights* analyses the most recent CSV or Excel file shared in this channel and posts an executive summary in its thread.",
  "• `/insights boss@company.com [more@company.com ...]`: also e-mail the summary",
  "• `/insights help`: this message",
  "Or drop a file in the channel, or use *Generate insights* from a message's menu.",
].join("\n");

export function insightsCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const reply = async (text: string) => {
      try {
        await respond({ response_type: "ephemeral", text });
      } catch (error) {
        deps.logger.warn({ err: error }, "could not answer the slash command");
      }
    };
    const text = command.text.trim();
    if (text === "" || text.toLowerCase() === "help") return reply(USAGE);

    const access = checkAccess(deps, {
      user: command.user_id,
      channel: command.channel_id,
      action: "command",
    });
    if (!access.ok) return reply(access.message);
    if (text.toLowerCase() === "history") {
      return reply("History is not available yet: summaries so far are in the threads of their files.");
    }
    const recipients = parseRecipients(text, deps.config.slack.allowedEmailDomains);
    if (!recipients.ok) return reply(`${recipients.problem} Nothing was sent.`);
    if (!deps.runner.allow(command.user_id)) return reply(SLOW_DOWN);

    let latest: { ts: string; threadTs: string; fileId: string; name: string } | null = null;
    try {
      const history = await client.conversations.history({
        channel: command.channel_id,
        limit: HISTORY_LIMIT,
      });
      for (const message of history.messages ?? []) {
        const file = (message.files ?? []).find((f) => isSpreadsheetFile(f));
        if (file?.id && message.ts) {
          latest = {
            ts: message.ts,
            threadTs: message.thread_ts ?? message.ts,
            fileId: file.id,
            name: file.name ?? "the file",
          };
          break;
        }
      }
    } catch (error) {
      deps.logger.warn({ err: error, channel: command.channel_id }, "conversations.history failed");
      return reply(
        "I could not read this channel's recent messages. Invite the app to the channel (/invite @Sales Insight Bot) and try again.",
      );
    }
    if (!latest) {
      return reply(
        `No CSV or Excel file in the last ${HISTORY_LIMIT} messages of this channel. Upload one, then run /insights again.`,
      );
    }
    const job = {
      id: newJobId(),
      trigger: "command" as const,
      file: { channel: command.channel_id, threadTs: latest.threadTs, fileId: latest.fileId },
      requester: command.user_id,
      recipients: recipients.recipients,
    };
    deps.logger.info(
      { jobId: job.id, trigger: job.trigger, channel: command.channel_id, user: command.user_id },
      "job accepted",
    );
    deps.runner.submit(job.id, () => runInsightsJob(job, deps.jobs));
    const to = recipients.recipients.length > 0 ? ` and e-mailed to ${recipients.recipients.join(", ")}` : "";
    return reply(`Working on ${escapeSlackText(latest.name)}: the summary will be in its thread${to}.`);
  };
}
