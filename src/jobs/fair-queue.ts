/**
 * Where accepted jobs wait for a slot: at most `maxConcurrent` run at once, at most
 * `perUserConcurrent` of them for any one person, and a free slot goes to the person served least
 * recently (round robin; someone new first), so someone dropping eight files at once does not make
 * everyone else wait behind all eight.
 *
 * In memory. What survives a restart is the store: every job is written there (status "accepted")
 * before it is queued here, and on start-up the unfinished ones are queued again, oldest first.
 */
export interface QueuedJob {
  id: string;
  /** Whose job it is; fairness and the per-person limit go by this. */
  user: string;
  work: () => Promise<void>;
  /** Told how many jobs will start before this one, whenever that number changes while it waits. */
  onWaiting?: (ahead: number) => void;
}

interface Entry extends QueuedJob {
  done: () => void;
  lastAhead: number | null;
  /** Arrival order, to break ties between people never served. */
  seq: number;
}

export class FairQueue {
  private readonly waiting = new Map<string, Entry[]>();
  /** When each person last got a slot (a counter, not a clock). */
  private readonly servedAt = new Map<string, number>();
  private served = 0;
  private arrivals = 0;
  private readonly runningByUser = new Map<string, number>();
  private running = 0;

  constructor(
    private readonly limits: { maxConcurrent: number; perUserConcurrent: number },
    private readonly onError: (jobId: string, error: unknown) => void,
  ) {}

  /** Jobs waiting, not running. */
  get size(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  /** Resolves when the job's work has settled (its errors go to onError). */
  enqueue(job: QueuedJob): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry: Entry = { ...job, done: resolve, lastAhead: null, seq: this.arrivals++ };
      const list = this.waiting.get(job.user);
      if (list) list.push(entry);
      else this.waiting.set(job.user, [entry]);
      this.pump();
    });
  }

  /**
   * The order waiting jobs will start in if slots free up one at a time and nobody is held back by
   * their own limit: people least recently served first, each person's jobs oldest first.
   */
  order(): string[] {
    const queues = new Map([...this.waiting].map(([user, list]) => [user, [...list]]));
    const servedAt = new Map(this.servedAt);
    let served = this.served;
    const out: string[] = [];
    for (;;) {
      const user = this.leastRecentlyServed([...queues.keys()], queues, servedAt);
      if (user === null) return out;
      const list = queues.get(user) as Entry[];
      out.push((list.shift() as Entry).id);
      if (list.length === 0) queues.delete(user);
      servedAt.set(user, ++served);
    }
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent) {
      const entry = this.next();
      if (!entry) break;
      this.start(entry);
    }
    this.tellWaiting();
  }

  /** The oldest job of the least recently served person below their own limit. */
  private next(): Entry | null {
    const free = [...this.waiting.keys()].filter(
      (user) => (this.runningByUser.get(user) ?? 0) < this.limits.perUserConcurrent,
    );
    const user = this.leastRecentlyServed(free, this.waiting, this.servedAt);
    if (user === null) return null;
    const list = this.waiting.get(user) as Entry[];
    const entry = list.shift() as Entry;
    if (list.length === 0) this.waiting.delete(user);
    this.servedAt.set(user, ++this.served);
    return entry;
  }

  private leastRecentlyServed(
    users: string[],
    queues: Map<string, Entry[]>,
    servedAt: Map<string, number>,
  ): string | null {
    let best: string | null = null;
    let bestKey: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const user of users) {
      const head = queues.get(user)?.[0];
      if (!head) continue;
      const key: [number, number] = [servedAt.get(user) ?? -1, head.seq];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = user;
        bestKey = key;
      }
    }
    return best;
  }

  private start(entry: Entry): void {
    this.running++;
    this.runningByUser.set(entry.user, (this.runningByUser.get(entry.user) ?? 0) + 1);
    void Promise.resolve()
      .then(entry.work)
      .catch((error: unknown) => this.onError(entry.id, error))
      .finally(() => {
        this.running--;
        const left = (this.runningByUser.get(entry.user) ?? 1) - 1;
        if (left === 0) this.runningByUser.delete(entry.user);
        else this.runningByUser.set(entry.user, left);
        entry.done();
        this.pump();
      });
  }

  private tellWaiting(): void {
    const order = this.order();
    const byId = new Map<string, Entry>();
    for (const list of this.waiting.values()) for (const e of list) byId.set(e.id, e);
    order.forEach((id, ahead) => {
      const entry = byId.get(id);
      if (!entry?.onWaiting || entry.lastAhead === ahead) return;
      entry.lastAhead = ahead;
      try {
        entry.onWaiting(ahead);
      } catch (error) {
        this.onError(id, error);
      }
    });
  }
}
