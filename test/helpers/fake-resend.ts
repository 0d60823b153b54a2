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
      const scripted: ScriptedResponse =
        req.method === "POST" && url === "/emails"
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
