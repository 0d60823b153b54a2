import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGemini, geminiText, startFakeGemini } from "../helpers/fake-gemini.js";
import { type FakeResend, startFakeResend } from "../helpers/fake-resend.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { SAMPLE_DATA } from "../helpers/files.js";
import { SAMPLE_GEMINI_ANSWER } from "../helpers/gemini-answers.js";
import { freePort } from "../helpers/net.js";

/**
 * The real entry point (src/main.ts) in a child process, killed with SIGKILL in the middle of a job
 * and started again: the job resumes from the store without a second summary or a second e-mail, and
 * a Slack retry that arrives after the restart is still recognised.
 */
const SECRET = "crash-signing-secret-0123";
let slack: FakeSlack;
let gemini: FakeGemini;
let resend: FakeResend;
let dataDir: string;
let port: number;
let child: ChildProcess | null = null;
let output = "";

beforeAll(async () => {
  slack = await startFakeSlack();
  gemini = await startFakeGemini();
  resend = await startFakeResend();
  dataDir = mkdtempSync(join(tmpdir(), "sib-crash-"));
  port = await freePort();
  slack.addFile({
    id: "FCRASH1",
    name: "sales_q1_2026.csv",
    content: readFileSync(`${SAMPLE_DATA}sales_q1_2026.csv`),
  });
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await Promise.all([slack?.close(), gemini?.close(), resend?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

function startApp(): ChildProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: "xoxb-crash-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: dataDir,
      ALLOWED_USER_IDS: "U0123ABCD",
      ALLOWED_CHANNEL_IDS: "C0123ABCD",
      ALLOWED_EMAIL_DOMAINS: "example.com",
      DEFAULT_EMAIL_TO: "boss@example.com",
      GEMINI_API_KEY: "gemini-crash-key",
      GEMINI_BASE_URL: gemini.baseUrl,
      GEMINI_TIMEOUT_MS: "60000",
      RESEND_API_KEY: "re_crash_key",
      RESEND_BASE_URL: resend.baseUrl,
      SHUTDOWN_TIMEOUT_MS: "3000",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d) => {
    output += String(d);
  });
  proc.stderr?.on("data", (d) => {
    output += String(d);
  });
  return proc;
}

async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const healthy = () =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.status === 200,
    () => false,
  );

function uploadEvent(eventId: string): string {
  const envelope = JSON.parse(
    readFileSync(new URL("../fixtures/slack/event-file-share.json", import.meta.url), "utf8"),
  );
  envelope.event_id = eventId;
  envelope.event.ts = "1767609500.000100";
  envelope.event.files[0].id = "FCRASH1";
  return JSON.stringify(envelope);
}

async function deliver(body: string, headers: Record<string, string> = {}) {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": ts,
      "x-slack-signature": signature,
      ...headers,
    },
    body,
  });
}

describe("a crash in the middle of a job", () => {
  it("resumes on restart without a second summary or a second e-mail, and keeps its dedupe memory", async () => {
    // The first Gemini call hangs: the process is killed while it waits.
    gemini.enqueue({ ...geminiText(SAMPLE_GEMINI_ANSWER), delayMs: 60_000 });
    gemini.setFallback(geminiText(SAMPLE_GEMINI_ANSWER));

    child = startApp();
    await waitFor(healthy, "the first start");
    expect((await deliver(uploadEvent("EvCRASH1"))).status).toBe(200);
    await waitFor(() => gemini.requests.length >= 1, "the job to reach Gemini");
    const progressPosts = slack.callsTo("chat.postMessage").length;
    expect(progressPosts).toBe(1);
    child.kill("SIGKILL");
    await new Promise((r) => child?.once("exit", r));

    child = startApp();
    await waitFor(healthy, "the restart");
    await waitFor(() => resend.requests.length >= 1, "the resumed job's e-mail");
    const summary = await waitFor(
      () =>
        slack
          .callsTo("chat.update")
          .find((c) => JSON.stringify(c.body.blocks ?? "").includes("Net revenue reached")),
      "the summary",
    );
    // The summary replaced the first process's progress message: no second message in the thread.
    const threadPosts = slack
      .callsTo("chat.postMessage")
      .filter((c) => c.body.thread_ts === "1767609500.000100");
    expect(threadPosts.filter((c) => !/e-mailed/.test(String(c.body.text)))).toHaveLength(1);
    expect(summary.body.ts).toBe("1767609100.000001");

    // Slack retries the delivery after the restart: still one job.
    await deliver(uploadEvent("EvCRASH1"), {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    // Handled and recognised as a repeat: the app says so in its log.
    await waitFor(
      () =>
        output
          .split("\n")
          .some((line) => line.includes('"duplicate delivery ignored"') && line.includes('"EvCRASH1"')),
      "the retry to be recognised",
    );
    expect(slack.callsTo("files.info")).toHaveLength(2); // one per process run of the same job, no third
    expect(resend.requests).toHaveLength(1);

    // SIGTERM: a clean exit within the shutdown deadline.
    const exited = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    const started = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(6_000);
    child = null;
  }, 60_000);
});
