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

export interface Config {
  limits: Limits;
  gemini: GeminiConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
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
  };
}

/** `FOO=` in a .env file means "use the default", not "the empty string". */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}
