import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { newJobId } from "../../analyze-file.js";
import { parseRecipients } from "../../recipients.js";
import { isSpreadsheetFile } from "../../services/slack-files.js";
import { escapeSlackText } from "../../ui/escape.js";
import { formatMoney } from "../../ui/format.js";
import { checkAccess, type ListenerDeps, notInChannel, SLOW_DOWN, startJob } from "../deps.js";

/** How far back /insights looks for the latest spreadsheet. */
const HISTORY_LIMIT = 100;

export const USAGE = [
  "*/insights* analyses the most recent CSV or Excel file shared in this channel and posts an executive summary in its thread.",
  "• `/insights boss@company.com [more@company.com ...]`: also e-mail the summary",
  "• `/insights history`: the last 10 analyses in this channel",
  "• `/insights help`: this message",
  "Or drop a file in the channel, or use *Generate insights* from a message's menu.",
].join("\n");

const HISTORY_SIZE = 10;

/** The last analyses in this channel, newest first, each with a link to its thread. */
function historyText(deps: ListenerDeps, channel: string): string {
  const recent = deps.jobs.store.recentSummaries(channel, HISTORY_SIZE);
  if (recent.length === 0)
    return "No analyses in this channel yet. Drop a CSV or Excel file here, or run /insights.";
  const lines = recent.map((s) => {
    const when = new Date(s.createdAt).toISOString().slice(0, 16).replace("T", " ");
    const link = `https://slack.com/archives/${s.channel}/p${s.threadTs.replace(".", "")}`;
    const money = formatMoney(
      s.netRevenue,
      s.currencySymbol ? { code: null, symbol: s.currencySymbol } : null,
    );
    return `• <${link}|${escapeSlackText(s.fileName)}>, ${when} UTC, by <@${s.requester}>: net revenue ${escapeSlackText(money)}`;
  });
  return [`*The last ${recent.length} analyses in this channel*`, ...lines].join("\n");
}

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
    if (text.toLowerCase() === "history") return reply(historyText(deps, command.channel_id));
    const recipients = parseRecipients(text, deps.config.slack.allowedEmailDomains);
    if (!recipients.ok) return reply(`${recipients.problem} Nothing was sent.`);
    if (!deps.runner.allow(command.user_id)) return reply(SLOW_DOWN);
    if (!(await deps.jobs.slack.isMember(command.channel_id))) {
      return reply((await notInChannel(deps, { id: command.channel_id, name: command.channel_name })).mrkdwn);
    }

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
    startJob(deps, {
      id: newJobId(),
      trigger: "command",
      channel: command.channel_id,
      threadTs: latest.threadTs,
      fileId: latest.fileId,
      requester: command.user_id,
      recipients: recipients.recipients,
    });
    const to = recipients.recipients.length > 0 ? ` and e-mailed to ${recipients.recipients.join(", ")}` : "";
    return reply(`Working on ${escapeSlackText(latest.name)}: the summary will be in its thread${to}.`);
  };
}
