import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueCounts, QueueObserver } from "./jobs/queue.js";
import { type SummaryModel, SummaryModelError } from "./pipeline/summary/model.js";

/**
 * The numbers an operator watches (GET /metrics, Prometheus text). One registry per app instance, so
 * tests can create as many as they like.
 */
export interface Telemetry {
  registry: Registry;
  jobs: Counter<"trigger" | "outcome">;
  stageSeconds: Histogram<"stage">;
  geminiSeconds: Histogram<"outcome">;
  geminiFailures: Counter<"reason">;
  emails: Counter<"outcome" | "via">;
  filesRefused: Counter<"reason">;
  /** Time from queuing a job to its first start. */
  queueWaitSeconds: Histogram;
  /** Jobs whose worker died, put back to run on another (counted by the instance that found them). */
  queueStalled: Counter;
}

export function createTelemetry(options: { defaultMetrics?: boolean } = {}): Telemetry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "sib_process_" });
  const registers = [registry];
  return {
    registry,
    jobs: new Counter({
      name: "sib_jobs_total",
      help: "Analysis jobs by trigger and outcome (done, reused, refused, failed).",
      labelNames: ["trigger", "outcome"],
      registers,
    }),
    stageSeconds: new Histogram({
      name: "sib_job_stage_seconds",
      help: "Time spent in each job stage.",
      labelNames: ["stage"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    geminiSeconds: new Histogram({
      name: "sib_gemini_request_seconds",
      help: "Gemini summary calls, retries included, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    }),
    geminiFailures: new Counter({
      name: "sib_gemini_failures_total",
      help: "Gemini calls that ended without a usable answer, by reason.",
      labelNames: ["reason"],
      registers,
    }),
    emails: new Counter({
      name: "sib_emails_total",
      help: "Summary e-mails by outcome (sent, failed) and channel (resend, outbox).",
      labelNames: ["outcome", "via"],
      registers,
    }),
    filesRefused: new Counter({
      name: "sib_files_refused_total",
      help: "Files that could not be analysed, by reason.",
      labelNames: ["reason"],
      registers,
    }),
    queueWaitSeconds: new Histogram({
      name: "sib_queue_wait_seconds",
      help: "Time jobs waited in the queue before they first started.",
      buckets: [0.01, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    queueStalled: new Counter({
      name: "sib_queue_stalled_jobs_total",
      help: "Jobs whose worker died mid-run and that were put back to run again (found by this instance).",
      registers,
    }),
  };
}

/** Feeds the queue's events into the metrics above. */
export function queueObserver(telemetry: Telemetry): QueueObserver {
  return {
    started: (waitedMs) => telemetry.queueWaitSeconds.observe(waitedMs / 1000),
    stalled: () => telemetry.queueStalled.inc(),
  };
}

/**
 * sib_queue_jobs{state}: jobs waiting, running, delayed (backing off before a retry) and failed, read
 * from the queue when /metrics is scraped. With BullMQ these are the whole cluster's numbers (every
 * instance reports the same), so sum them with max(), not sum().
 */
export function watchQueueDepth(telemetry: Telemetry, counts: () => Promise<QueueCounts>): void {
  new Gauge({
    name: "sib_queue_jobs",
    help: "Jobs in the queue by state (waiting, active, delayed, failed); with Redis, across all instances.",
    labelNames: ["state"],
    registers: [telemetry.registry],
    async collect() {
      try {
        const c = await counts();
        for (const [state, value] of Object.entries(c)) this.set({ state }, value);
      } catch {
        // Redis unreachable: no depth this scrape (health says why) rather than a failed scrape.
        this.reset();
      }
    },
  });
}

/** Times each Gemini call and counts its failures, without the pipeline knowing. */
export function instrumentModel(model: SummaryModel, telemetry: Telemetry): SummaryModel {
  return {
    model: model.model,
    async generate(request, signal) {
      const stop = telemetry.geminiSeconds.startTimer();
      try {
        const text = await model.generate(request, signal);
        stop({ outcome: "ok" });
        return text;
      } catch (error) {
        stop({ outcome: "failed" });
        telemetry.geminiFailures.inc({ reason: failureReason(error) });
        throw error;
      }
    },
  };
}

/** A low-cardinality label from a failure's user-facing reason. */
export function failureReason(error: unknown): string {
  if (!(error instanceof SummaryModelError)) return "error";
  const status = /HTTP (\d{3})/.exec(error.reason)?.[1];
  if (status) return `http_${status}`;
  if (/within|timed out/i.test(error.reason)) return "timeout";
  if (/blocked|no text|withheld|cut off/i.test(error.reason)) return "no_answer";
  if (/could not be reached/i.test(error.reason)) return "unreachable";
  return "other";
}
