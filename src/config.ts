import { z } from "zod";
import type { Limits } from "./pipeline/limits.js";

/** The only module that reads process.env. Every variable is documented in the README. */
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  MAX_FILE_MB: z.coerce.number().positive().max(2048).default(50),
  MAX_ROWS: positiveInt.default(1_000_000),
  MAX_COLUMNS: positiveInt.max(16_384).default(500),
  MAX_XLSX_UNCOMPRESSED_MB: z.coerce.number().positive().default(500),
  MAX_XLSX_ENTRIES: positiveInt.default(10_000),
  GEMINI_API_KEY: z.string().optional(),
  // An alias that follows Google's current Flash model, so a model retirement never breaks the bot.
  GEMINI_MODEL: z
    .string()
    .regex(/^[\w.-]+$/, "must be a model name such as gemini-flash-latest")
    .default("gemini-flash-latest"),
  GEMINI_BASE_URL: z.url().optional(),
  GEMINI_TIMEOUT_MS: positiveInt.max(600_000).default(20_000),
  GEMINI_MAX_CONCURRENCY: positiveInt.max(64).default(4),
  // The Slack app (npm start). The CLI needs none of these.
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, "must be a bot token starting with xoxb-")
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "must be an app-level token starting with xapp-")
    .optional(),
  SLACK_API_URL: z.url().default("https://slack.com/api/"),
  PORT: positiveInt.max(65_535).default(3000),
  ALLOWED_USER_IDS: z.string().default(""),
  // Empty: only the workspace the app is installed in (auth.test), so Slack Connect guests from
  // other organisations never pass just because ALLOWED_USER_IDS is "*".
  ALLOWED_TEAM_IDS: z.string().default(""),
  ALLOWED_CHANNEL_IDS: z.string().default(""),
  ALLOWED_EMAIL_DOMAINS: z.string().default(""),
  DEFAULT_EMAIL_TO: z.string().default(""),
  RESEND_API_KEY: z.string().regex(/^re_/, "must be a Resend API key starting with re_").optional(),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().default("Sales Insight Bot <insights@example.com>"),
  DATA_DIR: z.string().default("./data"),
  // Set: state lives in this PostgreSQL database, shared by every instance; unset: SQLite in DATA_DIR.
  // The messages never echo the value: it holds a password.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL starting with postgres:// or postgresql://")
    .refine(
      (url) => URL.canParse(url),
      "is not a valid URL (a special character in the password must be %-encoded)",
    )
    .optional(),
  MAX_CONCURRENT_JOBS: positiveInt.max(64).default(2),
  USER_JOBS_PER_HOUR: positiveInt.max(10_000).default(60),
  USER_MAX_CONCURRENT_JOBS: positiveInt.max(64).default(1),
  SHUTDOWN_TIMEOUT_MS: positiveInt.max(600_000).default(25_000),
  DATA_RETENTION_DAYS: positiveInt.max(3650).default(90),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // The shared job queue (BullMQ). Unset: jobs wait and run in the process that received them.
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, "must be letters, digits, '.', '_' or '-'")
    .default("sib"),
});

export interface GeminiConfig {
  /** Absent: summaries are written offline and nothing is sent anywhere. */
  apiKey: string | null;
  model: string;
  baseUrl: string | null;
  /** Per attempt; the whole call (retries included) gets a few times this. */
  timeoutMs: number;
  maxConcurrency: number;
}

/** `*` means anyone; an empty list means no one (deny by default). */
export interface Allowlist {
  anyone: boolean;
  values: ReadonlySet<string>;
}

export function isAllowed(list: Allowlist, value: string): boolean {
  return list.anyone || list.values.has(value);
}

export interface SlackConfig {
  botToken: string;
  /** Required in HTTP mode, where Bolt checks every request's signature with it. */
  signingSecret: string | null;
  /** Set: Socket Mode (no public URL). Unset: HTTP mode on PORT. */
  appToken: string | null;
  apiUrl: string;
  port: number;
  allowedUsers: Allowlist;
  /** Workspaces (team ids) whose people may use the bot; null: the installing workspace only. */
  allowedTeams: Allowlist | null;
  allowedChannels: Allowlist;
  allowedEmailDomains: Allowlist;
  defaultEmailTo: string[];
}

export interface EmailConfig {
  /** Unset: every e-mail is written as an .eml file under DATA_DIR/outbox instead of being sent. */
  resendApiKey: string | null;
  resendBaseUrl: string | null;
  from: string;
  outboxDir: string;
}

export interface Config {
  limits: Limits;
  gemini: GeminiConfig;
  email: EmailConfig;
  dataDir: string;
  logLevel: string;
}

export interface AppConfig extends Config {
  slack: SlackConfig;
  jobs: {
    maxConcurrent: number;
    perUserConcurrent: number;
    perUserPerHour: number;
    shutdownTimeoutMs: number;
  };
  /** Where jobs wait: null for this process's memory, else BullMQ on this Redis. */
  queue: { redisUrl: string; prefix: string } | null;
  /** Jobs, analyses, summaries and the e-mail audit trail older than this are purged. */
  retentionDays: number;
  /** PostgreSQL connection URL (it holds the password: log it only through describeStore); null: SQLite in dataDir. */
  databaseUrl: string | null;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return toConfig(parseEnv(env));
}

/** Everything the Slack app needs; stops with a message naming the variable when something is missing. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = parseEnv(env);
  if (!e.SLACK_BOT_TOKEN)
    throw new ConfigError("Invalid configuration: SLACK_BOT_TOKEN is required (xoxb-...)");
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      "Invalid configuration: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  // Jobs queued in Redis are run by any instance, which loads them from the store: a store in one
  // instance's local SQLite file would leave the others nothing to load.
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL needs DATABASE_URL as well (a shared job queue needs a shared database: instances cannot read each other's SQLite file)",
    );
  }
  const defaultEmailTo = list(e.DEFAULT_EMAIL_TO);
  const badDefault = defaultEmailTo.find((a) => !z.email().safeParse(a).success);
  if (badDefault)
    throw new ConfigError(
      `Invalid configuration: DEFAULT_EMAIL_TO: "${badDefault}" is not an e-mail address`,
    );
  return {
    ...toConfig(e),
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET ?? null,
      appToken: e.SLACK_APP_TOKEN ?? null,
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      port: e.PORT,
      allowedUsers: allowlist(e.ALLOWED_USER_IDS),
      allowedTeams:
        e.ALLOWED_TEAM_IDS === undefined || list(e.ALLOWED_TEAM_IDS).length === 0
          ? null
          : allowlist(e.ALLOWED_TEAM_IDS),
      allowedChannels: allowlist(e.ALLOWED_CHANNEL_IDS),
      allowedEmailDomains: allowlist(e.ALLOWED_EMAIL_DOMAINS.toLowerCase()),
      defaultEmailTo,
    },
    jobs: {
      maxConcurrent: e.MAX_CONCURRENT_JOBS,
      perUserConcurrent: e.USER_MAX_CONCURRENT_JOBS,
      perUserPerHour: e.USER_JOBS_PER_HOUR,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    queue: e.REDIS_URL ? { redisUrl: e.REDIS_URL, prefix: e.QUEUE_PREFIX } : null,
    retentionDays: e.DATA_RETENTION_DAYS,
    databaseUrl: e.DATABASE_URL ?? null,
  };
}

type Env = z.infer<typeof envSchema>;

function parseEnv(env: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

function toConfig(e: Env): Config {
  return {
    limits: {
      maxFileBytes: Math.round(e.MAX_FILE_MB * 1024 * 1024),
      maxRows: e.MAX_ROWS,
      maxColumns: e.MAX_COLUMNS,
      maxXlsxUncompressedBytes: Math.round(e.MAX_XLSX_UNCOMPRESSED_MB * 1024 * 1024),
      maxXlsxEntries: e.MAX_XLSX_ENTRIES,
    },
    gemini: {
      apiKey: e.GEMINI_API_KEY ?? null,
      model: e.GEMINI_MODEL,
      baseUrl: e.GEMINI_BASE_URL ?? null,
      timeoutMs: e.GEMINI_TIMEOUT_MS,
      maxConcurrency: e.GEMINI_MAX_CONCURRENCY,
    },
    email: {
      resendApiKey: e.RESEND_API_KEY ?? null,
      resendBaseUrl: e.RESEND_BASE_URL ?? null,
      from: e.EMAIL_FROM,
      outboxDir: `${e.DATA_DIR.replace(/\/$/, "")}/outbox`,
    },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
  };
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function allowlist(value: string): Allowlist {
  const values = list(value);
  return { anyone: values.includes("*"), values: new Set(values.filter((v) => v !== "*")) };
}

/** `FOO=` in a .env file means "use the default", not "the empty string". */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}
