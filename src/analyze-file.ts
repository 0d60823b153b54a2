import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "./errors.js";
import type { Logger } from "./logger.js";
import { type Analysis, analyzeFile } from "./pipeline/analyze.js";
import type { Limits } from "./pipeline/limits.js";
import type { SummaryModel } from "./pipeline/summary/model.js";
import { summarize } from "./pipeline/summary/summarize.js";
import type { ExecutiveSummary } from "./pipeline/summary/types.js";
import { type EmailSender, idempotencyKeyFor } from "./services/email.js";
import { isSpreadsheetFile, type SlackFiles } from "./services/slack-files.js";
import type { SlackMessage, SlackMessenger } from "./services/slack-messenger.js";
import { buildSummaryEmail } from "./ui/email/summary-email.js";
import { escapeSlackText } from "./ui/escape.js";
import { emailButtonBlock, type FileRef } from "./ui/slack/interactive.js";
import { buildSummaryMessage } from "./ui/slack/summary-message.js";

const DOWNLOAD_TIMEOUT_MS = 120_000;

export type Trigger = "upload" | "command" | "shortcut" | "button";

export interface InsightsJob {
  id: string;
  trigger: Trigger;
  file: FileRef;
  requester: string;
  /** Empty: post in Slack only. */
  recipients: string[];
}

export interface InsightsDeps {
  slack: SlackMessenger;
  files: SlackFiles;
  model: SummaryModel | null;
  email: EmailSender;
  limits: Limits;
  /** Downloads land here and are deleted when the job ends. */
  workDir: string;
  memory: AnalysisMemory;
  logger: Logger;
}

/** What a thread already has, so a repeated request reuses it instead of posting a second summary. */
export interface AnalysisMemory {
  byThread: Map<
    string,
    { messageTs: string; analysis: Analysis; summary: ExecutiveSummary; fileName: string }
  >;
  byContent: Map<string, { analysis: Analysis; summary: ExecutiveSummary }>;
}

export function createAnalysisMemory(): AnalysisMemory {
  return { byThread: new Map(), byContent: new Map() };
}

export function newJobId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * The one use case behind every trigger: download the file, read it, compute the metrics, write the
 * summary, post it in the file's thread, e-mail it. Top to bottom, every outcome ends in a message the
 * requester can see; nothing here throws.
 */
export async function runInsightsJob(job: InsightsJob, deps: InsightsDeps): Promise<void> {
  const log = deps.logger.child({
    jobId: job.id,
    trigger: job.trigger,
    channel: job.file.channel,
    fileId: job.file.fileId,
  });
  const { channel, threadTs, fileId } = job.file;
  const threadKey = `${channel}:${threadTs}:${fileId}`;
  let progressTs: string | null = null;
  const progress = async (text: string) => {
    log.info({ stage: text }, "job stage");
    try {
      if (progressTs) await deps.slack.update(channel, progressTs, { text });
      else progressTs = await deps.slack.post(channel, threadTs, { text });
    } catch (error) {
      log.warn({ err: error }, "progress message failed");
    }
  };

  const existing = deps.memory.byThread.get(threadKey);
  if (existing) {
    log.info("reusing the summary already in the thread");
    await emailIfAsked(job, deps, existing, log, existing.messageTs);
    return;
  }

  const path = join(deps.workDir, `${job.id}-${fileId}`);
  try {
    // files.info first: Slack Connect files carry no name or URL until it is called.
    const info = await deps.files.info(fileId);
    if (!isSpreadsheetFile(info)) {
      // An upload of a photo or a PDF is none of our business; an explicit request deserves an answer.
      if (job.trigger === "upload") {
        log.info({ filetype: info.filetype }, "not a spreadsheet: ignored");
        return;
      }
      throw new AppError(`${info.name} is not a CSV or Excel (.xlsx) file, so there is nothing to analyse.`);
    }
    // File names, like every value from the file, are escaped: a file called "<!channel>.csv" must not ping.
    const name = escapeSlackText(info.name);
    await progress(`:hourglass_flowing_sand: Downloading ${name}…`);
    await mkdir(deps.workDir, { recursive: true });
    // A stalled download must not hold a job slot forever.
    await deps.files.download(info, path, deps.limits.maxFileBytes, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS));
    const contentKey = await sha256(path);

    let result = deps.memory.byContent.get(contentKey);
    if (result) {
      log.info({ contentKey }, "same content analysed before: reusing it");
    } else {
      await progress(`:bar_chart: Reading ${name}…`);
      const analysis = await analyzeFile(path, {
        fileName: info.name,
        limits: deps.limits,
        onRows: (rows) =>
          void progress(`:bar_chart: Reading ${name}… ${rows.toLocaleString("en-US")} rows so far`),
      });
      await progress(`:memo: Writing the summary of ${analysis.rows.toLocaleString("en-US")} rows…`);
      const summary = await summarize(analysis, { model: deps.model });
      result = { analysis, summary };
      deps.memory.byContent.set(contentKey, result);
    }

    const message = summaryMessage(result.analysis, result.summary, info.name, job.file);
    // `progress` (a closure) sets progressTs, which the compiler cannot see.
    const posted = progressTs as string | null;
    let messageTs: string;
    if (posted) {
      messageTs = posted;
      await deps.slack.update(channel, messageTs, message);
    } else {
      messageTs = await deps.slack.post(channel, threadTs, message);
    }
    const entry = { messageTs, fileName: info.name, ...result };
    deps.memory.byThread.set(threadKey, entry);
    log.info({ rows: result.analysis.rows, writer: result.summary.writer }, "summary posted");
    await emailIfAsked(job, deps, entry, log, messageTs);
  } catch (error) {
    await reportFailure(job, deps, error, progressTs as string | null, log);
  } finally {
    await rm(path, { force: true });
  }
}

function summaryMessage(
  analysis: Analysis,
  summary: ExecutiveSummary,
  fileName: string,
  ref: FileRef,
): SlackMessage {
  const built = buildSummaryMessage(analysis, summary, { fileName });
  // The button goes just above the provenance footer, which stays last.
  const blocks: unknown[] = [...built.blocks];
  blocks.splice(Math.max(0, blocks.length - 1), 0, emailButtonBlock(ref));
  return { text: built.text, blocks: blocks.slice(-50) };
}

async function emailIfAsked(
  job: InsightsJob,
  deps: InsightsDeps,
  entry: { analysis: Analysis; summary: ExecutiveSummary; fileName: string },
  log: Logger,
  messageTs: string,
): Promise<void> {
  const { channel, threadTs, fileId } = job.file;
  if (job.recipients.length === 0) return;
  const email = await buildSummaryEmail(entry.analysis, entry.summary, { fileName: entry.fileName });
  const result = await deps.email.send({
    to: job.recipients,
    subject: email.subject,
    html: email.html,
    text: email.text,
    idempotencyKey: idempotencyKeyFor({
      fileKey: `${channel}:${messageTs}:${fileId}`,
      recipients: job.recipients,
    }),
  });
  const who = job.recipients.join(", ");
  if (result.ok) {
    log.info({ recipients: job.recipients.length, via: result.via }, "summary e-mailed");
    const how = result.via === "outbox" ? " (written to the outbox: RESEND_API_KEY is not set)" : "";
    await safely(log, () =>
      deps.slack.post(channel, threadTs, { text: `:email: Summary e-mailed to ${who}${how}.` }),
    );
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
  job: InsightsJob,
  deps: InsightsDeps,
  error: unknown,
  progressTs: string | null,
  log: Logger,
): Promise<void> {
  const { channel, threadTs } = job.file;
  const known = error instanceof AppError;
  if (known) log.info({ problem: error.message }, "file refused");
  else log.error({ err: error }, "job failed");
  // User messages quote headers and file names from the upload: escaped like any file value.
  const text = known
    ? `:warning: ${escapeSlackText(error.userMessage)}`
    : `:warning: Something went wrong while analysing this file (job ${job.id}). Please try again; if it keeps failing, tell the app's admins.`;
  // A file that is not sales data is the uploader's business only: no thread noise for everyone.
  if (job.trigger === "upload" && known) {
    if (progressTs) await safely(log, () => deps.slack.delete(channel, progressTs));
    await safely(log, () => deps.slack.ephemeral(channel, job.requester, { text }, threadTs));
    return;
  }
  if (progressTs) await safely(log, () => deps.slack.update(channel, progressTs, { text }));
  else await safely(log, () => deps.slack.post(channel, threadTs, { text }));
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
