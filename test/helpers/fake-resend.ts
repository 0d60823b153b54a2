import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseJson, respond, type ScriptedResponse } from "./scripted-http.js";

/**
 * A real HTTP server on 127.0.0.1 that stands in for the Resend API (`POST /emails`). Point the SDK
 * at it with `new Resend(key, { baseUrl })` (RESEND_BASE_URL in the app's config). Each request takes
 * the next scripted response from a queue, or the fallback when the queue is empty: by default a
 * success with a fresh id, like Resend. Every request is recorded with its headers (Authorization,
 * Idempotency-Key, ...) and JSON body.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/emails`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The `Idempotency-Key` header, or null. */
  idempotencyKey: string | null;
  rawBody: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  body: unknown;
}

export interface FakeResend {
  /** e.g. `http://127.0.0.1:43123`: give this to the SDK as the base URL. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Queue responses, served in order, one per `POST /emails`. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** What to serve once the queue is empty; undefined restores the default (200 with a fresh id). */
  setFallback(response: ScriptedResponse | undefined): void;
  close(): Promise<void>;
}

export async function startFakeResend(): Promise<FakeResend> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: ScriptedResponse | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "";
      const key = req.headers["idempotency-key"];
      requests.push({
        method: req.method ?? "",
        url,
        headers: req.headers,
        idempotencyKey: typeof key === "string" ? key : null,
        rawBody,
        body: parseJson(rawBody),
      });
      const invalid =
        req.method === "POST" && url === "/emails" ? attachmentProblem(parseJson(rawBody)) : null;
      const scripted: ScriptedResponse = invalid
        ? resendError(422, "invalid_attachment", invalid)
        : req.method === "POST" && url === "/emails"
          ? (queue.shift() ?? fallback ?? resendSent(randomUUID()))
          : resendError(404, "not_found", `fake-resend: no route for ${req.method} ${url}`);
      if (scripted.delayMs && scripted.delayMs > 0) {
        const timer = setTimeout(() => respond(res, scripted), scripted.delayMs);
        res.on("close", () => clearTimeout(timer));
      } else {
        respond(res, scripted);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    enqueue(...responses) {
      queue.push(...responses);
    },
    setFallback(response) {
      fallback = response;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** A base URL on 127.0.0.1 where nothing listens (the port was just free): connections are refused. */
export async function refusedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Resend's answer to a send: `{ id }`. */
export function resendSent(id: string): ScriptedResponse {
  return { status: 200, body: { id } };
}

/** Resend's error body: `{ statusCode, name, message }` (the SDK hands it over as `error`). */
export function resendError(
  statusCode: number,
  name: string,
  message: string,
  options: { headers?: Record<string, string>; delayMs?: number } = {},
): ScriptedResponse {
  return {
    status: statusCode,
    body: { statusCode, name, message },
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
  };
}

/** Resend's limit per e-mail, attachments included (after base64 decoding). */
const MAX_EMAIL_BYTES = 40 * 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Resend's rules for `attachments` (what its API answers 422 to): each needs `content` (base64) or a
 * `path` URL, and a `filename`; `content_id` (inline, referred to as `cid:` in the HTML) is a
 * non-empty string; every `cid:` in the HTML must name an attachment; 40 MB per e-mail. Null when
 * the body keeps them.
 */
export function attachmentProblem(body: unknown): string | null {
  const email = body as { html?: unknown; attachments?: unknown } | undefined;
  const html = typeof email?.html === "string" ? email.html : "";
  const list = email?.attachments;
  const cids = [...html.matchAll(/["'(]cid:([^"')\s]+)/g)].map((m) => m[1]);
  if (list === undefined)
    return cids.length > 0 ? `the HTML refers to cid:${cids[0]} but has no attachments` : null;
  if (!Array.isArray(list)) return "attachments must be an array";
  let bytes = 0;
  const ids = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const a = raw as Record<string, unknown>;
    if (typeof a.filename !== "string" || a.filename === "") return `attachments[${i}].filename is required`;
    if (a.content === undefined && typeof a.path !== "string")
      return `attachments[${i}] needs content or path`;
    if (a.content !== undefined) {
      if (typeof a.content !== "string" || a.content === "" || !BASE64.test(a.content))
        return `attachments[${i}].content must be base64`;
      bytes += Buffer.from(a.content, "base64").length;
    }
    if (a.content_id !== undefined) {
      if (typeof a.content_id !== "string" || a.content_id === "")
        return `attachments[${i}].content_id must be a string`;
      ids.add(a.content_id);
    }
    if (a.content_type !== undefined && typeof a.content_type !== "string")
      return `attachments[${i}].content_type must be a string`;
  }
  if (bytes > MAX_EMAIL_BYTES) return "attachments exceed 40 MB";
  const missing = cids.find((cid) => cid !== undefined && !ids.has(cid));
  return missing ? `the HTML refers to cid:${missing}, which no attachment has as content_id` : null;
}
