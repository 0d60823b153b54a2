import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GeminiConfig } from "../../src/config.js";
import { SummaryModelError, type SummaryRequest } from "../../src/pipeline/summary/model.js";
import {
  createGeminiSummaryModel,
  formatDuration,
  type GeminiModelOptions,
  retryDelayFromGoogleError,
  thinkingConfigFor,
} from "../../src/services/gemini.js";
import { parseRetryAfter } from "../../src/services/retry.js";
import {
  type FakeGemini,
  geminiError,
  geminiText,
  retryInfo,
  startFakeGemini,
} from "../helpers/fake-gemini.js";

const API_KEY = "AIzaSy-test-key-0123456789-do-not-leak";
const MODEL = "gemini-test-flash";
const ANSWER = '{"headline":"Revenue up 12%","bullets":["North led"]}';

const REQUEST: SummaryRequest = {
  systemInstruction: "You are a careful sales analyst. Use only the numbers given.",
  prompt: 'Summarise these metrics.\n<metrics>\n{"revenue":1200}\n</metrics>',
  responseJsonSchema: {
    type: "object",
    properties: { headline: { type: "string" }, bullets: { type: "array", items: { type: "string" } } },
    required: ["headline", "bullets"],
  },
};

let server: FakeGemini;
let consoleOutput: string[];

beforeEach(async () => {
  server = await startFakeGemini();
  consoleOutput = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "),
      );
    });
  }
});

afterEach(async () => {
  // Whatever a test did, nothing it printed may contain the key.
  expect(consoleOutput.join("\n")).not.toContain(API_KEY);
  vi.restoreAllMocks();
  await server.close();
});

/** A model against the fake server; waits are recorded, not slept, and the clock moves with them. */
function setup(config: Partial<Omit<GeminiConfig, "apiKey">> = {}, options: GeminiModelOptions = {}) {
  const sleeps: number[] = [];
  let clock = Date.UTC(2026, 0, 15, 9, 0, 0);
  const model = createGeminiSummaryModel(
    {
      apiKey: API_KEY,
      model: MODEL,
      baseUrl: server.baseUrl,
      timeoutMs: 2_000,
      maxConcurrency: 4,
      ...config,
    },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      random: () => 0.5,
      now: () => clock,
      ...options,
    },
  );
  return { model, sleeps, now: () => clock };
}

async function failureOf(promise: Promise<unknown>): Promise<SummaryModelError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SummaryModelError);
  const failure = error as SummaryModelError;
  expect(failure.reason).toBe(failure.message);
  expect(`${failure.reason} ${failure.stack} ${JSON.stringify(failure)}`).not.toContain(API_KEY);
  return failure;
}

describe("request", () => {
  it("posts the prompt, system instruction and JSON schema to models/{model}:generateContent", async () => {
    server.enqueue(geminiText(ANSWER));
    const { model } = setup();

    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);

    expect(model.model).toBe(MODEL);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(sent?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: REQUEST.prompt }] }],
      systemInstruction: { role: "user", parts: [{ text: REQUEST.systemInstruction }] },
      generationConfig: {
        temperature: 0.2,
        maxOutputTokens: 2048,
        responseMimeType: "application/json",
        responseJsonSchema: REQUEST.responseJsonSchema,
        thinkingConfig: { thinkingLevel: "LOW" },
      },
    });
  });

  it("sends the API key only in the x-goog-api-key header", async () => {
    server.enqueue(geminiText(ANSWER));
    const { model } = setup();
    await model.generate(REQUEST);

    const sent = server.requests[0];
    expect(sent?.headers["x-goog-api-key"]).toBe(API_KEY);
    expect(sent?.url).not.toContain(API_KEY);
    expect(sent?.rawBody).not.toContain(API_KEY);
    const otherHeaders = Object.entries(sent?.headers ?? {}).filter(([name]) => name !== "x-goog-api-key");
    expect(JSON.stringify(otherHeaders)).not.toContain(API_KEY);
  });

  it("uses a thinking budget for 2.5 models and no thinking config for older ones", async () => {
    server.enqueue(geminiText(ANSWER));
    const { model } = setup({ model: "gemini-2.5-flash" });
    await model.generate(REQUEST);
    expect(server.requests[0]?.body).toMatchObject({
      generationConfig: { thinkingConfig: { thinkingBudget: 0 } },
    });

    expect(thinkingConfigFor("gemini-flash-latest")).toEqual({ thinkingLevel: "LOW" });
    expect(thinkingConfigFor("models/gemini-3.5-flash")).toEqual({ thinkingLevel: "LOW" });
    expect(thinkingConfigFor("gemini-2.5-pro")).toEqual({ thinkingBudget: 128 });
    expect(thinkingConfigFor("gemini-2.0-flash")).toBeUndefined();
    expect(thinkingConfigFor("gemma-3-27b-it")).toBeUndefined();
  });
});

describe("retries", () => {
  it("retries a 503 and returns the second answer", async () => {
    server.enqueue(geminiError(503, "UNAVAILABLE", "The model is overloaded."), geminiText(ANSWER));
    const { model, sleeps } = setup();

    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);
    expect(server.requests).toHaveLength(2);
    // Full jitter with random() = 0.5: half of the 1 s first backoff step.
    expect(sleeps).toEqual([500]);
  });

  it("gives up after 3 attempts with backoff doubling between them", async () => {
    server.setFallback(geminiError(503, "UNAVAILABLE", "The model is overloaded."));
    const { model, sleeps } = setup();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini is unavailable (HTTP 503) after 3 attempts");
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it.each([408, 500, 502, 504])("retries HTTP %i", async (status) => {
    server.enqueue(geminiError(status, "X", "transient"), geminiText(ANSWER));
    const { model } = setup();
    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);
    expect(server.requests).toHaveLength(2);
  });

  it("waits as long as a Retry-After header in seconds says", async () => {
    server.enqueue(
      geminiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", { headers: { "Retry-After": "1" } }),
      geminiText(ANSWER),
    );
    const { model, sleeps } = setup();

    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);
    expect(sleeps).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
  });

  it("understands a Retry-After HTTP date", async () => {
    const { model, sleeps, now } = setup();
    const inTwoSeconds = new Date(now() + 2_000).toUTCString();
    server.enqueue(
      geminiError(503, "UNAVAILABLE", "busy", { headers: { "Retry-After": inTwoSeconds } }),
      geminiText(ANSWER),
    );

    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);
    expect(sleeps).toEqual([2000]);
  });

  it("falls back to Google's RetryInfo.retryDelay in the error body", async () => {
    server.enqueue(
      geminiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", { details: [retryInfo("1.5s")] }),
      geminiText(ANSWER),
    );
    const { model, sleeps } = setup();

    await expect(model.generate(REQUEST)).resolves.toBe(ANSWER);
    expect(sleeps).toEqual([1500]);
  });

  it("reports a rate limit that outlasts the retries", async () => {
    server.setFallback(
      geminiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", { headers: { "Retry-After": "1" } }),
    );
    const { model, sleeps } = setup();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini rate limit reached (HTTP 429)");
    expect(sleeps).toEqual([1000, 1000]);
    expect(server.requests).toHaveLength(3);
  });

  it("retries an attempt that times out, then says how long it waited", async () => {
    server.setFallback({ ...geminiText(ANSWER), delayMs: 1_000 });
    // Each attempt really times out after 150 ms; the (10 ms, 20 ms) backoff waits are skipped.
    const { model, sleeps } = setup({ timeoutMs: 150 }, { random: () => 0.01 });

    const started = performance.now();
    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini did not answer within 150 ms");
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("retries a dropped connection and names the network error", async () => {
    const closed = await startFakeGemini();
    const deadUrl = closed.baseUrl;
    await closed.close();
    const { model, sleeps } = setup({ baseUrl: deadUrl });

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini could not be reached (ECONNREFUSED) after 3 attempts");
    expect(sleeps).toHaveLength(2);
  });
});

describe("total deadline", () => {
  it("does not wait when Retry-After points past the deadline", async () => {
    // timeoutMs 2 s -> deadline 6 s; the server asks for 120 s.
    server.setFallback(
      geminiError(429, "RESOURCE_EXHAUSTED", "Quota", { headers: { "Retry-After": "120" } }),
    );
    const { model, sleeps } = setup();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini rate limit reached (HTTP 429)");
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("stops retrying once the next wait would cross the deadline", async () => {
    // Deadline 6 s. First wait 3 s fits (3 s + 0.5 s of attempt < 6 s); the second would end at 6 s.
    server.setFallback(geminiError(503, "UNAVAILABLE", "busy", { headers: { "Retry-After": "3" } }));
    const { model, sleeps, now } = setup();
    const started = now();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini is unavailable (HTTP 503) after 2 attempts");
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
    expect(now() - started).toBeLessThanOrEqual(6_000);
  });

  it("cuts the last attempt's timeout to the time left", async () => {
    // Deadline 3 x 200 ms = 600 ms. A 450 ms wait leaves 150 ms for attempt 2, and the server
    // answers only after 300 ms, so attempt 2 times out at ~150 ms instead of 200 ms.
    server.enqueue(geminiError(503, "UNAVAILABLE", "busy", { headers: { "Retry-After": "0.45" } }), {
      ...geminiText(ANSWER),
      delayMs: 300,
    });
    let clock = 0;
    const { model } = setup(
      { timeoutMs: 200 },
      {
        now: () => clock + performance.now(),
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );

    const started = performance.now();
    const failure = await failureOf(model.generate(REQUEST));
    const elapsed = performance.now() - started;
    expect(failure.reason).toBe("Gemini did not answer within 200 ms");
    expect(server.requests).toHaveLength(2);
    expect(elapsed).toBeLessThan(195);
  });
});

describe("answers without usable text", () => {
  it("reports a blocked prompt and does not retry", async () => {
    server.enqueue({ status: 200, body: { promptFeedback: { blockReason: "SAFETY" } } });
    const { model } = setup();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini blocked the prompt (block reason: SAFETY)");
    expect(server.requests).toHaveLength(1);
  });

  it("reports no candidates", async () => {
    server.enqueue({ status: 200, body: { candidates: [] } });
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe("Gemini returned no text (no candidates)");
  });

  it("reports a candidate stopped for safety with no text", async () => {
    server.enqueue({ status: 200, body: { candidates: [{ finishReason: "SAFETY", index: 0 }] } });
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini returned no text (finish reason: SAFETY)",
    );
  });

  it("reports empty text", async () => {
    server.enqueue(geminiText("   "));
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini returned no text (finish reason: STOP)",
    );
  });

  it("rejects an answer cut off by the token limit or withheld", async () => {
    server.enqueue(geminiText('{"headline":"Reve', "MAX_TOKENS"), geminiText(ANSWER, "RECITATION"));
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini's answer was cut off (finish reason: MAX_TOKENS)",
    );
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini's answer was withheld (finish reason: RECITATION)",
    );
    expect(server.requests).toHaveLength(2);
  });

  it("does not follow a CONTINUATION answer with more requests", async () => {
    server.enqueue({
      status: 200,
      body: {
        candidates: [
          {
            content: { role: "model", parts: [{ text: '{"headline":' }] },
            finishReason: "CONTINUATION",
            continuationToken: "Y29udGludWU=",
          },
        ],
      },
    });
    server.setFallback(geminiText('"rest"}'));
    const { model } = setup();

    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini's answer was cut off (finish reason: CONTINUATION)",
    );
    expect(server.requests).toHaveLength(1);
  });

  it("reports an unreadable 200 body", async () => {
    server.enqueue({
      status: 200,
      rawBody: "<html>proxy error</html>",
      headers: { "content-type": "text/html" },
    });
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      "Gemini sent an answer that could not be read",
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("errors that are not retried", () => {
  it("does not retry a 400", async () => {
    server.setFallback(geminiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
    const { model, sleeps } = setup();

    const failure = await failureOf(model.generate(REQUEST));
    expect(failure.reason).toBe("Gemini rejected the request (HTTP 400)");
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("names a rejected API key (Google answers 400 API_KEY_INVALID or 403) without echoing it", async () => {
    server.enqueue(
      geminiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", {
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }],
      }),
      geminiError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."),
    );
    const { model } = setup();

    expect((await failureOf(model.generate(REQUEST))).reason).toBe("Gemini rejected the API key (HTTP 400)");
    expect((await failureOf(model.generate(REQUEST))).reason).toBe("Gemini rejected the API key (HTTP 403)");
    expect(server.requests).toHaveLength(2);
  });

  it("names a model that does not exist", async () => {
    server.enqueue(geminiError(404, "NOT_FOUND", `models/${MODEL} is not found for API version v1beta`));
    const { model } = setup();
    expect((await failureOf(model.generate(REQUEST))).reason).toBe(
      `Gemini model ${MODEL} was not found (HTTP 404)`,
    );
  });
});

describe("concurrency and cancellation", () => {
  it("never has more than maxConcurrency requests in flight", async () => {
    server.setFallback({ ...geminiText(ANSWER), delayMs: 40 });
    const { model } = setup({ maxConcurrency: 2 });

    const answers = await Promise.all(Array.from({ length: 6 }, () => model.generate(REQUEST)));

    expect(answers).toEqual(Array(6).fill(ANSWER));
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
  });

  it("stops at once when the caller aborts, in flight or still queued", async () => {
    server.setFallback({ ...geminiText(ANSWER), delayMs: 1_000 });
    const { model } = setup({ maxConcurrency: 1 });
    const controller = new AbortController();

    const inFlight = model.generate(REQUEST, controller.signal);
    const queued = model.generate(REQUEST, controller.signal);
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();

    expect((await failureOf(inFlight)).reason).toBe("Gemini request was cancelled");
    expect((await failureOf(queued)).reason).toBe("Gemini request was cancelled");
    // The queued call never reached the server, and the one in flight was dropped.
    expect(server.requests).toHaveLength(1);
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
  });
});

describe("helpers", () => {
  it("parses Retry-After in seconds and as an HTTP date", () => {
    const now = Date.UTC(2026, 0, 15, 9, 0, 0);
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("Thu, 15 Jan 2026 09:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Thu, 15 Jan 2026 08:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("reads RetryInfo.retryDelay from plain and string-nested error bodies", () => {
    const plain = JSON.stringify({ error: { code: 429, details: [retryInfo("30s")] } });
    expect(retryDelayFromGoogleError(new Error(plain))).toBe(30_000);
    const nested = JSON.stringify({ error: { message: plain, code: 429 } });
    expect(retryDelayFromGoogleError(new Error(nested))).toBe(30_000);
    expect(retryDelayFromGoogleError(new Error('{"error":{"code":503}}'))).toBeNull();
  });

  it("formats durations for people", () => {
    expect(formatDuration(20_000)).toBe("20 s");
    expect(formatDuration(1_500)).toBe("1.5 s");
    expect(formatDuration(250)).toBe("250 ms");
  });
});
