import { describe, expect, it } from "vitest";
import { ConfigError, isAllowed, loadAppConfig, loadConfig } from "../src/config.js";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-123456" };

describe("configuration", () => {
  it("has working defaults for the CLI with no environment at all", () => {
    const c = loadConfig({});
    expect(c.limits.maxRows).toBe(1_000_000);
    expect(c.gemini).toMatchObject({ apiKey: null, model: "gemini-flash-latest" });
    expect(c.email).toMatchObject({ resendApiKey: null, outboxDir: "./data/outbox" });
  });

  it.each([
    [{}, /SLACK_BOT_TOKEN is required/],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, /SLACK_SIGNING_SECRET is required in HTTP mode/],
    [{ ...base, SLACK_BOT_TOKEN: "xoxp-user" }, /SLACK_BOT_TOKEN: must be a bot token/],
    [{ ...base, PORT: "http" }, /PORT/],
    [{ ...base, DEFAULT_EMAIL_TO: "boss@example.com, nope" }, /DEFAULT_EMAIL_TO: "nope"/],
    [{ ...base, RESEND_API_KEY: "sk_live" }, /RESEND_API_KEY/],
    [{ ...base, SLACK_API_URL: "not a url" }, /SLACK_API_URL/],
    [{ ...base, DATABASE_URL: "mysql://bot:pw@db/insights" }, /DATABASE_URL: must be a PostgreSQL URL/],
    [{ ...base, DATABASE_URL: "postgres://bot:p#w@db/insights" }, /DATABASE_URL: is not a valid URL/],
  ])("stops with a message naming the variable: %j", (env, message) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });

  it("keeps state in SQLite unless DATABASE_URL names a PostgreSQL database, and never echoes its password", () => {
    expect(loadAppConfig(base).databaseUrl).toBeNull();
    const url = "postgresql://bot:s3cret@db.internal:5432/insights";
    expect(loadAppConfig({ ...base, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(() => loadAppConfig({ ...base, DATABASE_URL: "mysql://bot:s3cret@db/insights" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  });

  it("queues jobs in process unless REDIS_URL is set, and then only with a shared database", () => {
    expect(loadAppConfig(base).queue).toBeNull();
    const redis = "rediss://default:r3dis-pw@fly-sib.upstash.io:6379";
    expect(() => loadAppConfig({ ...base, REDIS_URL: redis })).toThrow(/REDIS_URL needs DATABASE_URL/);
    const shared = { ...base, REDIS_URL: redis, DATABASE_URL: "postgres://bot:pw@db/insights" };
    expect(loadAppConfig(shared).queue).toEqual({ redisUrl: redis, prefix: "sib" });
    expect(loadAppConfig({ ...shared, QUEUE_PREFIX: "sib-staging" }).queue?.prefix).toBe("sib-staging");
    expect(() => loadAppConfig({ ...shared, REDIS_URL: "http://r3dis-pw@cache" })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/REDIS_URL: must be a redis:\/\//) }),
    );
    expect(() => loadAppConfig({ ...shared, REDIS_URL: "http://r3dis-pw@cache" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("r3dis-pw") }),
    );
    expect(() => loadAppConfig({ ...shared, QUEUE_PREFIX: "a:b" })).toThrow(/QUEUE_PREFIX/);
  });

  it("Socket Mode needs no signing secret", () => {
    expect(loadAppConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack.appToken).toBe(
      "xapp-1",
    );
  });

  it("allowlists deny by default; * means anyone", () => {
    const c = loadAppConfig({ ...base, ALLOWED_USER_IDS: "U1, U2", ALLOWED_CHANNEL_IDS: "*" });
    expect(isAllowed(c.slack.allowedUsers, "U1")).toBe(true);
    expect(isAllowed(c.slack.allowedUsers, "U3")).toBe(false);
    expect(isAllowed(c.slack.allowedChannels, "Canything")).toBe(true);
    expect(isAllowed(c.slack.allowedEmailDomains, "example.com")).toBe(false);
  });
});
