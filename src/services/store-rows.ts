import type {
  EmailRecord,
  JobPatch,
  JobRecord,
  JobStatus,
  JobTrigger,
  SnapshotRecord,
  ThreadSummary,
} from "./store.js";

/**
 * What the SQLite and PostgreSQL stores share: the row shapes both schemas return, their mapping to
 * the records of src/services/store.ts, and the argument checks of the Store contract. Each store keeps
 * its own SQL; only a column's stored type differs (recipients are JSON text in SQLite, jsonb in
 * PostgreSQL), so those rows take the decoded value from the caller.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Stage of a job that nothing has worked on yet. */
export const INITIAL_STAGE = "accepted";

/** The patchable job fields and their columns; a field left out of a patch (or undefined) keeps its value. */
export const PATCH_COLUMNS = [
  ["contentHash", "content_hash"],
  ["stage", "stage"],
  ["status", "status"],
  ["error", "error"],
  ["progressTs", "progress_ts"],
  ["summaryTs", "summary_ts"],
] as const satisfies readonly (readonly [keyof JobPatch, string])[];

/** `Recipients` is how the store holds the list: JSON text (SQLite) or an already decoded array (jsonb). */
export interface JobRow<Recipients> {
  id: string;
  trigger: string;
  channel: string;
  thread_ts: string;
  file_id: string;
  content_hash: string | null;
  requester: string;
  recipients: Recipients;
  stage: string;
  status: string;
  error: string | null;
  progress_ts: string | null;
  summary_ts: string | null;
  compare_with: string | null;
  created_at: number;
  updated_at: number;
}

export interface ThreadSummaryRow {
  channel: string;
  thread_ts: string;
  file_id: string;
  message_ts: string;
  content_hash: string;
  file_name: string;
  requester: string;
  net_revenue: number;
  currency_symbol: string | null;
  created_at: number;
}

export interface SnapshotRow {
  channel: string;
  file_id: string;
  thread_ts: string;
  content_hash: string;
  file_name: string;
  header_signature: string;
  posted_at: number;
  snapshot: string;
  created_at: number;
}

export interface EmailRow<Recipients> {
  idempotency_key: string;
  job_id: string;
  recipients: Recipients;
  provider_id: string | null;
  status: string;
  reason: string | null;
  created_at: number;
}

export function toJob(row: JobRow<unknown>, recipients: string[]): JobRecord {
  return {
    id: row.id,
    trigger: row.trigger as JobTrigger,
    channel: row.channel,
    threadTs: row.thread_ts,
    fileId: row.file_id,
    requester: row.requester,
    recipients,
    contentHash: row.content_hash,
    stage: row.stage,
    status: row.status as JobStatus,
    error: row.error,
    progressTs: row.progress_ts,
    summaryTs: row.summary_ts,
    compareWith: row.compare_with,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toThreadSummary(row: ThreadSummaryRow): ThreadSummary {
  return {
    channel: row.channel,
    threadTs: row.thread_ts,
    fileId: row.file_id,
    messageTs: row.message_ts,
    contentHash: row.content_hash,
    fileName: row.file_name,
    requester: row.requester,
    netRevenue: row.net_revenue,
    currencySymbol: row.currency_symbol,
    createdAt: row.created_at,
  };
}

export function toSnapshot(row: SnapshotRow): SnapshotRecord {
  return {
    channel: row.channel,
    fileId: row.file_id,
    threadTs: row.thread_ts,
    contentHash: row.content_hash,
    fileName: row.file_name,
    headerSignature: row.header_signature,
    postedAt: row.posted_at,
    snapshot: row.snapshot,
    createdAt: row.created_at,
  };
}

export function toEmail(row: EmailRow<unknown>, recipients: string[]): EmailRecord {
  return {
    idempotencyKey: row.idempotency_key,
    jobId: row.job_id,
    recipients,
    providerId: row.provider_id,
    status: row.status as EmailRecord["status"],
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/** A duration argument of `method` that must be above zero (NaN is refused too); `finite` refuses Infinity. */
export function requirePositive(method: string, name: string, value: number, finite = false): void {
  if (!(value > 0) || (finite && !Number.isFinite(value)))
    throw new RangeError(`${method}: ${name} must be positive, got ${value}`);
}

export function requireNonNegative(method: string, name: string, value: number): void {
  if (!(value >= 0)) throw new RangeError(`${method}: ${name} must be 0 or more, got ${value}`);
}

/** A "most recent N" limit as a whole number; 0 when it asks for none (SQLite would read -1 as "no limit"). */
export function rowLimit(limit: number): number {
  const n = Math.floor(limit);
  if (!(n > 0)) return 0; // NaN too
  return n;
}
