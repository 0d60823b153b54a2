import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { RichBlockSupport, sendWithFallback } from "../src/rich-blocks.js";
import type { SlackMessage } from "../src/services/slack-messenger.js";
import type { RichBlocks } from "../src/ui/slack/summary-message.js";

const log = createLogger({ level: "silent" });

/** A message with a section, then charts and/or a table as `rich` allows. */
function build(rich: RichBlocks): SlackMessage {
  const blocks: { type: string }[] = [{ type: "section" }];
  if (rich.charts) blocks.push({ type: "data_visualization" }, { type: "data_visualization" });
  if (rich.table) blocks.push({ type: "data_table" });
  else blocks.push({ type: "section" });
  return { text: "summary", blocks };
}

/** Slack's error as @slack/web-api throws it. */
function slackError(error: string, messages: string[] = []) {
  return Object.assign(new Error(`An API error occurred: ${error}`), {
    code: "slack_webapi_platform_error",
    data: { ok: false, error, response_metadata: { messages } },
  });
}

function sender(failures: unknown[]) {
  const sent: SlackMessage[] = [];
  return {
    sent,
    send: async (message: SlackMessage) => {
      sent.push(message);
      const failure = failures.shift();
      if (failure) throw failure;
      return "ts";
    },
  };
}

const types = (m: SlackMessage | undefined) => ((m?.blocks ?? []) as { type: string }[]).map((b) => b.type);

describe("sendWithFallback", () => {
  it("drops every chart and table block when Slack's answer names no block", async () => {
    const support = new RichBlockSupport();
    const s = sender([slackError("invalid_blocks")]);
    await sendWithFallback(support, build, s.send, log);
    expect(types(s.sent[1])).toEqual(["section", "section"]);
    expect(support.current).toEqual({ charts: false, table: false });
  });

  it("drops only the table for msg_blocks_too_long, and does not remember it", async () => {
    const support = new RichBlockSupport();
    const s = sender([slackError("msg_blocks_too_long")]);
    await sendWithFallback(support, build, s.send, log);
    expect(types(s.sent[1])).toEqual(["section", "data_visualization", "data_visualization", "section"]);
    expect(support.current).toEqual({ charts: true, table: true });
  });

  it("rethrows a refusal of a block that is neither chart nor table, and any other error", async () => {
    const pointing = slackError("invalid_blocks", [
      "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text]",
    ]);
    await expect(sendWithFallback(new RichBlockSupport(), build, sender([pointing]).send, log)).rejects.toBe(
      pointing,
    );
    const other = slackError("ratelimited");
    await expect(sendWithFallback(new RichBlockSupport(), build, sender([other]).send, log)).rejects.toBe(
      other,
    );
  });

  it("rethrows invalid_blocks when no chart or table is left to drop", async () => {
    const support = new RichBlockSupport();
    const s = sender([slackError("invalid_blocks"), slackError("invalid_blocks")]);
    await expect(sendWithFallback(support, build, s.send, log)).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
    expect(s.sent).toHaveLength(2);
  });
});
