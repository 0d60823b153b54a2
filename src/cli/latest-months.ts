import type { Analysis } from "../pipeline/analyze.js";
import { buildSnapshot } from "../pipeline/compare/build-snapshot.js";
import { compareLatestMonths } from "../pipeline/compare/compare.js";
import type { ComparisonContext } from "../pipeline/compare/context.js";

/**
 * `analyze FILE` has no earlier upload to compare with, so, as the Slack app does for a first upload
 * (src/compare-uploads.ts), it compares the file's latest month with the one before, when the file
 * has both. Built from build-snapshot.ts, not snapshot.ts: the stored form's reader loads zod, which
 * an offline run must not pay for (src/cli/config.ts). main.ts loads this module (and the comparison
 * engine with it) only for a file spanning two months or more.
 *
 * Null when there is nothing to compare. Throws on an engine failure; the caller leaves the section
 * out, as the app does (a comparison is a bonus on top of the report).
 */
export function latestMonthsComparison(analysis: Analysis): ComparisonContext | null {
  const comparison = compareLatestMonths(buildSnapshot(analysis));
  return comparison ? { comparison, previous: null, chosenBy: "latest-months" } : null;
}
