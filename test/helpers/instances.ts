import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.js";

/**
 * Real bot processes (src/main.ts in a child, as in production) for the multi-instance tests and the
 * queue benchmark: each with its own port and data folder, all pointed at the same fakes, database
 * and Redis through `env`. Their JSON log lines are kept for the tests to read.
 */
export const SIGNING_SECRET = "multi-instance-secret-0123";
export const UPLOADER = "U0123ABCD";
export const CHANNEL = "C0123ABCD";

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code once it exits. */
  readonly exited: Promise<number | null>;
  /** Kills it (SIGKILL: a crash, nothing runs) or asks it to stop (SIGTERM: a deploy). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `sib-${name}-`));
  let out = "";
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: "xoxb-multi-instance",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: String(port),
      DATA_DIR: dataDir,
      ALLOWED_USER_IDS: UPLOADER,
      ALLOWED_CHANNEL_IDS: CHANNEL,
      ALLOWED_EMAIL_DOMAINS: "example.com",
      USER_JOBS_PER_HOUR: "10000",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d) => {
    out += String(d);
  });
  proc.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const instance: Instance = {
    name,
    port,
    process: proc,
    output: () => out,
    logs: () =>
      out
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  const healthy = () =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
  const deadline = Date.now() + 30_000;
  while (!(await healthy())) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`instance ${name} did not become healthy\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return instance;
}

/** A small sales CSV whose figures differ with `seed`, so no two uploads share an analysis. */
export function salesCsv(seed: number): Buffer {
  const lines = ["Date,Region,Product_Category,Units_Sold,Unit_Price,Revenue,Status"];
  const regions = ["North", "South", "East", "West"];
  for (let day = 1; day <= 24; day++) {
    const units = 5 + ((seed * 7 + day * 3) % 40);
    const price = 100 + ((seed * 13 + day) % 9) * 25;
    const month = String(1 + (day % 3)).padStart(2, "0");
    const date = `2026-${month}-${String(day).padStart(2, "0")}`;
    lines.push(
      `${date},${regions[day % 4]},${day % 2 ? "Electronics" : "Home"},${units},${price},${units * price},Shipped`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** A file_share event for `fileId` in its own message (so its own thread) at `ts`. */
export function uploadEvent(eventId: string, fileId: string, ts: string, fileName = `${fileId}.csv`): string {
  const envelope = JSON.parse(
    readFileSync(new URL("../fixtures/slack/event-file-share.json", import.meta.url), "utf8"),
  );
  envelope.event_id = eventId;
  envelope.event.ts = ts;
  envelope.event.event_ts = ts;
  const file = envelope.event.files[0];
  file.id = fileId;
  file.name = fileName;
  return JSON.stringify(envelope);
}

/** POSTs a signed Slack request to `instance`, as Slack would (a retry carries x-slack-retry-num). */
export async function deliver(instance: Instance, body: string, retryNum = 0): Promise<Response> {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  return fetch(`http://127.0.0.1:${instance.port}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": ts,
      "x-slack-signature": signature,
      ...(retryNum > 0
        ? { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_timeout" }
        : {}),
    },
    body,
  });
}

export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
  context: () => string = () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      const detail = context();
      if (process.env.SIB_TEST_DUMP) writeFileSync(process.env.SIB_TEST_DUMP, detail);
      throw new Error(`timed out waiting for ${what}\n${detail.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
