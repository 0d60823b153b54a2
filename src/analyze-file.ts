import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type ComparisonStep, compareUpload, summaryCacheKey } from "./compare-uploads.js";
import { AppError, InputError } from "./errors.js";
import type { Logger } from "./logger.js";
import { type Analysis, analyzeFile } from "./pipeline/analyze.js";
import type { ColumnClassifier } from "./pipeline/columns/classify.js";
import type { ComparisonContext } from "./pipeline/compare/context.js";
import type { Limits } from "./pipeline/limits.js";
import type { SummaryModel } from "./pipeline/summary/model.js";
import { summarize } from "./pipeline/summary/summarize.js";
import type { ExecutiveSummary } from "./pipeline/summary/types.js";
import { ANALYSIS_VERSION } from "./pipeline/version.js";
import { processRichBlocks, type RichBlockSupport, sendWithFallback } from "./rich-blocks.js";
import { type EmailSender, idempotencyKeyFor } from "./services/email.js";
import { isSpreadsheetFile, SlackFileError, type SlackFiles } from "./services/slack-files.js";
import type { SlackMessage, SlackMessenger } from "./services/slack-messenger.js";
import type { JobRecord, NewJob, Store, StoredAnalysis, ThreadSummary } from "./services/store.js";
import type { Telemetry } from "./telemetry.js";
import { buildSummaryEmail } from "./ui/email/summary-email.js";
import { escapeSlackText } from "./ui/escape.js";
import { emailButtonBlock, type FileRef } from "./ui/slack/interactive.js";
import { buildSummaryMessage, type RichBlocks } from "./ui/slack/summary-message.js";

const DOWNLOAD_TIMEOUT_MS = 120_000;
const ROW_UPDATE_INTERVAL_MS = 2_000;

export interface InsightsDeps {
  slack: SlackMessenger;
  files: SlackFiles;
  model: SummaryModel | null;
  /** Gemini's help with columns the headers leave unsure; null or absent: the heuristics alone. */
  columnClassifier?: ColumnClassifier | null;
  email: EmailSender;
  limits: Limits;
  /** Downloads land here and are deleted when the job ends. */
  workDir: string;
  store: Store;
  telemetry: Telemetry;
  logger: Logger;
  /** Minimum time between "N rows so far" updates (chat.update is rate-limited); tests set 0. */
  rowUpdateIntervalMs?: number;
  /** Which chart and table blocks Slack has refused so far; defaults to the process-wide record. */
  richBlocks?: RichBlockSupport;
}

export function newJobId(): string {
  return randomUUID().slice(0, 8);
}

/** Writes the job down before anything is posted about it, so a crash can never lose or repeat it. */
export async function acceptJob(
  job: NewJob,
  deps: Pick<InsightsDeps, "store" | "logger">,
): Promise<JobRecord> {
  const record = await deps.store.createJob(job);
  deps.logger.info(
    { jobId: job.id, trigger: job.trigger, channel: job.channel, fileId: job.fileId, user: job.requester },
    "job accepted",
  );
  return record;
}

/**
 * Posts the job's progress message ("Queued") in its thread right away, so several files shared
 * together get their messages, and therefore their summaries, in upload order however the jobs
 * finish. The job later updates this message in place. A failure here is not fatal: the job posts
 * its own progress message when it starts.
 */
export async function announceJob(
  job: JobRecord,
  deps: Pick<InsightsDeps, "slack" | "store" | "logger">,
  fileName: string | null,
): Promise<void> {
  try {
    const progressTs = await deps.slack.post(job.channel, job.threadTs, { text: queuedText(fileName, null) });
    await deps.store.updateJob(job.id, { progressTs });
  } catch (error) {
    deps.logger.warn({ jobId: job.id, err: error }, "could not post the queued message");
  }
}

/** The job is waiting in the queue: its progress message says how many jobs go first. */
export async function showQueuePosition(
  job: JobRecord,
  deps: Pick<InsightsDeps, "slack" | "store" | "logger">,
  fileName: string | null,
  ahead: number,
): Promise<void> {
  const progressTs = (await deps.store.getJob(job.id))?.progressTs;
  if (!progressTs) return;
  try {
    await deps.slack.update(job.channel, progressTs, { text: queuedText(fileName, ahead) });
  } catch (error) {
    deps.logger.warn({ jobId: job.id, err: error }, "could not update the queued message");
  }
}

/** ":hourglass: Queued (3 ahead): north.csv. The summary will appear here." */
export function queuedText(fileName: string | null, ahead: number | null): string {
  const where = ahead === null ? "Queued" : ahead === 0 ? "Queued (next)" : `Queued (${ahead} ahead)`;
  const what = fileName ? `: ${escapeSlackText(fileName)}` : "";
  return `:hourglass: ${where}${what}. The summary will appear here.`;
}

type Outcome = "done" | "reused" | "refused" | "failed" | "ignored";

/**
 * The one use case behind every trigger: download the file, read it, compute the metrics, write the
 * summary, post it in the file's thread, e-mail it. Every outcome ends in a message the requester can
 * see, and nothing here throws. Safe to run again for the same job after a crash: the progress
 * message is reused, a summary already posted is not posted twice, and the e-mail carries the same
 * idempotency key.
 */
export async function runInsightsJob(job: JobRecord, deps: InsightsDeps): Promise<void> {
  const { channel, threadTs, fileId } = job;
  const log = deps.logger.child({ jobId: job.id, trigger: job.trigger, channel, fileId });
  const { store, telemetry } = deps;
  // Re-read: the queued message may have been posted after this record was taken.
  let progressTs = (await store.getJob(job.id))?.progressTs ?? job.progressTs;
  const stage = async (name: string) => {
    log.info({ stage: name }, "job stage");
    await store.updateJob(job.id, { stage: name, status: "running" });
    return telemetry.stageSeconds.startTimer({ stage: name });
  };
  // Progress updates run one after another: a row count sent during parsing must never land after
  // (and overwrite) a later stage or the summary itself.
  let updates: Promise<void> = Promise.resolve();
  const progress = (text: string): Promise<void> => {
    updates = updates.then(async () => {
      try {
        if (progressTs) await deps.slack.update(channel, progressTs, { text });
        else {
          progressTs = await deps.slack.post(channel, threadTs, { text });
          await store.updateJob(job.id, { progressTs });
        }
      } catch (error) {
        log.warn({ err: error }, "progress message failed");
      }
    });
    return updates;
  };
  const finish = async (outcome: Outcome, error: string | null = null) => {
    await store.updateJob(job.id, {
      status: outcome === "failed" || outcome === "refused" ? "failed" : "done",
      error,
      stage: outcome,
    });
    telemetry.jobs.inc({ trigger: job.trigger, outcome });
  };

  const posted = await store.threadSummary(channel, threadTs, fileId);
  const stored = posted ? await store.analysisByHash(posted.contentHash, ANALYSIS_VERSION) : null;
  if (posted && stored) {
    // The summary in the thread was written with a comparison (or none): the same one is found again
    // from the stored snapshots, so the reused summary and its e-mail say the same thing.
    const upload = {
      ...uploadOf(job),
      contentHash: posted.contentHash,
      fileName: posted.fileName,
      postedAt: postedAtOf({}, job),
    };
    const compared = await compareUpload(stored.analysis, upload, { store, logger: log, save: "if-missing" });
    const summary = await cachedSummary(deps, posted.contentHash, stored, compared);
    if (summary) {
      log.info({ messageTs: posted.messageTs }, "the thread already has this summary: reusing it");
      // The queued message has nothing more to say: the summary is already above it.
      if (progressTs) {
        await safely(log, () => deps.slack.delete(channel, progressTs as string));
        await store.updateJob(job.id, { progressTs: null });
      }
      await tellExplicitProblem(job, deps, compared, log);
      const entry = {
        analysis: stored.analysis,
        summary,
        fileName: posted.fileName,
        comparison: compared.context,
      };
      await emailIfAsked(job, deps, entry, log);
      await finish("reused");
      return;
    }
  }

  const path = join(deps.workDir, `${job.id}-${fileId}`);
  let fileName: string | null = null;
  try {
    let timer = await stage("download");
    // files.info first: Slack Connect files carry no name or URL until it is called.
    const info = await deps.files.info(fileId);
    fileName = info.name;
    if (!isSpreadsheetFile(info)) {
      timer();
      // An upload of a photo or a PDF is none of our business; an explicit request deserves an answer.
      if (job.trigger === "upload") {
        log.info({ filetype: info.filetype }, "not a spreadsheet: ignored");
        if (progressTs) {
          await safely(log, () => deps.slack.delete(channel, progressTs as string));
          await store.updateJob(job.id, { progressTs: null });
        }
        await finish("ignored");
        return;
      }
      throw new InputError(
        "unsupported-type",
        `${info.name} is not a CSV or Excel (.xlsx) file, so there is nothing to analyse.`,
      );
    }
    // File names, like every value from the file, are escaped: a file called "<!channel>.csv" must not ping.
    const name = escapeSlackText(info.name);
    await progress(`:hourglass_flowing_sand: Downloading ${name}…`);
    await mkdir(deps.workDir, { recursive: true });
    // A stalled download must not hold a job slot forever.
    await deps.files.download(info, path, deps.limits.maxFileBytes, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS));
    const contentHash = await sha256(path);
    await store.updateJob(job.id, { contentHash });
    timer();

    const cached = await store.analysisByHash(contentHash, ANALYSIS_VERSION);
    let analysis = cached?.analysis ?? null;
    // Like an offline summary written during an outage, a column reading Gemini was asked about but
    // could not help with is not kept: the next upload of this content reads it again and asks again.
    let columnHelpFailed = false;
    if (analysis) {
      log.info({ contentHash }, "same content analysed before: reusing the analysis");
    } else {
      timer = await stage("read");
      await progress(`:bar_chart: Reading ${name}…`);
      let lastRowUpdate = Date.now();
      analysis = await analyzeFile(path, {
        fileName: info.name,
        limits: deps.limits,
        columnClassifier: deps.columnClassifier ?? null,
        onColumnHelp: (help) => {
          log.info({ columnHelp: help }, "columns unsure: asked Gemini");
          if (help.asked && help.answer === null) columnHelpFailed = true;
        },
        onRows: (rows) => {
          // chat.update is rate-limited (Tier 3): a row count every couple of seconds is plenty.
          if (Date.now() - lastRowUpdate < (deps.rowUpdateIntervalMs ?? ROW_UPDATE_INTERVAL_MS)) return;
          lastRowUpdate = Date.now();
          void progress(`:bar_chart: Reading ${name}… ${rows.toLocaleString("en-US")} rows so far`);
        },
      });
      timer();
    }
    timer = await stage("compare");
    const upload = { ...uploadOf(job), contentHash, fileName: info.name, postedAt: postedAtOf(info, job) };
    let compared = await compareUpload(analysis, upload, { store, logger: log, save: "always" });
    timer();
    let summary = await cachedSummary(deps, contentHash, cached, compared);
    if (summary) log.info({ contentHash, compared: compared.cacheKey !== null }, "reusing the summary");
    else {
      timer = await stage("summarize");
      await progress(`:memo: Writing the summary of ${analysis.rows.toLocaleString("en-US")} rows…`);
      ({ summary, compared } = await summarizeWith(analysis, compared, deps, log));
      timer();
      if (!columnHelpFailed)
        await cacheSummary(deps, { contentHash, fileName: info.name, analysis, summary, cached, compared });
    }
    const result = { analysis, summary, comparison: compared.context };

    timer = await stage("post");
    await updates;
    const ref = { channel, threadTs, fileId };
    const at = progressTs;
    const messageTs = await sendWithFallback(
      deps.richBlocks ?? processRichBlocks,
      (rich) => summaryMessage(result, info.name, ref, rich, log),
      async (message) => {
        if (!at) return deps.slack.post(channel, threadTs, message);
        await deps.slack.update(channel, at, message);
        return at;
      },
      log,
    );
    await store.updateJob(job.id, { summaryTs: messageTs });
    await store.saveThreadSummary(threadSummaryOf(job, messageTs, contentHash, info.name, result.analysis));
    timer();
    log.info({ rows: result.analysis.rows, writer: result.summary.writer }, "summary posted");
    await tellExplicitProblem(job, deps, compared, log);
    await emailIfAsked(job, deps, { ...result, fileName: info.name }, log);
    await finish("done");
  } catch (error) {
    const known = error instanceof AppError;
    if (known) telemetry.filesRefused.inc({ reason: refusalReason(error) });
    await updates;
    await reportFailure(job, deps, error, { progressTs, fileName }, log);
    await finish(known ? "refused" : "failed", known ? error.userMessage : "internal error");
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * The summary if it may be shown again for the same file, else null (write it again). One written
 * by Gemini (even with some sentences replaced after checking) may; so may one written offline by
 * choice, while no model is configured. One written offline although a model is configured is a
 * fallback after Gemini failed: the next request asks Gemini again instead of repeating it for the
 * cache's lifetime.
 */
export function reusableSummary(
  summary: ExecutiveSummary | null,
  model: SummaryModel | null,
): ExecutiveSummary | null {
  if (!summary) return null;
  return summary.writer !== "offline" || model === null ? summary : null;
}

function threadSummaryOf(
  job: JobRecord,
  messageTs: string,
  contentHash: string,
  fileName: string,
  a: Analysis,
): ThreadSummary {
  return {
    channel: job.channel,
    threadTs: job.threadTs,
    fileId: job.fileId,
    messageTs,
    contentHash,
    fileName,
    requester: job.requester,
    netRevenue: a.netRevenue,
    currencySymbol: a.currency?.symbol ?? null,
    createdAt: Date.now(),
  };
}

function summaryMessage(
  result: { analysis: Analysis; summary: ExecutiveSummary; comparison: ComparisonContext | null },
  fileName: string,
  ref: FileRef,
  rich: RichBlocks,
  log: Logger,
): SlackMessage {
  const build = (comparison: ComparisonContext | null) =>
    buildSummaryMessage(result.analysis, result.summary, {
      fileName,
      actions: emailButtonBlock(ref),
      rich,
      comparison,
    });
  if (!result.comparison) return build(null);
  try {
    return build(result.comparison);
  } catch (error) {
    log.error({ err: error }, SECTION_FAILED);
    return build(null);
  }
}

const SECTION_FAILED = "the What changed section failed: sent without it";

/**
 * The summary, with the comparison's sentences when there is one. A comparison the summary cannot be
 * written with must not cost the summary: it is logged and the summary is written without it (and
 * cached as one without a comparison). A model failure is handled inside summarize (offline writer).
 */
async function summarizeWith(
  analysis: Analysis,
  compared: ComparisonStep,
  deps: InsightsDeps,
  log: Logger,
): Promise<{ summary: ExecutiveSummary; compared: ComparisonStep }> {
  if (!compared.context) return { summary: await summarize(analysis, { model: deps.model }), compared };
  try {
    return {
      summary: await summarize(analysis, { model: deps.model, comparison: compared.context }),
      compared,
    };
  } catch (error) {
    log.error({ err: error }, SECTION_FAILED);
    const without = { ...compared, context: null, cacheKey: null };
    return { summary: await summarize(analysis, { model: deps.model }), compared: without };
  }
}

function uploadOf(job: JobRecord) {
  return { channel: job.channel, fileId: job.fileId, threadTs: job.threadTs, compareWith: job.compareWith };
}

/** When the file was posted: Slack's `created`, else the thread's timestamp (a message ts, in seconds). */
function postedAtOf(info: { created?: number | null }, job: JobRecord): number {
  if (typeof info.created === "number" && info.created > 0) return info.created;
  const ts = Number(job.threadTs) * 1000;
  return Number.isFinite(ts) && ts > 0 ? ts : Date.now();
}

/**
 * The cached summary fit for this comparison, or null. A summary depends on the file alone only
 * without a comparison; with one it also depends on the earlier upload, so it is cached under a key
 * naming that upload (summaryCacheKey) and reused only for the same comparison.
 */
async function cachedSummary(
  deps: InsightsDeps,
  contentHash: string,
  plain: StoredAnalysis | null,
  compared: ComparisonStep,
): Promise<ExecutiveSummary | null> {
  if (compared.cacheKey === null) return reusableSummary(plain?.summary ?? null, deps.model);
  const keyed = await deps.store.analysisByHash(
    summaryCacheKey(contentHash, compared.cacheKey),
    ANALYSIS_VERSION,
  );
  return reusableSummary(keyed?.summary ?? null, deps.model);
}

/**
 * Keeps the analysis by content hash (as always) and the summary under the key of its comparison.
 * The entry of a compared summary repeats the analysis: the store's one cache table keeps an analysis
 * with every summary, and a summary is only ever reused with the analysis it was written from.
 */
async function cacheSummary(
  deps: InsightsDeps,
  entry: {
    contentHash: string;
    fileName: string;
    analysis: Analysis;
    summary: ExecutiveSummary;
    cached: StoredAnalysis | null;
    compared: ComparisonStep;
  },
): Promise<void> {
  const { contentHash, fileName, analysis, summary, cached, compared } = entry;
  const base = { analysisVersion: ANALYSIS_VERSION, fileName, analysis, createdAt: Date.now() };
  const reusable = reusableSummary(summary, deps.model);
  if (compared.cacheKey === null) {
    await deps.store.saveAnalysis({ ...base, contentHash, summary: reusable });
    return;
  }
  // The plain entry keeps its own summary (written without a comparison), if it has one.
  if (!cached) await deps.store.saveAnalysis({ ...base, contentHash, summary: null });
  await deps.store.saveAnalysis({
    ...base,
    contentHash: summaryCacheKey(contentHash, compared.cacheKey),
    summary: reusable,
  });
}

/** /insights compare could not compare: the thread says why, under the summary, and how to fix it. */
async function tellExplicitProblem(
  job: JobRecord,
  deps: InsightsDeps,
  compared: ComparisonStep,
  log: Logger,
): Promise<void> {
  if (compared.explicitProblem === null) return;
  const text =
    compared.explicitProblem === "same-file"
      ? ":information_source: There is nothing to compare: the earlier file you asked for is this same file."
      : ":information_source: I could not make the comparison you asked for: I no longer keep the figures of the earlier file (they are kept for a limited time), or it was never analysed here. Run /insights on its thread (or use *Generate insights* on its message), then /insights compare again.";
  await safely(log, () => deps.slack.post(job.channel, job.threadTs, { text }));
}

async function emailIfAsked(
  job: JobRecord,
  deps: InsightsDeps,
  entry: {
    analysis: Analysis;
    summary: ExecutiveSummary;
    fileName: string;
    comparison: ComparisonContext | null;
  },
  log: Logger,
): Promise<void> {
  if (job.recipients.length === 0) return;
  const { channel, threadTs, fileId } = job;
  const who = job.recipients.join(", ");
  // One key per (file, recipients): a resumed or repeated job never e-mails the same people twice.
  const idempotencyKey = idempotencyKeyFor({
    fileKey: `${channel}:${threadTs}:${fileId}`,
    recipients: job.recipients,
  });
  const already = await deps.store.sentEmail(idempotencyKey);
  if (already) {
    log.info({ idempotencyKey }, "e-mail already sent for this file and these recipients");
    await safely(log, () =>
      deps.slack.post(channel, threadTs, { text: `:email: This summary was already e-mailed to ${who}.` }),
    );
    return;
  }
  const stop = deps.telemetry.stageSeconds.startTimer({ stage: "email" });
  await deps.store.updateJob(job.id, { stage: "email" });
  const build = (comparison: ComparisonContext | null) =>
    buildSummaryEmail(entry.analysis, entry.summary, { fileName: entry.fileName, comparison });
  let email: Awaited<ReturnType<typeof build>>;
  try {
    email = await build(entry.comparison);
  } catch (error) {
    if (!entry.comparison) throw error;
    log.error({ err: error }, SECTION_FAILED);
    email = await build(null);
  }
  const result = await deps.email.send({
    to: job.recipients,
    subject: email.subject,
    html: email.html,
    text: email.text,
    inlineImages: email.images,
    idempotencyKey,
  });
  stop();
  await deps.store.recordEmail({
    idempotencyKey,
    jobId: job.id,
    recipients: job.recipients,
    providerId: result.ok ? result.id : null,
    status: result.ok ? "sent" : "failed",
    reason: result.ok ? null : result.reason,
    createdAt: Date.now(),
  });
  deps.telemetry.emails.inc({
    outcome: result.ok ? "sent" : "failed",
    via: result.ok ? result.via : "resend",
  });
  if (result.ok) {
    // The setting behind the outbox is for the admins' log; the thread says what happened in plain words.
    log.info(
      {
        recipients: job.recipients.length,
        via: result.via,
        ...(result.via === "outbox" ? { detail: "RESEND_API_KEY is not set" } : {}),
      },
      "summary e-mailed",
    );
    const text =
      result.via === "outbox"
        ? `:email: The summary for ${who} was saved in the app's outbox, not sent: e-mail delivery is not set up. Ask the app's admins to set it up.`
        : `:email: Summary e-mailed to ${who}.`;
    await safely(log, () => deps.slack.post(channel, threadTs, { text }));
  } else {
    log.warn({ reason: result.reason }, "e-mail failed");
    await safely(log, () =>
      deps.slack.post(channel, threadTs, {
        text: `:warning: Could not e-mail the summary to ${who}: ${escapeSlackText(result.reason)}. The summary is above in this thread.`,
      }),
    );
  }
}

async function reportFailure(
  job: JobRecord,
  deps: InsightsDeps,
  error: unknown,
  where: { progressTs: string | null; fileName: string | null },
  log: Logger,
): Promise<void> {
  const { progressTs, fileName } = where;
  const { channel, threadTs } = job;
  const known = error instanceof AppError;
  if (known) log.info({ problem: error.message }, "file refused");
  else log.error({ err: error }, "job failed");
  // User messages quote headers and file names from the upload: escaped like any file value.
  const text = known
    ? `:warning: ${escapeSlackText(error.userMessage)}`
    : `:warning: Something went wrong while analysing this file (job ${job.id}). Please try again; if it keeps failing, tell the app's admins.`;
  // A file that is not sales data is the uploader's business only: no thread noise for everyone.
  // Once the progress reply is deleted the thread may be empty again, where Slack would not show a
  // threaded private message: privateNotice falls back to the channel, so the notice names the file.
  if (job.trigger === "upload" && known) {
    if (progressTs) await safely(log, () => deps.slack.delete(channel, progressTs));
    const about = fileName ? `${escapeSlackText(fileName)}: ` : "";
    const notice = `:warning: ${about}${escapeSlackText(error.userMessage)}`;
    await safely(log, () => deps.slack.privateNotice(channel, job.requester, { text: notice }, threadTs));
    return;
  }
  if (progressTs) await safely(log, () => deps.slack.update(channel, progressTs, { text }));
  else await safely(log, () => deps.slack.post(channel, threadTs, { text }));
}

function refusalReason(error: AppError): string {
  if (error instanceof InputError) return error.problem;
  if (error instanceof SlackFileError) return `slack-${error.code}`;
  return "other";
}

async function safely(log: Logger, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    log.warn({ err: error }, "Slack call failed");
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
