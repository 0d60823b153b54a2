import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { InsightsDeps } from "../../src/analyze-file.js";
import { createLogger } from "../../src/logger.js";
import { DEFAULT_LIMITS } from "../../src/pipeline/limits.js";
import type { SlackFiles } from "../../src/services/slack-files.js";
import { createTelemetry } from "../../src/telemetry.js";
import type { tempFiles } from "./files.js";

/** What the use-case tests (test/analyze-file*.test.ts) build their InsightsDeps from. */

type TempFiles = ReturnType<typeof tempFiles>;

/**
 * The use case's dependencies with the defaults every test shares (no model, default limits, a silent
 * logger, fresh telemetry, a work folder under `temp`); `parts` gives the fakes and any override.
 */
export function insightsDeps(
  temp: TempFiles,
  parts: Pick<InsightsDeps, "slack" | "files" | "email" | "store"> & Partial<InsightsDeps>,
): InsightsDeps {
  return {
    model: null,
    limits: DEFAULT_LIMITS,
    workDir: join(temp.dir, "work"),
    telemetry: createTelemetry({ defaultMetrics: false }),
    logger: createLogger({ level: "silent" }),
    ...parts,
  };
}

export interface SharedCsv {
  name: string;
  csv: string;
  /** When the file was first shared (files.info `created`). */
  created: number;
}

/** Slack files by id, each a CSV with the time it was first shared; downloads are written under `temp`. */
export function sharedCsvFiles(temp: TempFiles, list: Record<string, SharedCsv>): SlackFiles {
  return {
    info: async (fileId) => {
      const f = list[fileId];
      if (!f) throw new Error(`no file ${fileId}`);
      return {
        id: fileId,
        name: f.name,
        title: f.name,
        mimetype: "text/csv",
        filetype: "csv",
        size: f.csv.length,
        urlPrivateDownload: "https://files.slack.com/x",
        user: "U1",
        created: f.created,
      };
    },
    download: async (file, dest) => {
      copyFileSync(temp.write(`${file.id}.csv`, list[file.id]?.csv ?? ""), dest);
      return { bytes: 1 };
    },
  };
}

const WEEK_HEADER = "Order Date,Region,Category,Units,Unit Price,Revenue";

/** A week of one order a day per entry from `firstDay` (YYYY-MM-DD): [region, category, units, unit price]. */
export function weekCsv(firstDay: string, orders: [string, string, number, number][]): string {
  const rows = [WEEK_HEADER];
  for (let d = 0; d < 7; d++) {
    const day = new Date(Date.parse(`${firstDay}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    for (const [region, category, units, price] of orders)
      rows.push(`${day},${region},${category},${units},${price.toFixed(2)},${(units * price).toFixed(2)}`);
  }
  return `${rows.join("\n")}\n`;
}
