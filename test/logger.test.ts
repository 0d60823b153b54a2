import { Writable } from "node:stream";
import { LogLevel } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { boltLogger, createLogger, redactSecrets } from "../src/logger.js";

function capture(level = "info") {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level, destination }) };
}

describe("logger", () => {
  it("writes one JSON line per event and redacts secrets and e-mail bodies", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        jobId: "j1",
        token: "xoxb-secret",
        config: { apiKey: "re_secret", botToken: "xoxb-2" },
        html: "<p>summary</p>",
      },
      "job stage",
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line).toMatchObject({ jobId: "j1", token: "[redacted]", html: "[redacted]", msg: "job stage" });
    expect(lines[0]).not.toMatch(/xoxb-secret|re_secret|xoxb-2|summary/);
  });

  it("carries a job id on every line of a child logger", () => {
    const { lines, logger } = capture();
    const job = logger.child({ jobId: "abc123" });
    job.info("one");
    job.warn("two");
    expect(lines.map((l) => JSON.parse(l).jobId)).toEqual(["abc123", "abc123"]);
  });
});

/** Token-shaped values for each kind of credential the app holds, made up at run time. */
function fakeSecrets() {
  const r = (n: number) =>
    Array.from({ length: n }, (_, i) => "abcdefghijklmnopqrstuvwxyz0123456789"[(i * 7 + n) % 36]).join("");
  return {
    bot: `xoxb-1234-5678-${r(24)}`,
    user: `xoxp-1234-5678-${r(24)}`,
    app: `xapp-1-A0123-${r(30)}`,
    refresh: `xoxe-1-${r(40)}`,
    rotated: `xoxe.xoxp-1-${r(40)}`,
    resend: `re_${r(8)}_${r(24)}`,
    gemini: `AIza${r(35)}`,
    bearer: r(32),
  };
}

function boltCapture() {
  const { lines, logger } = capture("debug");
  const bolt = boltLogger(logger);
  bolt.setLevel(LogLevel.DEBUG);
  return { lines, bolt };
}

describe("boltLogger", () => {
  it("logs an error with its message, stack, code and data instead of {}", () => {
    const { lines, bolt } = boltCapture();
    const error = Object.assign(new Error("An API error occurred: invalid_auth"), {
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "invalid_auth" },
    });
    bolt.error("Failed to start the app", error);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.msg).toBe("Failed to start the app");
    expect(line.component).toBe("bolt");
    expect(line.err).toMatchObject({
      type: "Error",
      message: "An API error occurred: invalid_auth",
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "invalid_auth" },
    });
    expect(line.err.stack).toMatch(/^Error: An API error occurred: invalid_auth\n\s+at /);
  });

  it("redacts tokens at any depth of any argument: strings, objects, arrays and error messages", () => {
    const { lines, bolt } = boltCapture();
    const s = fakeSecrets();
    const error = new Error(`request failed for ${s.bot}`, { cause: new Error(`with ${s.user}`) });
    bolt.debug(
      `starting with ${s.app}`,
      {
        a: { b: { c: { d: { headers: { Authorization: `Bearer ${s.bearer}` }, note: `key ${s.gemini}` } } } },
      },
      [[{ deep: [s.refresh, { value: s.rotated }] }]],
      { config: { resend: { key: s.resend } }, slack: { botToken: "short-but-named" } },
    );
    bolt.warn("api call failed", error, { retry: `Bearer ${s.bearer}` });
    expect(lines).toHaveLength(2);
    const all = lines.join("\n");
    for (const secret of [...Object.values(s), "short-but-named"]) expect(all).not.toContain(secret);
    expect(all).toContain("[redacted]");
    // What is not a secret stays, so the line is still useful.
    const first = JSON.parse(lines[0] ?? "{}");
    expect(first.msg).toBe("starting with [redacted]");
    expect(first.args[0].a.b.c.d.note).toBe("key [redacted]");
    expect(first.args[0].a.b.c.d.headers.Authorization).toBe("[redacted]");
    expect(JSON.parse(lines[1] ?? "{}").err.message).toBe("request failed for [redacted]: with [redacted]");
  });

  it("logs a circular object instead of throwing", () => {
    const { lines, bolt } = boltCapture();
    const request: Record<string, unknown> = { id: 1, token: "xoxb-circular" };
    request.self = request;
    request.children = [{ parent: request }];
    const error = Object.assign(new Error("loop"), { data: request });
    expect(() => bolt.info("incoming", request)).not.toThrow();
    expect(() => bolt.error(error)).not.toThrow();
    expect(lines).toHaveLength(2);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.args[0]).toMatchObject({ id: 1, token: "[redacted]", self: "[Circular]" });
    expect(line.args[0].children[0].parent).toBe("[Circular]");
    expect(JSON.parse(lines[1] ?? "{}").err.data.self).toBe("[Circular]");
  });
});

describe("logger redaction beyond fixed paths", () => {
  it("redacts a token nested deeper than pino's paths reach, and one quoted in an error", () => {
    const { lines, logger } = capture();
    const s = fakeSecrets();
    logger.warn(
      {
        err: new Error(`Gemini said 403 for key=${s.gemini}`),
        deps: { gemini: { client: { apiKey: s.gemini } } },
      },
      `calling with ${s.bot}`,
    );
    logger.error(new Error(`resend ${s.resend}`));
    const all = lines.join("\n");
    for (const secret of [s.gemini, s.bot, s.resend]) expect(all).not.toContain(secret);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.err.message).toBe("Gemini said 403 for key=[redacted]");
    expect(line.deps.gemini.client.apiKey).toBe("[redacted]");
    // An error passed first still lands under `err`, as pino files it.
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({
      err: { type: "Error", message: "resend [redacted]" },
      msg: "resend [redacted]",
    });
  });

  it("leaves ordinary values alone", () => {
    expect(
      redactSecrets({ fileName: "re_2026.csv", rows: 12, when: new Date(0), note: "Bearer of news" }),
    ).toEqual({
      fileName: "re_2026.csv",
      rows: 12,
      when: "1970-01-01T00:00:00.000Z",
      note: "Bearer of news",
    });
  });
});
