import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseJson, respond, type ScriptedResponse } from "./scripted-http.js";

/**
 * A real HTTP server on 127.0.0.1 that stands in for the Gemini REST API
 * (`POST /v1beta/models/{model}:generateContent`). Point the SDK at it with `httpOptions.baseUrl`.
 * Each request takes the next scripted response from a queue (or the fallback when the queue is
 * empty); every request is recorded, and the number of requests in flight at once is tracked.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1beta/models/gemini-test:generateContent`. */
  url: string;
  /** The model named in the path, or null when the path is not a generateContent call. */
  model: string | null;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  body: unknown;
}

export interface FakeGemini {
  /** e.g. `http://127.0.0.1:43123` — give this to the SDK as the base URL. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Highest number of requests the server was handling at the same moment. */
  readonly maxInFlight: number;
  readonly inFlight: number;
  /** Queue responses, served in order, one per request. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** What to serve once the queue is empty (default: a 500 saying nothing was scripted). */
  setFallback(response: ScriptedResponse): void;
  close(): Promise<void>;
}

const GENERATE_PATH = /^\/v1beta\/models\/([^/:]+):generateContent(?:\?.*)?$/;

export async function startFakeGemini(): Promise<FakeGemini> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: ScriptedResponse = geminiError(500, "INTERNAL", "fake-gemini: no scripted response left");
  let inFlight = 0;
  let maxInFlight = 0;

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
    };
    // 'close' fires both after a full answer and when the client hangs up first (timeouts).
    res.on("close", done);

    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "";
      const match = GENERATE_PATH.exec(url);
      requests.push({
        method: req.method ?? "",
        url,
        model: match?.[1] ? decodeURIComponent(match[1]) : null,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      });
      const scripted: ScriptedResponse =
        req.method === "POST" && match
          ? (queue.shift() ?? fallback)
          : geminiError(404, "NOT_FOUND", `fake-gemini: no route for ${req.method} ${url}`);
      if (scripted.delayMs && scripted.delayMs > 0) {
        const timer = setTimeout(
          () => respond(res, scripted, "application/json; charset=UTF-8"),
          scripted.delayMs,
        );
        res.on("close", () => clearTimeout(timer));
      } else {
        respond(res, scripted, "application/json; charset=UTF-8");
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
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
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

/** A successful generateContent answer whose first candidate's text is `text`. */
export function geminiText(text: string, finishReason = "STOP"): ScriptedResponse {
  return {
    status: 200,
    body: {
      candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason, index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: "fake-gemini",
    },
  };
}

/** Google's error envelope: `{ error: { code, message, status, details } }`. */
export function geminiError(
  code: number,
  status: string,
  message: string,
  options: { details?: unknown[]; headers?: Record<string, string>; delayMs?: number } = {},
): ScriptedResponse {
  return {
    status: code,
    body: { error: { code, message, status, ...(options.details ? { details: options.details } : {}) } },
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
  };
}

/** The `google.rpc.RetryInfo` detail Google attaches to some 429s, e.g. `retryInfo("30s")`. */
export function retryInfo(retryDelay: string): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay };
}
