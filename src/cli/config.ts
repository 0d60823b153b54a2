import type { GeminiConfig } from "../config.js";
import type { Limits } from "../pipeline/limits.js";

/** What one CLI run needs from the environment. */
export interface CliConfig {
  limits: Limits;
  /** Null: the summary is written offline (no key, or --offline). */
  gemini: (GeminiConfig & { apiKey: string }) | null;
}

/**
 * The CLI's settings. src/config.ts validates every variable with zod, whose ~95 modules cost about
 * 65 ms of CPU at start-up (measured: a third of a small file's whole run). An offline run reads
 * only the five limits, so when each of them is unset or a plain in-range number this reads them
 * directly; anything else (a Gemini key in use, a value such as "0x10", "1e3" or "-5") goes through
 * loadConfig, which gives the same values and the same error messages as before.
 * test/cli/config.test.ts checks that both paths agree.
 */
export async function loadCliConfig(
  env: NodeJS.ProcessEnv,
  options: { offline: boolean },
): Promise<CliConfig> {
  const wantsModel = !options.offline && setting(env, "GEMINI_API_KEY") !== undefined;
  const limits = wantsModel ? null : plainLimits(env);
  if (limits) return { limits, gemini: null };
  const { loadConfig } = await import("../config.js");
  const config = loadConfig(env);
  const { apiKey } = config.gemini;
  return { limits: config.limits, gemini: apiKey && !options.offline ? { ...config.gemini, apiKey } : null };
}

/** src/config.ts throws a ConfigError; matched by name so the CLI need not load that module to catch it. */
export function isConfigError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ConfigError";
}

/** The limits when every one is unset or plain; null when loadConfig must judge (and maybe refuse) a value. */
function plainLimits(env: NodeJS.ProcessEnv): Limits | null {
  const fileMb = plainNumber(env, "MAX_FILE_MB", 50, { max: 2048, integer: false });
  const rows = plainNumber(env, "MAX_ROWS", 1_000_000, { integer: true });
  const columns = plainNumber(env, "MAX_COLUMNS", 500, { max: 16_384, integer: true });
  const xlsxMb = plainNumber(env, "MAX_XLSX_UNCOMPRESSED_MB", 500, { integer: false });
  const xlsxEntries = plainNumber(env, "MAX_XLSX_ENTRIES", 10_000, { integer: true });
  if (fileMb === null || rows === null || columns === null || xlsxMb === null || xlsxEntries === null)
    return null;
  return {
    maxFileBytes: Math.round(fileMb * 1024 * 1024),
    maxRows: rows,
    maxColumns: columns,
    maxXlsxUncompressedBytes: Math.round(xlsxMb * 1024 * 1024),
    maxXlsxEntries: xlsxEntries,
  };
}

const PLAIN_INTEGER = /^\d{1,15}$/;
const PLAIN_DECIMAL = /^\d{1,15}(?:\.\d{1,15})?$/;

function plainNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  rule: { max?: number; integer: boolean },
): number | null {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  if (!(rule.integer ? PLAIN_INTEGER : PLAIN_DECIMAL).test(raw)) return null;
  const value = Number(raw);
  return value > 0 && value <= (rule.max ?? Number.MAX_SAFE_INTEGER) ? value : null;
}

/** As in src/config.ts: a value is trimmed, and a blank one means "use the default". */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}
