import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/services/store.js";
import { type FakeGemini, geminiError, geminiText } from "../helpers/fake-gemini.js";
import type { FakeResend } from "../helpers/fake-resend.js";
import type { FakeSlack } from "../helpers/fake-slack.js";
import { FIXTURES, SAMPLE_DATA } from "../helpers/files.js";
import { SAMPLE_GEMINI_ANSWER } from "../helpers/gemini-answers.js";
import { type SlackAppHarness, startSlackAppHarness, waitFor } from "../helpers/slack-app-harness.js";

/**
 * The whole app in HTTP mode on 127.0.0.1, talking to fake Slack, Gemini and Resend servers (real
 * HTTP servers on loopback), driven by requests signed exactly as Slack signs them.
 *
 * Every test stands alone (each runs with `-t`): the store forgets analyses, thread summaries and
 * e-mails before each one, and counters are compared before and after. Nothing is checked after a
 * sleep: a test that expects nothing to happen first waits until the app has finished handling the
 * request (`handled`), or for the log line that says what it decided.
 */
const SIGNING_SECRET = "e2e-signing-secret-0123456789";
const ALLOWED_USER = "U0123ABCD";
const ALLOWED_CHANNEL = "C0123ABCD";
/** Channels of their own for tests that look for "the latest file", so no other test's upload is newer. */
const INSIGHTS_CHANNEL = "C0INSIGHTS";
const METRICS_CHANNEL = "C0METRICS";
/** Allowed by the app's settings, but nobody has invited the bot there. */
const NOT_INVITED_CHANNEL = "C0NOTIN";
/** Where the latest spreadsheet sits in a thread reply. */
const THREADS_CHANNEL = "C0THREADS";
/** Where one message shares several spreadsheets. */
const MULTI_CHANNEL = "C0MULTI";
const BURST_CHANNEL = "C0BURST";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), "utf8");

let harness: SlackAppHarness;
let slack: FakeSlack;
let gemini: FakeGemini;
let resend: FakeResend;
let baseUrl: string;
let dataDir: string;
let store: Store;
let eventCounter = 0;

beforeAll(async () => {
  harness = await startSlackAppHarness({
    signingSecret: SIGNING_SECRET,
    dataDirPrefix: "sib-e2e-",
    prepareSlack: (fake) => fake.addChannel(NOT_INVITED_CHANNEL, { name: "deals", botIsMember: false }),
    env: {
      ALLOWED_USER_IDS: ALLOWED_USER,
      ALLOWED_CHANNEL_IDS: [
        ALLOWED_CHANNEL,
        INSIGHTS_CHANNEL,
        METRICS_CHANNEL,
        NOT_INVITED_CHANNEL,
        THREADS_CHANNEL,
        MULTI_CHANNEL,
        BURST_CHANNEL,
      ].join(","),
      ALLOWED_EMAIL_DOMAINS: "example.com",
    },
  });
  ({ slack, gemini, resend, baseUrl, dataDir, store } = harness);
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => {
  harness.reset();
  gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));
  resend.setFallback(undefined);
  // What one test remembers must not decide another's outcome: no cached analysis, no summary
  // already in a thread, no e-mail already sent, no earlier upload to compare with. (Dedupe keys
  // stay: every test uses its own ids.)
  const db = new Database(join(dataDir, "insights.db"));
  try {
    db.exec("DELETE FROM analyses; DELETE FROM thread_summaries; DELETE FROM emails; DELETE FROM snapshots;");
  } finally {
    db.close();
  }
});

afterEach(() => harness.waitForJobs());

const sign = (body: string, timestamp?: number) => harness.sign(body, timestamp);
const post = (body: string, contentType: string, extra: Record<string, string> = {}) =>
  harness.post(body, contentType, extra);

function fileShareEvent(options: {
  fileId: string;
  name: string;
  user?: string;
  channel?: string;
  ts: string;
  /** Shared as a reply in this thread. */
  threadTs?: string;
  eventId?: string;
}) {
  const envelope = harness.fileShareEnvelope();
  envelope.event_id = options.eventId ?? `Ev${++eventCounter}E2E`;
  envelope.event.user = options.user ?? ALLOWED_USER;
  envelope.event.channel = options.channel ?? ALLOWED_CHANNEL;
  envelope.event.ts = options.ts;
  envelope.event.event_ts = options.ts;
  if (options.threadTs) envelope.event.thread_ts = options.threadTs;
  const [file] = envelope.event.files;
  if (!file) throw new Error("the file_share fixture shares no file");
  file.id = options.fileId;
  file.name = options.name;
  // The message exists in the fake workspace too, as it would in Slack.
  slack.shareFiles(envelope.event.channel, {
    ts: options.ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    user: envelope.event.user,
    files: [{ id: options.fileId, name: options.name }],
  });
  return envelope;
}

function addCsv(fileId: string, path: string, name = path.split("/").pop() ?? "file.csv") {
  slack.addFile({ id: fileId, name, content: readFileSync(path) });
}

/** Waits until the app has handled `count` requests whose body matches (every listener settled). */
function handled(match: (body: Record<string, unknown>) => boolean, what: string, count = 1) {
  return waitFor(() => harness.processed.filter(match).length >= count, what);
}

const logs = (msg: string) => harness.logs(msg);

async function metrics(): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** One series' value in a Prometheus text body (0 when the series has not been written yet). */
function metric(body: string, series: string): number {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function upload(fileId: string, path: string, name: string, ts: string, channel = ALLOWED_CHANNEL) {
  addCsv(fileId, path, name);
  const response = await post(
    JSON.stringify(fileShareEvent({ fileId, name, ts, channel })),
    "application/json",
  );
  expect(response.status).toBe(200);
}

const allSlackText = () => JSON.stringify(slack.calls.map((c) => c.body));
const summaryPosted = (fileId: string) =>
  slack.calls.find(
    (c) => c.method === "chat.update" && JSON.stringify(c.body).includes(fileId) && c.body.blocks,
  );

describe("upload -> summary in the thread", () => {
  it("downloads with the bot token, posts progress then the summary in the file's thread", async () => {
    addCsv("F1UPLOAD", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const response = await post(
      JSON.stringify(
        fileShareEvent({ fileId: "F1UPLOAD", name: "sales_q1_2026.csv", ts: "1767609001.000100" }),
      ),
      "application/json",
    );
    expect(response.status).toBe(200);
    const final = await waitFor(() => summaryPosted("F1UPLOAD"), "the summary");
    const first = slack.callsTo("chat.postMessage")[0];
    expect(first?.body).toMatchObject({ channel: ALLOWED_CHANNEL, thread_ts: "1767609001.000100" });
    expect(slack.downloads[0]?.authorization).toBe("Bearer xoxb-e2e-test-token");
    expect(JSON.stringify(final.body.blocks)).toMatch(/Net revenue reached/);
    expect(JSON.stringify(final.body.blocks)).toMatch(/Email this summary/);
    expect(gemini.requests).toHaveLength(1);
  });

  it("a retried and a doubled delivery produce one summary", async () => {
    addCsv("F2DUP", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const event = fileShareEvent({
      fileId: "F2DUP",
      name: "sales_q1_2026.csv",
      ts: "1767609002.000100",
      eventId: "EvDUP1",
    });
    await post(JSON.stringify(event), "application/json");
    await post(JSON.stringify(event), "application/json", {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    const doubled = { ...event, event_id: "EvDUP2" };
    await post(JSON.stringify(doubled), "application/json");
    await handled((b) => b.event_id === "EvDUP1", "the delivery and its retry", 2);
    await handled((b) => b.event_id === "EvDUP2", "the doubled delivery");
    // Every delivery has been handled: one job was accepted, the two repeats were recognised.
    expect(logs("job accepted").filter((l) => l.fileId === "F2DUP")).toHaveLength(1);
    expect(logs("duplicate delivery ignored").map((l) => l.eventId)).toEqual(
      expect.arrayContaining(["EvDUP1", "EvDUP2"]),
    );
    await waitFor(() => summaryPosted("F2DUP"), "the summary");
    expect(slack.callsTo("files.info").filter((c) => c.body.file === "F2DUP")).toHaveLength(1);
    expect(
      slack.callsTo("chat.postMessage").filter((c) => c.body.thread_ts === "1767609002.000100"),
    ).toHaveLength(1);
  });

  it("answers a non-sales CSV with a message only the uploader sees, and stays healthy", async () => {
    addCsv("F3PEOPLE", `${FIXTURES}no-revenue.csv`, "people.csv");
    await post(
      JSON.stringify(fileShareEvent({ fileId: "F3PEOPLE", name: "people.csv", ts: "1767609003.000100" })),
      "application/json",
    );
    const ephemeral = await waitFor(() => slack.ephemerals[0], "the ephemeral reply");
    // The thread is empty again once the progress reply is gone: Slack would hide a threaded
    // ephemeral message, so it goes to the channel, naming the file.
    expect(ephemeral).toMatchObject({ user: ALLOWED_USER, channel: ALLOWED_CHANNEL, visible: true });
    expect(ephemeral.thread_ts).toBeNull();
    expect(ephemeral.text).toMatch(/people\.csv: No revenue column found\. Columns: name, age, city/);
    expect(slack.messages(ALLOWED_CHANNEL).filter((m) => m.thread_ts === "1767609003.000100")).toEqual([]);
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok", queue: "ok" });
  });

  it("answers a non-sales CSV shared in a busy thread inside that thread, visibly", async () => {
    addCsv("F3THREAD", `${FIXTURES}no-revenue.csv`, "people.csv");
    slack.shareFiles(ALLOWED_CHANNEL, { ts: "1767609003.000300", user: ALLOWED_USER, files: [] });
    await post(
      JSON.stringify(
        fileShareEvent({
          fileId: "F3THREAD",
          name: "people.csv",
          ts: "1767609003.000400",
          threadTs: "1767609003.000300",
        }),
      ),
      "application/json",
    );
    const ephemeral = await waitFor(() => slack.ephemerals[0], "the ephemeral reply");
    expect(ephemeral).toMatchObject({ thread_ts: "1767609003.000300", visible: true });
  });

  it("never posts a cell value like <!channel> raw, and never sends a customer value to Gemini", async () => {
    addCsv("F4EVIL", `${FIXTURES}evil.csv`);
    await post(
      JSON.stringify(fileShareEvent({ fileId: "F4EVIL", name: "evil.csv", ts: "1767609004.000100" })),
      "application/json",
    );
    await waitFor(() => summaryPosted("F4EVIL"), "the summary");
    expect(allSlackText()).not.toContain("<!channel>");
    expect(allSlackText()).not.toContain("<@U123>");
    expect(JSON.stringify(gemini.requests.map((r) => r.body))).not.toContain("CUST-PLANTED-7731");
  });

  it("writes offline and says so when Gemini is down, and asks Gemini again once it is back", async () => {
    gemini.setFallback(geminiError(503, "UNAVAILABLE", "overloaded"));
    await upload("F5DOWN", `${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv", "1767609005.000100");
    const offline = await waitFor(() => summaryPosted("F5DOWN"), "the offline summary");
    expect(JSON.stringify(offline.body.blocks)).toMatch(
      /Written without Gemini: Gemini is unavailable \(HTTP 503\)/,
    );

    // Gemini recovers; the same file is uploaded again: Gemini is asked, not the outage's summary reused.
    gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));
    const askedDuringOutage = gemini.requests.length;
    await upload("F5BACK", `${SAMPLE_DATA}sales_q1_2026.csv`, "q1-again.csv", "1767609005.000200");
    const recovered = await waitFor(() => summaryPosted("F5BACK"), "the summary after recovery");
    expect(gemini.requests.length).toBeGreaterThan(askedDuringOutage);
    expect(JSON.stringify(recovered.body.blocks)).toMatch(/Net revenue reached/);
    expect(JSON.stringify(recovered.body.blocks)).not.toMatch(/Written without Gemini/);
  });

  it("reuses the analysis when the same content is uploaded again", async () => {
    await upload("F8FIRST", `${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv", "1767609008.000100");
    await waitFor(() => summaryPosted("F8FIRST"), "the first summary");
    expect(gemini.requests).toHaveLength(1);
    await upload("F8AGAIN", `${SAMPLE_DATA}sales_q1_2026.csv`, "copy-of-q1.csv", "1767609008.000200");
    const again = await waitFor(() => summaryPosted("F8AGAIN"), "the summary");
    expect(JSON.stringify(again.body.blocks)).toMatch(/Net revenue reached/);
    expect(gemini.requests).toHaveLength(1);
  });

  it("ignores the file_shared event that accompanies every upload", async () => {
    const event = JSON.parse(fixture("event-file-shared.json"));
    event.event_id = "EvFILESHARED1";
    expect((await post(JSON.stringify(event), "application/json")).status).toBe(200);
    await handled((b) => b.event_id === "EvFILESHARED1", "the file_shared event");
    expect(slack.calls.filter((c) => c.method !== "auth.test")).toHaveLength(0);
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("ignores files from bots", async () => {
    const event = JSON.parse(
      fixture("event-file-share-bot.json").replaceAll("__API_URL__", `${slack.baseUrl}/`),
    );
    event.event_id = "EvBOT1";
    await post(JSON.stringify(event), "application/json");
    await handled((b) => b.event_id === "EvBOT1", "the bot's upload");
    expect(slack.callsTo("files.info")).toHaveLength(0);
    expect(logs("job accepted")).toHaveLength(0);
  });
});

describe("allowlists", () => {
  it("a denied user or channel: nothing downloaded, analysed or sent", async () => {
    addCsv("F6DENY", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const stranger = fileShareEvent({
      fileId: "F6DENY",
      name: "s.csv",
      ts: "1767609006.000100",
      user: "U0STRANGER",
    });
    const elsewhere = fileShareEvent({
      fileId: "F6DENY",
      name: "s.csv",
      ts: "1767609006.000200",
      channel: "C0ELSEWHERE",
    });
    await post(JSON.stringify(stranger), "application/json");
    await post(JSON.stringify(elsewhere), "application/json");
    await handled((b) => b.event_id === stranger.event_id, "the stranger's upload");
    await handled((b) => b.event_id === elsewhere.event_id, "the upload elsewhere");
    expect(logs("request denied by allowlist")).toHaveLength(2);
    expect(slack.callsTo("files.info")).toHaveLength(0);
    expect(slack.downloads).toHaveLength(0);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("a denied uploader hears why once a day per channel, privately, in plain words", async () => {
    addCsv("F6ONCE", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const first = fileShareEvent({
      fileId: "F6ONCE",
      name: "a.csv",
      ts: "1767609006.000300",
      user: "U0DENIED2",
    });
    const second = fileShareEvent({
      fileId: "F6ONCE",
      name: "b.csv",
      ts: "1767609006.000400",
      user: "U0DENIED2",
    });
    await post(JSON.stringify(first), "application/json");
    await post(JSON.stringify(second), "application/json");
    await handled((b) => b.event_id === first.event_id, "the first upload");
    await handled((b) => b.event_id === second.event_id, "the second upload");
    expect(slack.ephemerals).toHaveLength(1);
    expect(slack.ephemerals[0]).toMatchObject({
      user: "U0DENIED2",
      channel: ALLOWED_CHANNEL,
      thread_ts: null,
      visible: true,
    });
    expect(slack.ephemerals[0]?.text).toMatch(/Ask your Slack admin to give you access/);
    expect(slack.ephemerals[0]?.text).not.toMatch(/[A-Z]+_[A-Z]+/);
    expect(slack.callsTo("files.info")).toHaveLength(0);
  });

  it("a Slack Connect guest from another organisation is refused, even with an allowed user id", async () => {
    addCsv("F0789IJKL", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const event = JSON.parse(fixture("event-file-share-slack-connect.json"));
    event.event_id = "EvCONNECT1";
    event.event.user = ALLOWED_USER;
    event.event.channel = ALLOWED_CHANNEL;
    event.event.ts = "1767609006.000500";
    await post(JSON.stringify(event), "application/json");
    await handled((b) => b.event_id === "EvCONNECT1", "the guest's upload");
    expect(logs("request denied by allowlist")).toEqual([
      expect.objectContaining({ team: "T0789IJKL", setting: "ALLOWED_TEAM_IDS" }),
    ]);
    expect(slack.callsTo("files.info")).toHaveLength(0);
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("a denied user running /insights gets a refusal only they see", async () => {
    const body = commandBody({ user_id: "U0STRANGER", text: "boss@example.com" });
    expect((await post(body, "application/x-www-form-urlencoded")).status).toBe(200);
    const response = await waitFor(() => slack.responses[0], "the refusal");
    expect(response.body).toMatchObject({ response_type: "ephemeral" });
    expect(String(response.body.text)).toMatch(/Ask your Slack admin to give you access/);
    expect(String(response.body.text)).not.toMatch(/ALLOWED_|[A-Z]+_[A-Z]+_[A-Z]+/);
    await handled((b) => b.user_id === "U0STRANGER", "the command");
    expect(slack.callsTo("conversations.history")).toHaveLength(0);
  });
});

function commandBody(overrides: Record<string, string>) {
  const fields = {
    ...JSON.parse(fixture("command-insights.json")),
    channel_id: INSIGHTS_CHANNEL,
    response_url: `${slack.baseUrl}/response/cmd`,
    ...overrides,
  };
  return new URLSearchParams(fields).toString();
}

describe("/insights", () => {
  beforeEach(() => {
    addCsv("F7CMD", `${SAMPLE_DATA}sales_q1_2026.csv`);
    slack.shareFiles(INSIGHTS_CHANNEL, {
      ts: "1767609007.000100",
      user: ALLOWED_USER,
      files: [{ id: "F7CMD", name: "sales_q1_2026.csv" }],
    });
  });

  it("summarises the latest spreadsheet in its thread and e-mails it", async () => {
    await post(
      commandBody({ text: "boss@example.com cfo@example.com" }),
      "application/x-www-form-urlencoded",
    );
    const ack = await waitFor(() => slack.responses[0], "the confirmation");
    expect(String(ack.body.text)).toMatch(
      /Working on sales_q1_2026\.csv.*boss@example\.com, cfo@example\.com/,
    );
    const sent = await waitFor(() => resend.requests[0], "the e-mail");
    expect(sent.body).toMatchObject({ to: ["boss@example.com", "cfo@example.com"] });
    expect(sent.headers["idempotency-key"]).toBeTruthy();
    await waitFor(
      () => slack.callsTo("chat.postMessage").find((c) => /e-mailed to/.test(String(c.body.text))),
      "the e-mail note",
    );
    expect(slack.callsTo("chat.postMessage")[0]?.body.thread_ts).toBe("1767609007.000100");
  });

  it("bare /insights summarises the latest spreadsheet in its thread, without e-mail", async () => {
    await post(commandBody({ text: "" }), "application/x-www-form-urlencoded");
    const ack = await waitFor(() => slack.responses[0], "the confirmation");
    expect(String(ack.body.text)).toMatch(
      /^Working on sales_q1_2026\.csv, .*: the summary will be in its thread\.$/,
    );
    const summary = await waitFor(() => summaryPosted("F7CMD"), "the summary");
    expect(summary.body.channel).toBe(INSIGHTS_CHANNEL);
    expect(logs("job accepted")).toHaveLength(1);
    const job = await store.getJob(String(logs("job accepted")[0]?.jobId));
    expect(job?.recipients).toEqual([]);
    await waitFor(async () => job && (await store.getJob(job.id))?.status === "done", "the job to finish");
    expect(resend.requests).toHaveLength(0);
  });

  it("/insights help still shows the help", async () => {
    await post(commandBody({ text: "help" }), "application/x-www-form-urlencoded");
    const response = await waitFor(() => slack.responses[0], "the help");
    expect(String(response.body.text)).toMatch(/most recent CSV or Excel file/);
    await handled((b) => b.command === "/insights", "the command");
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("takes the latest spreadsheet even when it was shared as a thread reply, and says which", async () => {
    addCsv("F20OLD", `${FIXTURES}units-price.csv`, "older.csv");
    addCsv("F20NEW", `${SAMPLE_DATA}sales_q1_2026.csv`, "newer.csv");
    slack.shareFiles(THREADS_CHANNEL, {
      ts: "1767609020.000100",
      user: ALLOWED_USER,
      files: [{ id: "F20OLD", name: "older.csv" }],
    });
    slack.shareFiles(THREADS_CHANNEL, { ts: "1767609021.000100", user: ALLOWED_USER, files: [] });
    slack.shareFiles(THREADS_CHANNEL, {
      ts: "1767609022.000100",
      thread_ts: "1767609021.000100",
      user: ALLOWED_USER,
      files: [{ id: "F20NEW", name: "newer.csv" }],
    });
    await post(
      commandBody({ text: "boss@example.com", channel_id: THREADS_CHANNEL }),
      "application/x-www-form-urlencoded",
    );
    const ack = await waitFor(() => slack.responses[0], "the confirmation");
    expect(String(ack.body.text)).toMatch(
      /Working on newer\.csv, the latest spreadsheet in this channel.*in a thread/,
    );
    const summary = await waitFor(() => summaryPosted("F20NEW"), "the summary");
    expect(summary.body.channel).toBe(THREADS_CHANNEL);
    const progress = slack
      .callsTo("chat.postMessage")
      .find((c) => c.body.ts === summary.body.ts || c.body.channel === THREADS_CHANNEL);
    expect(progress?.body.thread_ts).toBe("1767609021.000100");
    expect(logs("job accepted").map((l) => l.fileId)).toEqual(["F20NEW"]);
  });

  it.each([
    ["a malformed address", "not-an-address", /Not an e-mail address: not-an-address/],
    [
      "a domain outside ALLOWED_EMAIL_DOMAINS",
      "boss@gmail.com",
      /boss@gmail\.com is not allowed\. Summaries can be e-mailed to addresses at example\.com/,
    ],
  ])("refuses %s, and sends nothing", async (_, text, message) => {
    await post(commandBody({ text }), "application/x-www-form-urlencoded");
    const response = await waitFor(() => slack.responses[0], "the error");
    expect(String(response.body.text)).toMatch(message);
    await handled((b) => b.command === "/insights" && b.text === text, "the command");
    expect(resend.requests).toHaveLength(0);
    expect(slack.callsTo("files.info")).toHaveLength(0);
  });

  it("says so when Resend fails, and the summary stays in the thread", async () => {
    resend.setFallback({
      status: 500,
      body: { name: "internal_server_error", message: "boom", statusCode: 500 },
    });
    await post(commandBody({ text: "boss@example.com" }), "application/x-www-form-urlencoded");
    const note = await waitFor(
      () => slack.callsTo("chat.postMessage").find((c) => /Could not e-mail/.test(String(c.body.text))),
      "the failure note",
    );
    expect(String(note.body.text)).toMatch(/summary is above in this thread/);
  });
});

describe("message shortcut -> modal -> submission", () => {
  it("opens the modal, rejects bad addresses as field errors, then posts and e-mails", async () => {
    addCsv("F0123ABCD", `${SAMPLE_DATA}sales_q1_2026.csv`);
    const shortcut = fixture("shortcut-message-action.json")
      .replaceAll("__API_URL__", `${slack.baseUrl}/`)
      .replaceAll("__RESPONSE_URL__", `${slack.baseUrl}/response/sc`);
    expect(
      (await post(new URLSearchParams({ payload: shortcut }).toString(), "application/x-www-form-urlencoded"))
        .status,
    ).toBe(200);
    const open = await waitFor(() => slack.callsTo("views.open")[0], "views.open");
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe("insights_email");

    const submission = JSON.parse(fixture("view-submission.json"));
    submission.view.private_metadata = view.private_metadata;
    submission.view.state.values.recipients.emails.value = "boss@example.com, nope";
    const bad = await post(
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(await bad.json()).toMatchObject({
      response_action: "errors",
      errors: { recipients: expect.stringMatching(/nope/) },
    });

    submission.view.state.values.recipients.emails.value = "boss@example.com";
    const good = await post(
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(good.status).toBe(200);
    const sent = await waitFor(() => resend.requests[0], "the e-mail");
    expect(sent.body).toMatchObject({ to: ["boss@example.com"] });
  });
});

describe("the Email this summary button", () => {
  it("opens the recipients modal for the file it belongs to", async () => {
    const payload = fixture("block-actions-email-button.json")
      .replaceAll("__API_URL__", `${slack.baseUrl}/`)
      .replaceAll("__RESPONSE_URL__", `${slack.baseUrl}/response/btn`);
    expect(
      (await post(new URLSearchParams({ payload }).toString(), "application/x-www-form-urlencoded")).status,
    ).toBe(200);
    const open = await waitFor(() => slack.callsTo("views.open")[0], "views.open");
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe("insights_email");
    expect(JSON.parse(view.private_metadata)).toMatchObject({
      channel: ALLOWED_CHANNEL,
      threadTs: "1767609000.000100",
      fileId: "F0123ABCD",
    });
  });

  it("requires recipients: the summary is already posted, so the modal only e-mails it", async () => {
    const payload = fixture("block-actions-email-button.json")
      .replaceAll("__API_URL__", `${slack.baseUrl}/`)
      .replaceAll("__RESPONSE_URL__", `${slack.baseUrl}/response/btn`);
    await post(new URLSearchParams({ payload }).toString(), "application/x-www-form-urlencoded");
    const open = await waitFor(() => slack.callsTo("views.open")[0], "views.open");
    const view = open.body.view as { private_metadata: string; blocks: Record<string, unknown>[] };
    const input = view.blocks.find((b) => b.block_id === "recipients");
    expect(input?.optional).toBe(false);
    expect(JSON.stringify(view.blocks)).not.toMatch(/Leave empty|Slack only/);

    const submission = JSON.parse(fixture("view-submission.json"));
    submission.view.private_metadata = view.private_metadata;
    submission.view.state.values.recipients.emails.value = "  ";
    const response = await post(
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(await response.json()).toMatchObject({
      response_action: "errors",
      errors: { recipients: expect.stringMatching(/at least one e-mail address/) },
    });
    expect(logs("job accepted")).toHaveLength(0);
  });
});

describe("several spreadsheets in one message", () => {
  const three = [
    { id: "F30A", name: "north.csv", path: `${SAMPLE_DATA}sales_q1_2026.csv` },
    { id: "F30B", name: "south.csv", path: `${FIXTURES}units-price.csv` },
    { id: "F30C", name: "east.csv", path: `${FIXTURES}european.csv` },
  ];
  const headers = (channel: string, threadTs: string) =>
    slack
      .messages(channel)
      .filter((m) => m.thread_ts === threadTs && m.ts !== threadTs)
      .map((m) => /Sales insights: ([\w.-]+)/.exec(JSON.stringify(m.blocks ?? ""))?.[1] ?? m.text);

  it("an upload of three gets three summaries in its thread, in upload order", async () => {
    for (const f of three) addCsv(f.id, f.path, f.name);
    const envelope = fileShareEvent({
      fileId: "F30A",
      name: "north.csv",
      ts: "1767609030.000100",
      channel: MULTI_CHANNEL,
    });
    const template = envelope.event.files[0];
    envelope.event.files = three.map((f) => ({ ...template, id: f.id, name: f.name }));
    slack.shareFiles(MULTI_CHANNEL, { ts: "1767609030.000100", user: ALLOWED_USER, files: three.slice(1) });
    await post(JSON.stringify(envelope), "application/json");
    for (const f of three) await waitFor(() => summaryPosted(f.id), `the summary of ${f.name}`);
    expect(headers(MULTI_CHANNEL, "1767609030.000100")).toEqual(["north.csv", "south.csv", "east.csv"]);
  });

  it("a burst of eight files from one person is queued, not refused: eight summaries", async () => {
    const eight = Array.from({ length: 8 }, (_, i) => ({
      id: `F33${"ABCDEFGH"[i]}`,
      name: `region-${i + 1}.csv`,
    }));
    for (const f of eight) addCsv(f.id, `${SAMPLE_DATA}sales_q1_2026.csv`, f.name);
    const envelope = fileShareEvent({
      fileId: "F33A",
      name: "region-1.csv",
      ts: "1767609033.000100",
      channel: BURST_CHANNEL,
    });
    const template = envelope.event.files[0];
    envelope.event.files = eight.map((f) => ({ ...template, id: f.id, name: f.name }));
    await post(JSON.stringify(envelope), "application/json");
    for (const f of eight) await waitFor(() => summaryPosted(f.id), `the summary of ${f.name}`);
    // The jobs that had to wait said so in their own progress message.
    const queued = slack
      .callsTo("chat.update")
      .map((c) => String(c.body.text))
      .filter((t) => /Queued \(\d+ ahead\)/.test(t));
    expect(queued.length).toBeGreaterThan(0);
    expect(slack.ephemerals).toEqual([]);
    expect(headers(BURST_CHANNEL, "1767609033.000100")).toEqual(eight.map((f) => f.name));
  });

  it("/insights analyses every spreadsheet of the latest message", async () => {
    for (const f of three) addCsv(f.id.replace("F30", "F31"), f.path, f.name);
    slack.shareFiles(MULTI_CHANNEL, {
      ts: "1767609031.000100",
      user: ALLOWED_USER,
      files: three.map((f) => ({ id: f.id.replace("F30", "F31"), name: f.name })),
    });
    await post(commandBody({ text: "", channel_id: MULTI_CHANNEL }), "application/x-www-form-urlencoded");
    const ack = await waitFor(() => slack.responses[0], "the confirmation");
    expect(String(ack.body.text)).toMatch(/Working on north\.csv, south\.csv, east\.csv/);
    for (const id of ["F31A", "F31B", "F31C"]) await waitFor(() => summaryPosted(id), `the summary of ${id}`);
    expect(headers(MULTI_CHANNEL, "1767609031.000100")).toEqual(["north.csv", "south.csv", "east.csv"]);
  });

  it("the shortcut offers every spreadsheet of the message and analyses the ones ticked", async () => {
    for (const f of three) addCsv(f.id.replace("F30", "F32"), f.path, f.name);
    const shortcut = JSON.parse(
      fixture("shortcut-message-action.json")
        .replaceAll("__API_URL__", `${slack.baseUrl}/`)
        .replaceAll("__RESPONSE_URL__", `${slack.baseUrl}/response/sc`),
    );
    const template = shortcut.message.files[0];
    shortcut.channel.id = MULTI_CHANNEL;
    shortcut.message.ts = "1767609032.000100";
    shortcut.message.files = three.map((f) => ({
      ...template,
      id: f.id.replace("F30", "F32"),
      name: f.name,
    }));
    slack.shareFiles(MULTI_CHANNEL, {
      ts: "1767609032.000100",
      user: ALLOWED_USER,
      files: shortcut.message.files,
    });
    await post(
      new URLSearchParams({ payload: JSON.stringify(shortcut) }).toString(),
      "application/x-www-form-urlencoded",
    );
    const open = await waitFor(() => slack.callsTo("views.open")[0], "views.open");
    const view = open.body.view as {
      private_metadata: string;
      blocks: { block_id?: string; element?: { options?: { value: string }[] } }[];
    };
    const choice = view.blocks.find((b) => b.block_id === "files");
    expect(choice?.element?.options?.map((o) => o.value)).toEqual(["F32A", "F32B", "F32C"]);

    const submission = JSON.parse(fixture("view-submission.json"));
    submission.view.private_metadata = view.private_metadata;
    submission.view.state.values.recipients.emails.value = "";
    submission.view.state.values.files = {
      file_ids: { type: "checkboxes", selected_options: [{ value: "F32A" }, { value: "F32C" }] },
    };
    const response = await post(
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(response.status).toBe(200);
    await waitFor(() => summaryPosted("F32A"), "the first summary");
    await waitFor(() => summaryPosted("F32C"), "the second summary");
    expect(logs("job accepted").map((l) => l.fileId)).toEqual(["F32A", "F32C"]);
  });
});

describe("a channel the bot has not been invited to", () => {
  const interactive = (name: string, edit: (payload: Record<string, unknown>) => void) => {
    const payload = JSON.parse(
      fixture(name)
        .replaceAll("__API_URL__", `${slack.baseUrl}/`)
        .replaceAll("__RESPONSE_URL__", `${slack.baseUrl}/response/x`),
    );
    edit(payload);
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  };

  it("the shortcut opens no modal and says how to invite the bot", async () => {
    const body = interactive("shortcut-message-action.json", (p) => {
      (p.channel as { id: string; name: string }).id = NOT_INVITED_CHANNEL;
      (p.channel as { id: string; name: string }).name = "deals";
    });
    await post(body, "application/x-www-form-urlencoded");
    const response = await waitFor(() => slack.responses[0], "the answer");
    expect(String(response.body.text)).toMatch(/not a member of <#C0NOTIN>.*\/invite @sales-insight-bot/);
    await handled((b) => b.type === "message_action", "the shortcut");
    expect(slack.callsTo("views.open")).toHaveLength(0);
  });

  it("the Email button opens no modal and says how to invite the bot", async () => {
    const value = JSON.stringify({
      channel: NOT_INVITED_CHANNEL,
      threadTs: "1767609000.000100",
      fileId: "F0123ABCD",
    });
    const body = interactive("block-actions-email-button.json", (p) => {
      (p.actions as { value: string }[])[0] = { ...(p.actions as object[])[0], value } as { value: string };
    });
    await post(body, "application/x-www-form-urlencoded");
    const response = await waitFor(() => slack.responses[0], "the answer");
    expect(String(response.body.text)).toMatch(/Invite <@U0BOTBOT1>/);
    await handled((b) => b.type === "block_actions", "the click");
    expect(slack.callsTo("views.open")).toHaveLength(0);
  });

  it("a modal submitted after the bot left answers with a field error", async () => {
    const body = interactive("view-submission.json", (p) => {
      const view = p.view as { private_metadata: string };
      view.private_metadata = JSON.stringify({ channel: NOT_INVITED_CHANNEL, threadTs: "1.2", fileId: "F1" });
    });
    const response = await post(body, "application/x-www-form-urlencoded");
    expect(await response.json()).toMatchObject({
      response_action: "errors",
      errors: { recipients: expect.stringMatching(/Invite @sales-insight-bot/) },
    });
    expect(logs("job accepted")).toHaveLength(0);
  });

  it("/insights says how to invite the bot instead of promising a summary", async () => {
    await post(
      commandBody({ text: "boss@example.com", channel_id: NOT_INVITED_CHANNEL, channel_name: "deals" }),
      "application/x-www-form-urlencoded",
    );
    const response = await waitFor(() => slack.responses[0], "the answer");
    expect(String(response.body.text)).toMatch(/not a member of <#C0NOTIN>/);
    await handled((b) => b.command === "/insights", "the command");
    expect(logs("job accepted")).toHaveLength(0);
  });
});

describe("operations", () => {
  it("/insights history lists this channel's analyses, newest first, with thread links", async () => {
    // Its own two analyses, one under a file name that tries to ping the channel.
    await upload("F10OLD", `${SAMPLE_DATA}sales_q1_2026.csv`, "sales_q1_2026.csv", "1767609010.000100");
    await waitFor(() => summaryPosted("F10OLD"), "the first summary");
    await upload("F10NEW", `${FIXTURES}evil.csv`, "<!channel> evil.csv", "1767609010.000200");
    await waitFor(() => summaryPosted("F10NEW"), "the second summary");

    await post(
      commandBody({ text: "history", channel_id: ALLOWED_CHANNEL }),
      "application/x-www-form-urlencoded",
    );
    const response = await waitFor(() => slack.responses[0], "the history");
    const text = String(response.body.text);
    expect(text).toMatch(/The last 2 analyses in this channel/);
    const older = text.indexOf("<https://slack.com/archives/C0123ABCD/p1767609010000100|sales_q1_2026.csv>");
    const newer = text.indexOf("/p1767609010000200|");
    expect(older).toBeGreaterThan(-1);
    expect(newer).toBeGreaterThan(-1);
    expect(newer).toBeLessThan(older);
    expect(text).not.toContain("<!channel>");
  });

  it("GET /metrics reports jobs, stages, Gemini and e-mail in Prometheus format", async () => {
    const before = await metrics();
    await upload(
      "F11DONE",
      `${SAMPLE_DATA}sales_q1_2026.csv`,
      "sales_q1_2026.csv",
      "1767609011.000100",
      METRICS_CHANNEL,
    );
    await waitFor(() => summaryPosted("F11DONE"), "the summary");
    await upload("F11PEOPLE", `${FIXTURES}no-revenue.csv`, "people.csv", "1767609011.000200");
    await waitFor(() => slack.ephemerals[0], "the refusal");
    await post(
      commandBody({ text: "boss@example.com", channel_id: METRICS_CHANNEL }),
      "application/x-www-form-urlencoded",
    );
    await waitFor(
      () => slack.callsTo("chat.postMessage").find((c) => /e-mailed to/.test(String(c.body.text))),
      "the e-mail note",
    );

    // The command reused the posted summary: its queued message did not stay behind.
    expect(slack.messages(METRICS_CHANNEL).filter((m) => /Queued/.test(String(m.text)))).toEqual([]);
    const after = await metrics();
    const grew = (series: string) => metric(after, series) - metric(before, series);
    expect(grew('sib_jobs_total{trigger="upload",outcome="done"}')).toBe(1);
    // The sales file was read; the refused one ended inside its read stage; the e-mail reused the summary.
    expect(grew('sib_job_stage_seconds_count{stage="read"}')).toBe(1);
    expect(grew('sib_jobs_total{trigger="command",outcome="reused"}')).toBe(1);
    expect(grew('sib_gemini_request_seconds_count{outcome="ok"}')).toBe(1);
    expect(grew('sib_emails_total{outcome="sent",via="resend"}')).toBe(1);
    expect(grew('sib_files_refused_total{reason="no-revenue"}')).toBe(1);
    expect(after).toMatch(/^# TYPE sib_jobs_total counter$/m);
  });
});

describe("request authenticity", () => {
  it("rejects a bad signature with 401", async () => {
    const body = JSON.stringify(fileShareEvent({ fileId: "F9", name: "x.csv", ts: "1767609009.000100" }));
    const response = await fetch(`${baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...sign(body), "x-slack-signature": "v0=deadbeef" },
      body,
    });
    expect(response.status).toBe(401);
    expect(slack.callsTo("files.info")).toHaveLength(0);
  });
});
