import { join } from "node:path";
import { type Analysis, analyzeFile } from "../../src/pipeline/analyze.js";
import { summarize } from "../../src/pipeline/summary/summarize.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import type { EmailRecord, NewJob, SnapshotRecord, ThreadSummary } from "../../src/services/store.js";
import { SAMPLE_DATA } from "../helpers/files.js";

/** Records and clocks for the Store tests: the shared contract and each implementation's own tests. */

export const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A settable clock. */
export function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

export function newJob(id: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id,
    trigger: "upload",
    channel: "C1",
    threadTs: "1767225600.000100",
    fileId: `F-${id}`,
    requester: "U1",
    recipients: [],
    ...overrides,
  };
}

export function threadSummary(overrides: Partial<ThreadSummary> = {}): ThreadSummary {
  return {
    channel: "C1",
    threadTs: "1767225600.000100",
    fileId: "F1",
    messageTs: "1767225601.000200",
    contentHash: "a".repeat(64),
    fileName: "Q1 “sales” – 2026.csv",
    requester: "U1",
    netRevenue: 1_234_567.89,
    currencySymbol: "€",
    createdAt: T0,
    ...overrides,
  };
}

export function snapshot(overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    channel: "C1",
    fileId: "F1",
    threadTs: "1767225600.000100",
    contentHash: "h1",
    fileName: "sales_w46.csv",
    headerSignature: "date=order date|revenue=amount",
    postedAt: T0,
    snapshot: '{"v":1}',
    createdAt: T0,
    ...overrides,
  };
}

export function email(overrides: Partial<EmailRecord> = {}): EmailRecord {
  return {
    idempotencyKey: "key-1",
    jobId: "job-1",
    recipients: ["ana@example.com", "bo@example.org"],
    providerId: "re_123",
    status: "sent",
    reason: null,
    createdAt: T0,
    ...overrides,
  };
}

/** A real analysis and its offline summary (the sample Q1 file), as the app stores them. */
export async function sampleAnalysis(): Promise<{ analysis: Analysis; summary: ExecutiveSummary }> {
  const analysis = await analyzeFile(join(SAMPLE_DATA, "sales_q1_2026.csv"));
  return { analysis, summary: await summarize(analysis, { model: null }) };
}
