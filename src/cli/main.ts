import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Analysis, analyzeFile } from "../pipeline/analyze.js";
import type { ColumnClassifier } from "../pipeline/columns/classify.js";
import type { ComparisonContext } from "../pipeline/compare/context.js";
import type { SummaryModel } from "../pipeline/summary/model.js";
import { summarize } from "../pipeline/summary/summarize.js";
import { describeCharts } from "../ui/charts/describe.js";
import { cleanText, jsonForTerminal, stripTerminalControls } from "../ui/escape.js";
import { loadCliConfig } from "./config.js";
import { EXIT, reportFailure } from "./exit.js";
import { renderTextReport } from "./report.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: sales-insight analyze FILE [--json] [--offline] [--charts DIR]
       sales-insight compare OLD NEW [--json]

Analyses a sales CSV/TSV or Excel .xlsx file and prints the metrics with an executive summary.
The summary is written by Gemini from the aggregated metrics when GEMINI_API_KEY is set, and
offline (no network) otherwise. With the key set, Gemini may also be asked which column is which
when the headers leave it unsure; it sees the header names and column statistics, never a cell.

Options:
  --json     print one JSON object (the format is documented in the README)
  --offline  no network: no Gemini summary or column help even when GEMINI_API_KEY is set
  --charts DIR
             also write the charts (revenue over time, revenue by region or category) to DIR
             as PNG and SVG files; --json output always includes the chart descriptions
  -h, --help show this help

compare analyses both files (offline) and prints what changed from OLD to NEW: totals, the
periods compared, the movers by region and category, and the price / volume / mix split.

Exit codes: 0 success, 2 the file cannot be analysed (reason on stderr), 1 internal error.
Limits come from MAX_FILE_MB, MAX_ROWS, MAX_COLUMNS, MAX_XLSX_UNCOMPRESSED_MB, MAX_XLSX_ENTRIES.
`;

export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // Everything printed passes through here: a file name, header or cell that holds an escape
  // sequence must not reach the terminal, whichever message it ends up in.
  const io: CliIo = {
    stdout: (text) => rawIo.stdout(stripTerminalControls(text)),
    stderr: (text) => rawIo.stderr(stripTerminalControls(text)),
    env: rawIo.env,
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`${cleanText((error as Error).message)}\n\n${USAGE}`);
    return EXIT.badInput;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const [command, file, ...rest] = positionals;
  if (command === "compare" && positionals.length === 3 && values.charts === undefined) {
    // Loaded only when used, like the Gemini services below.
    const { runCompare } = await import("./compare.js");
    return runCompare(positionals.slice(1), { json: values.json }, io);
  }
  if (command !== "analyze" || !file || rest.length > 0) {
    io.stderr(USAGE);
    return EXIT.badInput;
  }
  const shownFile = cleanText(file);
  try {
    const config = await loadCliConfig(io.env, { offline: values.offline });
    let model: SummaryModel | null = null;
    let columnClassifier: ColumnClassifier | null = null;
    if (config.gemini) {
      // Loaded only when used: the Gemini SDK costs about a tenth of a second of start-up.
      const { createGeminiServices } = await import("../services/gemini.js");
      const gemini = createGeminiServices(config.gemini);
      model = gemini.summaryModel;
      columnClassifier = gemini.columnClassifier;
    }
    const analysed = await analyzeFile(file, { limits: config.limits, columnClassifier });
    const comparison = await fileOwnComparison(analysed, io);
    // The region/category x month grid is for comparisons, not for the printed report or its JSON.
    const { groupMonths: _grid, ...analysis } = analysed;
    const summary = await summarize(analysis, {
      model,
      comparison,
      ...(values.offline ? { offlineReason: "offline mode (--offline)" } : {}),
    });
    const charts = describeCharts(analysis);
    io.stdout(
      values.json
        ? `${jsonForTerminal({ ...analysis, summary, charts, comparison: comparison?.comparison ?? null })}\n`
        : renderTextReport(analysis, summary, comparison),
    );
    if (values.charts !== undefined) {
      let written: string[];
      try {
        written = await writeCharts(values.charts, charts);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        io.stderr(
          `Cannot write the charts to ${cleanText(values.charts)}${typeof code === "string" ? ` (${code})` : ""}.\n`,
        );
        return EXIT.internal;
      }
      io.stderr(
        written.length > 0
          ? `Charts written: ${written.map(cleanText).join(", ")}\n`
          : "No charts: the file has no dates, regions or categories to draw.\n",
      );
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, `Cannot analyse ${shownFile}`, `Cannot analyse ${shownFile}`);
  }
}

/**
 * The file's latest month against the one before, as the Slack summary shows for a first upload; null
 * when the file has no two months. A failure leaves the section out (as in the app) rather than the
 * whole report, and says why only with DEBUG.
 */
async function fileOwnComparison(analysis: Analysis, io: CliIo): Promise<ComparisonContext | null> {
  // Within one month there is nothing to compare: the comparison engine's modules (about 10 ms of
  // start-up CPU, measured) are not even loaded.
  if (analysis.revenueByMonth.length < 2) return null;
  try {
    const { latestMonthsComparison } = await import("./latest-months.js");
    return latestMonthsComparison(analysis);
  } catch (error) {
    if (io.env.DEBUG) io.stderr(`The comparison was left out: ${(error as Error)?.stack ?? String(error)}\n`);
    return null;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      offline: { type: "boolean", default: false },
      charts: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

/** Each chart as `<id>.svg` and `<id>.png` in `dir` (created if needed); returns the paths written. */
async function writeCharts(dir: string, charts: ReturnType<typeof describeCharts>): Promise<string[]> {
  if (charts.length === 0) return [];
  // Loaded only when asked for: ECharts and resvg cost start-up time the other commands do not need.
  const { renderChart } = await import("../ui/charts/render.js");
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const chart of charts) {
    const { svg, png } = renderChart(chart);
    const base = join(dir, chart.id);
    await writeFile(`${base}.svg`, svg);
    await writeFile(`${base}.png`, png);
    written.push(`${base}.png`, `${base}.svg`);
  }
  return written;
}
