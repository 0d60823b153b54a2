import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { AMBIGUOUS_ANSWER, ambiguousTable, answerText } from "../helpers/column-help.js";
import { type FakeGemini, geminiError, geminiText, startFakeGemini } from "../helpers/fake-gemini.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();
let gemini: FakeGemini;

beforeEach(async () => {
  gemini = await startFakeGemini();
  // Anything not scripted (the summary) is refused at once, so the summary is written offline.
  gemini.setFallback(geminiError(400, "INVALID_ARGUMENT", "not scripted"));
});
afterEach(async () => {
  await gemini.close();
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

const env = () => ({
  GEMINI_API_KEY: "test-key",
  GEMINI_BASE_URL: gemini.baseUrl,
  GEMINI_MODEL: "gemini-test",
});

describe("the CLI asks Gemini about unsure columns", () => {
  it("--json says reason gemini for the columns Gemini settled", async () => {
    const table = ambiguousTable();
    const path = files.write("ambiguous.csv", table.csv);
    gemini.enqueue(geminiText(answerText(AMBIGUOUS_ANSWER)));
    const { code, stdout } = await run(["analyze", path, "--json"], env());
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.columns.revenue).toBe("col6");
    expect(json.columnReason).toMatchObject({ revenue: "gemini", units: "gemini", date: "content" });
    expect(json.totalRevenue).toBe(table.revenueTotal);
    // The first request is the column question: statistics, no cell.
    expect(gemini.requests[0]?.rawBody).toContain("<columns>");
    expect(gemini.requests[0]?.rawBody).not.toContain(table.cells[0]?.[3]);
  });

  it("the text report shows Gemini's reading", async () => {
    const path = files.write("ambiguous-text.csv", ambiguousTable().csv);
    gemini.enqueue(geminiText(answerText(AMBIGUOUS_ANSWER)));
    const { code, stdout } = await run(["analyze", path], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/col6.*suggested by Gemini/);
  });

  it("--offline asks nothing: the values alone decide", async () => {
    const path = files.write("ambiguous-offline.csv", ambiguousTable().csv);
    const { code, stdout } = await run(["analyze", path, "--json", "--offline"], env());
    expect(code).toBe(0);
    expect(gemini.requests).toHaveLength(0);
    expect(JSON.parse(stdout).columnReason.revenue).toBe("content");
  });

  it("Gemini down: the analysis still comes, read by the heuristics", async () => {
    const path = files.write("ambiguous-down.csv", ambiguousTable().csv);
    gemini.setFallback(geminiError(503, "UNAVAILABLE", "overloaded"));
    const { code, stdout, stderr } = await run(["analyze", path, "--json"], {
      ...env(),
      GEMINI_TIMEOUT_MS: "1000",
    });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const json = JSON.parse(stdout);
    expect(json.columns.revenue).toBe("col5");
    expect(json.columnReason.revenue).toBe("content");
  });
});
