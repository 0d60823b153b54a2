import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptJob, type InsightsDeps, runInsightsJob } from "../src/analyze-file.js";
import { createLogger } from "../src/logger.js";
import { DEFAULT_LIMITS } from "../src/pipeline/limits.js";
import { RichBlockSupport } from "../src/rich-blocks.js";
import type { EmailSender } from "../src/services/email.js";
import type { SlackFileInfo, SlackFiles } from "../src/services/slack-files.js";
import { createSlackMessenger } from "../src/services/slack-messenger.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import { createTelemetry } from "../src/telemetry.js";
import { type FakeSlack, FIXTURE_CHANNEL, startFakeSlack } from "./helpers/fake-slack.js";
import { SAMPLE_DATA, tempFiles } from "./helpers/files.js";

/**
 * The invalid_blocks fallback end to end: the real messenger (Slack's WebClient) against the fake
 * Slack, which refuses chart or table blocks the way a workspace without them would.
 */
const files = tempFiles();
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});

function setup(support: RichBlockSupport) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const client = new webApi.WebClient("xoxb-test", {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
  });
  const info: SlackFileInfo = {
    id: "F1",
    name: "q1.csv",
    title: "q1.csv",
    mimetype: "text/csv",
    filetype: "csv",
    size: 1,
    urlPrivateDownload: "https://files.slack.com/x",
    user: "U1",
  };
  const slackFiles: SlackFiles = {
    info: async () => info,
    download: async (_file, dest) => {
      copyFileSync(`${SAMPLE_DATA}sales_q1_2026.csv`, dest);
      return { bytes: 1 };
    },
  };
  const email: EmailSender = { send: async () => ({ ok: true, id: "e", via: "outbox" }) };
  const deps: InsightsDeps = {
    slack: createSlackMessenger(client),
    files: slackFiles,
    model: null,
    email,
    limits: DEFAULT_LIMITS,
    workDir: join(files.dir, "work"),
    store: openSqliteStore(":memory:"),
    telemetry: createTelemetry({ defaultMetrics: false }),
    logger: createLogger({ level: "info", destination }),
    richBlocks: support,
  };
  let n = 0;
  const run = async () => {
    n++;
    const job = await acceptJob(
      {
        id: `j${n}${Math.random().toString(36).slice(2, 6)}`,
        trigger: "command",
        channel: FIXTURE_CHANNEL,
        threadTs: `1767600000.00000${n}`,
        fileId: `F${n}${Math.random()}`,
        requester: "U1",
        recipients: [],
      },
      deps,
    );
    await runInsightsJob(job, deps);
    return await deps.store.getJob(job.id);
  };
  return { run, lines };
}

const summaryBlocks = () => {
  const last = slack.messages(FIXTURE_CHANNEL).at(-1);
  return (last?.blocks ?? []) as { type: string; text?: { text?: string } }[];
};

describe("chart and table blocks refused by Slack", () => {
  it("posts the summary without the chart, logs once, and stops trying charts for the process", async () => {
    slack.setUnsupportedBlocks(["data_visualization"]);
    const support = new RichBlockSupport();
    const { run, lines } = setup(support);
    const updatesBefore = slack.callsTo("chat.update").length;

    expect((await run())?.status).toBe("done");
    const blocks = summaryBlocks();
    expect(blocks.some((b) => b.type === "data_visualization")).toBe(false);
    // The table was not to blame: it stays.
    expect(blocks.some((b) => b.type === "data_table")).toBe(true);
    expect(support.current).toEqual({ charts: false, table: true });

    const updates = slack.callsTo("chat.update").slice(updatesBefore);
    const summaryAttempts = updates.filter((c) => Array.isArray(c.body.blocks) && c.body.blocks.length > 0);
    expect(summaryAttempts).toHaveLength(2);

    // The next summary goes without charts at once: one attempt, and no second log line.
    const before = slack.callsTo("chat.update").length;
    expect((await run())?.status).toBe("done");
    const next = slack
      .callsTo("chat.update")
      .slice(before)
      .filter((c) => Array.isArray(c.body.blocks) && c.body.blocks.length > 0);
    expect(next).toHaveLength(1);
    const refusals = lines.filter((l) => String(l.msg).startsWith("Slack refused a chart or table block"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.block).toBe("data_visualization");
  });

  it("falls back to the mrkdwn top-5 lists when the table is refused", async () => {
    slack.setUnsupportedBlocks(["data_table"]);
    const support = new RichBlockSupport();
    const { run } = setup(support);
    expect((await run())?.status).toBe("done");
    const blocks = summaryBlocks();
    expect(blocks.some((b) => b.type === "data_table")).toBe(false);
    expect(blocks.some((b) => b.type === "data_visualization")).toBe(true);
    expect(blocks.some((b) => b.text?.text?.startsWith("*Top regions by gross revenue*"))).toBe(true);
  });

  it("keeps the summary when Slack refuses both", async () => {
    slack.setUnsupportedBlocks(["data_table", "data_visualization"]);
    const support = new RichBlockSupport();
    const { run } = setup(support);
    expect((await run())?.status).toBe("done");
    const blocks = summaryBlocks();
    expect(blocks.some((b) => b.type === "data_table" || b.type === "data_visualization")).toBe(false);
    expect(blocks[0]?.type).toBe("header");
    expect(support.current).toEqual({ charts: false, table: false });
  });

  it("sends charts and the table where Slack takes them", async () => {
    slack.setUnsupportedBlocks([]);
    const { run } = setup(new RichBlockSupport());
    expect((await run())?.status).toBe("done");
    const types = summaryBlocks().map((b) => b.type);
    expect(types.filter((t) => t === "data_visualization")).toHaveLength(2);
    expect(types).toContain("data_table");
  });
});
