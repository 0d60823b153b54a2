import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeSnapshot } from "../../src/pipeline/compare/snapshot.js";
import type { Store } from "../../src/services/store.js";
import { geminiError } from "../helpers/fake-gemini.js";
import type { FakeResend } from "../helpers/fake-resend.js";
import { type FakeSlack, TEAM_ID } from "../helpers/fake-slack.js";
import { type SlackAppHarness, startSlackAppHarness, waitFor } from "../helpers/slack-app-harness.js";

/**
 * Comparisons end to end: the whole app in HTTP mode on 127.0.0.1 against fake Slack, Gemini and
 * Resend servers (as test/e2e/slack-app.test.ts), with uploads of weekly exports whose figures are
 * known, so the "What changed" section of the second summary can be checked to the unit.
 *
 * Each test has a channel of its own: the previous upload of a series is looked for per channel.
 * Gemini is down throughout, so every sentence comes from the offline writer and the figures in
 * the section are the engine's, not a scripted answer's.
 */
const SIGNING_SECRET = "e2e-compare-signing-secret-0123";
const USER = "U0123ABCD";
const SERIES_CHANNEL = "C0SERIES";
const UNRELATED_CHANNEL = "C0UNRELATED";
const EXPLICIT_CHANNEL = "C0EXPLICIT";
const LONELY_CHANNEL = "C0LONELY";
const FORGOTTEN_CHANNEL = "C0FORGOT";
const BROKEN_CHANNEL = "C0BROKEN";
const CHANNELS = [
  SERIES_CHANNEL,
  UNRELATED_CHANNEL,
  EXPLICIT_CHANNEL,
  LONELY_CHANNEL,
  FORGOTTEN_CHANNEL,
  BROKEN_CHANNEL,
];
const BOSS = "boss@example.com";

let harness: SlackAppHarness;
let slack: FakeSlack;
let resend: FakeResend;
let store: Store;
/** Channels whose snapshot reads fail, as a database error would. */
const brokenSnapshotReads = new Set<string>();
const logs = (msg: string) => harness.logs(msg);
let eventCounter = 0;

beforeAll(async () => {
  harness = await startSlackAppHarness({
    signingSecret: SIGNING_SECRET,
    dataDirPrefix: "sib-e2e-compare-",
    prepareSlack: (fake) => {
      for (const channel of CHANNELS) fake.addChannel(channel);
    },
    env: {
      ALLOWED_USER_IDS: USER,
      ALLOWED_CHANNEL_IDS: CHANNELS.join(","),
      ALLOWED_EMAIL_DOMAINS: "example.com",
      // Every upload is e-mailed: the e-mail of the second one must carry the same section.
      DEFAULT_EMAIL_TO: BOSS,
      DATA_RETENTION_DAYS: "30",
    },
    wrapStore: (sqlite) => ({
      ...bindAll(sqlite),
      recentSnapshots: async (channel, limit) => {
        if (brokenSnapshotReads.has(channel)) throw new Error("SQLITE_IOERR: disk I/O error");
        return sqlite.recentSnapshots(channel, limit);
      },
    }),
  });
  ({ slack, resend, store } = harness);
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => {
  harness.reset();
  // Offline sentences only: the figures checked below are the engine's own.
  harness.gemini.setFallback(geminiError(503, "UNAVAILABLE", "down for the test"));
});

afterEach(() => harness.waitForJobs());

function bindAll(target: Store): Store {
  const bound = {} as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(target))) {
    const value = (target as unknown as Record<string, unknown>)[key];
    if (key !== "constructor" && typeof value === "function") bound[key] = value.bind(target);
  }
  return bound as unknown as Store;
}

// ---------------------------------------------------------------------------------------------
// Weekly exports with known figures: one order a day per region, Monday to Sunday.

const HEADER = "Order Date,Order ID,Region,Category,Units,Unit Price,Revenue";

/** Per region: [category, units a day, unit price]. */
type WeekPlan = Record<string, [string, number, number]>;

function weekCsv(firstDay: string, plan: WeekPlan): Buffer {
  const lines = [HEADER];
  const start = new Date(`${firstDay}T00:00:00Z`).getTime();
  let order = 0;
  for (let d = 0; d < 7; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const [region, [category, units, price]] of Object.entries(plan)) {
      order++;
      lines.push(
        `${day},${firstDay.replaceAll("-", "")}-${order},${region},${category},${units},${price.toFixed(2)},${(units * price).toFixed(2)}`,
      );
    }
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** Week 46 of 2026 (9-15 Nov): North 1,400.00, South 700.00, West 350.00; net 2,450.00. */
const W46 = weekCsv("2026-11-09", {
  North: ["Tools", 2, 100],
  South: ["Toys", 1, 100],
  West: ["Garden", 1, 50],
});
/**
 * Week 47 (16-22 Nov): North 2,100.00 (+700.00), South 560.00 (-140.00), West 350.00 (0); net
 * 3,010.00, +560.00 or +22.9% on week 46. North is the top mover up, South down.
 */
const W47 = weekCsv("2026-11-16", {
  North: ["Tools", 3, 100],
  South: ["Toys", 1, 80],
  West: ["Garden", 1, 50],
});
/** Week 46 exported by another tool: other headers and another name, so no series with week 47. */
const W46_OTHER_TOOL = Buffer.from(
  W46.toString("utf8").replace(HEADER, "Date,Order No,Area,Product Line,Qty,Price Each,Sales"),
);
/** Another kind of file altogether: other columns, one month, no name in common. */
const INVENTORY = Buffer.from(
  "Warehouse,Sku,Amount,Counted On\nA,K-1,12.50,2026-11-20\nB,K-2,40.00,2026-11-21\nA,K-3,7.25,2026-11-22\n",
);

// ---------------------------------------------------------------------------------------------
// Requests, signed as Slack signs them.

async function post(body: string, contentType: string) {
  const response = await harness.post(body, contentType);
  expect(response.status).toBe(200);
}

/** A user shares `name` in `channel` at `ts` (the file is created then), and Slack sends the event. */
async function upload(channel: string, fileId: string, name: string, content: Buffer, ts: string) {
  slack.shareFiles(channel, { ts, user: USER, files: [{ id: fileId, name, content }] });
  // The event as Slack sends it (the fixture slack-app.test.ts uses), for this file and message.
  const envelope = harness.fileShareEnvelope();
  envelope.event_id = `EvCMP${++eventCounter}`;
  Object.assign(envelope.event, { user: USER, channel, ts, event_ts: ts });
  const [file] = envelope.event.files;
  if (!file) throw new Error("the file_share fixture shares no file");
  Object.assign(file, {
    id: fileId,
    name,
    title: name,
    created: Math.floor(Number(ts)),
    timestamp: Math.floor(Number(ts)),
    url_private: `${slack.baseUrl}/files/${fileId}/${name}`,
    url_private_download: `${slack.baseUrl}/files/${fileId}/download/${name}`,
  });
  await post(JSON.stringify(envelope), "application/json");
}

/** Shares a file in the fake workspace without the app hearing of it (as if the bot was away). */
function shareQuietly(channel: string, fileId: string, name: string, content: Buffer, ts: string) {
  slack.shareFiles(channel, { ts, user: USER, files: [{ id: fileId, name, content }] });
}

async function command(channel: string, text: string) {
  await post(
    new URLSearchParams({
      token: "verification-token",
      team_id: TEAM_ID,
      team_domain: "acme-sales",
      channel_id: channel,
      channel_name: channel.toLowerCase(),
      user_id: USER,
      user_name: "jane.doe",
      command: "/insights",
      text,
      api_app_id: "A0123ABCD",
      is_enterprise_install: "false",
      response_url: `${slack.baseUrl}/response/${channel}`,
      trigger_id: "1.2.3",
    }).toString(),
    "application/x-www-form-urlencoded",
  );
}

/** The summary of `fileId` as posted (the progress message updated with blocks naming the file). */
function summaryOf(fileId: string) {
  return slack.calls.find(
    (c) => c.method === "chat.update" && c.body.blocks && JSON.stringify(c.body.blocks).includes(fileId),
  );
}

const summaryBlocks = async (fileId: string) =>
  JSON.stringify((await waitFor(() => summaryOf(fileId), `the summary of ${fileId}`)).body.blocks);

/** The e-mail of the summary of `fileName` (its subject names the file), once sent. */
async function emailOf(fileName: string): Promise<{ html: string; text: string; subject: string }> {
  const sent = await waitFor(
    () => resend.requests.find((r) => String((r.body as { subject?: string }).subject).includes(fileName)),
    `the e-mail of ${fileName}`,
  );
  return sent.body as { html: string; text: string; subject: string };
}

/** "2026-01-09 23:07 UTC": when a message was posted, as the command's replies say it. */
const postedWhen = (ts: string) =>
  `${new Date(Number(ts) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;

async function storedSnapshot(channel: string, fileId: string) {
  const records = await store.recentSnapshots(channel, 50);
  return records.find((r) => r.fileId === fileId) ?? null;
}

/** Slack mrkdwn and e-mail text, with the bold and the line breaks that may sit between words taken out. */
const plain = (text: string) => text.replace(/[*`]/g, "").replace(/\\n/g, " ");

// ---------------------------------------------------------------------------------------------

describe("two uploads of a weekly series", () => {
  it("the second summary says what changed since the first, in Slack and in the e-mail", async () => {
    await upload(SERIES_CHANNEL, "F46SERIES", "sales_w46.csv", W46, "1768000001.000100");
    const first = plain(await summaryBlocks("F46SERIES"));
    // The first of a series is compared with nothing: a one-week file has no earlier month either.
    expect(first).not.toMatch(/What changed/);
    await waitFor(() => storedSnapshot(SERIES_CHANNEL, "F46SERIES"), "the first upload's snapshot");

    await upload(SERIES_CHANNEL, "F47SERIES", "sales_w47.csv", W47, "1768000002.000100");
    const second = plain(await summaryBlocks("F47SERIES"));
    expect(second).toMatch(/What changed/);
    expect(second).toMatch(/sales_w46\.csv/);
    // Net revenue 2,450.00 -> 3,010.00: +560 (+22.9%).
    expect(second).toMatch(/\+560\b/);
    expect(second).toMatch(/22\.9%/);
    // The top mover up is North (+700), down South (-140).
    expect(second).toMatch(/North[^.]*\+700\b/);
    expect(second).toMatch(/South[^.]*-140\b/);

    const email = await emailOf("sales_w47.csv");
    const emailText = plain(email.text);
    expect(emailText).toMatch(/What changed/);
    expect(emailText).toMatch(/\+560\b/);
    expect(emailText).toMatch(/22\.9%/);
    expect(emailText).toMatch(/North[^.]*\+700\b/);
    expect(email.html).toMatch(/What changed/);
    expect(email.html).toMatch(/sales_w46\.csv/);

    // What is kept of each upload is an aggregate snapshot: never a row.
    const kept = await storedSnapshot(SERIES_CHANNEL, "F47SERIES");
    expect(kept?.fileName).toBe("sales_w47.csv");
    expect(kept?.postedAt).toBe(1768000002000);
    expect(kept?.snapshot).not.toContain("20261116-1");
    expect(decodeSnapshot(kept?.snapshot ?? "")?.totals.net).toBe(3010);
  });

  it("a file with no comparable predecessor gets no What changed section", async () => {
    await upload(UNRELATED_CHANNEL, "F46UNREL", "sales_w46.csv", W46, "1768000011.000100");
    await summaryBlocks("F46UNREL");
    await upload(UNRELATED_CHANNEL, "FINVENT", "inventory count.csv", INVENTORY, "1768000012.000100");
    const blocks = plain(await summaryBlocks("FINVENT"));
    expect(blocks).not.toMatch(/What changed/);
    expect(blocks).not.toMatch(/sales_w46/);
    const step = logs("comparison step").find((l) => l.fileId === "FINVENT");
    expect(step?.comparison).toBeNull();
  });

  it("a comparison that fails still posts the summary, without the section", async () => {
    await upload(BROKEN_CHANNEL, "F46BROKEN", "sales_w46.csv", W46, "1768000021.000100");
    await summaryBlocks("F46BROKEN");
    brokenSnapshotReads.add(BROKEN_CHANNEL);
    try {
      await upload(BROKEN_CHANNEL, "F47BROKEN", "sales_w47.csv", W47, "1768000022.000100");
      const blocks = plain(await summaryBlocks("F47BROKEN"));
      expect(blocks).toMatch(/Net revenue of 3K for 16-22 Nov 2026/);
      expect(blocks).not.toMatch(/What changed/);
      expect(logs("comparison failed: the summary goes out without it")).toHaveLength(1);
      const email = await emailOf("sales_w47.csv");
      expect(email.text).not.toMatch(/What changed/);
      // Only the comparison was lost: this upload's snapshot was still saved for the next one.
      brokenSnapshotReads.delete(BROKEN_CHANNEL);
      expect(await storedSnapshot(BROKEN_CHANNEL, "F47BROKEN")).not.toBeNull();
    } finally {
      brokenSnapshotReads.delete(BROKEN_CHANNEL);
    }
  });
});

describe("/insights compare", () => {
  it("compares the latest spreadsheet with the one before, says which and when, even off-series", async () => {
    // Two files the series rule would not pair (other names, other columns) are compared on request.
    await upload(EXPLICIT_CHANNEL, "F46EXPL", "north week.csv", W46_OTHER_TOOL, "1768000031.000100");
    await summaryBlocks("F46EXPL");
    shareQuietly(EXPLICIT_CHANNEL, "F47EXPL", "sales_w47.csv", W47, "1768000032.000100");
    await command(EXPLICIT_CHANNEL, "compare");
    const reply = String((await waitFor(() => slack.responses[0], "the reply")).body.text);
    expect(reply).toContain(`|sales_w47.csv> (shared ${postedWhen("1768000032.000100")})`);
    expect(reply).toContain(`|north week.csv> (shared ${postedWhen("1768000031.000100")})`);
    expect(reply).toMatch(/^Comparing .*sales_w47\.csv.* with the spreadsheet shared before it/);
    const blocks = plain(await summaryBlocks("F47EXPL"));
    expect(blocks).toMatch(/What changed/);
    expect(blocks).toMatch(
      /Compared with <[^|]+\|north week\.csv>, posted .*as asked with \/insights compare/,
    );
    expect(blocks).toMatch(/\+560\b/);
    const accepted = logs("job accepted").find((l) => l.fileId === "F47EXPL");
    const job = await store.getJob(String(accepted?.jobId));
    expect(job?.compareWith).toBe("F46EXPL");
  });

  it("with only one spreadsheet in the channel, says so and how to fix it", async () => {
    shareQuietly(LONELY_CHANNEL, "F46LONE", "sales_w46.csv", W46, "1768000041.000100");
    await command(LONELY_CHANNEL, "compare");
    const reply = String((await waitFor(() => slack.responses[0], "the reply")).body.text);
    expect(reply).toMatch(/only one spreadsheet in this channel/);
    expect(reply).toMatch(/Share the next one here/);
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("when the earlier file's figures are not kept, says so plainly and how to fix it", async () => {
    shareQuietly(FORGOTTEN_CHANNEL, "F46GONE", "sales_w46.csv", W46, "1768000051.000100");
    shareQuietly(FORGOTTEN_CHANNEL, "F47GONE", "sales_w47.csv", W47, "1768000052.000100");
    await command(FORGOTTEN_CHANNEL, "compare");
    const reply = String((await waitFor(() => slack.responses[0], "the reply")).body.text);
    expect(reply).toMatch(/I have no figures for sales_w46\.csv/);
    expect(reply).toMatch(/I keep the figures of each analysis for 30 days/);
    expect(reply).toMatch(/Generate insights/);
    expect(reply).not.toMatch(/[A-Z]+_[A-Z]+_[A-Z]+/);
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("the help lists it", async () => {
    await command(LONELY_CHANNEL, "help");
    const reply = String((await waitFor(() => slack.responses[0], "the help")).body.text);
    expect(reply).toMatch(/\/insights compare/);
  });
});
