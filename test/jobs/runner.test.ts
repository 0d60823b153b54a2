import { describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/config.js";
import { JobRunner } from "../../src/jobs/runner.js";
import { createLogger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";

const logger = createLogger({ level: "silent" });

describe("JobRunner", async () => {
  it("claims a delivery once, across any of its keys", async () => {
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 5, logger });
    expect(await runner.claim(["event:1", "file:C:1:F"])).toBe(true);
    expect(await runner.claim(["event:1"])).toBe(false);
    expect(await runner.claim(["event:2", "file:C:1:F"])).toBe(false);
  });

  it("forgets claims after an hour", async () => {
    let now = 0;
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 5, logger, now: () => now });
    await runner.claim(["k"]);
    now = 61 * 60 * 1000;
    expect(await runner.claim(["k"])).toBe(true);
  });

  it("takes a burst of eight files from one person within the default hourly cap", async () => {
    const config = loadAppConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-123456" });
    const runner = new JobRunner({ ...config.jobs, logger });
    const answers: boolean[] = [];
    for (let i = 0; i < 8; i++) answers.push(await runner.allow("U1"));
    expect(answers).toEqual(Array(8).fill(true));
    expect(config.jobs.perUserPerHour).toBe(60);
  });

  it("asks a person to slow down only past the hourly cap, over a sliding hour", async () => {
    let now = 0;
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 2, logger, now: () => now });
    const answers = [];
    for (const user of ["U1", "U1", "U1", "U2"]) answers.push(await runner.allow(user));
    expect(answers).toEqual([true, true, false, true]);
    now = 59 * 60 * 1000;
    expect(await runner.allow("U1")).toBe(false);
    now = 61 * 60 * 1000;
    expect(await runner.allow("U1")).toBe(true);
  });

  it("shares the hourly cap between runners on one store (two instances, one person)", async () => {
    let now = 1_000_000;
    const store = openSqliteStore(":memory:", { now: () => now });
    const options = {
      maxConcurrent: 1,
      perUserPerHour: 3,
      logger,
      takeRateSlot: (key: string, limit: number, windowMs: number) =>
        store.takeRateSlot(key, limit, windowMs),
    };
    const a = new JobRunner(options);
    const b = new JobRunner(options);
    const answers = [];
    for (const runner of [a, b, a, b]) answers.push(await runner.allow("U1"));
    expect(answers).toEqual([true, true, true, false]);
    expect(await b.allow("U2")).toBe(true);
    now += 60 * 60 * 1000 + 1;
    expect(await a.allow("U1")).toBe(true);
    await store.close();
  });

  it("caps jobs in flight and drains on shutdown, queued jobs included", async () => {
    const runner = new JobRunner({ maxConcurrent: 2, perUserConcurrent: 2, perUserPerHour: 100, logger });
    let active = 0;
    let peak = 0;
    const ran: string[] = [];
    await runner.start(async (jobId) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      ran.push(jobId);
      active--;
    });
    for (let i = 0; i < 6; i++) await runner.enqueue({ id: `j${i}`, requester: "U1", trigger: "upload" });
    const result = await runner.shutdown(5_000);
    expect(peak).toBe(2);
    expect(ran.sort()).toEqual(["j0", "j1", "j2", "j3", "j4", "j5"]);
    expect(result.drained).toBe(true);
    expect(runner.accepting).toBe(false);
    await expect(runner.enqueue({ id: "late", requester: "U1", trigger: "upload" })).rejects.toThrow(
      /shutting down/,
    );
  });

  it("runs a job queued twice (a resume racing a live submit) once", async () => {
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 100, logger });
    const ran: string[] = [];
    for (const id of ["a", "a", "b"]) await runner.enqueue({ id, requester: "U1", trigger: "upload" });
    await runner.start(async (jobId) => {
      ran.push(jobId);
    });
    await runner.shutdown(1_000);
    expect(ran).toEqual(["a", "b"]);
  });

  it("starts a waiting job only after its last position message has landed", async () => {
    const runner = new JobRunner({ maxConcurrent: 1, perUserConcurrent: 1, perUserPerHour: 100, logger });
    const events: string[] = [];
    await runner.start(async (jobId) => {
      events.push(`run ${jobId}`);
      await new Promise((r) => setTimeout(r, 10));
    });
    await runner.enqueue({ id: "first", requester: "U1", trigger: "upload" });
    await runner.enqueue(
      { id: "second", requester: "U2", trigger: "upload" },
      {
        onWaiting: async (ahead) => {
          await new Promise((r) => setTimeout(r, 30));
          events.push(`second: ${ahead} ahead`);
        },
      },
    );
    await runner.shutdown(2_000);
    expect(events).toEqual(["run first", "second: 0 ahead", "run second"]);
  });

  it("reports a job still running at the shutdown deadline", async () => {
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 100, logger });
    await runner.start(() => new Promise((r) => setTimeout(r, 500)));
    await runner.enqueue({ id: "slow", requester: "U1", trigger: "upload" });
    expect(await runner.shutdown(20)).toEqual({ drained: false, unfinished: 1 });
  });

  it("reports its queue in health, and not ok once shutting down", async () => {
    const runner = new JobRunner({ maxConcurrent: 1, perUserPerHour: 100, logger });
    expect(runner.health()).toEqual({ ok: true, queue: { ok: true, backend: "in-process", state: "ready" } });
    await runner.shutdown(10);
    expect(runner.health().ok).toBe(false);
  });
});
