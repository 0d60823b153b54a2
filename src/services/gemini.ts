import {
  ApiError,
  type Fetch,
  FinishReason,
  type GenerateContentConfig,
  type GenerateContentResponse,
  GoogleGenAI,
  type ThinkingConfig,
  ThinkingLevel,
} from "@google/genai";
import pLimit from "p-limit";
import type { GeminiConfig } from "../config.js";
import type { ColumnClassifier } from "../pipeline/columns/classify.js";
import { parseColumnAnswer } from "../pipeline/columns/classify-answer.js";
import { type SummaryModel, SummaryModelError, type SummaryRequest } from "../pipeline/summary/model.js";
import { abortableSleep, defaultSleep, parseRetryAfter } from "./retry.js";

/**
 * Gemini behind the SummaryModel and ColumnClassifier interfaces, via @google/genai v2.
 *
 * Retries are ours, not the SDK's. The SDK only retries when `httpOptions.retryOptions` is set
 * (`ApiClient.apiCall` does a single fetch otherwise), and its retries (p-retry) neither honour
 * Retry-After nor respect a total deadline. So we leave `retryOptions` unset and loop here.
 *
 * What the SDK tells us about a failure (checked in @google/genai 2.32 `dist/node/index.mjs`):
 * `ApiError` has only `message` and `status`; the message is `JSON.stringify` of the error body
 * (`{"error":{"code":429,"message":...,"status":"RESOURCE_EXHAUSTED","details":[...]}}`), and the
 * response headers are dropped. To still see a `Retry-After` header we hand the SDK a per-request
 * `httpOptions.fetch` (a public option) that notes the header before returning the Response
 * untouched. When there is no header we fall back to Google's own hint, the
 * `type.googleapis.com/google.rpc.RetryInfo` detail (`"retryDelay": "30s"`) in the error body.
 * Side effect of a custom fetch: the SDK then skips the undici dispatcher it uses to lift undici's
 * default 300 s header/body timeouts, which only matters for GEMINI_TIMEOUT_MS above 300 s.
 *
 * Time limits: `httpOptions.timeout` is per request in SDK v2 (a fresh abort signal per fetch, also
 * covering the body read; the SDK sends it to Google as `x-server-timeout` too). We pass it per
 * call, cut to what is left of the call's total deadline (GEMINI_DEADLINE_FACTOR x timeoutMs).
 */

export const GEMINI_MAX_ATTEMPTS = 3;
/** The whole call (all attempts and waits) must end within this many per-attempt timeouts. */
export const GEMINI_DEADLINE_FACTOR = 3;
/** Same list the SDK would retry on. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 8_000;
const TEMPERATURE = 0.2;
/** Generous for a JSON summary, yet bounded; thinking tokens can count against it too. */
const MAX_OUTPUT_TOKENS = 2_048;

export interface GeminiModelOptions {
  /** Waits between attempts (tests inject one that records the delay and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); drives the backoff jitter. */
  random?: () => number;
  /** Epoch ms; used for the total deadline and for Retry-After HTTP dates. */
  now?: () => number;
}

/** One kind of call's budget: how many attempts, how long each, and how long in all. */
interface CallBudget {
  maxAttempts: number;
  timeoutMs: number;
  deadlineMs: number;
}

/** A JSON-answering Gemini call with our retries; shared by the summary model and the column classifier. */
export interface GeminiClient {
  readonly model: string;
  /** The answer's text; rejects with SummaryModelError when no usable answer came within the budget. */
  generateJson(request: SummaryRequest, budget: CallBudget, signal?: AbortSignal): Promise<string>;
}

/**
 * One client for the process: every call shares one SDK client and one limiter of size
 * `config.maxConcurrency`. A call holds its slot across its retries and waits, so a process being
 * rate-limited backs off as a whole instead of letting queued calls pile on; the call's deadline
 * starts when it gets its slot.
 */
export function createGeminiClient(
  config: GeminiConfig & { apiKey: string },
  options: GeminiModelOptions = {},
): GeminiClient {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const ai = new GoogleGenAI({
    apiKey: config.apiKey,
    // Explicit, so GOOGLE_GENAI_USE_VERTEXAI / _ENTERPRISE in the environment cannot reroute us.
    vertexai: false,
    httpOptions: {
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      timeout: config.timeoutMs,
      // No retryOptions: the SDK then makes exactly one request per generateContent call.
    },
  });
  const limit = pLimit(config.maxConcurrency);
  const thinkingConfig = thinkingConfigFor(config.model);

  async function attempt(request: SummaryRequest, signal: AbortSignal | undefined, timeoutMs: number) {
    let retryAfterHeader: string | null = null;
    const noteRetryAfter: Fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!response.ok) retryAfterHeader = response.headers.get("retry-after");
      return response;
    };
    const generationConfig: GenerateContentConfig = {
      systemInstruction: request.systemInstruction,
      responseMimeType: "application/json",
      responseJsonSchema: request.responseJsonSchema,
      temperature: TEMPERATURE,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      ...(thinkingConfig ? { thinkingConfig } : {}),
      // Off so that one attempt is exactly one HTTP request, bounded by its timeout (and counted
      // by the concurrency cap and the retry budget). With it on, a response ending in
      // finishReason CONTINUATION makes the SDK send follow-up requests, each with a fresh timeout.
      automaticContinuation: false,
      ...(signal ? { abortSignal: signal } : {}),
      httpOptions: { timeout: timeoutMs, fetch: noteRetryAfter },
    };
    let response: GenerateContentResponse;
    try {
      response = await ai.models.generateContent({
        model: config.model,
        contents: request.prompt,
        config: generationConfig,
      });
    } catch (error) {
      throw new AttemptFailure(classify(error), error, retryAfterHeader);
    }
    return textOf(response);
  }

  async function generateWithRetries(
    request: SummaryRequest,
    budget: CallBudget,
    signal?: AbortSignal,
  ): Promise<string> {
    if (signal?.aborted) throw cancelled(signal);
    // The deadline is enforced without a timer of its own: each attempt's timeout is cut to the
    // time left, and a wait that would not leave room for a useful attempt ends the call instead.
    const deadline = now() + budget.deadlineMs;
    for (let attemptNo = 1; ; attemptNo++) {
      const timeoutMs = Math.max(1, Math.min(budget.timeoutMs, deadline - now()));
      const outcome = await attempt(request, signal, timeoutMs).catch((error: unknown) => {
        if (signal?.aborted) throw cancelled(signal, error);
        if (error instanceof AttemptFailure) return error;
        throw error;
      });
      if (typeof outcome === "string") return outcome;
      const failure = outcome;
      const giveUp = () =>
        new SummaryModelError(describe(failure.kind, attemptNo, config, budget.timeoutMs), {
          cause: failure.cause,
        });
      if (!failure.kind.retryable || attemptNo >= budget.maxAttempts) throw giveUp();
      const hintMs =
        parseRetryAfter(failure.retryAfterHeader, now()) ?? retryDelayFromGoogleError(failure.cause);
      const waitMs = Math.max(0, Math.round(hintMs ?? backoffMs(attemptNo, random)));
      const minUsefulAttemptMs = Math.min(1_000, budget.timeoutMs / 4);
      if (now() + waitMs + minUsefulAttemptMs > deadline) throw giveUp();
      await abortableSleep(sleep, waitMs, signal);
      if (signal?.aborted) throw cancelled(signal);
    }
  }

  return {
    model: config.model,
    generateJson(request, budget, signal) {
      const queued = limit(() => generateWithRetries(request, budget, signal));
      return signal ? raceAbort(queued, signal) : queued;
    },
  };
}

/** The executive summary writer: up to 3 attempts of GEMINI_TIMEOUT_MS each, within 3 of them in all. */
export function createGeminiSummaryModel(
  config: GeminiConfig & { apiKey: string },
  options: GeminiModelOptions = {},
  client: GeminiClient = createGeminiClient(config, options),
): SummaryModel {
  const budget: CallBudget = {
    maxAttempts: GEMINI_MAX_ATTEMPTS,
    timeoutMs: config.timeoutMs,
    deadlineMs: GEMINI_DEADLINE_FACTOR * config.timeoutMs,
  };
  return {
    model: client.model,
    generate: (request, signal) => client.generateJson(request, budget, signal),
  };
}

/**
 * The whole column classification, queueing behind other Gemini calls included, ends within this:
 * it is asked while the user waits for the analysis, and the heuristics are a fine answer too.
 */
export const COLUMN_CLASSIFY_DEADLINE_MS = 8_000;
/** One retry at most (a 503 or a dropped connection), and only when it fits in the deadline. */
const COLUMN_CLASSIFY_ATTEMPTS = 2;

export interface ColumnClassifierOptions extends GeminiModelOptions {
  /** Default COLUMN_CLASSIFY_DEADLINE_MS. */
  deadlineMs?: number;
  /** Told why a classification gave nothing (for logs); the caller just gets null. */
  onFailure?: (reason: string) => void;
}

/**
 * Gemini as a ColumnClassifier: headers and statistics in (built by the pipeline), a role -> column
 * answer out, validated strictly. Any failure (error, timeout, malformed answer) is null, so the
 * heuristic reading stands and the user still gets the analysis.
 */
export function createGeminiColumnClassifier(
  config: GeminiConfig & { apiKey: string },
  options: ColumnClassifierOptions = {},
  client: GeminiClient = createGeminiClient(config, options),
): ColumnClassifier {
  const deadlineMs = options.deadlineMs ?? COLUMN_CLASSIFY_DEADLINE_MS;
  const budget: CallBudget = {
    maxAttempts: COLUMN_CLASSIFY_ATTEMPTS,
    timeoutMs: Math.min(config.timeoutMs, deadlineMs),
    deadlineMs,
  };
  return {
    async classify(request, signal) {
      // The budget's deadline starts once a slot is free; this one also covers the wait for it.
      const overall = AbortSignal.timeout(deadlineMs);
      const combined = signal ? AbortSignal.any([signal, overall]) : overall;
      let text: string;
      try {
        text = await client.generateJson(request, budget, combined);
      } catch (error) {
        const reason = error instanceof SummaryModelError ? error.reason : "Gemini call failed";
        options.onFailure?.(
          overall.aborted ? `Gemini did not answer within ${formatDuration(deadlineMs)}` : reason,
        );
        return null;
      }
      const answer = parseColumnAnswer(text, request.columnCount);
      if (!answer) options.onFailure?.("Gemini's answer did not follow the column schema");
      return answer;
    },
  };
}

/** The summary model and the column classifier on one client (one connection pool, one concurrency cap). */
export function createGeminiServices(
  config: GeminiConfig & { apiKey: string },
  options: ColumnClassifierOptions = {},
): { summaryModel: SummaryModel; columnClassifier: ColumnClassifier } {
  const client = createGeminiClient(config, options);
  return {
    summaryModel: createGeminiSummaryModel(config, options, client),
    columnClassifier: createGeminiColumnClassifier(config, options, client),
  };
}

/**
 * Gemini 3.x (and the `-latest` aliases, which follow it) take `thinkingLevel`; 2.5 took
 * `thinkingBudget` (0 switches thinking off on Flash/Flash-Lite, Pro needs at least 128); older
 * and non-Gemini models get no thinking config at all.
 */
export function thinkingConfigFor(model: string): ThinkingConfig | undefined {
  const name = model.replace(/^models\//, "");
  if (!name.startsWith("gemini-") || /^gemini-(1\.|2\.0)/.test(name)) return undefined;
  if (name.startsWith("gemini-2.5-pro")) return { thinkingBudget: 128 };
  if (name.startsWith("gemini-2.5")) return { thinkingBudget: 0 };
  return { thinkingLevel: ThinkingLevel.LOW };
}

/**
 * Google's `RetryInfo.retryDelay` (a protobuf Duration such as "30s" or "1.5s") from an SDK error,
 * in milliseconds. The SDK puts the JSON error body in `ApiError.message`; a regex rather than a
 * walk through `details` also copes with bodies that nest the JSON in a string (seen via proxies).
 */
export function retryDelayFromGoogleError(error: unknown): number | null {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  const match = /retryDelay\\*"\s*:\s*\\*"(\d+(?:\.\d+)?)s\\*"/.exec(message);
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : null;
}

// ---------------------------------------------------------------------------------------------

type FailureKind =
  | { type: "http"; status: number; retryable: boolean; apiKeyRejected: boolean }
  | { type: "timeout"; retryable: true }
  | { type: "network"; code: string | null; retryable: true }
  | { type: "answer"; reason: string; retryable: false }
  | { type: "unreadable"; retryable: false };

class AttemptFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    override readonly cause: unknown,
    readonly retryAfterHeader: string | null,
  ) {
    super(kind.type);
  }
}

/** No usable text in a 200 answer: not retried (the same prompt would most likely fare the same). */
class NoAnswer extends Error {}

function classify(error: unknown): FailureKind {
  if (error instanceof NoAnswer) return { type: "answer", reason: error.message, retryable: false };
  if (error instanceof ApiError || (isErrorNamed(error, "ApiError") && hasNumericStatus(error))) {
    const status = (error as ApiError).status;
    return {
      type: "http",
      status,
      retryable: RETRYABLE_STATUSES.has(status),
      apiKeyRejected:
        status === 401 || status === 403 || /API_KEY_INVALID|API key not valid/.test(error.message),
    };
  }
  // The SDK aborts its per-attempt controller without a reason, so fetch (or the body read) rejects
  // with a DOMException named AbortError; our own signals are checked by the caller before this.
  if (isErrorNamed(error, "AbortError") || isErrorNamed(error, "TimeoutError")) {
    return { type: "timeout", retryable: true };
  }
  // undici reports connection failures as `TypeError: fetch failed` (cause: ECONNREFUSED, ...) and a
  // connection dropped mid-body as `TypeError: terminated`.
  if (error instanceof TypeError) return { type: "network", code: networkCode(error), retryable: true };
  return { type: "unreadable", retryable: false };
}

function describe(kind: FailureKind, attempts: number, config: GeminiConfig, timeoutMs: number): string {
  switch (kind.type) {
    case "answer":
      return kind.reason;
    case "timeout":
      return `Gemini did not answer within ${formatDuration(timeoutMs)}`;
    case "network":
      return `Gemini could not be reached${kind.code ? ` (${kind.code})` : ""} after ${plural(attempts, "attempt")}`;
    case "unreadable":
      return "Gemini sent an answer that could not be read";
    case "http": {
      const { status } = kind;
      if (status === 429) return "Gemini rate limit reached (HTTP 429)";
      if (kind.apiKeyRejected) return `Gemini rejected the API key (HTTP ${status})`;
      if (status === 404) return `Gemini model ${config.model} was not found (HTTP 404)`;
      if (kind.retryable)
        return `Gemini is unavailable (HTTP ${status}) after ${plural(attempts, "attempt")}`;
      if (status >= 500) return `Gemini failed (HTTP ${status})`;
      return `Gemini rejected the request (HTTP ${status})`;
    }
  }
}

/** The answer's text, or NoAnswer saying why there is none (blocked prompt, safety stop, ...). */
function textOf(response: GenerateContentResponse): string {
  try {
    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason) throw new NoAnswer(`Gemini blocked the prompt (block reason: ${blockReason})`);
    const candidate = response.candidates?.[0];
    if (!candidate) throw new NoAnswer("Gemini returned no text (no candidates)");
    const finishReason = candidate.finishReason;
    const text = response.text;
    if (text === undefined || text.trim() === "") {
      throw new NoAnswer(`Gemini returned no text (finish reason: ${finishReason ?? "none"})`);
    }
    if (finishReason === FinishReason.MAX_TOKENS || finishReason === FinishReason.CONTINUATION) {
      throw new NoAnswer(`Gemini's answer was cut off (finish reason: ${finishReason})`);
    }
    if (finishReason && finishReason !== FinishReason.STOP) {
      throw new NoAnswer(`Gemini's answer was withheld (finish reason: ${finishReason})`);
    }
    return text;
  } catch (error) {
    throw new AttemptFailure(classify(error), error, null);
  }
}

function cancelled(signal: AbortSignal, cause?: unknown): SummaryModelError {
  return new SummaryModelError("Gemini request was cancelled", { cause: cause ?? signal.reason });
}

/** Backoff with full jitter: uniform in [0, min(cap, base * 2^(n-1))) after the n-th failure. */
function backoffMs(failedAttempt: number, random: () => number): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failedAttempt - 1));
}

/** A call still queued behind the concurrency cap rejects as soon as its caller aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(cancelled(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(cancelled(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function isErrorNamed(error: unknown, name: string): error is Error {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

function hasNumericStatus(error: Error): boolean {
  return typeof (error as { status?: unknown }).status === "number";
}

function networkCode(error: TypeError): string | null {
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === "string" && /^[A-Z_]+$/.test(cause.code)) return cause.code;
  return null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "20 s", "1.5 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1_000).toFixed(1))} s`;
}
