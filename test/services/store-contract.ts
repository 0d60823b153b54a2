import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/pipeline/analyze.js";
import type { ExecutiveSummary } from "../../src/pipeline/summary/types.js";
import { ANALYSIS_VERSION } from "../../src/pipeline/version.js";
import type { Store } from "../../src/services/store.js";
import {
  clock,
  DAY,
  email,
  HOUR,
  newJob,
  sampleAnalysis,
  snapshot,
  T0,
  threadSummary,
} from "./store-fixtures.js";

/**
 * The Store contract (src/services/store.ts), run against every implementation: SQLite
 * (sqlite-store.test.ts) and PostgreSQL (postgres-store.test.ts). What only one implementation has
 * (SQLite's file, WAL and user_version; PostgreSQL's schema_migrations) is tested beside it, not here.
 */

/** One empty database. Every `open` reaches the same database, as a restart or a second instance would. */
export interface StoreTarget {
  open(now?: () => number): Promise<Store>;
}

/** Runs `count` calls of `task`, at most `width` at a time, and returns their results in order. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/**
 * `freshTarget` gives a new, empty database for each test (a temp file; a throwaway schema). The
 * stores the tests open are closed after each test.
 */
export function describeStoreContract(name: string, freshTarget: () => Promise<StoreTarget>): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    /** A fresh database, and a way to open stores on it that are closed after the test. */
    async function target() {
      const t = await freshTarget();
      return {
        async open(now?: () => number): Promise<Store> {
          const store = await t.open(now);
          opened.push(store);
          return store;
        },
      };
    }
    /** A store on a fresh database. */
    async function fresh(now?: () => number): Promise<Store> {
      return (await target()).open(now);
    }

    let analysis: Analysis;
    let summary: ExecutiveSummary;
    beforeAll(async () => {
      ({ analysis, summary } = await sampleAnalysis());
    });

    describe("opening and closing", () => {
      it("opens the same database again with what was stored, without migrating twice", async () => {
        const t = await target();
        const first = await t.open();
        await first.createJob(newJob("j1"));
        await first.close();
        const again = await t.open();
        expect((await again.getJob("j1"))?.id).toBe("j1");
      });

      it("lets several instances open a fresh database at once: one migrates, all work", async () => {
        const t = await target();
        const stores = await Promise.all([t.open(), t.open(), t.open(), t.open()]);
        const won = await Promise.all(stores.map((s) => s.claim(["only-key"], HOUR)));
        expect(won.filter(Boolean)).toHaveLength(1);
      });

      it("reports itself healthy while open, and close is idempotent and final", async () => {
        const t = await target();
        const store = await t.open();
        expect(await store.health()).toMatchObject({ ok: true });
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
        await expect(store.getJob("j1")).rejects.toThrow();
        const after = await store.health();
        expect(after.ok).toBe(false);
        expect(after.detail).not.toBe("");
      });
    });

    describe("claim", () => {
      it("lets the first delivery win and refuses repeats", async () => {
        const store = await fresh();
        expect(await store.claim(["event:Ev1"], HOUR)).toBe(true);
        expect(await store.claim(["event:Ev1"], HOUR)).toBe(false);
        expect(await store.claim(["event:Ev1"], HOUR)).toBe(false);
        expect(await store.claim(["event:Ev2"], HOUR)).toBe(true);
      });

      it("lets a key be claimed again once its TTL has passed (injected clock), and a repeat does not extend it", async () => {
        const c = clock();
        const store = await fresh(c.now);
        expect(await store.claim(["k"], 1_000)).toBe(true);
        c.t = T0 + 500;
        expect(await store.claim(["k"], 1_000)).toBe(false);
        c.t = T0 + 999;
        expect(await store.claim(["k"], 1_000)).toBe(false);
        c.t = T0 + 1_000;
        expect(await store.claim(["k"], 1_000)).toBe(true);
        c.t = T0 + 1_999;
        expect(await store.claim(["k"], 1_000)).toBe(false);
      });

      it("refuses when any of the keys is live, and then claims none of the others", async () => {
        const store = await fresh();
        expect(await store.claim(["event:Ev1", "file:C1:F1"], HOUR)).toBe(true);
        // Slack's retry of the same upload comes with a new event id but the same file.
        expect(await store.claim(["event:Ev2", "file:C1:F1"], HOUR)).toBe(false);
        expect(await store.claim(["event:Ev2"], HOUR)).toBe(true);
        expect(await store.claim(["file:C1:F2", "event:Ev1"], HOUR)).toBe(false);
        expect(await store.claim(["file:C1:F2"], HOUR)).toBe(true);
      });

      it("treats an expired key among live ones correctly, and a refused claim takes over no expired key", async () => {
        const c = clock();
        const store = await fresh(c.now);
        expect(await store.claim(["short"], 1_000)).toBe(true);
        expect(await store.claim(["long"], 10_000)).toBe(true);
        c.t = T0 + 2_000;
        expect(await store.claim(["short", "long"], 1_000)).toBe(false);
        // The refused claim above did not renew "short": it is still free to take.
        expect(await store.claim(["short", "other"], 1_000)).toBe(true);
        expect(await store.claim(["short"], 1_000)).toBe(false);
      });

      it("accepts repeated keys in one call, and no keys at all (like the in-memory runner)", async () => {
        const store = await fresh();
        expect(await store.claim(["k", "k"], HOUR)).toBe(true);
        expect(await store.claim(["k"], HOUR)).toBe(false);
        expect(await store.claim([], HOUR)).toBe(true);
      });

      it("rejects a TTL that is not positive", async () => {
        const store = await fresh();
        await expect(store.claim(["k"], 0)).rejects.toThrow(RangeError);
        await expect(store.claim(["k"], Number.NaN)).rejects.toThrow(RangeError);
      });

      it("survives a restart: a key claimed before closing is still claimed after reopening", async () => {
        const t = await target();
        const c = clock();
        const before = await t.open(c.now);
        expect(await before.claim(["event:Ev1"], HOUR)).toBe(true);
        await before.close();

        c.t = T0 + HOUR - 1;
        const after = await t.open(c.now);
        expect(await after.claim(["event:Ev1"], HOUR)).toBe(false);
        c.t = T0 + HOUR;
        expect(await after.claim(["event:Ev1"], HOUR)).toBe(true);
      });

      it("is atomic across instances: two stores claiming the same keys at once never both win one", async () => {
        const t = await target();
        const [a, b] = [await t.open(), await t.open()];
        const keys = Array.from({ length: 200 }, (_, i) => `event:Ev${i}`);
        const claimAll = (store: Store) =>
          inParallel(keys.length, 8, async (i) =>
            (await store.claim([keys[i] ?? ""], HOUR)) ? keys[i] : null,
          );
        const [wonA, wonB] = await Promise.all([claimAll(a), claimAll(b)]);
        const all = [...wonA, ...wonB].filter((k) => k !== null);
        expect(new Set(all).size).toBe(all.length);
        expect(all.sort()).toEqual([...keys].sort());
      });

      it("is all or nothing across instances: overlapping multi-key claims in opposite orders never share a key", async () => {
        const t = await target();
        const [a, b] = [await t.open(), await t.open()];
        // Neighbouring pairs, listed in opposite orders by the two instances: a store that locked
        // keys in the order given would deadlock here.
        const pairs = Array.from({ length: 60 }, (_, i) => [`file:F${i}`, `file:F${i + 1}`]);
        const claimPairs = (store: Store, reversed: boolean) =>
          inParallel(pairs.length, 6, async (i) => {
            const pair = [...(pairs[i] ?? [])];
            if (reversed) pair.reverse();
            return (await store.claim(pair, HOUR)) ? pair : [];
          });
        const [wonA, wonB] = await Promise.all([claimPairs(a, false), claimPairs(b, true)]);
        const claimed = [...wonA, ...wonB].flat();
        expect(claimed.length).toBeGreaterThan(0);
        expect(new Set(claimed).size).toBe(claimed.length);
        // Whatever was not won is still free: a refused pair claimed none of its keys.
        const free = Array.from({ length: 61 }, (_, i) => `file:F${i}`).filter((k) => !claimed.includes(k));
        for (const key of free) expect(await a.claim([key], HOUR)).toBe(true);
      });
    });

    describe("jobs", () => {
      it("creates a job as accepted, stamped with the clock, and reads it back", async () => {
        const c = clock();
        const store = await fresh(c.now);
        const recipients = ["ana@example.com", "zoë+sales@example.org"];
        const created = await store.createJob(
          newJob("j1", {
            trigger: "shortcut",
            channel: "C7",
            threadTs: "1.5",
            fileId: "F7",
            requester: "U7",
            recipients,
          }),
        );
        const expected = {
          id: "j1",
          trigger: "shortcut",
          channel: "C7",
          threadTs: "1.5",
          fileId: "F7",
          requester: "U7",
          recipients,
          contentHash: null,
          stage: "accepted",
          status: "accepted",
          error: null,
          progressTs: null,
          summaryTs: null,
          compareWith: null,
          createdAt: T0,
          updatedAt: T0,
        };
        expect(created).toStrictEqual(expected);
        expect(await store.getJob("j1")).toStrictEqual(expected);
        recipients.push("late@example.com");
        expect(created.recipients).toHaveLength(2);
      });

      it("keeps the earlier upload an explicit comparison is with, across a reopen", async () => {
        const t = await target();
        const store = await t.open();
        await store.createJob(newJob("cmp", { fileId: "F47", compareWith: "F46" }));
        await store.close();
        const again = await t.open();
        expect((await again.getJob("cmp"))?.compareWith).toBe("F46");
        expect((await again.unfinishedJobs()).map((j) => [j.id, j.compareWith])).toEqual([["cmp", "F46"]]);
      });

      it("returns null for an unknown job and refuses a duplicate id", async () => {
        const store = await fresh();
        expect(await store.getJob("nope")).toBeNull();
        await store.createJob(newJob("j1"));
        await expect(store.createJob(newJob("j1"))).rejects.toThrow(/unique/i);
      });

      it("patches only the fields given, can clear one with null, and bumps updatedAt", async () => {
        const c = clock();
        const store = await fresh(c.now);
        await store.createJob(newJob("j1"));

        c.t = T0 + 100;
        await store.updateJob("j1", { stage: "download", status: "running" });
        c.t = T0 + 200;
        await store.updateJob("j1", { contentHash: "h1", progressTs: "9.1", stage: undefined });
        expect(await store.getJob("j1")).toMatchObject({
          stage: "download",
          status: "running",
          contentHash: "h1",
          progressTs: "9.1",
          summaryTs: null,
          error: null,
          createdAt: T0,
          updatedAt: T0 + 200,
        });

        c.t = T0 + 300;
        await store.updateJob("j1", {
          status: "failed",
          error: "The file is empty.",
          stage: "refused",
          summaryTs: "9.2",
        });
        expect(await store.getJob("j1")).toMatchObject({
          status: "failed",
          error: "The file is empty.",
          summaryTs: "9.2",
        });
        await store.updateJob("j1", { error: null, status: "done" });
        expect(await store.getJob("j1")).toMatchObject({
          status: "done",
          error: null,
          progressTs: "9.1",
          contentHash: "h1",
        });

        c.t = T0 + 400;
        await store.updateJob("j1", {});
        expect((await store.getJob("j1"))?.updatedAt).toBe(T0 + 300);
      });

      it("ignores a patch for an unknown job and rejects an unknown status", async () => {
        const store = await fresh();
        await store.updateJob("ghost", { status: "done" });
        expect(await store.getJob("ghost")).toBeNull();
        await store.createJob(newJob("j1"));
        await expect(store.updateJob("j1", { status: "paused" as never })).rejects.toThrow(
          /check constraint/i,
        );
        expect((await store.getJob("j1"))?.status).toBe("accepted");
      });

      it("lists accepted and running jobs, oldest first", async () => {
        const c = clock();
        const store = await fresh(c.now);
        for (const [id, at] of [
          ["a", 50],
          ["b", 10],
          ["c", 30],
          ["d", 10],
          ["e", 20],
          ["f", 40],
        ] as const) {
          c.t = T0 + at;
          await store.createJob(newJob(id));
        }
        await store.updateJob("a", { status: "running" });
        await store.updateJob("c", { status: "done" });
        await store.updateJob("e", { status: "failed", error: "x" });
        await store.updateJob("f", { status: "running", stage: "read" });
        // b and d share a timestamp: creation order breaks the tie.
        expect((await store.unfinishedJobs()).map((j) => [j.id, j.status])).toEqual([
          ["b", "accepted"],
          ["d", "accepted"],
          ["f", "running"],
          ["a", "running"],
        ]);
        expect(await (await fresh()).unfinishedJobs()).toEqual([]);
      });

      it("lists only the unfinished jobs a resume acts on: idle long enough, or past the window", async () => {
        const c = clock();
        const store = await fresh(c.now);
        // [id, created at, last updated at], in hours after T0.
        for (const [id, created, updated] of [
          ["old-busy", 0, 9],
          ["idle", 5, 6],
          ["busy", 7, 9],
          ["idle-edge", 8, 8],
          ["done-idle", 1, 2],
        ] as const) {
          c.t = T0 + created * HOUR;
          await store.createJob(newJob(id));
          c.t = T0 + updated * HOUR;
          await store.updateJob(id, { stage: "read", ...(id === "done-idle" ? { status: "done" } : {}) });
        }
        c.t = T0 + 10 * HOUR;
        const due = { updatedAtOrBefore: T0 + 8 * HOUR, createdBefore: T0 + 4 * HOUR };
        // old-busy: created before the window (to be marked failed) though updated just now.
        expect((await store.unfinishedJobs(due)).map((j) => j.id)).toEqual(["old-busy", "idle", "idle-edge"]);
        expect((await store.unfinishedJobs()).map((j) => j.id)).toEqual([
          "old-busy",
          "idle",
          "busy",
          "idle-edge",
        ]);
        const none = { updatedAtOrBefore: T0 - 1, createdBefore: T0 };
        expect(await store.unfinishedJobs(none)).toEqual([]);
      });

      it("shows one instance's job and its updates to another", async () => {
        const t = await target();
        const [a, b] = [await t.open(), await t.open()];
        await a.createJob(newJob("j1", { recipients: ["ana@example.com"] }));
        await b.updateJob("j1", { status: "running", stage: "read" });
        expect(await a.getJob("j1")).toMatchObject({ status: "running", stage: "read" });
        expect((await b.unfinishedJobs()).map((j) => j.id)).toEqual(["j1"]);
      });
    });

    describe("job leases", () => {
      it("go to one instance at a time, are renewed by their holder, and pass on once expired", async () => {
        const c = clock();
        const store = await fresh(c.now);
        await store.createJob(newJob("j1"));
        expect(await store.leaseJob("j1", "instance-a", 1_000)).toBe(true);
        expect(await store.leaseJob("j1", "instance-b", 1_000)).toBe(false);
        c.t = T0 + 600;
        // Leasing again renews: from T0 + 600, so still A's at T0 + 1_500.
        expect(await store.leaseJob("j1", "instance-a", 1_000)).toBe(true);
        c.t = T0 + 1_500;
        expect(await store.leaseJob("j1", "instance-b", 1_000)).toBe(false);
        c.t = T0 + 1_600;
        expect(await store.leaseJob("j1", "instance-b", 1_000)).toBe(true);
        expect(await store.leaseJob("j1", "instance-a", 1_000)).toBe(false);
      });

      it("are not given for a finished or unknown job, and need a positive duration", async () => {
        const store = await fresh();
        await store.createJob(newJob("done"));
        await store.updateJob("done", { status: "done" });
        await store.createJob(newJob("running"));
        await store.updateJob("running", { status: "running" });
        expect(await store.leaseJob("done", "instance-a", HOUR)).toBe(false);
        expect(await store.leaseJob("ghost", "instance-a", HOUR)).toBe(false);
        expect(await store.leaseJob("running", "instance-a", HOUR)).toBe(true);
        await expect(store.leaseJob("running", "instance-a", 0)).rejects.toThrow(RangeError);
        await expect(store.renewLeases("instance-a", Number.NaN)).rejects.toThrow(RangeError);
      });

      it("are all renewed by their holder's heartbeat, finished jobs aside, and leave the job record as it was", async () => {
        const c = clock();
        const store = await fresh(c.now);
        for (const id of ["a1", "a2", "a3", "b1"]) await store.createJob(newJob(id));
        for (const id of ["a1", "a2", "a3"]) expect(await store.leaseJob(id, "instance-a", 1_000)).toBe(true);
        expect(await store.leaseJob("b1", "instance-b", 1_000)).toBe(true);
        await store.updateJob("a3", { status: "done" });
        const before = await store.getJob("a1");

        c.t = T0 + 900;
        expect(await store.renewLeases("instance-a", 1_000)).toBe(2);
        c.t = T0 + 1_500;
        // A's leases run to T0 + 1_900; B's expired at T0 + 1_000.
        expect(await store.leaseJob("a1", "instance-c", 1_000)).toBe(false);
        expect(await store.leaseJob("b1", "instance-c", 1_000)).toBe(true);
        expect(await store.getJob("a1")).toStrictEqual(before);
        expect(await store.renewLeases("nobody", 1_000)).toBe(0);
        c.t = T0 + 1_900;
        expect(await store.leaseJob("a2", "instance-c", 1_000)).toBe(true);
      });

      it("go to exactly one of several instances resuming the same jobs at once", async () => {
        const t = await target();
        const stores = [await t.open(), await t.open(), await t.open()];
        const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);
        for (const id of ids) await stores[0]?.createJob(newJob(id));
        const won = await Promise.all(
          stores.map(async (store, n) => {
            const mine: string[] = [];
            await Promise.all(
              ids.map(async (id) => {
                if (await store.leaseJob(id, `instance-${n}`, HOUR)) mine.push(id);
              }),
            );
            return mine;
          }),
        );
        const all = won.flat();
        expect(all.sort()).toEqual([...ids].sort());
      });
    });

    describe("analyses", () => {
      const V = ANALYSIS_VERSION;

      it("round-trips an Analysis and its summary exactly", async () => {
        expect(JSON.parse(JSON.stringify(analysis))).toStrictEqual(analysis); // the premise
        const store = await fresh();
        const stored = {
          contentHash: "c".repeat(64),
          analysisVersion: V,
          fileName: "sales_q1_2026.csv",
          analysis,
          summary,
          createdAt: T0,
        };
        await store.saveAnalysis(stored);
        const back = await store.analysisByHash("c".repeat(64), V);
        expect(back).toStrictEqual(stored);
        // Key order too: what is read back serialises to the same text.
        expect(JSON.stringify(back?.analysis)).toBe(JSON.stringify(analysis));
        expect(back?.analysis).not.toBe(analysis);
        expect(await store.analysisByHash("d".repeat(64), V)).toBeNull();
      });

      it("keeps an analysis without a summary (one that must be written again)", async () => {
        const store = await fresh();
        const stored = {
          contentHash: "h",
          analysisVersion: V,
          fileName: "a.csv",
          analysis,
          summary: null,
          createdAt: T0,
        };
        await store.saveAnalysis(stored);
        expect(await store.analysisByHash("h", V)).toStrictEqual(stored);
        // Later the summary is written and stored over it.
        await store.saveAnalysis({ ...stored, summary, createdAt: T0 + 1 });
        expect(await store.analysisByHash("h", V)).toMatchObject({ summary, createdAt: T0 + 1 });
      });

      it("finds an analysis only under the engine version that computed it", async () => {
        const store = await fresh();
        await store.saveAnalysis({
          contentHash: "h",
          analysisVersion: V,
          fileName: "a.csv",
          analysis,
          summary,
          createdAt: T0,
        });
        expect(await store.analysisByHash("h", V + 1)).toBeNull();
        const newer = { ...analysis, rows: analysis.rows + 1 };
        await store.saveAnalysis({
          contentHash: "h",
          analysisVersion: V + 1,
          fileName: "a.csv",
          analysis: newer,
          summary: null,
          createdAt: T0 + 1,
        });
        expect((await store.analysisByHash("h", V + 1))?.analysis.rows).toBe(analysis.rows + 1);
        expect((await store.analysisByHash("h", V))?.analysis.rows).toBe(analysis.rows);
      });

      it("replaces what was stored for the same content", async () => {
        const store = await fresh();
        await store.saveAnalysis({
          contentHash: "h",
          analysisVersion: V,
          fileName: "a.csv",
          analysis,
          summary,
          createdAt: T0,
        });
        const rewritten = { ...summary, writer: "gemini" as const, model: "gemini-test" };
        await store.saveAnalysis({
          contentHash: "h",
          analysisVersion: V,
          fileName: "b.csv",
          analysis,
          summary: rewritten,
          createdAt: T0 + 1,
        });
        expect(await store.analysisByHash("h", V)).toMatchObject({
          fileName: "b.csv",
          summary: rewritten,
          createdAt: T0 + 1,
        });
      });
    });

    describe("thread summaries", () => {
      it("round-trip, with or without a currency symbol, and are replaced per (channel, thread, file)", async () => {
        const store = await fresh();
        const first = threadSummary();
        await store.saveThreadSummary(first);
        expect(await store.threadSummary("C1", "1767225600.000100", "F1")).toStrictEqual(first);

        const noCurrency = threadSummary({ fileId: "F2", currencySymbol: null, netRevenue: -0.1 + 0.3 });
        await store.saveThreadSummary(noCurrency);
        expect(await store.threadSummary("C1", "1767225600.000100", "F2")).toStrictEqual(noCurrency);

        const replaced = threadSummary({ messageTs: "9.9", contentHash: "b".repeat(64), createdAt: T0 + 5 });
        await store.saveThreadSummary(replaced);
        expect(await store.threadSummary("C1", "1767225600.000100", "F1")).toStrictEqual(replaced);

        expect(await store.threadSummary("C1", "1767225600.000100", "F3")).toBeNull();
        expect(await store.threadSummary("C2", "1767225600.000100", "F1")).toBeNull();
      });

      it("lists a channel's summaries newest first, up to the limit", async () => {
        const store = await fresh();
        for (const [i, at] of [30, 10, 50, 20, 40].entries()) {
          await store.saveThreadSummary(threadSummary({ fileId: `F${i}`, createdAt: T0 + at }));
        }
        await store.saveThreadSummary(threadSummary({ channel: "C2", fileId: "Fx", createdAt: T0 + 99 }));
        // Same timestamp: the one saved last comes first.
        await store.saveThreadSummary(threadSummary({ fileId: "F5", createdAt: T0 + 50 }));

        const ids = async (limit: number) => (await store.recentSummaries("C1", limit)).map((s) => s.fileId);
        expect(await ids(3)).toEqual(["F5", "F2", "F4"]);
        expect(await ids(100)).toEqual(["F5", "F2", "F4", "F0", "F3", "F1"]);
        expect(await ids(0)).toEqual([]);
        expect(await ids(-1)).toEqual([]);
        expect(await store.recentSummaries("C2", 10)).toStrictEqual([
          threadSummary({ channel: "C2", fileId: "Fx", createdAt: T0 + 99 }),
        ]);
        expect(await store.recentSummaries("C3", 10)).toEqual([]);
      });
    });

    describe("e-mails", () => {
      it("only a successful send counts as sent", async () => {
        const store = await fresh();
        const failed = email({ status: "failed", providerId: null, reason: "Resend said: invalid `to`" });
        await store.recordEmail(failed);
        expect(await store.sentEmail("key-1")).toBeNull();

        const sent = email({ createdAt: T0 + 10 });
        await store.recordEmail(sent);
        expect(await store.sentEmail("key-1")).toStrictEqual(sent);
        expect(await store.sentEmail("key-2")).toBeNull();
      });

      it("never turns a recorded success back into a failure", async () => {
        const store = await fresh();
        const sent = email();
        await store.recordEmail(sent);
        await store.recordEmail(
          email({ status: "failed", providerId: null, reason: "timeout", createdAt: T0 + 10 }),
        );
        expect(await store.sentEmail("key-1")).toStrictEqual(sent);
      });

      it("keeps the success when two instances record a success and a failure at once", async () => {
        const t = await target();
        const [a, b] = [await t.open(), await t.open()];
        const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
        await Promise.all(
          keys.flatMap((key) => [
            a.recordEmail(email({ idempotencyKey: key })),
            b.recordEmail(
              email({ idempotencyKey: key, status: "failed", providerId: null, reason: "timeout" }),
            ),
          ]),
        );
        for (const key of keys) expect(await b.sentEmail(key)).toStrictEqual(email({ idempotencyKey: key }));
      });
    });

    describe("purge", () => {
      it("deletes what is older than the cutoff from every table, and expired dedupe keys, with counts", async () => {
        const c = clock();
        const store = await fresh(c.now);
        // Old: created at T0.
        await store.createJob(newJob("old-1"));
        await store.createJob(newJob("old-2"));
        await store.saveAnalysis({
          contentHash: "old",
          analysisVersion: ANALYSIS_VERSION,
          fileName: "a.csv",
          analysis,
          summary,
          createdAt: T0,
        });
        await store.saveThreadSummary(threadSummary({ fileId: "old", createdAt: T0 }));
        await store.recordEmail(email({ idempotencyKey: "old", createdAt: T0 }));
        await store.recordEmail(email({ idempotencyKey: "old-failed", status: "failed", createdAt: T0 }));
        await store.claim(["expired-1", "expired-2"], HOUR);
        await store.claim(["live"], 40 * DAY);
        await store.saveSnapshot(snapshot({ fileId: "old", createdAt: T0 }));
        await store.takeRateSlot("user:U1", 5, HOUR);

        // New: 20 days later, and an old job touched recently.
        c.t = T0 + 20 * DAY;
        await store.createJob(newJob("new"));
        await store.updateJob("old-2", { status: "failed" });
        await store.saveAnalysis({
          contentHash: "new",
          analysisVersion: ANALYSIS_VERSION,
          fileName: "b.csv",
          analysis,
          summary: null,
          createdAt: c.t,
        });
        await store.saveThreadSummary(threadSummary({ fileId: "new", createdAt: c.t }));
        await store.recordEmail(email({ idempotencyKey: "new", createdAt: c.t }));
        await store.saveSnapshot(snapshot({ fileId: "new", createdAt: c.t }));

        c.t = T0 + 30 * DAY;
        expect(await store.purge(15 * DAY)).toEqual({
          jobs: 1,
          analyses: 1,
          threads: 1,
          emails: 2,
          snapshots: 1,
          // Two expired dedupe keys and the rate slot taken 30 days ago.
          dedupe: 3,
        });
        expect((await store.recentSnapshots("C1", 10)).map((r) => r.fileId)).toEqual(["new"]);
        expect(await store.getJob("old-1")).toBeNull();
        expect((await store.getJob("old-2"))?.status).toBe("failed");
        expect(await store.getJob("new")).not.toBeNull();
        expect(await store.analysisByHash("old", ANALYSIS_VERSION)).toBeNull();
        expect(await store.analysisByHash("new", ANALYSIS_VERSION)).not.toBeNull();
        expect(await store.threadSummary("C1", "1767225600.000100", "old")).toBeNull();
        expect(await store.threadSummary("C1", "1767225600.000100", "new")).not.toBeNull();
        expect(await store.sentEmail("old")).toBeNull();
        expect(await store.sentEmail("new")).not.toBeNull();
        expect(await store.claim(["live"], HOUR)).toBe(false);
        expect(await store.claim(["expired-1"], HOUR)).toBe(true);

        expect(await store.purge(15 * DAY)).toEqual({
          jobs: 0,
          analyses: 0,
          threads: 0,
          emails: 0,
          snapshots: 0,
          dedupe: 0,
        });
        expect(await store.purge(0)).toEqual({
          jobs: 2,
          analyses: 1,
          threads: 1,
          emails: 1,
          snapshots: 1,
          dedupe: 0,
        });
        await expect(store.purge(-1)).rejects.toThrow(RangeError);
      });
    });

    describe("snapshots", () => {
      it("keeps one per channel and file, newest post first, and replaces a re-saved one", async () => {
        const store = await fresh();
        await store.saveSnapshot(snapshot({ fileId: "F1", postedAt: T0 + 10 }));
        await store.saveSnapshot(snapshot({ fileId: "F2", postedAt: T0 + 30 }));
        await store.saveSnapshot(snapshot({ fileId: "F3", postedAt: T0 + 20 }));
        await store.saveSnapshot(snapshot({ channel: "C2", fileId: "F9", postedAt: T0 + 99 }));
        await store.saveSnapshot(snapshot({ fileId: "F1", postedAt: T0 + 40, snapshot: '{"v":2}' }));

        const recent = await store.recentSnapshots("C1", 10);
        expect(recent.map((r) => r.fileId)).toEqual(["F1", "F2", "F3"]);
        expect(recent[0]).toStrictEqual(snapshot({ fileId: "F1", postedAt: T0 + 40, snapshot: '{"v":2}' }));
        expect((await store.recentSnapshots("C1", 2)).map((r) => r.fileId)).toEqual(["F1", "F2"]);
        expect(await store.recentSnapshots("C1", 0)).toEqual([]);
        expect(await store.recentSnapshots("C3", 5)).toEqual([]);
      });

      it("orders snapshots posted at the same moment by which was saved last", async () => {
        const store = await fresh();
        for (const fileId of ["Fa", "Fc", "Fb"]) await store.saveSnapshot(snapshot({ fileId, postedAt: T0 }));
        expect((await store.recentSnapshots("C1", 10)).map((r) => r.fileId)).toEqual(["Fb", "Fc", "Fa"]);
      });
    });

    describe("rate slots", () => {
      it("gives `limit` slots per key in a sliding window, and frees them as the window moves", async () => {
        const c = clock();
        const store = await fresh(c.now);
        const take = () => store.takeRateSlot("user:U1", 2, HOUR);
        expect([await take(), await take(), await take()]).toEqual([true, true, false]);
        expect(await store.takeRateSlot("user:U2", 2, HOUR)).toBe(true);
        c.t = T0 + HOUR - 1;
        expect(await take()).toBe(false);
        c.t = T0 + HOUR;
        expect(await take()).toBe(true);
      });

      it("rejects a window that is not positive", async () => {
        const store = await fresh();
        await expect(store.takeRateSlot("k", 1, 0)).rejects.toThrow(RangeError);
      });

      it("never gives out more than `limit` slots when instances take them at once", async () => {
        const t = await target();
        const [a, b] = [await t.open(), await t.open()];
        const taken = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).takeRateSlot("user:U1", 5, HOUR)),
        );
        expect(taken.filter(Boolean)).toHaveLength(5);
        // Another person's slots are their own.
        expect(await b.takeRateSlot("user:U2", 5, HOUR)).toBe(true);
      });
    });
  });
}
