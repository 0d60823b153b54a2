import type { Analysis } from "../pipeline/analyze.js";
import type { ExecutiveSummary } from "../pipeline/summary/types.js";

/**
 * Everything the app remembers, behind one small interface: SQLite in DATA_DIR by default
 * (src/services/sqlite-store.ts), or PostgreSQL when several instances share state
 * (src/services/postgres-store.ts; src/services/open-store.ts picks one). Raw files are never stored:
 * only metrics and summaries.
 */
export type JobTrigger = "upload" | "command" | "shortcut" | "button";
export type JobStatus = "accepted" | "running" | "done" | "failed";

export interface NewJob {
  id: string;
  trigger: JobTrigger;
  channel: string;
  threadTs: string;
  fileId: string;
  requester: string;
  recipients: string[];
  /**
   * /insights compare: the Slack file id of the earlier upload to compare this one with, whatever the
   * series rule says. Absent or null: the previous upload of the same series, if any.
   */
  compareWith?: string | null;
}

export interface JobRecord extends NewJob {
  compareWith: string | null;
  contentHash: string | null;
  stage: string;
  status: JobStatus;
  /** User-safe error text when status is "failed". */
  error: string | null;
  /** The progress message, reused (updated in place) when a job resumes after a crash. */
  progressTs: string | null;
  summaryTs: string | null;
  createdAt: number;
  updatedAt: number;
}

export type JobPatch = Partial<
  Pick<JobRecord, "contentHash" | "stage" | "status" | "error" | "progressTs" | "summaryTs">
>;

export interface StoredAnalysis {
  contentHash: string;
  /** ANALYSIS_VERSION of the engine that computed `analysis`: only the same engine reuses it. */
  analysisVersion: number;
  fileName: string;
  analysis: Analysis;
  /**
   * The summary worth reusing, or null when only the analysis is: a summary written offline because
   * Gemini failed is not kept, so the next request for the same file asks Gemini again.
   */
  summary: ExecutiveSummary | null;
  createdAt: number;
}

/** The summary that sits in a file's thread: what a repeated request reuses and /insights history lists. */
export interface ThreadSummary {
  channel: string;
  threadTs: string;
  fileId: string;
  messageTs: string;
  contentHash: string;
  fileName: string;
  requester: string;
  netRevenue: number;
  currencySymbol: string | null;
  createdAt: number;
}

export interface EmailRecord {
  idempotencyKey: string;
  jobId: string;
  recipients: string[];
  providerId: string | null;
  status: "sent" | "failed";
  reason: string | null;
  createdAt: number;
}

export interface PurgeCounts {
  jobs: number;
  analyses: number;
  threads: number;
  emails: number;
  snapshots: number;
  dedupe: number;
}

/**
 * What the comparison of two uploads needs from an earlier one: its aggregate snapshot (never rows),
 * stored per file and channel, and the keys the series is recognised by. The snapshot is encoded and
 * decoded by src/pipeline/compare; the store keeps it as an opaque string.
 */
export interface SnapshotRecord {
  channel: string;
  fileId: string;
  threadTs: string;
  contentHash: string;
  fileName: string;
  /** The normalised role -> header signature the series is recognised by. */
  headerSignature: string;
  /** When the file was posted in Slack (ms since the epoch): what "the previous upload" is ordered by. */
  postedAt: number;
  snapshot: string;
  createdAt: number;
}

/**
 * The unfinished jobs a resume acts on: those last updated at or before `updatedAtOrBefore` (idle long
 * enough that no instance is between writing and queuing them), and those created before
 * `createdBefore` whenever they were updated (past the resume window: they are marked failed).
 */
export interface DueJobs {
  updatedAtOrBefore: number;
  createdBefore: number;
}

/** Whether the store answers right now (GET /health); `detail` is for logs, never for users. */
export interface StoreHealth {
  ok: boolean;
  detail: string;
}

/**
 * Every method is asynchronous so that a shared database (PostgreSQL when several instances run)
 * implements the same contract as the embedded SQLite file.
 */
export interface Store {
  /** True the first time any of `keys` is seen (atomically); false for a repeat within `ttlMs`. */
  claim(keys: string[], ttlMs: number): Promise<boolean>;
  /**
   * Takes one of `limit` slots in a sliding window of `windowMs` for `key` (a person): true when one
   * was free (and is now taken), false when all are taken. Shared by every instance on one store.
   */
  takeRateSlot(key: string, limit: number, windowMs: number): Promise<boolean>;
  createJob(job: NewJob): Promise<JobRecord>;
  updateJob(id: string, patch: JobPatch): Promise<void>;
  getJob(id: string): Promise<JobRecord | null>;
  /**
   * Accepted or running jobs, oldest first: what a restart resumes. With `due`, only the ones a
   * resume acts on, chosen by the database (every minute, most unfinished jobs are being worked on and
   * need not be loaded): see DueJobs.
   */
  unfinishedJobs(due?: DueJobs): Promise<JobRecord[]>;
  /**
   * Takes the lease on an unfinished job for `owner` (one running instance) until `leaseMs` from now.
   * True when no other owner's lease is live (none yet, or it expired: that instance died) or `owner`
   * held it already (then renewed); false when another owner's lease is live, or the job is finished or
   * unknown. Atomic: of several instances resuming the same job at once, exactly one gets it.
   */
  leaseJob(id: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Extends every lease `owner` holds on an unfinished job to `leaseMs` from now (its heartbeat); how many. */
  renewLeases(owner: string, leaseMs: number): Promise<number>;
  /** Replaces what was stored for the same content and engine version. */
  saveAnalysis(analysis: StoredAnalysis): Promise<void>;
  /** What the engine at `analysisVersion` stored for this content, if anything. */
  analysisByHash(contentHash: string, analysisVersion: number): Promise<StoredAnalysis | null>;
  saveThreadSummary(summary: ThreadSummary): Promise<void>;
  threadSummary(channel: string, threadTs: string, fileId: string): Promise<ThreadSummary | null>;
  /** Newest first. */
  recentSummaries(channel: string, limit: number): Promise<ThreadSummary[]>;
  /** Replaces the snapshot stored for the same channel and file. */
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /** The channel's snapshots, most recently posted first. */
  recentSnapshots(channel: string, limit: number): Promise<SnapshotRecord[]>;
  recordEmail(email: EmailRecord): Promise<void>;
  /** A successful send with this key, if any (the audit trail doubles as a second idempotency guard). */
  sentEmail(idempotencyKey: string): Promise<EmailRecord | null>;
  /** Deletes what is older than `olderThanMs` before now (and expired dedupe keys and rate slots). */
  purge(olderThanMs: number): Promise<PurgeCounts>;
  /** A cheap round trip to the database, bounded by a short timeout; never throws. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
