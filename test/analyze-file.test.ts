import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { acceptJob, type InsightsDeps, runInsightsJob } from "../src/analyze-file.js";
import { analyzeFile } from "../src/pipeline/analyze.js";
import { type SummaryModel, SummaryModelError } from "../src/pipeline/summary/model.js";
import { summarize } from "../src/pipeline/summary/summarize.js";
import { ANALYSIS_VERSION } from "../src/pipeline/version.js";
import type { EmailSender, OutgoingEmail } from "../src/services/email.js";
import type { SlackFileInfo, SlackFiles } from "../src/services/slack-files.js";
import type { SlackMessage, SlackMessenger } from "../src/services/slack-messenger.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import type { NewJob } from "../src/services/store.js";
import { AMBIGUOUS_ANSWER, ambiguousTable, scriptedClassifier } from "./helpers/column-help.js";
import { FIXTURES, SAMPLE_DATA, tempFiles } from "./helpers/files.js";
import { SAMPLE_GEMINI_ANSWER } from "./helpers/gemini-answers.js";
import { insightsDeps, sharedCsvFiles, weekCsv } from "./helpers/insights-deps.js";

/** The use case with in-process fakes: what it posts, in what order, and what it remembers. */
const files = tempFiles();

interface Call {
  kind: "post" | "update" | "delete" | "ephemeral";
  ts?: string;
  text: string;
  blocks: boolean;
  /** The whole message as JSON, to search what a summary says. */
  json: string;
  at: number;
}

function fakeSlack(options: { slowUpdate?: (text: string) => number } = {}) {
  const calls: Call[] = [];
  let n = 0;
  const messenger: SlackMessenger = {
    async post(_channel, _thread, m: SlackMessage) {
      n++;
      calls.push({
        kind: "post",
        ts: `t${n}`,
        text: m.text,
        blocks: Boolean(m.blocks),
        json: JSON.stringify(m),
        at: Date.now(),
      });
      return `t${n}`;
    },
    async update(_channel, ts, m) {
      const delay = options.slowUpdate?.(m.text) ?? 0;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      calls.push({
        kind: "update",
        ts,
        text: m.text,
        blocks: Boolean(m.blocks),
        json: JSON.stringify(m),
        at: Date.now(),
      });
    },
    async delete(_channel, ts) {
      calls.push({ kind: "delete", ts, text: "", blocks: false, json: "", at: Date.now() });
    },
    async isMember() {
      return true;
    },
    async privateNotice(_channel, _user, m) {
      calls.push({ kind: "ephemeral", text: m.text, blocks: false, json: JSON.stringify(m), at: Date.now() });
    },
  };
  return { calls, messenger };
}

function fakeFiles(source: string, name: string): SlackFiles {
  const info: SlackFileInfo = {
    id: "F1",
    name,
    title: name,
    mimetype: name.endsWith(".csv") ? "text/csv" : "image/png",
    filetype: name.split(".").pop() ?? null,
    size: 1,
    urlPrivateDownload: "https://files.slack.com/x",
    user: "U1",
  };
  return {
    info: async () => info,
    download: async (_file, dest) => {
      copyFileSync(source, dest);
      return { bytes: 1 };
    },
  };
}

function fakeEmail(result: "ok" | "fail" | "outbox" = "ok") {
  const sent: OutgoingEmail[] = [];
  const sender: EmailSender = {
    async send(email) {
      sent.push(email);
      if (result === "outbox") return { ok: true, id: `e${sent.length}`, via: "outbox" };
      return result === "ok"
        ? { ok: true, id: `e${sent.length}`, via: "resend" }
        : { ok: false, reason: "Resend is unavailable (HTTP 503) after 3 attempts", retryable: true };
    },
  };
  return { sent, sender };
}

let store: ReturnType<typeof openSqliteStore>;
beforeEach(() => {
  store = openSqliteStore(":memory:");
});

function deps(
  slack: SlackMessenger,
  filesService: SlackFiles,
  email: EmailSender,
  extra: Partial<InsightsDeps> = {},
): InsightsDeps {
  return insightsDeps(files, { slack, files: filesService, email, store, ...extra });
}

const job = (overrides: Partial<NewJob> = {}): NewJob => ({
  id: `j${Math.random().toString(36).slice(2, 8)}`,
  trigger: "upload",
  channel: "C1",
  threadTs: "100.1",
  fileId: "F1",
  requester: "U1",
  recipients: [],
  ...overrides,
});

describe("runInsightsJob", () => {
  it("never lets a slow row-count update overwrite the posted summary", async () => {
    const lines = ["Date,Region,Revenue"];
    for (let i = 0; i < 250_000; i++) lines.push(`2026-01-0${(i % 9) + 1},R${i % 5},${i % 100}`);
    const big = files.write("big.csv", `${lines.join("\n")}\n`);
    const { calls, messenger } = fakeSlack({ slowUpdate: (text) => (/rows so far/.test(text) ? 300 : 0) });
    const d = deps(messenger, fakeFiles(big, "big.csv"), fakeEmail().sender, { rowUpdateIntervalMs: 0 });
    await runInsightsJob(await acceptJob(job(), d), d);
    const updates = calls.filter((c) => c.kind === "update");
    expect(updates.some((c) => /rows so far/.test(c.text))).toBe(true);
    expect(updates.at(-1)?.blocks).toBe(true);
  });

  it("posts progress, then turns that message into the summary, and remembers it", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, fakeFiles(`${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv"), fakeEmail().sender);
    const record = await acceptJob(job(), d);
    await runInsightsJob(record, d);
    expect(calls.filter((c) => c.kind === "post")).toHaveLength(1);
    expect(calls.at(-1)).toMatchObject({ kind: "update", ts: "t1", blocks: true });
    expect(await store.getJob(record.id)).toMatchObject({
      status: "done",
      progressTs: "t1",
      summaryTs: "t1",
    });
    expect(await store.threadSummary("C1", "100.1", "F1")).toMatchObject({
      messageTs: "t1",
      netRevenue: 660000,
    });
  });

  it("reuses the thread's summary for a second request and e-mails the same people only once", async () => {
    const { calls, messenger } = fakeSlack();
    const email = fakeEmail();
    const d = deps(messenger, fakeFiles(`${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv"), email.sender);
    await runInsightsJob(await acceptJob(job({ recipients: ["boss@example.com"] }), d), d);
    await runInsightsJob(
      await acceptJob(job({ trigger: "command", recipients: ["boss@example.com"] }), d),
      d,
    );
    expect(email.sent).toHaveLength(1);
    expect(calls.filter((c) => c.blocks)).toHaveLength(1);
    expect(calls.at(-1)?.text).toMatch(/already e-mailed to boss@example\.com/);
  });

  it("e-mails the charts as inline PNGs the HTML shows by cid:", async () => {
    const { messenger } = fakeSlack();
    const email = fakeEmail();
    const d = deps(messenger, fakeFiles(`${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv"), email.sender);
    await runInsightsJob(await acceptJob(job({ recipients: ["boss@example.com"] }), d), d);
    const sent = email.sent[0];
    // Jan-Mar: March is compared with February, so the second chart is the comparison's.
    expect(sent?.inlineImages?.map((i) => i.contentId)).toEqual(["revenue-over-time", "revenue-compared"]);
    for (const image of sent?.inlineImages ?? []) {
      expect(sent?.html).toContain(`src="cid:${image.contentId}"`);
      expect(image.content.subarray(1, 4).toString("ascii")).toBe("PNG");
    }
  });

  it("ignores an uploaded file that is not a spreadsheet, silently", async () => {
    const { calls, messenger } = fakeSlack();
    const png = files.write("photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const d = deps(messenger, fakeFiles(png, "photo.png"), fakeEmail().sender);
    await runInsightsJob(await acceptJob(job(), d), d);
    expect(calls).toEqual([]);
  });

  it("tells only the uploader when an upload is not sales data, removing its progress message", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, fakeFiles(`${FIXTURES}no-revenue.csv`, "people.csv"), fakeEmail().sender);
    const record = await acceptJob(job(), d);
    await runInsightsJob(record, d);
    expect(calls.map((c) => c.kind)).toEqual(["post", "update", "delete", "ephemeral"]);
    expect(calls.at(-1)?.text).toMatch(/No revenue column found/);
    expect(await store.getJob(record.id)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/No revenue column/),
    });
  });

  it("says in the thread when e-mail fails; the summary stays", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(
      messenger,
      fakeFiles(`${SAMPLE_DATA}sales_q1_2026.csv`, "q1.csv"),
      fakeEmail("fail").sender,
    );
    await runInsightsJob(await acceptJob(job({ recipients: ["boss@example.com"] }), d), d);
    expect(calls.filter((c) => c.blocks)).toHaveLength(1);
    expect(calls.at(-1)?.text).toMatch(
      /Could not e-mail the summary to boss@example\.com: Resend is unavailable/,
    );
  });
});

/** A model that fails like Gemini in an outage while `down` is set, and answers well otherwise. */
function fakeModel() {
  const state = { down: false, asked: 0 };
  const model: SummaryModel = {
    model: "gemini-test",
    async generate() {
      state.asked++;
      if (state.down) throw new SummaryModelError("Gemini is unavailable (HTTP 503)");
      return SAMPLE_GEMINI_ANSWER;
    },
  };
  return { state, model };
}

const SAMPLE = `${SAMPLE_DATA}sales_q1_2026.csv`;

/** The summaries posted (the last message of each job that carries blocks). */
const summaries = (calls: Call[]) => calls.filter((c) => c.blocks).map((c) => c.json);

describe("runInsightsJob and e-mail without a provider", () => {
  it("says the summary was kept in the outbox, not sent, without naming a setting", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, fakeFiles(SAMPLE, "q1.csv"), fakeEmail("outbox").sender);
    await runInsightsJob(await acceptJob(job({ recipients: ["boss@example.com"] }), d), d);
    const note = calls.at(-1)?.text ?? "";
    expect(note).toMatch(/boss@example\.com was saved in the app's outbox, not sent/);
    expect(note).not.toMatch(/e-mailed to/);
    expect(note).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });
});

describe("runInsightsJob and the analysis cache", () => {
  it("does not keep a summary written offline during a Gemini outage: the next upload asks Gemini", async () => {
    const { calls, messenger } = fakeSlack();
    const gemini = fakeModel();
    const d = deps(messenger, fakeFiles(SAMPLE, "q1.csv"), fakeEmail().sender, { model: gemini.model });

    gemini.state.down = true;
    await runInsightsJob(await acceptJob(job({ fileId: "F1", threadTs: "100.1" }), d), d);
    expect(summaries(calls)).toHaveLength(1);
    expect(summaries(calls)[0]).toMatch(/Written without Gemini: Gemini is unavailable \(HTTP 503\)/);
    const askedDuringOutage = gemini.state.asked;
    expect(askedDuringOutage).toBeGreaterThan(0);

    // Gemini is back; the same file is uploaded again (a new file in a new thread).
    gemini.state.down = false;
    const before = calls.length;
    await runInsightsJob(await acceptJob(job({ fileId: "F2", threadTs: "200.1" }), d), d);
    const second = calls.slice(before);
    expect(gemini.state.asked).toBeGreaterThan(askedDuringOutage);
    const posted = summaries(second);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/Only aggregated metrics were sent to Gemini/);
    expect(posted[0]).not.toMatch(/Written without Gemini/);
    // Only the summary was written again: the file's analysis came from the cache.
    expect(second.some((c) => /Reading q1\.csv/.test(c.text))).toBe(false);
    expect(second.some((c) => /Writing the summary/.test(c.text))).toBe(true);

    // And that Gemini summary is kept: a third upload asks nobody.
    const asked = gemini.state.asked;
    const third = calls.length;
    await runInsightsJob(await acceptJob(job({ fileId: "F3", threadTs: "300.1" }), d), d);
    expect(gemini.state.asked).toBe(asked);
    expect(summaries(calls.slice(third))[0]).toMatch(/Only aggregated metrics were sent to Gemini/);
  });

  it("does not keep a column reading made while Gemini could not help: the next upload asks again", async () => {
    const { calls, messenger } = fakeSlack();
    const table = files.write("ambiguous.csv", ambiguousTable().csv);
    const down = scriptedClassifier(new Error("Gemini is unavailable (HTTP 503)"));
    const d = deps(messenger, fakeFiles(table, "ambiguous.csv"), fakeEmail().sender, {
      columnClassifier: down.classifier,
    });
    await runInsightsJob(await acceptJob(job({ fileId: "F1", threadTs: "100.1" }), d), d);
    expect(down.requests).toHaveLength(1);
    expect(summaries(calls)).toHaveLength(1);

    // Gemini is back: the same content is read again and the classifier asked, not the cache reused.
    const up = scriptedClassifier(AMBIGUOUS_ANSWER);
    const back = { ...d, columnClassifier: up.classifier };
    const before = calls.length;
    await runInsightsJob(await acceptJob(job({ fileId: "F2", threadTs: "200.1" }), back), back);
    expect(up.requests).toHaveLength(1);
    expect(calls.slice(before).some((c) => /Reading ambiguous\.csv/.test(c.text))).toBe(true);

    // A reading Gemini helped with is kept: a third upload asks nobody.
    const third = scriptedClassifier(AMBIGUOUS_ANSWER);
    const again = { ...d, columnClassifier: third.classifier };
    await runInsightsJob(await acceptJob(job({ fileId: "F3", threadTs: "300.1" }), again), again);
    expect(third.requests).toHaveLength(0);
  });

  it("reuses a summary written offline by choice while no model is configured", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, fakeFiles(SAMPLE, "q1.csv"), fakeEmail().sender, { model: null });
    await runInsightsJob(await acceptJob(job({ fileId: "F1", threadTs: "100.1" }), d), d);
    const before = calls.length;
    await runInsightsJob(await acceptJob(job({ fileId: "F2", threadTs: "200.1" }), d), d);
    const second = calls.slice(before);
    expect(summaries(second)[0]).toMatch(/Written without Gemini/);
    expect(second.some((c) => /Reading|Writing the summary/.test(c.text))).toBe(false);

    // Once a model is configured, that offline summary is no longer good enough.
    const gemini = fakeModel();
    const withModel = { ...d, model: gemini.model };
    const third = calls.length;
    await runInsightsJob(await acceptJob(job({ fileId: "F3", threadTs: "300.1" }), withModel), withModel);
    expect(gemini.state.asked).toBeGreaterThan(0);
    expect(summaries(calls.slice(third))[0]).toMatch(/Only aggregated metrics were sent to Gemini/);
  });

  it("analyses the file again when the stored analysis came from another engine version", async () => {
    const contentHash = createHash("sha256").update(readFileSync(SAMPLE)).digest("hex");
    const real = await analyzeFile(SAMPLE);
    // A stale analysis with a figure the real file does not have, and a summary to go with it.
    const stale = { ...real, netRevenue: 123_456 };
    const staleSummary = await summarize(stale, { model: null });
    const seeded = (analysisVersion: number) => {
      const own = openSqliteStore(":memory:");
      own.saveAnalysis({
        contentHash,
        analysisVersion,
        fileName: "q1.csv",
        analysis: stale,
        summary: staleSummary,
        createdAt: Date.now(),
      });
      return own;
    };
    const { calls, messenger } = fakeSlack();

    // The premise: under the current version the stored analysis is what gets posted.
    const current = deps(messenger, fakeFiles(SAMPLE, "q1.csv"), fakeEmail().sender, {
      store: seeded(ANALYSIS_VERSION),
    });
    await runInsightsJob(await acceptJob(job(), current), current);
    expect(summaries(calls)[0]).toMatch(/123K/);

    // Stored by an older engine: read again, the real figures posted, and kept under the current version.
    const older = deps(messenger, fakeFiles(SAMPLE, "q1.csv"), fakeEmail().sender, {
      store: seeded(ANALYSIS_VERSION - 1),
    });
    const before = calls.length;
    await runInsightsJob(await acceptJob(job(), older), older);
    const second = calls.slice(before);
    expect(second.some((c) => /Reading q1\.csv/.test(c.text))).toBe(true);
    expect(summaries(second)[0]).toMatch(/660K/);
    expect(summaries(second)[0]).not.toMatch(/123K/);
    expect((await older.store.analysisByHash(contentHash, ANALYSIS_VERSION))?.analysis.netRevenue).toBe(
      660_000,
    );
    expect((await older.store.analysisByHash(contentHash, ANALYSIS_VERSION - 1))?.analysis.netRevenue).toBe(
      123_456,
    );
  });
});

describe("runInsightsJob and comparisons", () => {
  // Net 2,100.00 then 2,660.00: +560.00, North +700.00, South -140.00.
  const W46 = weekCsv("2026-11-09", [
    ["North", "Tools", 2, 100],
    ["South", "Toys", 1, 100],
  ]);
  const W47 = weekCsv("2026-11-16", [
    ["North", "Tools", 3, 100],
    ["South", "Toys", 1, 80],
  ]);
  // Net 1,400.00: week 47 is +1,260.00 on it.
  const W45 = weekCsv("2026-11-02", [
    ["North", "Tools", 1, 100],
    ["South", "Toys", 1, 100],
  ]);

  const SERIES = {
    F46: { name: "sales_w46.csv", csv: W46, created: Date.parse("2026-11-16T09:00:00Z") },
    F47: { name: "sales_w47.csv", csv: W47, created: Date.parse("2026-11-23T09:00:00Z") },
    F47COPY: { name: "sales_w47.csv", csv: W47, created: Date.parse("2026-11-23T10:00:00Z") },
    F45: { name: "sales_w45.csv", csv: W45, created: Date.parse("2026-11-09T09:00:00Z") },
  };
  const lastSummary = (calls: Call[]) => summaries(calls).at(-1) ?? "";

  it("the next upload of a series gets What changed; its summary is never reused for another comparison", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, sharedCsvFiles(files, SERIES), fakeEmail().sender);
    await runInsightsJob(await acceptJob(job({ fileId: "F46", threadTs: "100.1" }), d), d);
    expect(lastSummary(calls)).not.toMatch(/What changed/);
    await runInsightsJob(await acceptJob(job({ fileId: "F47", threadTs: "200.1" }), d), d);
    const compared = lastSummary(calls);
    expect(compared).toMatch(/What changed/);
    expect(compared).toMatch(/sales_w46\.csv/);
    expect(compared).toMatch(/\+560/);

    // The same content in another channel has nothing to compare with: a summary without the section,
    // not the one cached for the comparison above.
    await runInsightsJob(await acceptJob(job({ fileId: "F47COPY", channel: "C2", threadTs: "300.1" }), d), d);
    expect(lastSummary(calls)).not.toMatch(/What changed|sales_w46/);

    // And compared with another earlier upload, its sentences are about that one.
    await runInsightsJob(await acceptJob(job({ fileId: "F45", channel: "C3", threadTs: "400.1" }), d), d);
    await runInsightsJob(await acceptJob(job({ fileId: "F47COPY", channel: "C3", threadTs: "500.1" }), d), d);
    const other = lastSummary(calls);
    expect(other).toMatch(/sales_w45\.csv/);
    expect(other).toMatch(/Net revenue rose 90%/);
    expect(other).not.toMatch(/\+560|22\.9%/);
  });

  it("a summary already in the thread is reused with its comparison, and e-mailed with the section", async () => {
    const { calls, messenger } = fakeSlack();
    const email = fakeEmail();
    const d = deps(messenger, sharedCsvFiles(files, SERIES), email.sender);
    await runInsightsJob(await acceptJob(job({ fileId: "F46", threadTs: "100.1" }), d), d);
    await runInsightsJob(await acceptJob(job({ fileId: "F47", threadTs: "200.1" }), d), d);
    const posted = summaries(calls).length;
    const button = job({
      trigger: "button",
      fileId: "F47",
      threadTs: "200.1",
      recipients: ["boss@example.com"],
    });
    await runInsightsJob(await acceptJob(button, d), d);
    expect(summaries(calls)).toHaveLength(posted);
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.html).toMatch(/What changed/);
    expect(email.sent[0]?.text).toMatch(/sales_w46\.csv/);
    expect(email.sent[0]?.text).toMatch(/\+560/);
  });

  it("an explicit comparison whose earlier file is not kept posts the summary and says how to fix it", async () => {
    const { calls, messenger } = fakeSlack();
    const d = deps(messenger, sharedCsvFiles(files, SERIES), fakeEmail().sender);
    const explicit = job({ trigger: "command", fileId: "F47", threadTs: "200.1", compareWith: "F-PURGED" });
    await runInsightsJob(await acceptJob(explicit, d), d);
    expect(lastSummary(calls)).not.toMatch(/What changed/);
    const note = calls.at(-1)?.text ?? "";
    expect(note).toMatch(/could not make the comparison you asked for/);
    expect(note).toMatch(/Generate insights/);
  });

  it("a comparison that fails costs the section, never the summary", async () => {
    const { calls, messenger } = fakeSlack();
    const broken = Object.create(store, {
      recentSnapshots: { value: async () => Promise.reject(new Error("SQLITE_CORRUPT")) },
    });
    const d = deps(messenger, sharedCsvFiles(files, SERIES), fakeEmail().sender, { store: broken });
    await runInsightsJob(await acceptJob(job({ fileId: "F46", threadTs: "100.1" }), d), d);
    await runInsightsJob(await acceptJob(job({ fileId: "F47", threadTs: "200.1" }), d), d);
    expect(summaries(calls)).toHaveLength(2);
    expect(lastSummary(calls)).toMatch(/sales_w47\.csv/);
    expect(lastSummary(calls)).not.toMatch(/What changed/);
  });
});
