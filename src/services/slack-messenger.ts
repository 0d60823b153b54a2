import type { webApi } from "@slack/bolt";

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/**
 * The handful of Slack Web API calls the use case makes, behind an interface so it never imports
 * Bolt. The WebClient underneath carries the bounded retry policy set in app.ts.
 */
export interface SlackMessenger {
  /** Posts in a thread (threadTs) and returns the new message's ts. */
  post(channel: string, threadTs: string, message: SlackMessage): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  delete(channel: string, ts: string): Promise<void>;
  /**
   * Visible only to `user`: in the thread `threadTs` when that thread already has a visible reply,
   * else in the channel itself. Slack shows a threaded ephemeral message only in an active thread;
   * sent into a thread with no reply it is accepted and silently never shown.
   */
  privateNotice(channel: string, user: string, message: SlackMessage, threadTs?: string): Promise<void>;
  /**
   * Whether the bot is a member of `channel`, i.e. may post there. Asked before promising a user
   * anything, since chat.postMessage fails with not_in_channel otherwise.
   */
  isMember(channel: string): Promise<boolean>;
}

/** Slack's answers for "the bot cannot see or post in this conversation". */
const NOT_A_MEMBER = new Set(["not_in_channel", "channel_not_found"]);

export function createSlackMessenger(client: webApi.WebClient): SlackMessenger {
  return {
    async post(channel, threadTs, message) {
      const result = await client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      return result.ts ?? "";
    },
    async update(channel, ts, message) {
      await client.chat.update({
        channel,
        ts,
        text: message.text,
        blocks: (message.blocks ?? []) as webApi.KnownBlock[],
      });
    },
    async delete(channel, ts) {
      await client.chat.delete({ channel, ts });
    },
    async isMember(channel) {
      // conversations.info would say is_member but needs channels:read/groups:read, which the app
      // does not ask for; conversations.history (channels:history, already granted) answers
      // not_in_channel (public) or channel_not_found (private) to a bot that is not a member.
      try {
        await client.conversations.history({ channel, limit: 1 });
        return true;
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code !== undefined && NOT_A_MEMBER.has(code)) return false;
        // Anything else (rate limit, outage) is not an answer: let the job try and report.
        return true;
      }
    },
    async privateNotice(channel, user, message, threadTs) {
      const inThread = threadTs !== undefined && (await threadHasReply(client, channel, threadTs));
      await client.chat.postEphemeral({
        channel,
        user,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
        ...(inThread ? { thread_ts: threadTs } : {}),
      });
    },
  };
}

/**
 * Whether the thread started by `threadTs` has at least one reply (conversations.replies lists the
 * parent first). When that cannot be told, false: a notice in the channel is always seen.
 */
async function threadHasReply(client: webApi.WebClient, channel: string, threadTs: string): Promise<boolean> {
  try {
    const thread = await client.conversations.replies({ channel, ts: threadTs, limit: 2 });
    return (thread.messages ?? []).some((m) => m.ts !== threadTs);
  } catch {
    return false;
  }
}
