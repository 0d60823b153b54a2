import type { Logger } from "./logger.js";
import type { SlackMessage } from "./services/slack-messenger.js";
import type { RichBlocks } from "./ui/slack/summary-message.js";

/**
 * Slack's chart (`data_visualization`) and table (`data_table`) blocks are new: an older workspace,
 * a rollout still under way or a limit Slack changed makes it answer `invalid_blocks`. The summary
 * must never be lost because of a chart, so it goes out again without the refused block (with the
 * mrkdwn lists in place of the table), and the refusal is remembered for the rest of the process:
 * the next summaries do not try the block again, and the log says so once.
 */

type RichKind = keyof RichBlocks;

const BLOCK_KIND: Record<string, RichKind> = { data_visualization: "charts", data_table: "table" };

/** What this process has learned Slack accepts; starts out trying both. */
export class RichBlockSupport {
  private readonly refused = new Set<RichKind>();

  get current(): RichBlocks {
    return { charts: !this.refused.has("charts"), table: !this.refused.has("table") };
  }

  /** Stops using `kind` for the process lifetime; logs only the first time. */
  refuse(kind: RichKind, log: Logger, detail: { error: string; messages: string[] }): void {
    if (this.refused.has(kind)) return;
    this.refused.add(kind);
    log.warn(
      { block: kind === "charts" ? "data_visualization" : "data_table", ...detail },
      "Slack refused a chart or table block: summaries go without it until the app restarts",
    );
  }
}

/** The one the app uses: shared by every job of this process. */
export const processRichBlocks = new RichBlockSupport();

/**
 * Sends the message `build` makes with what `support` allows; if Slack refuses a chart or table
 * block, sends it again without that block (at most once per kind). `invalid_blocks` is remembered
 * for the process; `msg_blocks_too_long` concerns this message's size only, so its table is dropped
 * for this send alone. Any other error, or a refusal that names no chart or table block while none
 * is left to drop, is thrown as before.
 */
export async function sendWithFallback<T>(
  support: RichBlockSupport,
  build: (rich: RichBlocks) => SlackMessage,
  send: (message: SlackMessage) => Promise<T>,
  log: Logger,
): Promise<T> {
  const rich = support.current;
  for (;;) {
    const message = build(rich);
    try {
      return await send(message);
    } catch (error) {
      const refusal = slackRefusal(error);
      if (!refusal) throw error;
      const blocks = (message.blocks ?? []) as { type?: string }[];
      const present = kindsIn(blocks);
      if (present.length === 0) throw error;
      const blamed = blamedKinds(refusal.messages, blocks);
      let drop: RichKind[];
      if (refusal.error === "msg_blocks_too_long") drop = present.includes("table") ? ["table"] : present;
      else if (blamed === null) drop = present;
      else if (blamed.length > 0) drop = blamed;
      // Slack named blocks, none of them a chart or table: dropping those would not help.
      else throw error;
      for (const kind of drop) {
        rich[kind] = false;
        if (refusal.error === "invalid_blocks") support.refuse(kind, log, refusal);
      }
      log.info(
        { error: refusal.error, dropped: drop },
        "sending the summary again without the refused blocks",
      );
    }
  }
}

function kindsIn(blocks: { type?: string }[]): RichKind[] {
  const kinds = new Set<RichKind>();
  for (const b of blocks) {
    const kind = BLOCK_KIND[b.type ?? ""];
    if (kind) kinds.add(kind);
  }
  return [...kinds];
}

/**
 * The chart/table kinds Slack's messages point at (`[json-pointer:/blocks/3/...]`); null when the
 * messages point at no block at all (then every chart and table block is suspect).
 */
function blamedKinds(messages: string[], blocks: { type?: string }[]): RichKind[] | null {
  const indexes = messages.flatMap((m) =>
    [...m.matchAll(/json-pointer:\/blocks\/(\d+)/g)].map((x) => Number(x[1])),
  );
  if (indexes.length === 0) return null;
  const kinds = new Set<RichKind>();
  for (const i of indexes) {
    const kind = BLOCK_KIND[blocks[i]?.type ?? ""];
    if (kind) kinds.add(kind);
  }
  return [...kinds];
}

/** Slack's error code and messages when the error is a refusal of the blocks, else null. */
function slackRefusal(error: unknown): { error: string; messages: string[] } | null {
  const data = (error as { data?: { error?: unknown; response_metadata?: { messages?: unknown } } } | null)
    ?.data;
  const code = data?.error;
  if (code !== "invalid_blocks" && code !== "msg_blocks_too_long") return null;
  const messages = data?.response_metadata?.messages;
  return {
    error: code,
    messages: Array.isArray(messages) ? messages.filter((m): m is string => typeof m === "string") : [],
  };
}
