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

/**
 * Bolt's App in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode (events, commands and interactivity
 * on POST /slack/events, signatures checked by Bolt). GET /health answers in both modes, for Fly.
 */
export function createApp(
  config: AppConfig,
  logger: Logger,
  health: () => { ok: boolean },
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
}

/** Builds the app with its listeners; main.ts and the end-to-end tests share this. */
export function buildApp(wiring: Wiring): App {
  const { config, logger, runner } = wiring;
  const app = createApp(config, logger, () => ({ ok: runner.accepting }), wiring.jobs.telemetry);
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

function healthHandler(health: () => { ok: boolean }) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const status = health();
    res.writeHead(status.ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: status.ok ? "ok" : "shutting down" }));
  };
}
