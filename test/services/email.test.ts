import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EmailConfig } from "../../src/config.js";
import {
  createEmailSender,
  type EmailSenderOptions,
  idempotencyKeyFor,
  type OutgoingEmail,
  RESEND_MIN_INTERVAL_MS,
  type SendResult,
} from "../../src/services/email.js";
import {
  type FakeResend,
  refusedBaseUrl,
  resendError,
  resendSent,
  startFakeResend,
} from "../helpers/fake-resend.js";

const API_KEY = "re_test_0123456789abcdef_do_not_leak";
const FROM = "Sales Insight Bot <insights@example.com>";

const EMAIL: OutgoingEmail = {
  to: ["ana@example.com", "bo@example.org"],
  subject: "Sales insights: q1.csv (Jan–Mar 2026)",
  html: "<html><body><h1>Revenue up 12%</h1><p>North led.</p></body></html>",
  text: "Revenue up 12%\nNorth led.",
  idempotencyKey: idempotencyKeyFor({
    fileKey: "T1/C1/F123",
    recipients: ["ana@example.com", "bo@example.org"],
  }),
};

let consoleOutput: string[];

beforeEach(() => {
  consoleOutput = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "),
      );
    });
  }
});

afterEach(() => {
  // Whatever a test did, nothing it printed may contain the key.
  expect(consoleOutput.join("\n")).not.toContain(API_KEY);
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Waits are recorded, not slept, and the clock moves with them. */
function fakeTime() {
  const sleeps: number[] = [];
  let clock = Date.UTC(2026, 0, 15, 9, 0, 0);
  const options: EmailSenderOptions = {
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
  };
  return {
    sleeps,
    options,
    advance(ms: number) {
      clock += ms;
    },
    get clock() {
      return clock;
    },
  };
}

describe("idempotencyKeyFor", () => {
  it("is stable whatever the order, case, spacing or repetition of the recipients", () => {
    const a = idempotencyKeyFor({ fileKey: "F1", recipients: ["b@x.com", "A@x.com"] });
    const b = idempotencyKeyFor({ fileKey: "F1", recipients: [" a@X.com", "b@x.com", "B@x.com"] });
    expect(a).toBe(b);
    expect(a).toMatch(/^sales-insight-email\/[0-9a-f]{64}$/);
    expect(a.length).toBeLessThanOrEqual(256);
  });

  it("differs for another file or another set of recipients, and holds no address", () => {
    const base = idempotencyKeyFor({ fileKey: "F1", recipients: ["a@x.com"] });
    expect(idempotencyKeyFor({ fileKey: "F2", recipients: ["a@x.com"] })).not.toBe(base);
    expect(idempotencyKeyFor({ fileKey: "F1", recipients: ["a@x.com", "c@x.com"] })).not.toBe(base);
    expect(base).not.toContain("x.com");
  });
});

describe("Resend", () => {
  let server: FakeResend;

  beforeEach(async () => {
    server = await startFakeResend();
  });

  afterEach(async () => {
    await server.close();
  });

  function setup(config: Partial<EmailConfig> = {}, options: EmailSenderOptions = {}) {
    const time = fakeTime();
    const sender = createEmailSender(
      {
        resendApiKey: API_KEY,
        resendBaseUrl: server.baseUrl,
        from: FROM,
        outboxDir: "/nonexistent",
        ...config,
      },
      { ...time.options, ...options },
    );
    return { sender, time };
  }

  function expectFailure(result: SendResult): { reason: string; retryable: boolean } {
    if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
    expect(result.reason).not.toContain(API_KEY);
    return result;
  }

  it("sends the e-mail through the SDK: path, auth, JSON body, id back", async () => {
    server.enqueue(resendSent("4ef9a417-02e9-4d39-ad75-9611e0fcc33c"));
    const { sender, time } = setup();
    const result = await sender.send(EMAIL);
    expect(result).toEqual({ ok: true, id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c", via: "resend" });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/emails");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual({
      from: FROM,
      to: EMAIL.to,
      subject: EMAIL.subject,
      html: EMAIL.html,
      text: EMAIL.text,
    });
    expect(time.sleeps).toEqual([]);
  });

  it("sends the idempotency key, the same on every attempt and for a re-run of the job", async () => {
    server.enqueue(resendError(503, "internal_server_error", "busy"), resendSent("id-1"), resendSent("id-1"));
    const { sender } = setup();
    expect(await sender.send(EMAIL)).toMatchObject({ ok: true, id: "id-1" });
    // The job runs again later (say after a restart): same file, same people, same key.
    const again = idempotencyKeyFor({
      fileKey: "T1/C1/F123",
      recipients: ["BO@example.org", "ana@example.com"],
    });
    expect(await sender.send({ ...EMAIL, idempotencyKey: again })).toMatchObject({ ok: true, id: "id-1" });
    expect(server.requests.map((r) => r.idempotencyKey)).toEqual([
      EMAIL.idempotencyKey,
      EMAIL.idempotencyKey,
      EMAIL.idempotencyKey,
    ]);
  });

  it("trims a trailing slash from the base URL and ignores RESEND_BASE_URL in the environment", async () => {
    vi.stubEnv("RESEND_BASE_URL", await refusedBaseUrl());
    server.enqueue(resendSent("id-2"));
    const { sender } = setup({ resendBaseUrl: `${server.baseUrl}/` });
    expect(await sender.send(EMAIL)).toMatchObject({ ok: true, id: "id-2" });
    expect(server.requests[0]?.url).toBe("/emails");
  });

  it("retries a 429 after the Retry-After the server asked for, then succeeds", async () => {
    server.enqueue(
      resendError(429, "rate_limit_exceeded", "Too many requests", { headers: { "retry-after": "2" } }),
      resendSent("id-3"),
    );
    const { sender, time } = setup();
    expect(await sender.send(EMAIL)).toEqual({ ok: true, id: "id-3", via: "resend" });
    expect(server.requests).toHaveLength(2);
    expect(time.sleeps).toEqual([2_000]);
  });

  it("falls back to ratelimit-reset when a 429 has no Retry-After", async () => {
    server.enqueue(
      resendError(429, "rate_limit_exceeded", "Too many requests", { headers: { "ratelimit-reset": "1" } }),
      resendSent("id-4"),
    );
    const { sender, time } = setup();
    expect(await sender.send(EMAIL)).toMatchObject({ ok: true, id: "id-4" });
    expect(time.sleeps).toEqual([1_000]);
  });

  it("gives up at once (retryable) when Retry-After is longer than a job should wait", async () => {
    server.enqueue(
      resendError(429, "rate_limit_exceeded", "slow down", { headers: { "retry-after": "120" } }),
    );
    const { sender, time } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure).toEqual({
      ok: false,
      reason: "Resend rate limit reached (HTTP 429); it asked to wait 120 s",
      retryable: true,
    });
    expect(server.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it("retries a 429 three times at most", async () => {
    server.setFallback(resendError(429, "rate_limit_exceeded", "Too many requests"));
    const { sender } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toBe("Resend rate limit reached (HTTP 429) after 3 attempts");
    expect(failure.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry an exhausted daily quota", async () => {
    server.enqueue(
      resendError(429, "daily_quota_exceeded", "You have reached your daily email sending quota."),
    );
    const { sender } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toBe(
      "Resend's daily sending quota is used up (daily_quota_exceeded: You have reached your daily email sending quota.)",
    );
    expect(failure.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("stops after 3 attempts of HTTP 500, with growing jittered backoff", async () => {
    server.setFallback(resendError(500, "internal_server_error", "An unexpected error occurred."));
    const { sender, time } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure).toEqual({
      ok: false,
      reason: "Resend is unavailable (HTTP 500) after 3 attempts",
      retryable: true,
    });
    expect(server.requests).toHaveLength(3);
    // random() = 0.5: 0.75 x 1 s, then 0.75 x 2 s.
    expect(time.sleeps).toEqual([750, 1_500]);
  });

  it("treats a non-JSON 502 from a proxy as Resend being unavailable", async () => {
    server.setFallback({
      status: 502,
      rawBody: "<html>Bad Gateway</html>",
      headers: { "content-type": "text/html" },
    });
    const { sender } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toBe("Resend is unavailable (HTTP 502) after 3 attempts");
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 422 and says what Resend rejected", async () => {
    server.enqueue(
      resendError(
        422,
        "validation_error",
        "Invalid `from` field. The email address needs to follow the format.",
      ),
    );
    const { sender, time } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure).toEqual({
      ok: false,
      reason:
        "Resend rejected the sender address (validation_error: Invalid `from` field. The email address needs to follow the format.)",
      retryable: false,
    });
    expect(server.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it("names a rejected recipient and an unverified domain", async () => {
    server.enqueue(
      resendError(422, "validation_error", "Invalid `to` field."),
      resendError(403, "validation_error", "The example.com domain is not verified."),
    );
    const { sender } = setup();
    expect(expectFailure(await sender.send(EMAIL)).reason).toBe(
      "Resend rejected a recipient address (validation_error: Invalid `to` field.)",
    );
    expect(expectFailure(await sender.send(EMAIL)).reason).toBe(
      "Resend rejected the sender address (validation_error: The example.com domain is not verified.)",
    );
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a reused idempotency key", async () => {
    server.enqueue(
      resendError(409, "invalid_idempotent_request", "Same idempotency key used with a different payload."),
    );
    const { sender } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toMatch(/^Resend refused the send: its idempotency key was already used/);
    expect(failure.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("retries while Resend still processes a concurrent request with the same key", async () => {
    server.enqueue(resendError(409, "concurrent_idempotent_requests", "in progress"), resendSent("id-5"));
    const { sender } = setup();
    expect(await sender.send(EMAIL)).toMatchObject({ ok: true, id: "id-5" });
    expect(server.requests).toHaveLength(2);
  });

  it("never puts the API key in a reason, even when the server echoes it", async () => {
    server.enqueue(resendError(401, "invalid_api_key", `API key ${API_KEY} is invalid`));
    const { sender } = setup();
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toBe(
      "Resend rejected the API key (HTTP 401, invalid_api_key: API key re_… is invalid)",
    );
    expect(failure.retryable).toBe(false);
  });

  it("reports a refused connection after 3 attempts", async () => {
    const { sender } = setup({ resendBaseUrl: await refusedBaseUrl() });
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure.reason).toMatch(
      /^Could not reach Resend at http:\/\/127\.0\.0\.1:\d+ \(network error\) after 3 attempts$/,
    );
    expect(failure.retryable).toBe(true);
  });

  it("times an attempt out when Resend does not answer", async () => {
    server.setFallback({ ...resendSent("late"), delayMs: 5_000 });
    const { sender } = setup({}, { timeoutMs: 100 });
    const failure = expectFailure(await sender.send(EMAIL));
    expect(failure).toEqual({
      ok: false,
      reason: "Resend did not answer within 100 ms after 3 attempts",
      retryable: true,
    });
    expect(server.requests).toHaveLength(3);
  });

  it("spaces sends at least 500 ms apart", async () => {
    server.setFallback(resendSent("id-6"));
    const { sender, time } = setup();
    const start = time.clock;
    const results = await Promise.all([sender.send(EMAIL), sender.send(EMAIL), sender.send(EMAIL)]);
    expect(results.every((r) => r.ok)).toBe(true);
    // The fake clock moves when a wait starts: the 2nd send waits 500 ms, the 3rd another 500 ms.
    expect(time.sleeps).toEqual([RESEND_MIN_INTERVAL_MS, RESEND_MIN_INTERVAL_MS]);
    expect(time.clock - start).toBe(2 * RESEND_MIN_INTERVAL_MS);
    // Once the last slot is in the past, a send goes at once.
    time.advance(RESEND_MIN_INTERVAL_MS);
    await sender.send(EMAIL);
    expect(time.sleeps).toHaveLength(2);
    expect(server.requests).toHaveLength(4);
  });

  it("stops when the caller aborts, before sending or while waiting to retry", async () => {
    const { sender } = setup();
    const aborted = new AbortController();
    aborted.abort();
    expect(await sender.send(EMAIL, aborted.signal)).toEqual({
      ok: false,
      reason: "Sending the e-mail was cancelled",
      retryable: true,
    });
    expect(server.requests).toHaveLength(0);

    server.setFallback(resendError(500, "internal_server_error", "boom"));
    const controller = new AbortController();
    const abortingSender = createEmailSender(
      { resendApiKey: API_KEY, resendBaseUrl: server.baseUrl, from: FROM, outboxDir: "/nonexistent" },
      { now: () => 0, sleep: () => new Promise(() => controller.abort()) },
    );
    const result = await abortingSender.send(EMAIL, controller.signal);
    expect(result).toMatchObject({ ok: false, reason: "Sending the e-mail was cancelled" });
    expect(server.requests).toHaveLength(1);
  });

  it("refuses malformed recipients and keys without calling Resend", async () => {
    const { sender } = setup();
    const bad = [
      { ...EMAIL, to: [] },
      { ...EMAIL, to: ["ana@example.com\r\nBcc: evil@attacker.test"] },
      { ...EMAIL, to: ["Ana <ana@example.com>"] },
      { ...EMAIL, idempotencyKey: "" },
      { ...EMAIL, idempotencyKey: "x".repeat(257) },
      { ...EMAIL, idempotencyKey: "has space" },
    ];
    for (const email of bad) expect(expectFailure(await sender.send(email)).retryable).toBe(false);
    expect(expectFailure(await sender.send(bad[1] as OutgoingEmail)).reason).toBe(
      '"ana@example.com\\r\\nBcc: evil@attacker.test" is not a valid e-mail address',
    );
    expect(server.requests).toHaveLength(0);
  });

  it("sends a subject with CR/LF as one line", async () => {
    server.enqueue(resendSent("id-7"));
    const { sender } = setup();
    await sender.send({ ...EMAIL, subject: "Q1\r\nBcc: evil@attacker.test" });
    expect(server.requests[0]?.body).toMatchObject({ subject: "Q1 Bcc: evil@attacker.test" });
  });
});

describe("outbox (no RESEND_API_KEY)", () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "email-outbox-"));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function setup(config: Partial<EmailConfig> = {}) {
    const time = fakeTime();
    const outboxDir = join(root, "data", "outbox");
    const sender = createEmailSender(
      { resendApiKey: null, resendBaseUrl: null, from: FROM, outboxDir, ...config },
      time.options,
    );
    return { sender, time, outboxDir };
  }

  async function sent(result: SendResult): Promise<{ path: string; id: string; eml: string }> {
    if (!result.ok || !result.path) throw new Error(`expected an outbox file, got ${JSON.stringify(result)}`);
    expect(result.via).toBe("outbox");
    return { path: result.path, id: result.id, eml: await readFile(result.path, "utf8") };
  }

  it("writes an RFC 5322 multipart/alternative .eml with the text and HTML parts", async () => {
    const { sender, outboxDir } = setup();
    const text = `Revenue: 1 200 €\nA = B\ntrailing space \n${"long ".repeat(60)}`;
    const html = `<html><body>${'<p style="color:#1f2933">Umsatz 12% höher</p>'.repeat(20)}</body></html>`;
    const { path, id, eml } = await sent(await sender.send({ ...EMAIL, text, html }));

    expect(path.startsWith(`${outboxDir}/`)).toBe(true);
    expect(path).toMatch(/\/sales-insight-email_[0-9a-f]{40}-[0-9a-f]{16}\.eml$/);
    expect(await readdir(outboxDir)).toEqual([path.slice(outboxDir.length + 1)]);

    const message = parseEml(eml);
    expect(message.header("from")).toBe(FROM);
    expect(message.header("to")).toBe("ana@example.com, bo@example.org");
    expect(message.header("subject")).toBe(EMAIL.subject);
    expect(Date.parse(message.header("date"))).toBe(Date.UTC(2026, 0, 15, 9, 0, 0));
    expect(message.header("date")).toBe("Thu, 15 Jan 2026 09:00:00 +0000");
    expect(message.header("message-id")).toBe(`<${id}>`);
    expect(id).toMatch(/^[0-9a-f]{32}@example\.com$/);
    expect(message.header("mime-version")).toBe("1.0");
    expect(message.header("x-idempotency-key")).toBe(EMAIL.idempotencyKey);
    expect(message.header("content-type")).toMatch(/^multipart\/alternative; boundary="[^"]+"$/);

    expect(message.parts.map((p) => p.contentType)).toEqual([
      "text/plain; charset=utf-8",
      "text/html; charset=utf-8",
    ]);
    expect(message.parts[0]?.content).toBe(text.replace(/\n/g, "\r\n"));
    expect(message.parts[1]?.content).toBe(html);
    // CRLF only; RFC 5322's hard limit on every line (parseEml checks 76 columns in the parts).
    expect(eml.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of eml.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
  });

  it("RFC 2047-encodes a non-ASCII subject and sender name, and keeps the header ASCII", async () => {
    const subject = `Sales insights: Umsätze Q1 — 東京支店 ${"é".repeat(40)} (Jan–Mar 2026)`;
    const { sender } = setup({ from: "Équipe Ventes <ventes@example.fr>" });
    const { eml } = await sent(await sender.send({ ...EMAIL, subject }));
    const head = eml.slice(0, eml.indexOf("\r\n\r\n"));
    expect(head).toMatch(/^[\x20-\x7e\r\n]*$/);
    for (const line of foldedLines(head, "subject")) expect(line.length).toBeLessThanOrEqual(78);
    const message = parseEml(eml);
    expect(message.header("subject")).toBe(subject);
    expect(message.header("from")).toBe("Équipe Ventes <ventes@example.fr>");
    expect(message.header("message-id")).toMatch(/@example\.fr>$/);
  });

  it("folds a long ASCII subject without changing it", async () => {
    const subject = `Sales insights: ${"quarterly-report ".repeat(8)}(2026)`;
    const { sender } = setup();
    const { eml } = await sent(await sender.send({ ...EMAIL, subject }));
    expect(parseEml(eml).header("subject")).toBe(subject);
    const lines = foldedLines(eml.slice(0, eml.indexOf("\r\n\r\n")), "subject");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("writes one file per idempotency key: a second send returns the existing path", async () => {
    const { sender, outboxDir } = setup();
    const first = await sent(await sender.send(EMAIL));
    const second = await sent(await sender.send({ ...EMAIL, subject: "changed" }));
    expect(second.path).toBe(first.path);
    expect(second.id).toBe(first.id);
    expect(second.eml).toBe(first.eml);
    expect(await readdir(outboxDir)).toHaveLength(1);

    const other = await sent(await sender.send({ ...EMAIL, idempotencyKey: "another/key" }));
    expect(other.path).not.toBe(first.path);
    expect(await readdir(outboxDir)).toHaveLength(2);
  });

  it("writes one complete file when the same key is sent concurrently", async () => {
    const { sender, outboxDir } = setup();
    const results = await Promise.all(Array.from({ length: 8 }, () => sender.send(EMAIL)));
    const paths = new Set(results.map((r) => (r.ok ? r.path : r.reason)));
    expect(paths.size).toBe(1);
    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    expect(parseEml(await readFile(join(outboxDir, files[0] ?? ""), "utf8")).parts).toHaveLength(2);
  });

  it("neutralises CR/LF in the subject and sender: no header can be injected", async () => {
    const { sender } = setup({ from: "Bot\r\nBcc: evil@attacker.test\r\n <bot@example.com>" });
    const subject = "Q1\r\nBcc: evil@attacker.test\r\n\r\n<script>x</script>\nX-Injected: 1";
    const { eml } = await sent(await sender.send({ ...EMAIL, subject }));
    const message = parseEml(eml);
    expect(message.names).not.toContain("bcc");
    expect(message.names).not.toContain("x-injected");
    expect(message.names.filter((n) => n === "subject")).toHaveLength(1);
    expect(message.header("subject")).toBe("Q1 Bcc: evil@attacker.test <script>x</script> X-Injected: 1");
    expect(message.header("from")).toBe('"Bot Bcc: evil@attacker.test" <bot@example.com>');
    expect(message.parts).toHaveLength(2);
  });

  it("writes nothing for a recipient carrying a header", async () => {
    const { sender, outboxDir } = setup();
    const result = await sender.send({ ...EMAIL, to: ["ana@example.com\nBcc: evil@attacker.test"] });
    expect(result).toMatchObject({ ok: false, retryable: false });
    await expect(readdir(outboxDir)).rejects.toThrow();
  });

  it("reports an outbox that cannot be created", async () => {
    const blocker = join(root, "file");
    await writeFile(blocker, "not a directory");
    const { sender } = setup({ outboxDir: join(blocker, "outbox") });
    const result = await sender.send(EMAIL);
    expect(result).toEqual({
      ok: false,
      reason: `Could not write the e-mail to the outbox ${join(blocker, "outbox")} (ENOTDIR)`,
      retryable: false,
    });
  });
});

// --- A small RFC 5322 / MIME reader, enough to check what the outbox writes ----------------------

interface ParsedEml {
  names: string[];
  header(name: string): string;
  parts: { contentType: string; content: string }[];
}

function parseEml(eml: string): ParsedEml {
  const split = eml.indexOf("\r\n\r\n");
  const headers = parseHeaders(eml.slice(0, split));
  const header = (name: string) => {
    const found = headers.filter((h) => h.name === name);
    if (found.length !== 1) throw new Error(`expected one ${name} header, found ${found.length}`);
    return decodeWords(found[0]?.value ?? "");
  };
  const boundary = /boundary="([^"]+)"/.exec(header("content-type"))?.[1];
  if (!boundary) throw new Error("no boundary");
  const body = eml.slice(split + 4);
  // A delimiter is CRLF "--" boundary; before the first is the preamble, after the last "--" the close.
  const chunks = body.split(`\r\n--${boundary}`);
  const rawParts = chunks.slice(1, -1);
  expect(chunks.at(-1)).toBe("--\r\n");
  const parts = rawParts.map((raw) => {
    const start = raw.indexOf("\r\n\r\n");
    const partHeaders = parseHeaders(raw.slice(2, start));
    const get = (name: string) => partHeaders.find((h) => h.name === name)?.value ?? "";
    expect(get("content-transfer-encoding")).toBe("quoted-printable");
    for (const line of raw.slice(start + 4).split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
    return { contentType: get("content-type"), content: decodeQuotedPrintable(raw.slice(start + 4)) };
  });
  return { names: headers.map((h) => h.name), header, parts };
}

/** The physical lines of one (folded) header. */
function foldedLines(head: string, name: string): string[] {
  const lines = head.split("\r\n");
  const start = lines.findIndex((l) => l.toLowerCase().startsWith(`${name}:`));
  const end = lines.findIndex((l, i) => i > start && !/^[ \t]/.test(l));
  return lines.slice(start, end === -1 ? undefined : end);
}

function parseHeaders(block: string): { name: string; value: string }[] {
  return block
    .replace(/\r\n(?=[ \t])/g, "")
    .split("\r\n")
    .map((line) => {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
      return { name: line.slice(0, colon).toLowerCase(), value: line.slice(colon + 1).trim() };
    });
}

function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64: string) =>
      Buffer.from(b64, "base64").toString("utf8"),
    );
}

function decodeQuotedPrintable(text: string): string {
  const latin1 = text
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(latin1, "latin1").toString("utf8");
}
