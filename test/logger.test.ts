import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
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
