import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAnalysisMemory } from "./analyze-file.js";
import { buildApp } from "./app.js";
import { type AppConfig, ConfigError, loadAppConfig } from "./config.js";
import { JobRunner } from "./jobs/runner.js";
import { createLogger, type Logger } from "./logger.js";
import { createEmailSender } from "./services/email.js";
import { createGeminiSummaryModel } from "./services/gemini.js";
import { createSlackFiles } from "./services/slack-files.js";
import { createSlackMessenger } from "./services/slack-messenger.js";

/** Process entry: config, logger, services, app; start; stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  describeStartup(config, logger);

  const runner = new JobRunner({
    maxConcurrent: config.jobs.maxConcurrent,
    perUserPerMinute: config.jobs.perUserPerMinute,
    logger,
  });
  const { apiKey } = config.gemini;
  const app = buildApp({
    config,
    logger,
    runner,
    jobs: {
      files: createSlackFiles({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl }),
      model: apiKey ? createGeminiSummaryModel({ ...config.gemini, apiKey }) : null,
      email: createEmailSender(config.email),
      limits: config.limits,
      workDir: join(tmpdir(), "sales-insight-bot"),
      memory: createAnalysisMemory(),
      logger,
    },
    messenger: (a) => createSlackMessenger(a.client),
  });

  try {
    await app.init();
    if (config.slack.appToken) await app.start();
    else await app.start(config.slack.port);
  } catch (error) {
    const detail = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    logger.fatal({ err: error }, "could not start");
    process.stderr.write(
      `Could not start: Slack did not accept the app's credentials or could not be reached (${detail}). Check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL.\n`,
    );
    process.exit(1);
  }
  logger.info(
    { mode: config.slack.appToken ? "socket" : "http", port: config.slack.port },
    "Sales Insight Bot is running",
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new work is accepted");
    const { drained, unfinished } = await runner.shutdown(config.jobs.shutdownTimeoutMs);
    if (!drained) logger.warn({ unfinished }, "shutdown deadline reached with jobs still running");
    await app.stop().catch((error: unknown) => logger.warn({ err: error }, "error while stopping"));
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

function describeStartup(config: AppConfig, logger: Logger): void {
  const { allowedUsers, allowedChannels, allowedEmailDomains } = config.slack;
  const say = (name: string, list: { anyone: boolean; values: ReadonlySet<string> }) =>
    list.anyone
      ? "anyone"
      : list.values.size === 0
        ? `no one (${name} is empty)`
        : `${list.values.size} allowed`;
  logger.info(
    {
      users: say("ALLOWED_USER_IDS", allowedUsers),
      channels: say("ALLOWED_CHANNEL_IDS", allowedChannels),
      emailDomains: say("ALLOWED_EMAIL_DOMAINS", allowedEmailDomains),
      gemini: config.gemini.apiKey ? config.gemini.model : "offline (GEMINI_API_KEY not set)",
      email: config.email.resendApiKey ? "resend" : `outbox (${config.email.outboxDir})`,
    },
    "access and services",
  );
  if (!allowedUsers.anyone && allowedUsers.values.size === 0) {
    logger.warn("ALLOWED_USER_IDS is empty: nobody can use the bot until you list user ids (or *)");
  }
  if (!allowedChannels.anyone && allowedChannels.values.size === 0) {
    logger.warn(
      "ALLOWED_CHANNEL_IDS is empty: the bot answers in no channel until you list channel ids (or *)",
    );
  }
}

await main();
