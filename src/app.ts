import type { IncomingMessage, ServerResponse } from "node:http";
import { App } from "@slack/bolt";
import type { InsightsDeps } from "./analyze-file.js";
import type { AppConfig } from "./config.js";
import { queuedJobHandler } from "./jobs/run-queued-job.js";
import type { JobRunner } from "./jobs/runner.js";
import { emailSummaryAction } from "./listeners/actions/email-summary.js";
import { insightsCommand } from "./listeners/commands/insights.js";
import type { ListenerDeps } from "./listeners/deps.js";
import { fileShareListener } from "./listeners/events/file-share.js";
import { generateInsightsShortcut } from "./listeners/shortcuts/generate-insights.js";
import { insightsEmailSubmission } from "./listeners/views/insights-email.js";
import { boltLogger, type Logger } from "./logger.js";
import { workspaceOf } from "./services/slack-workspace.js";
import type { Telemetry } from "./telemetry.js";
import { EMAIL_BUTTON_ACTION, EMAIL_MODAL_CALLBACK } from "./ui/slack/interactive.js";

export const SHORTCUT_CALLBACK = "generate_insights";

/** One dependency that /health checks (the database; the queue when there is one). Never throws. */
export type HealthCheck = () => Promise<{ ok: boolean; detail: string }>;

/** What GET /health reports. */
export interface HealthStatus {
  /** False while shutting down: no new work is accepted here. */
  ok: boolean;
  /** Each named dependency: true when it answered. One false makes /health answer 503. */
  checks?: Readonly<Record<string, boolean>>;
}

/**
 * Bolt's App in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode (events, commands and interactivity
 * on POST /slack/events, signatures checked by Bolt). GET /health answers in both modes, for Fly.
 */
export function createApp(
  config: AppConfig,
  logger: Logger,
  health: () => HealthStatus | Promise<HealthStatus>,
  telemetry: Telemetry,
): App {
  const { slack } = config;
  return new App({
    token: slack.botToken,
    ...(slack.appToken
      ? {
          appToken: slack.appToken,
          socketMode: true,
          // In Socket Mode Bolt serves the custom routes (/health, /metrics) on this port, and its
          // WebSocket client opens connections through this Web API base (apps.connections.open).
          port: slack.port,
          installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
        }
      : { signingSecret: slack.signingSecret ?? "" }),
    logger: boltLogger(logger),
    // Initialised explicitly (app.init) so a bad token or an unreachable Slack is a clear start-up
    // error, not an unhandled rejection from inside the constructor.
    deferInitialization: true,
    customRoutes: [
      { path: "/health", method: ["GET"], handler: healthHandler(health) },
      { path: "/metrics", method: ["GET"], handler: metricsHandler(telemetry) },
    ],
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      // A user is waiting: a few quick retries, not the SDK default of 10 over 30 minutes.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3_000 },
    },
  });
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.event("message", fileShareListener(deps));
  app.command("/insights", insightsCommand(deps));
  app.shortcut({ type: "message_action", callback_id: SHORTCUT_CALLBACK }, generateInsightsShortcut(deps));
  app.view(EMAIL_MODAL_CALLBACK, insightsEmailSubmission(deps));
  app.action(EMAIL_BUTTON_ACTION, emailSummaryAction(deps));
  app.error(async (error) => {
    deps.logger.error({ err: error }, "unhandled listener error");
  });
}

export interface Wiring {
  config: AppConfig;
  logger: Logger;
  runner: JobRunner;
  jobs: Omit<InsightsDeps, "slack">;
  messenger: (app: App) => InsightsDeps["slack"];
  /** Checked by /health besides the store (which is always checked, as `database`). */
  healthChecks?: Readonly<Record<string, HealthCheck>>;
}

/** Builds the app with its listeners; main.ts and the end-to-end tests share this. */
export function buildApp(wiring: Wiring): App {
  const { config, logger, runner } = wiring;
  const health = healthOf(
    () => runner.accepting,
    {
      database: () => wiring.jobs.store.health(),
      queue: async () => {
        const { backend, ok, state } = runner.queue.health();
        return { ok, detail: `${backend}: ${state}` };
      },
      ...wiring.healthChecks,
    },
    logger,
  );
  const app = createApp(config, logger, health, wiring.jobs.telemetry);
  const jobs: InsightsDeps = { ...wiring.jobs, slack: wiring.messenger(app) };
  registerListeners(app, { config, runner, jobs, logger, workspace: workspaceOf(app.client) });
  // Queued jobs (this process's, or with a shared queue any instance's) run through the use case.
  void runner.start(queuedJobHandler(jobs)).catch((error: unknown) => {
    logger.fatal({ err: error }, "the job queue's worker could not start");
  });
  return app;
}

function metricsHandler(telemetry: Telemetry) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    telemetry.registry.metrics().then(
      (body) => {
        res.writeHead(200, { "content-type": telemetry.registry.contentType });
        res.end(body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  };
}

/**
 * What /health reports for an instance: whether it accepts work, and each named check, run side by
 * side. A failing check is logged with its detail (an error message), which /health never shows.
 */
export function healthOf(
  accepting: () => boolean,
  checks: Readonly<Record<string, HealthCheck>>,
  logger: Logger,
): () => Promise<HealthStatus> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        const result = await check().catch((error: unknown) => ({ ok: false, detail: String(error) }));
        if (!result.ok) logger.warn({ check: name, detail: result.detail }, "health check failed");
        return [name, result.ok] as const;
      }),
    );
    return { ok: accepting(), checks: Object.fromEntries(entries) };
  };
}

/**
 * 200 with `{"status":"ok","database":"ok"}` when the instance takes work and every dependency
 * answers; 503 otherwise, naming what failed (`"database":"unreachable"`), so a load balancer or Fly
 * stops routing here and an operator sees why.
 */
function healthHandler(health: () => HealthStatus | Promise<HealthStatus>) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const answer = (code: number, body: Record<string, string>) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    Promise.resolve()
      .then(health)
      .then(
        (status) => {
          const checks = Object.entries(status.checks ?? {});
          const healthy = checks.every(([, ok]) => ok);
          answer(status.ok && healthy ? 200 : 503, {
            status: !status.ok ? "shutting down" : healthy ? "ok" : "unavailable",
            ...Object.fromEntries(checks.map(([name, ok]) => [name, ok ? "ok" : "unreachable"])),
          });
        },
        () => answer(503, { status: "unavailable" }),
      );
  };
}
