import { describe, expect, it } from "vitest";
import type { InsightsDeps } from "../../src/analyze-file.js";
import { queuedJobHandler } from "../../src/jobs/run-queued-job.js";
import { createLogger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";
import type { Store } from "../../src/services/store.js";
import { createTelemetry } from "../../src/telemetry.js";

/**
 * The worker side of a queued job: a finished job is not run again, and a transient failure is thrown
 * for the queue to retry, except on the last attempt, where the requester is told and the job failed.
 */
function setup(store: Store) {
  const slackCalls: string[] = [];
  const deps = {
    store,
    logger: createLogger({ level: "silent" }),
    telemetry: createTelemetry({ defaultMetrics: false }),
    slack: {
      post: async (_c: string, _t: string, m: { text: string }) => {
        slackCalls.push(`post ${m.text}`);
        return "1.000001";
      },
      update: async (_c: string, ts: string, m: { text: string }) => {
        slackCalls.push(`update ${ts} ${m.text}`);
      },
    },
    files: {
      info: async () => {
        throw new Error("files.info must not be called");
      },
    },
  } as unknown as InsightsDeps;
  return { deps, slackCalls };
}

const newJob = {
  id: "job1",
  trigger: "upload" as const,
  channel: "C1",
  threadTs: "1.0001",
  fileId: "F1",
  requester: "U1",
  recipients: [],
};

describe("queuedJobHandler", () => {
  it("leaves a finished job alone (a second delivery of the queue's message)", async () => {
    const store = openSqliteStore(":memory:");
    await store.createJob(newJob);
    await store.updateJob("job1", { status: "done" });
    const { deps, slackCalls } = setup(store);
    await queuedJobHandler(deps)("job1", { attempt: 1, final: false });
    expect(slackCalls).toEqual([]);
    expect(await queuedJobHandler(deps)("missing", { attempt: 1, final: true })).toBeUndefined();
    await store.close();
  });

  it("throws a transient failure for a retry, and on the last attempt tells the requester", async () => {
    const real = openSqliteStore(":memory:");
    await real.createJob(newJob);
    await real.updateJob("job1", { progressTs: "1.0002" });
    let down = true;
    // The database drops while the job runs: every write fails.
    const store: Store = Object.assign(Object.create(real), {
      updateJob: async (...args: Parameters<Store["updateJob"]>) => {
        if (down) throw new Error("connection terminated");
        return real.updateJob(...args);
      },
      threadSummary: async () => {
        throw new Error("connection terminated");
      },
    });
    const { deps, slackCalls } = setup(store);
    const handler = queuedJobHandler(deps);
    await expect(handler("job1", { attempt: 1, final: false })).rejects.toThrow(/connection terminated/);
    expect(slackCalls).toEqual([]);
    down = false;
    await expect(handler("job1", { attempt: 5, final: true })).rejects.toThrow(/connection terminated/);
    expect(slackCalls).toHaveLength(1);
    expect(slackCalls[0]).toMatch(
      /^update 1\.0002 :warning: Something went wrong while analysing this file \(job job1\)/,
    );
    expect(await real.getJob("job1")).toMatchObject({ status: "failed", error: "internal error" });
    await real.close();
  });
});
