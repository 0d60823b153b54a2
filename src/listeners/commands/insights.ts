import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { newJobId } from "../../analyze-file.js";
import { EXPLICIT_CANDIDATES, threadLink } from "../../compare-uploads.js";
import { parseRecipients } from "../../recipients.js";
import {
  FILES_LOOKED_AT,
  findLatestSpreadsheets,
  findRecentSpreadsheets,
  type LatestSpreadsheets,
  type SharedSpreadsheet,
} from "../../services/latest-spreadsheet.js";
import { escapeSlackText } from "../../ui/escape.js";
import { formatMoney } from "../../ui/format.js";
import { checkAccess, type ListenerDeps, notInChannel, SLOW_DOWN, startJob } from "../deps.js";

export const USAGE = [
  "*/insights* analyses the most recent CSV or Excel file shared in this channel (thread replies included) and posts an executive summary in its thread.",
  "• `/insights boss@company.com [more@company.com ...]`: also e-mail the summary",
  "• `/insights compare [boss@company.com ...]`: compare the latest spreadsheet with the one shared before it (what changed, and what drove it)",
  "• `/insights history`: the last 10 analyses in this channel",
  "• `/insights help`: this message",
  "Or drop a file in the channel, or use *Generate insights* from a message's menu.",
].join("\n");

const HISTORY_SIZE = 10;

/** The last analyses in this channel, newest first, each with a link to its thread. */
async function historyText(deps: ListenerDeps, channel: string): Promise<string> {
  const recent = await deps.jobs.store.recentSummaries(channel, HISTORY_SIZE);
  if (recent.length === 0)
    return "No analyses in this channel yet. Drop a CSV or Excel file here, or run /insights.";
  const lines = recent.map((s) => {
    const when = new Date(s.createdAt).toISOString().slice(0, 16).replace("T", " ");
    const link = threadLink(s.channel, s.threadTs);
    const money = formatMoney(
      s.netRevenue,
      s.currencySymbol ? { code: null, symbol: s.currencySymbol } : null,
    );
    return `• <${link}|${escapeSlackText(s.fileName)}>, ${when} UTC, by <@${s.requester}>: net revenue ${escapeSlackText(money)}`;
  });
  return [`*The last ${recent.length} analyses in this channel*`, ...lines].join("\n");
}

/** "the latest spreadsheet here, shared <date> in a thread": so nobody wonders which file was taken. */
function describeShare(channel: string, latest: LatestSpreadsheets): string {
  const link = threadLink(channel, latest.messageTs);
  return `the latest spreadsheet in this channel (<${link}|shared ${postedWhen(latest.messageTs)}${latest.inThread ? " in a thread" : ""}>)`;
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
    // Bare /insights does what the help promises: the latest spreadsheet, summarised, no e-mail.
    if (text.toLowerCase() === "help") return reply(USAGE);

    const access = await checkAccess(deps, {
      user: command.user_id,
      // A shared channel's command carries the person's own workspace as user_team when it differs.
      team: (command as { user_team?: string }).user_team ?? command.team_id,
      channel: command.channel_id,
      action: "command",
    });
    if (!access.ok) return reply(access.message);
    if (text.toLowerCase() === "history") return reply(await historyText(deps, command.channel_id));
    const compare = /^compare(\s|$)/i.test(text);
    const recipients = parseRecipients(
      compare ? text.slice("compare".length) : text,
      deps.config.slack.allowedEmailDomains,
    );
    if (!recipients.ok) return reply(`${recipients.problem} Nothing was sent.`);
    if (!(await deps.runner.allow(command.user_id))) return reply(SLOW_DOWN);
    if (!(await deps.jobs.slack.isMember(command.channel_id))) {
      return reply((await notInChannel(deps, { id: command.channel_id, name: command.channel_name })).mrkdwn);
    }

    if (compare) return reply(await startComparison(deps, command, client, recipients.recipients));

    let latest: LatestSpreadsheets | null;
    try {
      latest = await findLatestSpreadsheets(client, command.channel_id);
    } catch (error) {
      deps.logger.warn({ err: error, channel: command.channel_id }, "files.list failed");
      return reply("I could not list this channel's files just now. Try again in a minute.");
    }
    if (!latest) {
      return reply(
        `No CSV or Excel file among the last ${FILES_LOOKED_AT} files shared in this channel. Upload one, then run /insights again.`,
      );
    }
    // Every spreadsheet of that message, one summary each, in upload order.
    for (const file of latest.files) {
      await startJob(
        deps,
        {
          id: newJobId(),
          trigger: "command",
          channel: command.channel_id,
          threadTs: latest.threadTs,
          fileId: file.id,
          requester: command.user_id,
          recipients: recipients.recipients,
        },
        file.name,
      );
    }
    const names = latest.files.map((f) => escapeSlackText(f.name)).join(", ");
    const to = recipients.recipients.length > 0 ? ` and e-mailed to ${recipients.recipients.join(", ")}` : "";
    return reply(
      `Working on ${names}, ${describeShare(command.channel_id, latest)}: the summary will be in its thread${to}.`,
    );
  };
}

/** When a message was posted, as people read it: "2026-11-23 09:15 UTC". */
function postedWhen(ts: string): string {
  return `${new Date(Number(ts) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "<link|sales_w46.csv> (shared 2026-11-16 09:00 UTC in a thread)" */
function describeFile(channel: string, file: SharedSpreadsheet): string {
  const link = threadLink(channel, file.messageTs);
  return `<${link}|${escapeSlackText(file.name)}> (shared ${postedWhen(file.messageTs)}${file.inThread ? " in a thread" : ""})`;
}

/**
 * /insights compare: the latest spreadsheet in the channel, compared with the one shared before it,
 * whatever the series rule would say. The earlier file must have been analysed here (its snapshot is
 * what is compared: the file itself is not read again); when it was not, or its figures are past
 * retention, nothing is queued and the reply says how to fix it. Returns the reply.
 */
async function startComparison(
  deps: ListenerDeps,
  command: { channel_id: string; user_id: string },
  client: Parameters<typeof findRecentSpreadsheets>[0],
  recipients: string[],
): Promise<string> {
  const channel = command.channel_id;
  let recent: SharedSpreadsheet[];
  try {
    recent = await findRecentSpreadsheets(client, channel, 2);
  } catch (error) {
    deps.logger.warn({ err: error, channel }, "files.list failed");
    return "I could not list this channel's files just now. Try again in a minute.";
  }
  const [latest, previous] = recent;
  if (!latest) {
    return `No CSV or Excel file among the last ${FILES_LOOKED_AT} files shared in this channel. Share two (say, last week's export and this week's), then run /insights compare.`;
  }
  if (!previous) {
    return `There is only one spreadsheet in this channel, ${describeFile(channel, latest)}: nothing to compare it with yet. Share the next one here (or in its thread), then run /insights compare. A file of the same series is compared automatically when it is shared.`;
  }
  const snapshots = await deps.jobs.store.recentSnapshots(channel, EXPLICIT_CANDIDATES);
  if (!snapshots.some((s) => s.fileId === previous.id)) {
    const days = deps.config.retentionDays;
    const kept = days
      ? `I keep the figures of each analysis for ${days} days`
      : "I keep figures for a limited time";
    return [
      `I can't compare ${describeFile(channel, latest)} with ${describeFile(channel, previous)} yet: I have no figures for ${escapeSlackText(previous.name)}. Either it was never analysed here, or it was analysed too long ago (${kept}).`,
      `To fix it: open <${threadLink(channel, previous.threadTs)}|its thread> and use *Generate insights* on its message, then run /insights compare again.`,
    ].join("\n");
  }
  await startJob(
    deps,
    {
      id: newJobId(),
      trigger: "command",
      channel,
      threadTs: latest.threadTs,
      fileId: latest.id,
      requester: command.user_id,
      recipients,
      compareWith: previous.id,
    },
    latest.name,
  );
  const to = recipients.length > 0 ? `, and e-mail it to ${recipients.join(", ")}` : "";
  return `Comparing ${describeFile(channel, latest)} with the spreadsheet shared before it, ${describeFile(channel, previous)}: the summary with what changed will be in the thread of ${escapeSlackText(latest.name)}${to}.`;
}
