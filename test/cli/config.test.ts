import { describe, expect, it } from "vitest";
import { loadCliConfig } from "../../src/cli/config.js";
import { loadConfig } from "../../src/config.js";

const LIMIT_VARIABLES = [
  "MAX_FILE_MB",
  "MAX_ROWS",
  "MAX_COLUMNS",
  "MAX_XLSX_UNCOMPRESSED_MB",
  "MAX_XLSX_ENTRIES",
] as const;

/** Plain and not, valid and not, at and past each maximum. */
const VALUES = [
  "",
  "  ",
  "1",
  "7",
  " 12 ",
  "0",
  "00",
  "-5",
  "+5",
  "2.5",
  "0.5",
  ".5",
  "5.",
  "1e3",
  "0x10",
  "abc",
  "2048",
  "2049",
  "16384",
  "16385",
  "999999999999999",
  "99999999999999999999",
];

/** The CLI's result, or the message it was refused with: what the user would see either way. */
async function cliOutcome(env: NodeJS.ProcessEnv, offline = true) {
  try {
    return await loadCliConfig(env, { offline });
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function fullOutcome(env: NodeJS.ProcessEnv, offline = true) {
  try {
    const config = loadConfig(env);
    const { apiKey } = config.gemini;
    return { limits: config.limits, gemini: apiKey && !offline ? { ...config.gemini, apiKey } : null };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

describe("the CLI's settings", () => {
  it.each(LIMIT_VARIABLES)("read %s as src/config.ts does, for every kind of value", async (name) => {
    for (const value of VALUES) {
      const env = { [name]: value };
      expect(await cliOutcome(env), `${name}=${JSON.stringify(value)}`).toEqual(fullOutcome(env));
    }
  });

  it("agree with src/config.ts on combinations of settings", async () => {
    // A fixed pseudo-random walk over combinations, so a failure is reproducible.
    let seed = 12345;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const env: NodeJS.ProcessEnv = {};
      for (const name of LIMIT_VARIABLES) if (next(2) === 0) env[name] = VALUES[next(VALUES.length)];
      if (next(3) === 0) env.GEMINI_API_KEY = next(2) === 0 ? "key-123" : " ";
      if (next(4) === 0) env.GEMINI_TIMEOUT_MS = next(2) === 0 ? "5000" : "soon";
      const offline = next(2) === 0;
      expect(await cliOutcome(env, offline), JSON.stringify({ env, offline })).toEqual(
        fullOutcome(env, offline),
      );
    }
  });

  it("use Gemini's settings when a key is set and the run is not offline", async () => {
    const env = { GEMINI_API_KEY: "key-123", GEMINI_MODEL: "gemini-test", GEMINI_TIMEOUT_MS: "1234" };
    expect((await loadCliConfig(env, { offline: false })).gemini).toMatchObject({
      apiKey: "key-123",
      model: "gemini-test",
      timeoutMs: 1234,
    });
    expect((await loadCliConfig(env, { offline: true })).gemini).toBeNull();
  });
});
