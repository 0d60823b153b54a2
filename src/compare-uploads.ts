import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Logger } from "./logger.js";
import type { Analysis } from "./pipeline/analyze.js";
import { compareLatestMonths, compareSnapshots } from "./pipeline/compare/compare.js";
import type { ComparisonContext } from "./pipeline/compare/context.js";
import { compareNames, findPrevious } from "./pipeline/compare/series.js";
import { buildSnapshot, decodeSnapshot, encodeSnapshot } from "./pipeline/compare/snapshot.js";
import type { Comparison, HeaderSignature, SeriesCandidate, Snapshot } from "./pipeline/compare/types.js";
import type { SnapshotRecord, Store } from "./services/store.js";

/**
 * The comparison step of the use case: what this upload is compared with, and the snapshot that lets
 * a later upload be compared with this one.
 *
 * 1. Build this upload's snapshot (aggregates only) from the analysis.
 * 2. The earlier upload: the one asked for (/insights compare), else the previous upload of the same
 *    series in this channel (series.ts: same headers, or a file name of the same pattern), among the
 *    channel's latest stored snapshots posted before this one. Only stored snapshots are read, never
 *    the earlier file: comparing costs milliseconds, not a second analysis.
 * 3. Compare the two snapshots; with no earlier upload, the file's latest month with the one before
 *    when it has them; else nothing.
 * 4. Save this upload's snapshot (unless only replaying, for a summary already posted).
 *
 * Never throws: a comparison is a bonus on top of the summary, so any failure is logged and the
 * summary goes out without its "What changed" section.
 */

/** How many of the channel's most recently posted snapshots may be the previous upload of a series. */
export const SERIES_CANDIDATES = 20;
/**
 * How far back /insights compare looks for the file it was asked to compare with. Snapshots are
 * small (tens of kilobytes, 2 MB at most), and this runs only on request.
 */
export const EXPLICIT_CANDIDATES = 200;

export interface UploadToCompare {
  channel: string;
  fileId: string;
  threadTs: string;
  contentHash: string;
  fileName: string;
  /**
   * When the file was posted (ms since the epoch), which orders the series. When replaying for a
   * summary already posted, the time stored with this file's own snapshot wins over it.
   */
  postedAt: number;
  /** /insights compare: the Slack file id of the earlier upload to compare with. */
  compareWith: string | null;
}

/** Why an explicitly requested comparison could not be made (the summary goes out without it). */
export type ExplicitProblem = "previous-not-kept" | "same-file";

export interface ComparisonStep {
  context: ComparisonContext | null;
  /**
   * Which comparison the summary is written with, for the summary cache: null without one (the
   * summary depends on the file alone), else a key naming the earlier upload and how it was chosen.
   */
  cacheKey: string | null;
  explicitProblem: ExplicitProblem | null;
  /** Milliseconds spent in each part of the step (for the log and the performance check). */
  timings: ComparisonTimings;
}

export interface ComparisonTimings {
  build: number;
  read: number;
  decode: number;
  compare: number;
  encode: number;
  save: number;
  /** Bytes of the stored snapshot of this upload (0 when not saved). */
  storedBytes: number;
}

export interface ComparisonDeps {
  store: Store;
  logger: Logger;
  /**
   * "always": a new analysis of this upload. "if-missing": replaying for a summary already posted,
   * where the stored snapshot (and the time it says the file was posted) stays; one is saved only
   * when there is none, e.g. for a file summarised before comparisons existed, so that it can be
   * compared with from now on.
   */
  save: "always" | "if-missing";
  now?: () => number;
}

/** The use case's entry point: the comparison for this upload, or none; never throws. */
export async function compareUpload(
  analysis: Analysis,
  upload: UploadToCompare,
  deps: ComparisonDeps,
): Promise<ComparisonStep> {
  const timings: ComparisonTimings = {
    build: 0,
    read: 0,
    decode: 0,
    compare: 0,
    encode: 0,
    save: 0,
    storedBytes: 0,
  };
  const log = deps.logger;
  const now = deps.now ?? Date.now;
  let snapshot: Snapshot;
  try {
    snapshot = timed(timings, "build", () => buildSnapshot(analysis));
  } catch (error) {
    log.warn({ err: error }, "comparison failed: the summary goes out without it");
    return { context: null, cacheKey: null, explicitProblem: null, timings };
  }

  let step: ComparisonStep = { context: null, cacheKey: null, explicitProblem: null, timings };
  let postedAt = upload.postedAt;
  let stored = false;
  try {
    const started = performance.now();
    const records = await deps.store.recentSnapshots(
      upload.channel,
      upload.compareWith ? EXPLICIT_CANDIDATES : SERIES_CANDIDATES,
    );
    timings.read = performance.now() - started;
    const own = records.find((r) => r.fileId === upload.fileId);
    stored = own !== undefined;
    if (own && deps.save === "if-missing") postedAt = own.postedAt;
    step = { ...choose(snapshot, upload, postedAt, records, timings, log), timings };
  } catch (error) {
    log.warn({ err: error }, "comparison failed: the summary goes out without it");
  }

  if (deps.save === "always" || !stored) {
    try {
      const encoded = timed(timings, "encode", () => encodeSnapshot(snapshot));
      const started = performance.now();
      await deps.store.saveSnapshot({
        channel: upload.channel,
        fileId: upload.fileId,
        threadTs: upload.threadTs,
        contentHash: upload.contentHash,
        fileName: upload.fileName,
        headerSignature: JSON.stringify(snapshot.headerSignature),
        postedAt,
        snapshot: encoded,
        createdAt: now(),
      });
      timings.save = performance.now() - started;
      timings.storedBytes = Buffer.byteLength(encoded);
    } catch (error) {
      // Only a later comparison with this upload is lost; this one's summary is unaffected.
      log.warn(
        { err: error },
        "could not save the upload's snapshot: later uploads cannot be compared with it",
      );
    }
  }
  log.info(
    {
      comparison: step.context
        ? {
            chosenBy: step.context.chosenBy,
            relation: step.context.comparison.periods.relation,
            previous: step.context.previous?.fileName ?? null,
          }
        : null,
      explicitProblem: step.explicitProblem,
      ms: roundTimings(timings),
    },
    "comparison step",
  );
  return step;
}

/** The earlier upload and the comparison with it (throws on an engine failure; the caller logs it). */
function choose(
  snapshot: Snapshot,
  upload: UploadToCompare,
  postedAt: number,
  records: SnapshotRecord[],
  timings: ComparisonTimings,
  log: Logger,
): Omit<ComparisonStep, "timings"> {
  if (upload.compareWith !== null) {
    if (upload.compareWith === upload.fileId) return none("same-file");
    const asked = records.find((r) => r.fileId === upload.compareWith);
    const previous = asked ? timed(timings, "decode", () => decodeSnapshot(asked.snapshot)) : null;
    if (!asked || !previous) return none("previous-not-kept");
    return withPrevious(snapshot, previous, asked, "explicit", upload, timings);
  }

  // Uploads posted before this one, this file itself left out (it may be analysed again), and so is
  // the same content shared again: comparing a file with itself says nothing, and the repeat reuses
  // the analysis and summary of that content as it always has. /insights compare still may.
  const earlier = records.filter(
    (r) => r.fileId !== upload.fileId && r.postedAt < postedAt && r.contentHash !== upload.contentHash,
  );
  const subject = {
    fileName: upload.fileName,
    headerSignature: snapshot.headerSignature,
    dateRange: snapshot.dateRange,
  };
  const decoded = new Map<string, Snapshot | null>();
  const decode = (record: SnapshotRecord) => {
    if (!decoded.has(record.fileId)) {
      decoded.set(
        record.fileId,
        timed(timings, "decode", () => decodeSnapshot(record.snapshot)),
      );
    }
    return decoded.get(record.fileId) ?? null;
  };
  const candidates: SeriesCandidate[] = [];
  for (const record of earlier) {
    const signature = parseSignature(record.headerSignature);
    if (!signature) continue;
    // Decoding a snapshot costs milliseconds for a big file, and a channel keeps many, so dates are
    // read lazily: up front only for a candidate whose name comes later in the series (a Q4 -> Q1
    // wrap is earlier by date); for the others, once chosen (below).
    const laterName = compareNames(record.fileName, upload.fileName) === "later";
    const dated = laterName ? decode(record) : null;
    if (laterName && !dated) continue;
    candidates.push({
      id: record.fileId,
      fileName: record.fileName,
      headerSignature: signature,
      postedAt: new Date(record.postedAt).toISOString(),
      dateRange: dated?.dateRange ?? null,
    });
  }
  // The chosen candidate is decoded; once its dates are known it is judged again with them (dates wholly
  // after this upload's rule it out), and the choice made again. A snapshot this version cannot read
  // (another SNAPSHOT_VERSION) is dropped. Each pass dates or drops one candidate, so this ends.
  for (;;) {
    const match = findPrevious(subject, candidates);
    const record = match ? earlier.find((r) => r.fileId === match.candidate.id) : undefined;
    if (!match || !record) break;
    const previous = decode(record);
    if (!previous) {
      candidates.splice(candidates.indexOf(match.candidate), 1);
      continue;
    }
    if (match.candidate.dateRange === null && previous.dateRange !== null) {
      match.candidate.dateRange = previous.dateRange;
      continue;
    }
    log.info({ previous: record.fileName, reason: match.reason }, "previous upload of the series found");
    return withPrevious(snapshot, previous, record, "series", upload, timings);
  }

  const latest = timed(timings, "compare", () => compareLatestMonths(snapshot));
  if (!latest) return none(null);
  return {
    context: { comparison: latest, previous: null, chosenBy: "latest-months" },
    cacheKey: "latest-months",
    explicitProblem: null,
  };
}

function withPrevious(
  current: Snapshot,
  previous: Snapshot,
  record: SnapshotRecord,
  chosenBy: "series" | "explicit",
  upload: UploadToCompare,
  timings: ComparisonTimings,
): Omit<ComparisonStep, "timings"> {
  const comparison: Comparison = timed(timings, "compare", () => compareSnapshots(previous, current));
  return {
    context: {
      comparison,
      previous: {
        fileName: record.fileName,
        postedAt: new Date(record.postedAt).toISOString(),
        link: threadLink(upload.channel, record.threadTs),
      },
      chosenBy,
    },
    // Everything the section says about the earlier upload: which content, which file, when, and why.
    cacheKey: `${chosenBy}:${digest([record.fileId, record.contentHash, String(record.postedAt), record.fileName])}`,
    explicitProblem: null,
  };
}

function none(problem: ExplicitProblem | null): Omit<ComparisonStep, "timings"> {
  return { context: null, cacheKey: null, explicitProblem: problem };
}

/**
 * The summary cache key for a file's content and the comparison its summary was written with: the
 * content hash alone without a comparison (as before comparisons existed), else the content hash
 * and the comparison's key, so a summary that says "up 12% on sales_w46.csv" is never shown for the
 * same content compared with another upload (or with none).
 */
export function summaryCacheKey(contentHash: string, comparisonKey: string | null): string {
  return comparisonKey === null ? contentHash : `${contentHash}:compared:${comparisonKey}`;
}

/** The Slack permalink of a thread, in the form /insights history uses. */
export function threadLink(channel: string, threadTs: string): string {
  return `https://slack.com/archives/${channel}/p${threadTs.replace(".", "")}`;
}

function parseSignature(text: string): HeaderSignature | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    const entries = Object.entries(value);
    if (!entries.every(([, header]) => typeof header === "string")) return null;
    return Object.fromEntries(entries) as HeaderSignature;
  } catch {
    return null;
  }
}

function digest(parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);
}

function timed<T>(timings: ComparisonTimings, part: keyof ComparisonTimings, run: () => T): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    timings[part] += performance.now() - started;
  }
}

function roundTimings(t: ComparisonTimings): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}
