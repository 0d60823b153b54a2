import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type Logger, pino } from "pino";

export type { Logger };

/**
 * One JSON line per event. Secrets never reach a line: known secret-bearing keys are redacted wherever
 * they appear, and e-mail bodies are dropped (they hold the summary, which is the customer's data).
 */
const REDACT = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "apiKey",
  "*.apiKey",
  "signingSecret",
  "*.signingSecret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "html",
  "*.html",
  "text",
  "*.text",
];

export function createLogger(
  options: { level: string; destination?: NodeJS.WritableStream } = { level: "info" },
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "sales-insight-bot" },
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

/** Bolt's logger interface on top of pino, so Bolt's own lines are JSON and redacted too. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "bolt" });
  let level: LogLevel = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
