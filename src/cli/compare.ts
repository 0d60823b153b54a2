import { type Analysis, analyzeFile } from "../pipeline/analyze.js";
import { compareSnapshots } from "../pipeline/compare/compare.js";
import { findPrevious } from "../pipeline/compare/series.js";
import { buildSnapshot, decodeSnapshot, encodeSnapshot } from "../pipeline/compare/snapshot.js";
import type { Limits } from "../pipeline/limits.js";
import { cleanText, jsonForTerminal } from "../ui/escape.js";
import { renderComparisonText } from "./compare-report.js";
import { loadCliConfig } from "./config.js";
import { EXIT, reportFailure } from "./exit.js";
import type { CliIo } from "./main.js";

/**
 * `sales-insight compare OLD NEW`: both files analysed offline, the older one kept as the snapshot
 * the app would store (encoded and read back), then compared. Nothing leaves the machine: the
 * comparison is computed, not written by a model.
 */
export async function runCompare(files: string[], options: { json: boolean }, io: CliIo): Promise<number> {
  const [previousPath, currentPath] = files as [string, string];
  let failing = previousPath;
  try {
    const { limits } = await loadCliConfig(io.env, { offline: true });
    const previous = await analyse(previousPath, limits);
    failing = currentPath;
    const current = await analyse(currentPath, limits);
    const stored = decodeSnapshot(encodeSnapshot(buildSnapshot(previous)));
    if (!stored) throw new Error("the snapshot of the older file did not read back");
    const snapshot = buildSnapshot(current);
    const series = findPrevious(
      {
        fileName: snapshot.fileName,
        headerSignature: snapshot.headerSignature,
        dateRange: snapshot.dateRange,
      },
      [
        {
          id: "previous",
          fileName: stored.fileName,
          headerSignature: stored.headerSignature,
          postedAt: new Date(0).toISOString(),
          dateRange: stored.dateRange,
        },
      ],
    );
    const comparison = compareSnapshots(stored, snapshot);
    io.stdout(
      options.json
        ? `${jsonForTerminal({ series: series ? { reason: series.reason } : null, comparison })}\n`
        : renderComparisonText(comparison, series),
    );
    return EXIT.ok;
  } catch (error) {
    const shown = cleanText(failing);
    return reportFailure(error, io, `Cannot analyse ${shown}`, `Cannot compare ${shown}`);
  }
}

async function analyse(path: string, limits: Limits): Promise<Analysis> {
  return analyzeFile(path, { limits });
}
