import { describe, expect, it } from "vitest";
import { InProcessQueue } from "../../src/jobs/in-process-queue.js";
import { JobLeases } from "../../src/jobs/leases.js";
import { createLogger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/services/sqlite-store.js";

/**
 * Two instances on one database, each with its in-process queue (DATABASE_URL without REDIS_URL): a
 * job one instance runs is not run again by the other when it starts and resumes unfinished jobs,
 * and the jobs of an instance that died (its lease lapsed) are run by the other.
 */
const logger = createLogger({ level: "silent" });

describe("job leases with in-process queues on a shared database", () => {
  it("resumes only the jobs whose instance stopped renewing its leases", async () => {
    let now = 1_000_000;
    const store = openSqliteStore(":memory:", { now: () => now });
    const instance = (owner: string) => {
      const ran: string[] = [];
      const leases = new JobLeases(store, owner, logger, 60_000);
      const queue = new InProcessQueue({ maxConcurrent: 1, perUserConcurrent: 1 }, logger, null, leases);
      return { ran, leases, queue };
    };
    const a = instance("instance-a");
    const b = instance("instance-b");
    for (const id of ["j1", "j2"]) {
      await store.createJob({
        id,
        trigger: "upload",
        channel: "C1",
        threadTs: "1.1",
        fileId: id,
        requester: "U1",
        recipients: [],
      });
    }
    // A accepts both; its worker has not started them yet (a long queue, say).
    await a.queue.enqueue({ id: "j1", requester: "U1", trigger: "upload" });
    await a.queue.enqueue({ id: "j2", requester: "U1", trigger: "upload" });
    // B starts (a rolling deploy) and resumes the unfinished jobs: A is alive, B takes none.
    await b.queue.start(async (id) => {
      b.ran.push(id);
    });
    for (const id of ["j1", "j2"]) await b.queue.enqueue({ id, requester: "U1", trigger: "upload" });
    expect(await b.queue.counts()).toMatchObject({ waiting: 0, active: 0 });
    // A renews (its heartbeat) and stays the owner past the first lease.
    now += 45_000;
    expect(await store.renewLeases("instance-a", 60_000)).toBe(2);
    now += 45_000;
    await b.queue.enqueue({ id: "j1", requester: "U1", trigger: "upload" });
    await b.queue.drain(1_000);
    expect(b.ran).toEqual([]);

    // A dies: no more renewals. Once its leases lapse, C's periodic resume takes both over.
    now += 61_000;
    const c = instance("instance-c");
    await c.queue.start(async (id) => {
      c.ran.push(id);
    });
    for (const id of ["j1", "j2"]) await c.queue.enqueue({ id, requester: "U1", trigger: "upload" });
    await c.queue.drain(1_000);
    expect(c.ran).toEqual(["j1", "j2"]);
    await store.close();
  });

  it("lets go of its jobs on shutdown, so the next instance resumes them at once", async () => {
    let now = 1_000_000;
    const store = openSqliteStore(":memory:", { now: () => now });
    await store.createJob({
      id: "j1",
      trigger: "upload",
      channel: "C1",
      threadTs: "1.1",
      fileId: "F",
      requester: "U1",
      recipients: [],
    });
    const old = new JobLeases(store, "old-process", logger, 60_000);
    expect(await old.take("j1")).toBe(true);
    const next = new JobLeases(store, "new-process", logger, 60_000);
    expect(await next.take("j1")).toBe(false);
    await old.release();
    now += 2;
    expect(await next.take("j1")).toBe(true);
    await store.close();
  });
});
