import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type Logger, pino } from "pino";

export type { Logger };

/**
 * Keys whose values never reach a line, at any depth and in any letter case: secrets, and e-mail
 * bodies (they hold the summary, which is the customer's data).
 */
const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "apiKey",
  "signingSecret",
  "clientSecret",
  "password",
  "authorization",
  "cookie",
  "html",
  "text",
];
const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

/** pino's own (fast, path-based) redaction of the same keys, for the first two levels of every line. */
const REDACT = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  "headers.authorization",
  "*.headers.authorization",
];

const CENSOR = "[redacted]";

/**
 * Credentials recognised by their shape wherever they appear in text (a message, an error's message
 * or stack, a URL): Slack bot/user/refresh/rotation tokens (xoxb-, xoxp-, xoxe-, xoxe.xoxp-…), Slack
 * app-level tokens (xapp-), bearer credentials, Resend keys (re_…) and Google/Gemini keys (AIza…).
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+/g, CENSOR],
  [/\bxapp-[A-Za-z0-9-]+/g, CENSOR],
  // 16+ characters: a credential, not "Bearer of news".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/gi, `$1 ${CENSOR}`],
  [/\bre_[A-Za-z0-9_]{12,}/g, CENSOR],
  [/\bAIza[A-Za-z0-9_-]{20,}/g, CENSOR],
];

/** Deeper than this, a value is summarised: no log line needs it, and a line must stay bounded. */
const MAX_DEPTH = 12;

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isErrorLike(value: object): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

/**
 * A copy of `value` that is safe to log: secret keys censored and credentials scrubbed from strings
 * at any depth, errors turned into plain objects by pino's err serializer (type, message, stack with
 * causes, code, data and other own fields), cycles shown as "[Circular]". Never throws. Hand-written
 * because pino's redaction (fast-redact) only knows fixed paths, not "any depth" or values in text.
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, new Set(), 0);
}

function walk(value: unknown, ancestors: Set<object>, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? "[Array]" : "[Object]";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${value.byteLength} bytes]`;
  ancestors.add(value);
  try {
    if (isErrorLike(value)) return walk(pino.stdSerializers.err(value), ancestors, depth);
    if (Array.isArray(value)) return value.map((item) => walk(item, ancestors, depth + 1));
    if (value instanceof Map) return walk(Object.fromEntries(value), ancestors, depth);
    if (value instanceof Set) return walk([...value], ancestors, depth);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      let field: unknown;
      try {
        field = (value as Record<string, unknown>)[key];
      } catch {
        field = "[unreadable]"; // a throwing getter must not take the log line down
      }
      out[key] = SECRET_KEY_SET.has(key.toLowerCase()) ? CENSOR : walk(field, ancestors, depth + 1);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function serializeError(value: unknown): unknown {
  return typeof value === "object" && value !== null && isErrorLike(value) ? redactSecrets(value) : value;
}

export function createLogger(
  options: { level: string; destination?: NodeJS.WritableStream } = { level: "info" },
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "sales-insight-bot" },
      redact: { paths: REDACT, censor: CENSOR },
      // The hook below has already turned errors into plain objects in pino's shape; pino's default
      // err serializer would take them for errors again and rename their type "Object".
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        // Every argument of every call (the merged object, the message, format arguments) is scrubbed
        // before pino sees it: a token nested deep in an object or quoted in an error never reaches a line.
        logMethod(args, method) {
          if (args.length === 0) return method.apply(this, args);
          let [first, ...rest] = args as unknown[];
          // pino files an Error passed first under `err` (its message as the line's message when none
          // is given); once copied to a plain object it could not tell, so that is done here.
          if (typeof first === "object" && first !== null && isErrorLike(first)) {
            if (rest.length === 0) rest = [first.message];
            first = { err: first };
          }
          return method.apply(this, [first, ...rest].map(redactSecrets) as Parameters<typeof method>);
        },
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

/**
 * Bolt's logger interface on top of pino, so Bolt's own lines are JSON and redacted too. Bolt passes
 * any mix of strings, errors and objects: strings become the message, the first error the `err`
 * field (pino's shape), anything else `args`.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "bolt" });
  let level: LogLevel = LogLevel.INFO;
  const forward =
    (method: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]): void => {
      const words: string[] = [];
      const errors: unknown[] = [];
      const others: unknown[] = [];
      for (const part of msg) {
        if (typeof part === "string") words.push(part);
        else if (typeof part === "object" && part !== null && isErrorLike(part)) errors.push(part);
        else others.push(part);
      }
      const fields: Record<string, unknown> = {};
      if (errors.length > 0) fields.err = errors[0];
      if (errors.length > 1) fields.moreErrors = errors.slice(1);
      if (others.length > 0) fields.args = others;
      // Scrubbed here as well, so the adapter is safe on any pino logger, not only createLogger's.
      child[method](redactSecrets(fields) as object, redactText(words.join(" ")));
    };
  return {
    debug: forward("debug"),
    info: forward("info"),
    warn: forward("warn"),
    error: forward("error"),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
