import { describe, expect, it } from "vitest";
import { RESUME_WINDOW_MS, resumeUnfinishedJobs } from "../../src/jobs/resume.js";
import type { JobRunner } from "../../src/jobs/runner.js";
import { createLogger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";
import type { JobRecord, Store } from "../../src/services/store.js";
import { newJob } from "../services/store-fixtures.js";

const logger = createLogger({ level: "silent" });
const MINUTE = 60_000;

/** A store whose job list is counted: what the resume loads, not only what it acts on. */
function countingStore(now: () => number) {
  const store = openSqliteStore(":memory:", { now });
  const loaded: string[][] = [];
  const counting: Store = Object.create(store);
  counting.unfinishedJobs = async (...args: Parameters<Store["unfinishedJobs"]>) => {
    const jobs = await store.unfinishedJobs(...args);
    loaded.push(jobs.map((j) => j.id));
    return jobs;
  };
  return { store, counting, loaded };
}

function recordingRunner() {
  const queued: string[] = [];
  const runner = {
    enqueue: async (job: JobRecord) => {
      queued.push(job.id);
    },
  } as unknown as JobRunner;
  return { runner, queued };
}

describe("resuming unfinished jobs", () => {
  it("loads from the store only the jobs it acts on: idle ones, and those past the window", async () => {
    let t = 1_800_000_000_000;
    const { store, counting, loaded } = countingStore(() => t);
    await store.createJob(newJob("stale"));
    t += RESUME_WINDOW_MS;
    await store.updateJob("stale", { stage: "read" });
    await store.createJob(newJob("idle"));
    t += 5 * MINUTE;
    // Being written and queued by another instance right now: left alone, and never loaded.
    for (let i = 0; i < 20; i++) await store.createJob(newJob(`fresh-${i}`));
    t += 10_000;
    const { runner, queued } = recordingRunner();
    const result = await resumeUnfinishedJobs(counting, runner, logger, {
      minAgeMs: MINUTE,
      periodic: true,
      now: t,
    });
    expect(result).toEqual({ resumed: 1, stale: 1 });
    expect(queued).toEqual(["idle"]);
    expect(loaded).toEqual([["stale", "idle"]]);
    expect((await store.getJob("stale"))?.status).toBe("failed");
    store.close();
  });

  it("at start-up (no minimum age) queues every unfinished job of the window again, oldest first", async () => {
    let t = 1_800_000_000_000;
    const { store, counting } = countingStore(() => t);
    for (const id of ["a", "b", "c"]) {
      await store.createJob(newJob(id));
      t += 1_000;
    }
    await store.updateJob("b", { status: "done" });
    const { runner, queued } = recordingRunner();
    expect(await resumeUnfinishedJobs(counting, runner, logger, { minAgeMs: 0, now: t })).toEqual({
      resumed: 2,
      stale: 0,
    });
    expect(queued).toEqual(["a", "c"]);
    store.close();
  });
});
