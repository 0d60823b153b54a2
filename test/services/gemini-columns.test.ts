import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GeminiConfig } from "../../src/config.js";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { buildColumnClassifyRequest } from "../../src/pipeline/columns/classify-prompt.js";
import { profileColumns } from "../../src/pipeline/columns/profile.js";
import {
  type ColumnClassifierOptions,
  createGeminiColumnClassifier,
  createGeminiServices,
} from "../../src/services/gemini.js";
import { AMBIGUOUS_ANSWER, AMBIGUOUS_HEADERS, ambiguousTable, answerText } from "../helpers/column-help.js";
import { type FakeGemini, geminiError, geminiText, startFakeGemini } from "../helpers/fake-gemini.js";
import { tempFiles } from "../helpers/files.js";
import { salesCsv } from "../helpers/sales-table.js";

const MODEL = "gemini-test-flash";
const files = tempFiles();
let counter = 0;
let server: FakeGemini;

beforeEach(async () => {
  server = await startFakeGemini();
});
afterEach(async () => {
  await server.close();
});

function classifier(
  config: Partial<Omit<GeminiConfig, "apiKey">> = {},
  options: ColumnClassifierOptions = {},
) {
  const failures: string[] = [];
  const sleeps: number[] = [];
  const c = createGeminiColumnClassifier(
    {
      apiKey: "test-key",
      model: MODEL,
      baseUrl: server.baseUrl,
      timeoutMs: 2_000,
      maxConcurrency: 4,
      ...config,
    },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      onFailure: (reason) => failures.push(reason),
      ...options,
    },
  );
  return { classifier: c, failures, sleeps };
}

function ambiguousFile() {
  const table = ambiguousTable();
  return { table, path: files.write(`gemini-columns-${++counter}.csv`, table.csv) };
}

describe("Gemini as the column classifier", () => {
  it("sends headers and statistics as structured JSON output, and reads the answer", async () => {
    server.enqueue(geminiText(answerText({ revenue: 5, units: 6 })));
    const { classifier: c } = classifier();
    const profiles = profileColumns(AMBIGUOUS_HEADERS, ambiguousTable().cells, false);
    const request = buildColumnClassifyRequest(profiles, 120);
    await expect(c.classify(request)).resolves.toEqual({ revenue: 5, units: 6 });
    const sent = server.requests[0];
    expect(sent?.url).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(sent?.body).toMatchObject({
      contents: [{ role: "user", parts: [{ text: request.prompt }] }],
      systemInstruction: { parts: [{ text: request.systemInstruction }] },
      generationConfig: {
        responseMimeType: "application/json",
        responseJsonSchema: request.responseJsonSchema,
      },
    });
  });

  it("sends no cell value of the file, and its answer changes the reading (reason gemini)", async () => {
    const { table, path } = ambiguousFile();
    server.enqueue(geminiText(answerText(AMBIGUOUS_ANSWER)));
    const { classifier: c } = classifier();
    const a = await analyzeFile(path, { columnClassifier: c });
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]?.rawBody ?? "";
    const telling = [...new Set(table.cells.flat())].filter((v) => v.length >= 4 || /\./.test(v));
    for (const value of telling) expect(body, value).not.toContain(value);
    expect(body).toContain('\\"col7\\"');
    expect(a.columns.revenue).toBe("col6");
    expect(a.columnReason.revenue).toBe("gemini");
    expect(a.totalRevenue).toBe(table.revenueTotal);
  });

  it("is not called when the headers are sure", async () => {
    const path = files.write(
      "sure.csv",
      salesCsv({
        orderId: "Order Number",
        date: "Date",
        region: "Region",
        category: "Category",
        product: "Product Name",
        units: "Qty",
        unitPrice: "Unit Price",
        revenue: "Sales",
      }),
    );
    const { classifier: c } = classifier();
    const a = await analyzeFile(path, { columnClassifier: c });
    expect(server.requests).toHaveLength(0);
    expect(a.columns.revenue).toBe("Sales");
  });

  it.each([
    ["prose", geminiText("The revenue is in col6, I think.")],
    ["JSON that breaks the schema", geminiText('{"revenue": 99, "units": "col7"}')],
    ["an answer cut off", geminiText('{"revenue": 5', "MAX_TOKENS")],
  ])("answers null to %s, and the heuristic reading stands", async (_, response) => {
    const { path } = ambiguousFile();
    const offline = await analyzeFile(path);
    server.enqueue(response);
    const { classifier: c, failures } = classifier();
    const a = await analyzeFile(path, { columnClassifier: c });
    expect(server.requests).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(a.columns).toEqual(offline.columns);
    expect(a.totalRevenue).toBe(offline.totalRevenue);
  });

  it("tries at most twice when Gemini is down, then the heuristics stand", async () => {
    const { path } = ambiguousFile();
    server.setFallback(geminiError(503, "UNAVAILABLE", "overloaded"));
    const { classifier: c, failures } = classifier();
    const a = await analyzeFile(path, { columnClassifier: c });
    expect(server.requests).toHaveLength(2);
    expect(failures).toEqual(["Gemini is unavailable (HTTP 503) after 2 attempts"]);
    expect(a.columns.revenue).toBe("col5");
  });

  it("gives up on a slow Gemini at its deadline, and the analysis still comes", async () => {
    const { path } = ambiguousFile();
    server.setFallback({ ...geminiText(answerText(AMBIGUOUS_ANSWER)), delayMs: 5_000 });
    const { classifier: c, failures } = classifier(
      { timeoutMs: 20_000 },
      { deadlineMs: 400, sleep: undefined },
    );
    const started = Date.now();
    const a = await analyzeFile(path, { columnClassifier: c });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failures[0]).toMatch(/did not answer within/);
    expect(a.columns.revenue).toBe("col5");
    expect(a.columnReason.revenue).toBe("content");
  });

  it("shares one client with the summary model: one concurrency cap for both", async () => {
    server.setFallback({ ...geminiText(answerText({})), delayMs: 150 });
    const { summaryModel, columnClassifier } = createGeminiServices({
      apiKey: "k",
      model: MODEL,
      baseUrl: server.baseUrl,
      timeoutMs: 2_000,
      maxConcurrency: 1,
    });
    const request = buildColumnClassifyRequest(profileColumns(["a"], [["1"]], false), 1);
    await Promise.all([
      columnClassifier.classify(request),
      summaryModel.generate({ systemInstruction: "s", prompt: "p", responseJsonSchema: { type: "object" } }),
      columnClassifier.classify(request),
    ]);
    expect(server.requests).toHaveLength(3);
    expect(server.maxInFlight).toBe(1);
  });
});
