import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_BUTTON_ACTION } from "../../src/ui/slack/interactive.js";
import { type FakeGemini, geminiText, startFakeGemini } from "../helpers/fake-gemini.js";
import { type FakeResend, startFakeResend } from "../helpers/fake-resend.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { SAMPLE_GEMINI_ANSWER } from "../helpers/gemini-answers.js";
import {
  CHANNEL,
  deliver,
  type Instance,
  salesCsv,
  startInstance,
  uploadEvent,
  waitFor,
} from "../helpers/instances.js";
import { connectTestPostgres, type TestPostgres } from "../helpers/postgres.js";
import { dropPrefix, redisAvailable, TEST_REDIS_URL, throwawayPrefix } from "../helpers/redis.js";

/**
 * Two real bot processes (src/main.ts) against one fake Slack, one PostgreSQL (a throwaway schema per
 * test) and one Redis (a throwaway key prefix per test): whichever instance Slack reaches, every
 * upload gets exactly one summary; a killed instance's job is finished by the other; a restart of
 * both loses nothing that was queued.
 */
const postgres: TestPostgres | null = (await redisAvailable("multi-instance tests"))
  ? await connectTestPostgres()
  : null;

let slack: FakeSlack;
let gemini: FakeGemini;
let resend: FakeResend;
const running: Instance[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  if (!postgres) return;
  [slack, gemini, resend] = await Promise.all([startFakeSlack(), startFakeGemini(), startFakeResend()]);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.kill("SIGKILL")));
});

afterAll(async () => {
  await Promise.all([slack?.close(), gemini?.close(), resend?.close()]);
  for (const prefix of prefixes) await dropPrefix(prefix);
  await postgres?.end();
});

/** Shared settings for one test's instances: its own database schema and Redis prefix. */
async function sharedEnv(
  extra: Record<string, string> = {},
  withRedis = true,
): Promise<Record<string, string>> {
  const prefix = throwawayPrefix();
  prefixes.push(prefix);
  return {
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: await (postgres as TestPostgres).freshSchemaUrl(),
    ...(withRedis ? { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } : {}),
    MAX_CONCURRENT_JOBS: "1",
    RESEND_API_KEY: "re_multi_instance",
    RESEND_BASE_URL: resend.baseUrl,
    ...extra,
  };
}

async function start(name: string, env: Record<string, string>): Promise<Instance> {
  const instance = await startInstance(name, env);
  running.push(instance);
  return instance;
}

let uploads = 0;
/** A new file shared in its own message; returns its file id and thread ts. */
function newUpload(): { fileId: string; ts: string; eventId: string } {
  uploads++;
  const fileId = `FMI${String(uploads).padStart(4, "0")}`;
  slack.addFile({ id: fileId, name: `${fileId}.csv`, content: salesCsv(uploads) });
  return { fileId, ts: `1767700000.${String(uploads).padStart(6, "0")}`, eventId: `EvMI${uploads}` };
}

/** Messages in a thread carrying a summary (its e-mail button). */
function summariesIn(threadTs: string) {
  return slack
    .messages(CHANNEL)
    .filter((m) => m.thread_ts === threadTs && JSON.stringify(m.blocks ?? "").includes(EMAIL_BUTTON_ACTION));
}

const summaryWrites = () =>
  [...slack.callsTo("chat.update"), ...slack.callsTo("chat.postMessage")].filter((c) =>
    JSON.stringify(c.body.blocks ?? "").includes(EMAIL_BUTTON_ACTION),
  );

const logsOf = (instance: Instance, msg: string) => instance.logs().filter((l) => l.msg === msg);
const allOutput =
  (...instances: Instance[]) =>
  () =>
    instances.map((i) => `--- ${i.name}\n${i.output()}`).join("\n");

describe.skipIf(!postgres)("several instances on one PostgreSQL and one Redis", () => {
  it("two instances, one Slack: 20 uploads (some delivered twice) get 20 summaries, none doubled, both instances working", async () => {
    const env = await sharedEnv();
    const [a, b] = await Promise.all([start("a", env), start("b", env)]);
    const before = summaryWrites().length;
    const sent: { fileId: string; ts: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const upload = newUpload();
      sent.push(upload);
      const body = uploadEvent(upload.eventId, upload.fileId, upload.ts);
      const [first, other] = i % 2 === 0 ? [a, b] : [b, a];
      expect((await deliver(first, body)).status).toBe(200);
      // Every third upload is delivered again, to the other instance, as a Slack retry.
      if (i % 3 === 0) expect((await deliver(other, body, 1)).status).toBe(200);
    }
    await waitFor(
      () => sent.every((u) => summariesIn(u.ts).length >= 1),
      "20 summaries",
      60_000,
      allOutput(a, b),
    );
    // Give a doubled job time to show itself before counting.
    await new Promise((r) => setTimeout(r, 1_500));
    // Each thread ends with its summary: no late queue-position update overwrote one.
    for (const upload of sent) expect(summariesIn(upload.ts)).toHaveLength(1);
    expect(summaryWrites().length - before).toBe(20);
    // Waiting uploads were told their place while the two workers were busy.
    expect(slack.callsTo("chat.update").some((c) => /Queued \(\d+ ahead\)/.test(String(c.body.text)))).toBe(
      true,
    );
    const duplicates = [
      ...logsOf(a, "duplicate delivery ignored"),
      ...logsOf(b, "duplicate delivery ignored"),
    ];
    expect(duplicates).toHaveLength(7);
    // Both workers ran jobs, whoever received the events.
    const [byA, byB] = [logsOf(a, "summary posted").length, logsOf(b, "summary posted").length];
    expect(byA + byB).toBe(20);
    expect(Math.min(byA, byB)).toBeGreaterThan(0);
  }, 120_000);

  it("kill one mid-job: the other finishes it within the stalled-job window, one summary, one e-mail", async () => {
    const env = await sharedEnv({
      GEMINI_API_KEY: "gemini-multi-instance",
      GEMINI_BASE_URL: gemini.baseUrl,
      GEMINI_TIMEOUT_MS: "60000",
      DEFAULT_EMAIL_TO: "boss@example.com",
    });
    const [a, b] = await Promise.all([start("a", env), start("b", env)]);
    // The first Gemini call hangs: the instance running the job is killed while it waits.
    gemini.enqueue({ ...geminiText(SAMPLE_GEMINI_ANSWER), delayMs: 120_000 });
    gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));
    const geminiBefore = gemini.requests.length;
    const emailsBefore = resend.requests.length;
    const upload = newUpload();
    expect((await deliver(a, uploadEvent(upload.eventId, upload.fileId, upload.ts))).status).toBe(200);
    await waitFor(
      () => gemini.requests.length > geminiBefore,
      "the job to reach Gemini",
      20_000,
      allOutput(a, b),
    );
    const summarizing = (i: Instance) =>
      i.logs().some((l) => l.msg === "job stage" && l.stage === "summarize");
    const victim = await waitFor(() => [a, b].find(summarizing), "the instance running the job");
    const survivor = victim === a ? b : a;
    await victim.kill("SIGKILL");
    const killedAt = Date.now();

    await waitFor(
      () => summariesIn(upload.ts).length === 1,
      "the survivor to finish the job",
      45_000,
      allOutput(a, b),
    );
    const tookOver = Date.now() - killedAt;
    await waitFor(() => resend.requests.length > emailsBefore, "the e-mail", 10_000, allOutput(a, b));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(summariesIn(upload.ts)).toHaveLength(1);
    expect(resend.requests.length - emailsBefore).toBe(1);
    // The take-over reused the progress message: one bot message in the thread besides the e-mail note.
    const threadPosts = slack.messages(CHANNEL).filter((m) => m.thread_ts === upload.ts);
    expect(threadPosts.filter((m) => !/e-mailed/.test(String(m.text)))).toHaveLength(1);
    expect(logsOf(survivor, "summary posted")).toHaveLength(1);
    // A 15 s lock and a 10 s check: taken over within 25 s, plus the job's own few seconds.
    expect(tookOver).toBeLessThan(30_000);
    expect(survivor.logs().some((l) => l.msg === "a worker died with this job: it runs again")).toBe(true);

    // /health names the database and the queue; /metrics counts the take-over and the queue.
    const health = await fetch(`http://127.0.0.1:${survivor.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok", queue: "ok" });
    const metrics = await (await fetch(`http://127.0.0.1:${survivor.port}/metrics`)).text();
    expect(metrics).toMatch(/^sib_queue_stalled_jobs_total 1$/m);
    expect(metrics).toMatch(/^sib_queue_jobs\{state="waiting"\} 0$/m);
    expect(metrics).toMatch(/^sib_queue_jobs\{state="active"\} 0$/m);
    expect(metrics).toMatch(/^sib_queue_wait_seconds_count \d+$/m);
  }, 120_000);

  it("restart both: nothing queued is lost", async () => {
    const env = await sharedEnv({
      GEMINI_API_KEY: "gemini-multi-instance",
      GEMINI_BASE_URL: gemini.baseUrl,
      GEMINI_TIMEOUT_MS: "60000",
      SHUTDOWN_TIMEOUT_MS: "10000",
    });
    // Every summary takes a while, so jobs are still waiting when both instances go down.
    gemini.setFallback({ ...geminiText(SAMPLE_GEMINI_ANSWER), delayMs: 700 });
    let [a, b] = await Promise.all([start("a", env), start("b", env)]);
    const sent: { fileId: string; ts: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const upload = newUpload();
      sent.push(upload);
      expect(
        (await deliver(i % 2 ? b : a, uploadEvent(upload.eventId, upload.fileId, upload.ts))).status,
      ).toBe(200);
    }
    const done = () => sent.filter((u) => summariesIn(u.ts).length > 0).length;
    // Slack has been answered and every upload announced ("Queued"): each is now the app's to finish.
    const announced = () =>
      sent.every((u) =>
        slack
          .callsTo("chat.postMessage")
          .some((c) => c.body.thread_ts === u.ts && /Queued/.test(String(c.body.text))),
      );
    await waitFor(announced, "every upload to be announced", 20_000, allOutput(a, b));
    // One instance is deployed over (SIGTERM: it finishes its job, leaves the waiting ones in Redis),
    // the other crashes (SIGKILL: its running job is taken over after the restart).
    await Promise.all([a.kill("SIGTERM"), b.kill("SIGKILL")]);
    const doneBeforeRestart = done();
    expect(doneBeforeRestart).toBeLessThan(8);
    [a, b] = await Promise.all([start("a2", env), start("b2", env)]);
    await waitFor(() => done() === 8, "every queued upload's summary", 60_000, allOutput(a, b));
    await new Promise((r) => setTimeout(r, 1_000));
    for (const upload of sent) expect(summariesIn(upload.ts)).toHaveLength(1);
    gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));
  }, 120_000);

  it("a shared database without Redis: an instance starting up leaves a live instance's jobs alone", async () => {
    const env = await sharedEnv(
      {
        GEMINI_API_KEY: "gemini-multi-instance",
        GEMINI_BASE_URL: gemini.baseUrl,
        GEMINI_TIMEOUT_MS: "60000",
      },
      false,
    );
    gemini.setFallback({ ...geminiText(SAMPLE_GEMINI_ANSWER), delayMs: 1_500 });
    const a = await start("a", env);
    const sent = [newUpload(), newUpload(), newUpload()];
    for (const u of sent) expect((await deliver(a, uploadEvent(u.eventId, u.fileId, u.ts))).status).toBe(200);
    await waitFor(
      () => logsOf(a, "job accepted").length === 3,
      "A to accept the three uploads",
      20_000,
      allOutput(a),
    );
    // A rolling deploy brings up B while A still runs the first and holds the other two in memory.
    const b = await start("b", env);
    await waitFor(
      () => sent.every((u) => summariesIn(u.ts).length > 0),
      "the three summaries",
      60_000,
      allOutput(a, b),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (const u of sent) expect(summariesIn(u.ts)).toHaveLength(1);
    expect(logsOf(a, "summary posted")).toHaveLength(3);
    expect(logsOf(b, "summary posted")).toHaveLength(0);
    expect(logsOf(b, "job stage")).toHaveLength(0);
    gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));
  }, 120_000);
});
