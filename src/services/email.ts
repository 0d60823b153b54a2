import { createHash, randomUUID } from "node:crypto";
import { link, mkdir, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CreateEmailOptions, type CreateEmailResponse, type ErrorResponse, Resend } from "resend";
import type { EmailConfig } from "../config.js";
import { abortableSleep, defaultSleep, parseRetryAfter } from "./retry.js";

/**
 * Sends the summary e-mail: through Resend when RESEND_API_KEY is set, otherwise as an .eml file in
 * the outbox directory (DATA_DIR/outbox) that any mail client opens.
 *
 * What the resend SDK does (checked in resend 6.38 `dist/index.mjs`, class `Resend`):
 * - Base URL: `new Resend(key, { baseUrl })`; only when that option is absent does it read
 *   `process.env.RESEND_BASE_URL`. We always pass it (RESEND_BASE_URL via config, else Resend's own
 *   URL), so the environment is never consulted or mutated. It is used as `${baseUrl}${path}`, so a
 *   trailing slash is trimmed.
 * - Idempotency: `emails.send(payload, { idempotencyKey })` sets the `Idempotency-Key` header
 *   (Resend keeps keys 24 h). Every attempt of a send carries the same key, so a retry (ours, or a
 *   re-run of the whole job) never delivers twice.
 * - Errors are values, never throws: `{ data: null, error: { name, statusCode, message }, headers }`.
 *   For a JSON error body `error` IS that body (its `statusCode` comes from the body, not the HTTP
 *   status); a non-JSON error body becomes `application_error` with the HTTP status; a failed fetch
 *   (refused connection, DNS, abort, unreadable 2xx body) becomes `application_error` with
 *   `statusCode: null` and `headers: null`.
 * - `headers` is `Object.fromEntries(response.headers)` (lower-case names), so `retry-after` and
 *   `ratelimit-reset` of a 429 are readable there.
 * - It uses the global `fetch`; there is no option for a custom fetch, no timeout and no retry.
 *   `signal` in the request options reaches fetch, so the per-attempt timeout is ours.
 * - It logs errors to the console only when RESEND_DEBUG=true.
 */

export interface OutgoingEmail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Same key, same e-mail: Resend (24 h) and the outbox (for ever) send it at most once. */
  idempotencyKey: string;
  /** Images the HTML shows by `cid:<contentId>`: sent as inline attachments. */
  inlineImages?: InlineAttachment[];
}

export interface InlineAttachment {
  contentId: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export type SendResult =
  | { ok: true; id: string; via: "resend" | "outbox"; path?: string }
  | { ok: false; reason: string; retryable: boolean };

export interface EmailSender {
  /**
   * Never throws for provider or file-system problems: they come back as `ok: false` with a reason
   * that can be shown to the user. `retryable` says whether the same send may succeed later.
   * An aborted `signal` ends the send as `ok: false` ("cancelled"); a request already on its way may
   * still be delivered, which is why a retry must reuse the idempotency key.
   */
  send(email: OutgoingEmail, signal?: AbortSignal): Promise<SendResult>;
}

export interface EmailSenderOptions {
  /** Waits between attempts and for the send spacing (tests record them instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms: Date header, Retry-After dates and the send spacing. */
  now?: () => number;
  /** In [0, 1); drives the backoff jitter. */
  random?: () => number;
  /** Per Resend request (default 15 s); the SDK has no timeout of its own. */
  timeoutMs?: number;
}

export const RESEND_MAX_ATTEMPTS = 3;
/** Resend allows 2 requests per second per team by default. */
export const RESEND_MIN_INTERVAL_MS = 500;
const RESEND_DEFAULT_BASE_URL = "https://api.resend.com";
const DEFAULT_TIMEOUT_MS = 15_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 8_000;
/** A Retry-After longer than this ends the send (retryable) instead of holding the job. */
const MAX_RETRY_WAIT_MS = 20_000;
/** Resend's limit per e-mail. */
const MAX_RECIPIENTS = 50;
const MAX_IDEMPOTENCY_KEY = 256;
/** Resend's limit per e-mail, attachments included (base64 makes them a third larger on the wire). */
const MAX_ATTACHMENT_BYTES = 30 * 1_048_576;
const IDEMPOTENCY_PREFIX = "sales-insight-email/";
const MAX_DETAIL = 300;

/**
 * The idempotency key of "this file's summary to these people": the same file key and the same set
 * of recipients (any order, any case) always give the same key. Hashed, so it holds no address.
 */
export function idempotencyKeyFor(parts: { fileKey: string; recipients: string[] }): string {
  const recipients = [...new Set(parts.recipients.map((r) => r.trim().toLowerCase()))].sort();
  const digest = createHash("sha256")
    .update(JSON.stringify({ file: parts.fileKey, to: recipients }))
    .digest("hex");
  return `${IDEMPOTENCY_PREFIX}${digest}`;
}

export function createEmailSender(config: EmailConfig, options: EmailSenderOptions = {}): EmailSender {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Resend's limit is per team, so real senders share one spacing per process. A sender with its
  // own clock (tests) cannot compare times with the others and gets a spacing of its own.
  const spacing = options.now ? { nextAt: 0 } : processSpacing;

  const apiKey = config.resendApiKey;
  const send = apiKey
    ? resendTransport(apiKey, config, { sleep, now, random, timeoutMs, spacing })
    : outboxTransport(config, now);

  return {
    async send(email, signal) {
      const problem = checkEmail(email);
      if (problem) return { ok: false, reason: problem, retryable: false };
      if (signal?.aborted) return cancelledResult();
      const clean: OutgoingEmail = { ...email, subject: oneLine(email.subject) };
      return send(clean, signal);
    },
  };
}

type Transport = (email: OutgoingEmail, signal: AbortSignal | undefined) => Promise<SendResult>;

// --- Resend ----------------------------------------------------------------------------------

const processSpacing = { nextAt: 0 };

interface ResendDeps {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  timeoutMs: number;
  spacing: { nextAt: number };
}

type Failure =
  | { kind: "network"; retryable: true }
  | { kind: "timeout"; retryable: true }
  | {
      kind: "api";
      status: number | null;
      name: string;
      message: string;
      retryable: boolean;
      retryAfterMs: number | null;
    };

const QUOTA_ERRORS = new Set(["daily_quota_exceeded", "monthly_quota_exceeded"]);
const API_KEY_ERRORS = new Set(["missing_api_key", "invalid_api_key", "restricted_api_key"]);
const RETRYABLE_NAMES = new Set([
  "rate_limit_exceeded",
  "concurrent_idempotent_requests",
  "internal_server_error",
]);

function resendTransport(apiKey: string, config: EmailConfig, deps: ResendDeps): Transport {
  const baseUrl = (config.resendBaseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const resend = new Resend(apiKey, { baseUrl });
  const where = config.resendBaseUrl ? ` at ${originOf(baseUrl)}` : "";
  const redact = (text: string) => redactKey(text, apiKey);

  /** Waits for this process's next free send slot (slots are booked synchronously, so in order). */
  async function takeSlot(signal: AbortSignal | undefined): Promise<void> {
    const t = deps.now();
    const at = Math.max(t, deps.spacing.nextAt);
    deps.spacing.nextAt = at + RESEND_MIN_INTERVAL_MS;
    await abortableSleep(deps.sleep, at - t, signal);
  }

  async function attempt(
    email: OutgoingEmail,
    signal: AbortSignal | undefined,
  ): Promise<{ id: string } | Failure> {
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    const payload: CreateEmailOptions = {
      from: oneLine(config.from),
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      // The SDK sends a Buffer as base64 and contentId as Resend's content_id (inline, cid:).
      ...(email.inlineImages?.length
        ? {
            attachments: email.inlineImages.map((a) => ({
              filename: a.filename,
              content: a.content,
              contentType: a.contentType,
              contentId: a.contentId,
            })),
          }
        : {}),
    };
    let response: CreateEmailResponse;
    try {
      response = await resend.emails.send(payload, {
        idempotencyKey: email.idempotencyKey,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      // The SDK rethrows only an abort that hits while it reads an error body.
      return timeout.aborted ? { kind: "timeout", retryable: true } : { kind: "network", retryable: true };
    }
    if (response.error) {
      if (timeout.aborted && response.error.statusCode == null) return { kind: "timeout", retryable: true };
      return classify(response.error, response.headers, deps.now());
    }
    const id = (response.data as { id?: unknown } | null)?.id;
    if (typeof id === "string" && id !== "") return { id };
    return {
      kind: "api",
      status: 200,
      name: "unexpected_response",
      message: "the answer holds no e-mail id",
      retryable: false,
      retryAfterMs: null,
    };
  }

  return async (email, signal) => {
    for (let attemptNo = 1; ; attemptNo++) {
      await takeSlot(signal);
      if (signal?.aborted) return cancelledResult();
      const outcome = await attempt(email, signal);
      if (signal?.aborted) return cancelledResult();
      if ("id" in outcome) return { ok: true, id: outcome.id, via: "resend" };
      const retryAfterMs = outcome.kind === "api" ? outcome.retryAfterMs : null;
      const give = (asked?: number): SendResult => ({
        ok: false,
        reason: redact(describeFailure(outcome, attemptNo, { where, timeoutMs: deps.timeoutMs, asked })),
        retryable: outcome.retryable,
      });
      if (!outcome.retryable || attemptNo >= RESEND_MAX_ATTEMPTS) return give();
      if (retryAfterMs !== null && retryAfterMs > MAX_RETRY_WAIT_MS) return give(retryAfterMs);
      const waitMs = retryAfterMs ?? backoffMs(attemptNo, deps.random);
      await abortableSleep(deps.sleep, Math.round(waitMs), signal);
      if (signal?.aborted) return cancelledResult();
    }
  };
}

function classify(error: ErrorResponse, headers: Record<string, string> | null, nowMs: number): Failure {
  // Untyped at run time: for a JSON error body the SDK hands over whatever the server sent.
  const raw = error as { statusCode?: unknown; name?: unknown; message?: unknown };
  const status = typeof raw.statusCode === "number" ? raw.statusCode : null;
  const name = typeof raw.name === "string" && raw.name !== "" ? raw.name : "unknown_error";
  const message = typeof raw.message === "string" ? raw.message : "";
  if (status === null && name === "application_error") return { kind: "network", retryable: true };
  const retryable =
    !QUOTA_ERRORS.has(name) &&
    (RETRYABLE_NAMES.has(name) || (status !== null && (status === 408 || status === 429 || status >= 500)));
  let retryAfterMs: number | null = null;
  if (retryable) {
    retryAfterMs = parseRetryAfter(headers?.["retry-after"], nowMs);
    if (retryAfterMs === null && (status === 429 || name === "rate_limit_exceeded")) {
      retryAfterMs = parseRetryAfter(headers?.["ratelimit-reset"], nowMs);
    }
  }
  return { kind: "api", status, name, message, retryable, retryAfterMs };
}

function describeFailure(
  failure: Failure,
  attempts: number,
  context: { where: string; timeoutMs: number; asked: number | undefined },
): string {
  const after = ` after ${plural(attempts, "attempt")}`;
  if (failure.kind === "network") return `Could not reach Resend${context.where} (network error)${after}`;
  if (failure.kind === "timeout") {
    return `Resend did not answer within ${formatDuration(context.timeoutMs)}${after}`;
  }
  const { status, name } = failure;
  const detail = `${name}${failure.message ? `: ${clip(oneLine(failure.message), MAX_DETAIL)}` : ""}`;
  const http = status === null ? "" : `HTTP ${status}, `;
  if (name === "daily_quota_exceeded") return `Resend's daily sending quota is used up (${detail})`;
  if (name === "monthly_quota_exceeded") return `Resend's monthly sending quota is used up (${detail})`;
  if (status === 429 || name === "rate_limit_exceeded") {
    if (context.asked !== undefined) {
      return `Resend rate limit reached (HTTP 429); it asked to wait ${formatDuration(context.asked)}`;
    }
    return `Resend rate limit reached (HTTP 429)${after}`;
  }
  if (name === "concurrent_idempotent_requests") {
    return `Resend is still processing an earlier send of this e-mail (${detail})${after}`;
  }
  if (name === "invalid_idempotent_request") {
    return `Resend refused the send: its idempotency key was already used for a different e-mail (${detail})`;
  }
  if (API_KEY_ERRORS.has(name) || status === 401) return `Resend rejected the API key (${http}${detail})`;
  if (status !== null && status >= 500) return `Resend is unavailable (HTTP ${status})${after}`;
  if (status === 408) return `Resend timed out (HTTP 408)${after}`;
  if (name === "invalid_from_address" || /\bfrom\b|sender|domain/i.test(failure.message)) {
    return `Resend rejected the sender address (${detail})`;
  }
  if (/\bto\b|recipient/i.test(failure.message)) return `Resend rejected a recipient address (${detail})`;
  if (failure.retryable) return `Resend failed (${http}${detail})${after}`;
  return `Resend rejected the e-mail (${http}${detail})`;
}

/** Backoff with jitter: uniform in [d/2, d) after the n-th failure, d = min(cap, base * 2^(n-1)). */
function backoffMs(failedAttempt: number, random: () => number): number {
  const d = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failedAttempt - 1));
  return d / 2 + random() * (d / 2);
}

function redactKey(text: string, apiKey: string): string {
  return text
    .split(apiKey)
    .join("re_…")
    .replace(/\bre_[A-Za-z0-9_-]{8,}/g, "re_…");
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the configured RESEND_BASE_URL";
  }
}

// --- Outbox (.eml files) -----------------------------------------------------------------------

const RETRYABLE_FS_CODES = new Set(["ENOSPC", "EAGAIN", "EBUSY", "EMFILE", "ENFILE", "EINTR"]);

function outboxTransport(config: EmailConfig, now: () => number): Transport {
  const dir = config.outboxDir;
  return async (email) => {
    const hash = sha256(email.idempotencyKey);
    const from = formatFrom(config.from);
    const messageId = `${hash.slice(0, 32)}@${domainOf(from.address)}`;
    const path = join(dir, outboxFileName(email.idempotencyKey, hash));
    const sent: SendResult = { ok: true, id: messageId, via: "outbox", path };
    try {
      await mkdir(dir, { recursive: true });
      if (await exists(path)) return sent;
      const eml = buildEml(email, { from: from.header, messageId, date: new Date(now()), boundary: hash });
      // Written under a temporary name and then linked into place: the .eml appears complete or not
      // at all, and link() (unlike rename) fails if another send of the same key got there first.
      const tmp = join(dir, `.${randomUUID()}.tmp`);
      await writeFile(tmp, eml, { flag: "wx" });
      try {
        await link(tmp, path);
      } catch (error) {
        if (codeOf(error) === "EEXIST") return sent;
        if (!["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP"].includes(codeOf(error) ?? "")) throw error;
        // No hard links on this file system: an exclusive create still never overwrites.
        try {
          await writeFile(path, eml, { flag: "wx" });
        } catch (inner) {
          if (codeOf(inner) !== "EEXIST") throw inner;
        }
      } finally {
        await unlink(tmp).catch(() => {});
      }
      return sent;
    } catch (error) {
      const code = codeOf(error);
      return {
        ok: false,
        reason: `Could not write the e-mail to the outbox ${dir}${code ? ` (${code})` : ""}`,
        retryable: code !== null && RETRYABLE_FS_CODES.has(code),
      };
    }
  };
}

/** Readable and unique per key: the key's safe characters, then part of its hash. */
function outboxFileName(key: string, hash: string): string {
  const slug = key
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._-]+/, "")
    .slice(0, 60);
  return `${slug ? `${slug}-` : ""}${hash.slice(0, 16)}.eml`;
}

/**
 * An RFC 5322 message, CRLF line ends, multipart/alternative: plain text first, HTML preferred. With
 * inline images the HTML part is a multipart/related of the HTML and the images (RFC 2387), each
 * image named by the Content-ID its `cid:` refers to.
 */
function buildEml(
  email: OutgoingEmail,
  meta: { from: string; messageId: string; date: Date; boundary: string },
): string {
  // "=_" never occurs in quoted-printable output ("=" is always "=3D" or a soft break at line end).
  const boundary = `=_sib_${meta.boundary.slice(0, 40)}`;
  const headers = [
    `From: ${meta.from}`,
    foldList("To", email.to),
    foldUnstructured("Subject", email.subject),
    `Date: ${rfc5322Date(meta.date)}`,
    `Message-ID: <${meta.messageId}>`,
    "MIME-Version: 1.0",
    `X-Idempotency-Key: ${oneLine(email.idempotencyKey)}`,
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      "Content-Transfer-Encoding: quoted-printable",
      "",
      quotedPrintable(body),
    ].join("\r\n");
  const images = email.inlineImages ?? [];
  const related = `=_sib_rel_${meta.boundary.slice(0, 36)}`;
  const html =
    images.length === 0
      ? part("text/html", email.html)
      : [
          `--${boundary}`,
          `Content-Type: multipart/related;\r\n boundary="${related}"; type="text/html"`,
          "",
          `--${related}`,
          "Content-Type: text/html; charset=utf-8",
          "Content-Transfer-Encoding: quoted-printable",
          "",
          quotedPrintable(email.html),
          ...images.flatMap((image) => [
            `--${related}`,
            `Content-Type: ${oneLine(image.contentType)}; name="${headerParam(image.filename)}"`,
            "Content-Transfer-Encoding: base64",
            `Content-ID: <${oneLine(image.contentId)}>`,
            `Content-Disposition: inline; filename="${headerParam(image.filename)}"`,
            "",
            base64Lines(image.content),
          ]),
          `--${related}--`,
        ].join("\r\n");
  return [
    ...headers,
    "",
    "This is a multi-part message in MIME format.",
    part("text/plain", email.text),
    html,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/** Base64 in lines of 76 characters (RFC 2045). */
function base64Lines(content: Buffer): string {
  return (content.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

/** A quoted header parameter value: printable ASCII without quotes or backslashes. */
function headerParam(value: string): string {
  return oneLine(value).replace(/[^\x20-\x7e]|["\\]/g, "_");
}

/** EMAIL_FROM as a header value: a display name (quoted or RFC 2047-encoded as needed) and address. */
function formatFrom(value: string): { header: string; address: string } {
  const from = oneLine(value);
  const match = /^(.*?)\s*<([^<>]+)>$/.exec(from);
  if (!match) return { header: from, address: from };
  const address = (match[2] ?? "").trim();
  let name = (match[1] ?? "").trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  if (name === "") return { header: `<${address}>`, address };
  let display: string;
  if (!isAscii(name)) display = encodedWords(name).join(" ");
  else if (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/.test(name)) display = name;
  else display = `"${name.replace(/(["\\])/g, "\\$1")}"`;
  return { header: `${display} <${address}>`, address };
}

function domainOf(address: string): string {
  const domain = address.split("@").pop() ?? "";
  return /^[A-Za-z0-9.-]+$/.test(domain) && domain.includes(".") ? domain : "sales-insight-bot.invalid";
}

/** An unstructured header (Subject): RFC 2047 encoded-words when not ASCII, folded at 78 columns. */
function foldUnstructured(name: string, value: string): string {
  const words = value.split(" ");
  // Encoded-words also when a single word would make a line longer than RFC 5322's 998 columns.
  if (!isAscii(value) || words.some((w) => w.length > 900)) {
    return `${name}: ${encodedWords(value).join("\r\n ")}`;
  }
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    // Folding only before a non-empty word, so no line is whitespace alone.
    if (word !== "" && line.length + 1 + word.length > 78 && line !== `${name}:`) {
      lines.push(line);
      line = "";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join("\r\n");
}

function foldList(name: string, values: string[]): string {
  const lines: string[] = [];
  let line = `${name}:`;
  values.forEach((value, i) => {
    const item = `${value}${i < values.length - 1 ? "," : ""}`;
    if (line.length + 1 + item.length > 78 && line !== `${name}:`) {
      lines.push(line);
      line = "";
    }
    line += ` ${item}`;
  });
  lines.push(line);
  return lines.join("\r\n");
}

/** `=?UTF-8?B?...?=` words of at most 39 UTF-8 bytes each (64 columns), never splitting a character. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, "utf8") > 39) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk !== "" || words.length === 0) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`);
}

/** Quoted-printable (RFC 2045): lines of at most 76 columns, CRLF line ends, UTF-8. */
function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const bytes = Buffer.from(line, "utf8");
    let current = "";
    bytes.forEach((byte, i) => {
      const last = i === bytes.length - 1;
      const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
      const token = literal
        ? String.fromCharCode(byte)
        : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = "";
      }
      current += token;
    });
    out.push(current);
  }
  return out.join("\r\n");
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

// --- Shared ------------------------------------------------------------------------------------

/** Plain addresses only: printable ASCII, one @, no spaces or characters that mean something in a header. */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function checkEmail(email: OutgoingEmail): string | null {
  if (email.to.length === 0) return "The e-mail has no recipients";
  if (email.to.length > MAX_RECIPIENTS) {
    return `Too many recipients (${email.to.length}); at most ${MAX_RECIPIENTS} per e-mail`;
  }
  const bad = email.to.find((address) => !ADDRESS.test(address));
  if (bad !== undefined) return `${JSON.stringify(clip(bad, 80))} is not a valid e-mail address`;
  const attached = (email.inlineImages ?? []).reduce((n, a) => n + a.content.length, 0);
  if (attached > MAX_ATTACHMENT_BYTES) {
    return `The e-mail's images are too large (${Math.ceil(attached / 1_048_576)} MB; Resend allows 40 MB)`;
  }
  const key = email.idempotencyKey;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(key)) {
    return `The e-mail's idempotency key is invalid (1 to ${MAX_IDEMPOTENCY_KEY} printable ASCII characters)`;
  }
  return null;
}

/** Control characters (CR and LF above all) become spaces: a value can never start a new header. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, " ").trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (codeOf(error) === "ENOENT") return false;
    throw error;
  }
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

function cancelledResult(): SendResult {
  return { ok: false, reason: "Sending the e-mail was cancelled", retryable: true };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "20 s", "1.5 s", "250 ms". */
function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1_000).toFixed(1))} s`;
}
