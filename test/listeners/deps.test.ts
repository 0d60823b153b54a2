import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/config.js";
import { JobRunner } from "../../src/jobs/runner.js";
import { checkAccess, type ListenerDeps } from "../../src/listeners/deps.js";
import { createLogger } from "../../src/logger.js";

function depsWith(env: Record<string, string>) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "info", destination });
  const config = loadAppConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-123456", ...env });
  const deps = {
    config,
    logger,
    runner: new JobRunner({ maxConcurrent: 1, perUserPerHour: 100, logger }),
    jobs: {},
  } as unknown as ListenerDeps;
  return { deps, lines };
}

describe("checkAccess", () => {
  it("denies by default and logs a security event with who, where and what", () => {
    const { deps, lines } = depsWith({});
    const access = checkAccess(deps, { user: "U1", channel: "C1", action: "command" });
    expect(access).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ask your Slack admin to give you access/i),
    });
    expect(access.ok ? "" : access.message).not.toMatch(/ALLOWED_/);
    const event = JSON.parse(lines[0] ?? "{}");
    expect(event).toMatchObject({
      security: true,
      user: "U1",
      channel: "C1",
      action: "command",
      level: 40,
      setting: "ALLOWED_USER_IDS",
    });
  });

  it("names the channel list when only the channel is refused", () => {
    const { deps } = depsWith({ ALLOWED_USER_IDS: "U1" });
    expect(checkAccess(deps, { user: "U1", channel: "C9", action: "upload" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not enabled in this channel\. Ask your Slack admin/),
    });
  });

  it("lets an allowed user in an allowed channel through, silently", () => {
    const { deps, lines } = depsWith({ ALLOWED_USER_IDS: "U1", ALLOWED_CHANNEL_IDS: "*" });
    expect(checkAccess(deps, { user: "U1", channel: "C1", action: "upload" })).toEqual({ ok: true });
    expect(lines).toHaveLength(0);
  });
});
