import { describe, expect, it } from "vitest";
import { FairQueue } from "../../src/jobs/fair-queue.js";

/** A job that records when it starts and finishes when the test says so. */
function harness(limits: { maxConcurrent: number; perUserConcurrent: number }) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const waiting = new Map<string, number[]>();
  const errors: string[] = [];
  const queue = new FairQueue(limits, (id) => errors.push(id));
  const add = (id: string, user: string) =>
    queue.enqueue({
      id,
      user,
      work: () =>
        new Promise<void>((resolve) => {
          started.push(id);
          finishers.set(id, resolve);
        }),
      onWaiting: (ahead) => waiting.set(id, [...(waiting.get(id) ?? []), ahead]),
    });
  const finish = async (id: string) => {
    finishers.get(id)?.();
    // Let the queue's settle handlers run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { queue, add, finish, started, waiting, errors };
}

const tick = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe("FairQueue", () => {
  it("gives free slots to people in turn: a later single job does not wait behind a burst", async () => {
    const h = harness({ maxConcurrent: 1, perUserConcurrent: 1 });
    for (const id of ["a1", "a2", "a3", "a4"]) void h.add(id, "A");
    void h.add("b1", "B");
    await tick();
    expect(h.started).toEqual(["a1"]);
    for (const id of ["a1", "b1", "a2", "a3"]) await h.finish(id);
    expect(h.started).toEqual(["a1", "b1", "a2", "a3", "a4"]);
  });

  it("runs at most perUserConcurrent of one person's jobs, and others' jobs beside them", async () => {
    const h = harness({ maxConcurrent: 3, perUserConcurrent: 1 });
    for (const id of ["a1", "a2", "a3"]) void h.add(id, "A");
    void h.add("b1", "B");
    await tick();
    expect(h.started).toEqual(["a1", "b1"]);
    await h.finish("a1");
    expect(h.started).toEqual(["a1", "b1", "a2"]);
  });

  it("tells each waiting job how many go first, as that changes", async () => {
    const h = harness({ maxConcurrent: 1, perUserConcurrent: 1 });
    for (const id of ["a1", "a2", "a3"]) void h.add(id, "A");
    await tick();
    expect(h.waiting.get("a2")).toEqual([0]);
    expect(h.waiting.get("a3")).toEqual([1]);
    void h.add("b1", "B");
    await tick();
    // B has not been served yet: its job goes before A's waiting ones.
    expect(h.waiting.get("b1")).toEqual([0]);
    expect(h.waiting.get("a2")).toEqual([0, 1]);
    expect(h.waiting.get("a3")).toEqual([1, 2]);
    await h.finish("a1");
    expect(h.started).toEqual(["a1", "b1"]);
    expect(h.waiting.get("a2")).toEqual([0, 1, 0]);
    expect(h.waiting.get("a3")).toEqual([1, 2, 1]);
    expect(h.waiting.has("a1")).toBe(false);
  });

  it("reports a job's failure and keeps going", async () => {
    const errors: string[] = [];
    const queue = new FairQueue({ maxConcurrent: 1, perUserConcurrent: 1 }, (id) => errors.push(id));
    await queue.enqueue({ id: "bad", user: "A", work: async () => Promise.reject(new Error("boom")) });
    let ran = false;
    await queue.enqueue({
      id: "good",
      user: "A",
      work: async () => {
        ran = true;
      },
    });
    expect(errors).toEqual(["bad"]);
    expect(ran).toBe(true);
  });
});
