import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { acceptJob, type InsightsDeps, runInsightsJob } from "../src/analyze-file.js";
import { createLogger } from "../src/logger.js";
import { DEFAULT_LIMITS } from "../src/pipeline/limits.js";
import type { EmailSender, OutgoingEmail } from "../src/services/email.js";
import type { SlackFiles } from "../src/services/slack-files.js";
import type { SlackMessage, SlackMessenger } from "../src/services/slack-messenger.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import { createTelemetry } from "../src/telemetry.js";
import { tempFiles } from "./helpers/files.js";

/**
 * A comparison that the summary, the Slack message or the e-mail cannot be written with (a bug in the
 * section, an odd figure) costs the section, never the summary. The section's builders are made to
 * fail here; everything else is real.
 */
const failures = vi.hoisted(() => ({ section: false, summary: false }));

vi.mock("../src/ui/comparison-text.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/ui/comparison-text.js")>();
  return {
    ...real,
    whatChangedContent: (...args: Parameters<typeof real.whatChangedContent>) => {
      if (failures.section) throw new TypeError("cannot read properties of undefined (reading 'net')");
      return real.whatChangedContent(...args);
    },
  };
});

vi.mock("../src/pipeline/summary/summarize.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/pipeline/summary/summarize.js")>();
  return {
    ...real,
    summarize: (...args: Parameters<typeof real.summarize>) => {
      if (failures.summary && args[1].comparison) throw new RangeError("figure out of range");
      return real.summarize(...args);
    },
  };
});

const files = tempFiles();
const HEADER = "Order Date,Region,Category,Units,Unit Price,Revenue";
const week = (firstDay: string, northUnits: number) => {
  const rows = [HEADER];
  for (let d = 0; d < 7; d++) {
    const day = new Date(Date.parse(`${firstDay}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    rows.push(`${day},North,Tools,${northUnits},100.00,${northUnits * 100}.00`);
    rows.push(`${day},South,Toys,1,100.00,100.00`);
  }
  return `${rows.join("\n")}\n`;
};
const SERIES: Record<string, { name: string; csv: string; created: number }> = {
  F46: { name: "sales_w46.csv", csv: week("2026-11-09", 2), created: Date.parse("2026-11-16T09:00:00Z") },
  F47: { name: "sales_w47.csv", csv: week("2026-11-16", 3), created: Date.parse("2026-11-23T09:00:00Z") },
};

const sharedFiles: SlackFiles = {
  info: async (fileId) => {
    const f = SERIES[fileId];
    if (!f) throw new Error(`no file ${fileId}`);
    return {
      id: fileId,
      name: f.name,
      title: f.name,
      mimetype: "text/csv",
      filetype: "csv",
      size: f.csv.length,
      urlPrivateDownload: "https://files.slack.com/x",
      user: "U1",
      created: f.created,
    };
  },
  download: async (file, dest) => {
    copyFileSync(files.write(`${file.id}.csv`, SERIES[file.id]?.csv ?? ""), dest);
    return { bytes: 1 };
  },
};

let posted: string[];
let emails: OutgoingEmail[];
let logLines: Record<string, unknown>[];
let deps: InsightsDeps;
beforeEach(() => {
  failures.section = false;
  failures.summary = false;
  posted = [];
  emails = [];
  logLines = [];
  let n = 0;
  const slack: SlackMessenger = {
    post: async (_c, _t, m: SlackMessage) => {
      if (m.blocks) posted.push(JSON.stringify(m));
      return `t${++n}`;
    },
    update: async (_c, _ts, m) => {
      if (m.blocks) posted.push(JSON.stringify(m));
    },
    delete: async () => {},
    isMember: async () => true,
    privateNotice: async () => {},
  };
  const email: EmailSender = {
    send: async (e) => {
      emails.push(e);
      return { ok: true, id: "e1", via: "resend" };
    },
  };
  deps = {
    slack,
    files: sharedFiles,
    model: null,
    email,
    limits: DEFAULT_LIMITS,
    workDir: join(files.dir, "work"),
    store: openSqliteStore(":memory:"),
    telemetry: createTelemetry({ defaultMetrics: false }),
    logger: createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
          done();
        },
      }),
    }),
  };
});

const job = (fileId: string, threadTs: string) => ({
  id: `j-${fileId}-${Math.random().toString(36).slice(2, 6)}`,
  trigger: "upload" as const,
  channel: "C1",
  threadTs,
  fileId,
  requester: "U1",
  recipients: ["boss@example.com"],
});

async function uploadBoth() {
  await runInsightsJob(await acceptJob(job("F46", "100.1"), deps), deps);
  await runInsightsJob(await acceptJob(job("F47", "200.1"), deps), deps);
}

describe("a What changed section that cannot be written", () => {
  it("is shown when it can be (the control)", async () => {
    await uploadBoth();
    expect(posted.at(-1)).toMatch(/What changed/);
    expect(emails.at(-1)?.html).toMatch(/What changed/);
  });

  it("in Slack and the e-mail: both go out without it, and the log says so", async () => {
    failures.section = true;
    await uploadBoth();
    expect(posted).toHaveLength(2);
    expect(posted.at(-1)).toMatch(/sales_w47\.csv/);
    expect(posted.at(-1)).not.toMatch(/What changed/);
    expect(emails).toHaveLength(2);
    expect(emails.at(-1)?.html).not.toMatch(/What changed/);
    expect(logLines.filter((l) => l.msg === "the What changed section failed: sent without it")).toHaveLength(
      2,
    );
  });

  it("in the summary: it is written without the comparison, and posted", async () => {
    failures.summary = true;
    await uploadBoth();
    expect(posted).toHaveLength(2);
    expect(posted.at(-1)).toMatch(/sales_w47\.csv/);
    expect(posted.at(-1)).not.toMatch(/What changed/);
    expect(logLines.some((l) => l.msg === "the What changed section failed: sent without it")).toBe(true);
  });
});
