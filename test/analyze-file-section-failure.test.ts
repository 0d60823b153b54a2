import { Writable } from "node:stream";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { acceptJob, type InsightsDeps, runInsightsJob } from "../src/analyze-file.js";
import { createLogger } from "../src/logger.js";
import type { EmailSender, OutgoingEmail } from "../src/services/email.js";
import type { SlackMessage, SlackMessenger } from "../src/services/slack-messenger.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import { tempFiles } from "./helpers/files.js";
import { insightsDeps, type SharedCsv, sharedCsvFiles, weekCsv } from "./helpers/insights-deps.js";

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
const SERIES: Record<string, SharedCsv> = {
  F46: {
    name: "sales_w46.csv",
    csv: weekCsv("2026-11-09", [
      ["North", "Tools", 2, 100],
      ["South", "Toys", 1, 100],
    ]),
    created: Date.parse("2026-11-16T09:00:00Z"),
  },
  F47: {
    name: "sales_w47.csv",
    csv: weekCsv("2026-11-16", [
      ["North", "Tools", 3, 100],
      ["South", "Toys", 1, 100],
    ]),
    created: Date.parse("2026-11-23T09:00:00Z"),
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
  deps = insightsDeps(files, {
    slack,
    files: sharedCsvFiles(files, SERIES),
    email,
    store: openSqliteStore(":memory:"),
    logger: createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
          done();
        },
      }),
    }),
  });
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
