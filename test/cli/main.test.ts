import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { FIXTURES, SAMPLE_DATA, tempFiles } from "../helpers/files.js";
import { SAMPLE_GEMINI_ANSWER } from "../helpers/gemini-answers.js";
import { csv } from "../ui/helpers.js";

const files = tempFiles();

/** The CLI as a real process. */
function cli(args: string[], options: { timeout?: number; uid?: number; gid?: number } = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    encoding: "utf8",
    cwd: process.cwd(),
    ...options,
  });
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe("sales-insight analyze", () => {
  it("prints one JSON object with the documented keys", async () => {
    const { code, stdout, stderr } = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`, "--json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const json = JSON.parse(stdout);
    for (const key of [
      "rows",
      "rowsSkipped",
      "columns",
      "currency",
      "totalRevenue",
      "netRevenue",
      "totalUnits",
      "averageOrderValue",
      "dateRange",
      "revenueByMonth",
      "monthOverMonth",
      "revenueByRegion",
      "revenueByCategory",
      "topRegion",
      "topCategory",
      "statusCounts",
      "cancellations",
      "topTransaction",
      "quality",
      "notes",
      "source",
    ]) {
      expect(json, key).toHaveProperty(key);
    }
    expect(Object.keys(json.columns)).toEqual(
      expect.arrayContaining(["revenue", "units", "unitPrice", "date", "region", "category", "status"]),
    );
    expect(json.revenueByRegion[0]).toEqual({
      name: "North",
      revenue: 466500,
      share: 0.682,
      netRevenue: 442500,
      rows: 3,
      units: 420,
      // 286,500 in February, nothing in March.
      change: -1,
    });
    expect(json.cancellations).toMatchObject({ count: 1, revenue: 24000 });
    // The region/category x month grid is kept for comparisons, not printed.
    expect(json).not.toHaveProperty("groupMonths");
  });

  it("prints a readable report by default", async () => {
    const { code, stdout } = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Total revenue\s+684,000\.00/);
    expect(stdout).toMatch(/North\s+466,500\.00\s+68\.2%/);
  });

  it("exits 2 with the reason on stderr (no stack) for a file it cannot analyse", async () => {
    const { code, stdout, stderr } = await run(["analyze", `${FIXTURES}no-revenue.csv`, "--json"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/No revenue column found\. Columns: name, age, city\./);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("exits 2 for a missing file and for bad usage", async () => {
    expect((await run(["analyze", `${files.dir}/nope.csv`])).code).toBe(2);
    expect((await run(["summarise", "x.csv"])).code).toBe(2);
    expect((await run(["analyze", "a.csv", "--frobnicate"])).code).toBe(2);
  });

  it("says a missing file is not found, with exit 2", async () => {
    const { code, stderr } = await run(["analyze", `${files.dir}/nope.csv`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/nope\.csv: File not found/);
    expect((await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv/below`])).stderr).toMatch(
      /File not found/,
    );
  });

  it("refuses a folder with exit 2", async () => {
    const { code, stderr } = await run(["analyze", files.dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/This is a folder, not a file/);
  });

  it("refuses a named pipe with exit 2 instead of waiting for a writer", () => {
    const fifo = join(files.dir, "sales.csv");
    execFileSync("mkfifo", [fifo]);
    // A child process with a timeout: opening a FIFO for reading blocks, and that is the bug.
    const result = cli(["analyze", fifo], { timeout: 10_000 });
    expect(result.signal, "the CLI hung on the named pipe").toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/named pipe \(FIFO\), not a regular file/);
    expect(result.stderr).not.toMatch(/internal error/);
  }, 20_000);

  it("refuses a device with exit 2", async () => {
    const { code, stderr } = await run(["analyze", "/dev/zero"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/a device, not a regular file/);
  });

  it("says a file it may not read is permission denied, with exit 2", async () => {
    const dir = join(files.dir, "locked");
    mkdirSync(dir);
    const path = join(dir, "sales.csv");
    copyFileSync(`${SAMPLE_DATA}sales_q1_2026.csv`, path);
    chmodSync(path, 0o000);
    chmodSync(dir, 0o700);
    // Root reads anything, so as root the CLI runs as "nobody", for whom the folder is closed.
    const result =
      process.getuid?.() === 0
        ? cli(["analyze", path], { uid: 65534, gid: 65534 })
        : await run(["analyze", path]).then((r) => ({ status: r.code, stderr: r.stderr }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Permission denied/);
  });

  it("reads its limits from the environment and names a bad variable", async () => {
    const small = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`], { MAX_ROWS: "3" });
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/more than 3 data rows/);
    const bad = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`], { MAX_ROWS: "lots" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/MAX_ROWS/);
  });

  it("runs as a real process with the exit codes a script can rely on", () => {
    const ok = cli(["analyze", "sample_data/sales_q1_2026.csv", "--json"]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).totalRevenue).toBe(684000);
    const refused = cli(["analyze", "test/fixtures/files/empty.csv"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/empty/);
  });
});

/** What a terminal acts on: C0 but newline and tab, DEL, C1 (0x9b is a one-byte CSI), bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
const TERMINAL_ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Escape sequences a hostile cell could carry: screen clear, OSC 8 link, window title, C1 CSI, bidi. */
const HOSTILE = [
  "\u001b[2J\u001b[H",
  "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007",
  "\u001b]0;pwned\u0007",
  "\u009b31m",
  "\u202Egpj.exe",
  "\r\u007f",
  "\nregion     forged line",
];

describe("sales-insight analyze with hostile values", () => {
  const hostileName = `sales\u001b[31m\u009b1m.csv`;

  it("prints no control sequence from any label (file name, headers, groups, statuses, notes)", async () => {
    const rows: (string | number)[][] = [
      ["Date", `Region${HOSTILE[0]}`, `Category${HOSTILE[2]}`, "Product", "Revenue", `Status${HOSTILE[4]}`],
    ];
    // Plain rows first: the sniffer refuses a file whose first 8 KB are more than 1% control bytes.
    for (let i = 0; i < 300; i++) rows.push(["2026-01-15", "West", "Plain", "P", 1, "Shipped"]);
    HOSTILE.forEach((bad, i) => {
      rows.push([
        `2026-01-0${i + 1}`,
        `North${bad}`,
        `Cat${bad}`,
        `P${bad}`,
        1000 * (i + 1),
        `Shipped${bad}`,
      ]);
      rows.push([`2026-02-0${i + 1}`, `South${bad}`, `Cat${bad}`, `P${bad}`, "oops", `Cancelled${bad}`]);
    });
    const path = files.write(hostileName, csv(rows));
    const text = await run(["analyze", path]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(TERMINAL_ACTIVE);
    expect(text.stdout).toContain("Sales insights: sales[31m1m.csv");
    // One label per line: a value cannot break the layout either.
    expect(text.stdout.match(/^ {2}North/gm)).toHaveLength(HOSTILE.length);
    expect(text.stdout).toMatch(/^ {2}region {5}Region\[2J\[H {2}\(from the header, \d+% sure\)$/m);
    expect(text.stdout).not.toMatch(/^region/m);

    const json = await run(["analyze", path, "--json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(TERMINAL_ACTIVE);
    // The JSON still carries the file's values exactly, for scripts.
    const parsed = JSON.parse(json.stdout);
    expect(parsed.columns.region).toBe(`Region${HOSTILE[0]}`);
    expect(parsed.revenueByRegion.map((g: { name: string }) => g.name)).toContain(`North${HOSTILE[3]}`);
  });

  it("prints no control sequence in an error message on stderr", async () => {
    const rows = [[`Name${HOSTILE[1]}`, `City${HOSTILE[3]}`]];
    for (let i = 0; i < 300; i++) rows.push(["a", "b"]);
    const path = files.write(`bad\u001b]0;title\u0007.csv`, csv(rows));
    const { code, stderr } = await run(["analyze", path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/No revenue column found/);
    expect(stderr).toContain("bad]0;title.csv");
    expect(stderr).not.toMatch(TERMINAL_ACTIVE);
    const usage = await run(["analyze", "a.csv", "--x\u001b[2J"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(TERMINAL_ACTIVE);
  });
});

describe("sales-insight analyze with Gemini (fake server on 127.0.0.1)", () => {
  it("sends only metrics, checks the answer's figures and prints the summary", async () => {
    const { startFakeGemini, geminiText } = await import("../helpers/fake-gemini.js");
    const gemini = await startFakeGemini();
    try {
      gemini.enqueue(
        geminiText(
          JSON.stringify({
            headline: "Net revenue reached $660K in Jan-Mar 2026, with North contributing 68.2%.",
            keyFindings: [
              "North brought in $466.5K.",
              "Electronics made up 93.5% of revenue.",
              "Revenue hit $9.9M.",
            ],
            risks: ["1 order worth $24K was cancelled."],
            actions: ["Grow sales outside North."],
          }),
        ),
        // The file's latest month is compared with the one before (as in the app), so the model is
        // asked what changed too; its sentence is checked against the comparison's figures.
        geminiText(
          JSON.stringify({
            ...JSON.parse(SAMPLE_GEMINI_ANSWER),
            whatChanged: ["Net revenue fell 58.4% in Mar 2026, a month with only 1 day of sales."],
          }),
        ),
      );
      const env = {
        GEMINI_API_KEY: "test-key-not-secret",
        GEMINI_BASE_URL: gemini.baseUrl,
        GEMINI_MODEL: "gemini-test",
      };
      const { code, stdout } = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`, "--json"], env);
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      expect(json.summary).toMatchObject({
        writer: "gemini",
        verified: true,
        model: "gemini-test",
        rejectedFigures: ["$9.9M"],
      });
      expect(gemini.requests).toHaveLength(2);
      expect(gemini.requests[0]?.url).toBe("/v1beta/models/gemini-test:generateContent");
      expect(gemini.requests[1]?.rawBody).toMatch(/not in the metrics or the comparison: \$9\.9M/);
      // The comparison travels as aggregates, as in the app.
      expect(gemini.requests[0]?.rawBody).toMatch(/<comparison>.*latest-months/);
      expect(json.summary.whatChanged).toEqual([
        { text: "Net revenue fell 58.4% in Mar 2026, a month with only 1 day of sales.", source: "gemini" },
      ]);
      expect(json.comparison.periods.relation).toBe("latest-months");
      // Aggregates only: the category and region names travel, row-level values do not.
      expect(gemini.requests[0]?.rawBody).not.toMatch(/2026-01-12|2026-01-20/);
      const offline = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`, "--offline"], env);
      expect(offline.stdout).toMatch(/Written without Gemini: offline mode \(--offline\)/);
      expect(gemini.requests).toHaveLength(2);
    } finally {
      await gemini.close();
    }
  });

  it("falls back to the offline summary when Gemini is down, and says so", async () => {
    const { startFakeGemini, geminiError } = await import("../helpers/fake-gemini.js");
    const gemini = await startFakeGemini();
    try {
      gemini.setFallback(geminiError(503, "UNAVAILABLE", "overloaded"));
      const env = { GEMINI_API_KEY: "k", GEMINI_BASE_URL: gemini.baseUrl, GEMINI_TIMEOUT_MS: "2000" };
      const { code, stdout } = await run(["analyze", `${SAMPLE_DATA}sales_q1_2026.csv`], env);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Written without Gemini: Gemini is unavailable \(HTTP 503\)/);
      expect(stdout).toMatch(/Net revenue of 660K/);
    } finally {
      await gemini.close();
    }
  });
});
