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
    workspace: async () => ({ teamId: "THOME", botUserId: "UBOT", botName: "sales-insight-bot" }),
  } as unknown as ListenerDeps;
  return { deps, lines };
}

describe("checkAccess", () => {
  it("denies by default and logs a security event with who, where and what", async () => {
    const { deps, lines } = depsWith({});
    const access = await checkAccess(deps, { user: "U1", team: "THOME", channel: "C1", action: "command" });
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

  it("names the channel list when only the channel is refused", async () => {
    const { deps } = depsWith({ ALLOWED_USER_IDS: "U1" });
    expect(
      await checkAccess(deps, { user: "U1", team: "THOME", channel: "C9", action: "upload" }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not enabled in this channel\. Ask your Slack admin/),
    });
  });

  it("lets an allowed user in an allowed channel through, silently", async () => {
    const { deps, lines } = depsWith({ ALLOWED_USER_IDS: "U1", ALLOWED_CHANNEL_IDS: "*" });
    expect(await checkAccess(deps, { user: "U1", team: "THOME", channel: "C1", action: "upload" })).toEqual({
      ok: true,
    });
    expect(lines).toHaveLength(0);
  });

  it("refuses people from another workspace (Slack Connect) even when every user id is allowed", async () => {
    const { deps, lines } = depsWith({ ALLOWED_USER_IDS: "*", ALLOWED_CHANNEL_IDS: "*" });
    const foreign = await checkAccess(deps, {
      user: "UGUEST",
      team: "TOTHER",
      channel: "C1",
      action: "upload",
    });
    expect(foreign).toMatchObject({
      ok: false,
      message: expect.stringMatching(/workspace that installed it/),
    });
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ setting: "ALLOWED_TEAM_IDS", team: "TOTHER" });
    expect(await checkAccess(deps, { user: "U1", team: "THOME", channel: "C1", action: "upload" })).toEqual({
      ok: true,
    });
    // A payload that does not say the person's workspace is refused, not guessed.
    expect(
      (await checkAccess(deps, { user: "U1", team: undefined, channel: "C1", action: "upload" })).ok,
    ).toBe(false);
  });

  it("ALLOWED_TEAM_IDS lists the workspaces allowed, * allows any", async () => {
    const listed = depsWith({
      ALLOWED_USER_IDS: "*",
      ALLOWED_CHANNEL_IDS: "*",
      ALLOWED_TEAM_IDS: "THOME,TPARTNER",
    }).deps;
    expect(
      (await checkAccess(listed, { user: "U", team: "TPARTNER", channel: "C", action: "upload" })).ok,
    ).toBe(true);
    expect(
      (await checkAccess(listed, { user: "U", team: "TOTHER", channel: "C", action: "upload" })).ok,
    ).toBe(false);
    const anyone = depsWith({ ALLOWED_USER_IDS: "*", ALLOWED_CHANNEL_IDS: "*", ALLOWED_TEAM_IDS: "*" }).deps;
    expect(
      (await checkAccess(anyone, { user: "U", team: "TOTHER", channel: "C", action: "upload" })).ok,
    ).toBe(true);
  });
});
