/**
 * Exact totals for the names of a breakdown (regions, categories, products, statuses) that arrive after
 * the fold's map of named groups is full.
 *
 * The fold keeps its first MAX_GROUPS names in a Map of strings: one lookup per row, which is the whole
 * cost for every real sales file. Past that, pooling every later name into one bucket would hide a name
 * that is most of the revenue just because it first appeared late. So later names are aggregated
 * here, exactly, under a 64-bit hash of the name (no string kept), and only the strings of the
 * heaviest names seen so far are remembered. Each reported figure is then an exact total, whatever the
 * arrival order, and any name among the heaviest CANDIDATES (by revenue, or by rows for statuses) is
 * reported by name: when a name's running total beats the lightest candidate it takes that place, and
 * totals only grow (for non-negative weights), so a name that ends among the heaviest was admitted at
 * its last row at the latest and was never displaced after.
 *
 * Memory is bounded: the hash table grows to MAX_SLOTS (about 6 MB); names that first appear once it
 * is full are pooled without being told apart. Everything not reported by name is pooled, exactly.
 */
import { detach } from "./detach.js";
import { ExactSum } from "./sum.js";

const INITIAL_SLOTS = 1 << 12;
/** 131,072 slots of 45 bytes: at most 6 MB per breakdown, for up to 91,750 names (70% load). */
const MAX_SLOTS = 1 << 17;
const MAX_LOAD = 0.7;
/** Names reported by name from the overflow: more than any view shows (top 5, 8 or 20). */
export const CANDIDATES = 50;

export interface OverflowGroup {
  name: string;
  revenue: number;
  net: number;
  rows: number;
}

export interface Pooled {
  /** Distinct names in the pool; a lower bound when `uncounted` is true. */
  names: number;
  /** True when names arrived after the table was full, so they could not be counted apart. */
  uncounted: boolean;
  rows: number;
  revenue: number;
  net: number;
}

export class OverflowGroups {
  private slots = INITIAL_SLOTS;
  private used = 0;
  /** The two 32-bit halves of each name's hash; a slot is free while its `rows` is 0. */
  private keyLow = new Int32Array(INITIAL_SLOTS);
  private keyHigh = new Int32Array(INITIAL_SLOTS);
  /** Neumaier sums (value and compensation), as in ExactSum, kept in columns. */
  private revenue = new Float64Array(INITIAL_SLOTS);
  private revenueError = new Float64Array(INITIAL_SLOTS);
  private net = new Float64Array(INITIAL_SLOTS);
  private netError = new Float64Array(INITIAL_SLOTS);
  private rows = new Uint32Array(INITIAL_SLOTS);
  /** 0 when the slot's name is not a candidate, else its index in `candidates` + 1. */
  private candidateOf = new Uint8Array(INITIAL_SLOTS);

  private readonly candidates: { slot: number; name: string }[] = [];
  private lightest = -1;
  private lightestWeight = Number.POSITIVE_INFINITY;

  private readonly unseen = { revenue: new ExactSum(), net: new ExactSum(), rows: 0 };

  /** `rank` is what makes a name heavy: its revenue (groups) or its row count (statuses). */
  constructor(private readonly rank: "revenue" | "rows") {}

  get names(): number {
    return this.used;
  }

  add(name: string, revenue: number, cancelled: boolean): void {
    const slot = this.slotOf(name);
    if (slot === -1) {
      this.unseen.rows++;
      this.unseen.revenue.add(revenue);
      if (!cancelled) this.unseen.net.add(revenue);
      return;
    }
    this.rows[slot] = (this.rows[slot] as number) + 1;
    addTo(this.revenue, this.revenueError, slot, revenue);
    if (!cancelled) addTo(this.net, this.netError, slot, revenue);
    this.rankCandidate(slot, name);
  }

  /** The candidates with their exact totals, and everything else pooled. */
  finish(): { named: OverflowGroup[]; pooled: Pooled | null } {
    const named = this.candidates.map(({ slot, name }) => ({
      name,
      revenue: this.revenueOf(slot),
      net: (this.net[slot] as number) + (this.netError[slot] as number),
      rows: this.rows[slot] as number,
    }));
    const revenue = new ExactSum();
    const net = new ExactSum();
    let rows = this.unseen.rows;
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.rows[slot] === 0 || this.candidateOf[slot] !== 0) continue;
      rows += this.rows[slot] as number;
      revenue.add(this.revenue[slot] as number);
      revenue.add(this.revenueError[slot] as number);
      net.add(this.net[slot] as number);
      net.add(this.netError[slot] as number);
    }
    revenue.add(this.unseen.revenue.value);
    net.add(this.unseen.net.value);
    const names = this.used - this.candidates.length;
    if (rows === 0) return { named, pooled: null };
    return {
      named,
      pooled: { names, uncounted: this.unseen.rows > 0, rows, revenue: revenue.value, net: net.value },
    };
  }

  private revenueOf(slot: number): number {
    return (this.revenue[slot] as number) + (this.revenueError[slot] as number);
  }

  private weightOf(slot: number): number {
    return this.rank === "rows" ? (this.rows[slot] as number) : this.revenueOf(slot);
  }

  /**
   * Keeps `candidates` the heaviest names seen so far. Replacing the lightest is O(CANDIDATES), and
   * happens only when a name outgrows it: cheap even when every row does it.
   */
  private rankCandidate(slot: number, name: string): void {
    const weight = this.weightOf(slot);
    const index = (this.candidateOf[slot] as number) - 1;
    if (index >= 0) {
      if (index === this.lightest) this.findLightest();
      else if (weight < this.lightestWeight) {
        this.lightest = index;
        this.lightestWeight = weight;
      }
      return;
    }
    if (this.candidates.length < CANDIDATES) {
      this.candidates.push({ slot, name: detach(name) });
      this.candidateOf[slot] = this.candidates.length;
      if (weight < this.lightestWeight) {
        this.lightest = this.candidates.length - 1;
        this.lightestWeight = weight;
      }
      return;
    }
    if (weight <= this.lightestWeight) return;
    const out = this.candidates[this.lightest] as { slot: number; name: string };
    this.candidateOf[out.slot] = 0;
    this.candidates[this.lightest] = { slot, name: detach(name) };
    this.candidateOf[slot] = this.lightest + 1;
    this.findLightest();
  }

  private findLightest(): void {
    this.lightest = -1;
    this.lightestWeight = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.candidates.length; i++) {
      const w = this.weightOf((this.candidates[i] as { slot: number }).slot);
      if (w < this.lightestWeight) {
        this.lightest = i;
        this.lightestWeight = w;
      }
    }
  }

  /** The slot of `name`, inserted if new; -1 when it is new and the table is full. */
  private slotOf(name: string): number {
    // cyrb53's two 32-bit lanes, both kept whole: with 64 bits, two of 91,750 names share a key with
    // probability under 1e-9.
    let low = 0xdeadbeef | 0;
    let high = 0x41c6ce57;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      low = Math.imul(low ^ c, 2654435761);
      high = Math.imul(high ^ c, 1597334677);
    }
    low = Math.imul(low ^ (low >>> 16), 2246822507) ^ Math.imul(high ^ (high >>> 13), 3266489909);
    high = Math.imul(high ^ (high >>> 16), 2246822507) ^ Math.imul(low ^ (low >>> 13), 3266489909);
    const found = this.find(low, high);
    if (found >= 0 && this.rows[found] !== 0) return found;
    if (this.used + 1 > this.slots * MAX_LOAD) {
      if (this.slots >= MAX_SLOTS) return -1;
      this.grow();
      return this.insert(low, high);
    }
    return this.insert(low, high, found);
  }

  /** The slot holding the key, or the free slot where it would go. */
  private find(low: number, high: number): number {
    const mask = this.slots - 1;
    let slot = low & mask;
    while (this.rows[slot] !== 0) {
      if (this.keyLow[slot] === low && this.keyHigh[slot] === high) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private insert(low: number, high: number, free = this.find(low, high)): number {
    this.keyLow[free] = low;
    this.keyHigh[free] = high;
    this.used++;
    // `rows` becomes 1 when the caller counts the row, which marks the slot as taken.
    return free;
  }

  private grow(): void {
    const old = {
      slots: this.slots,
      keyLow: this.keyLow,
      keyHigh: this.keyHigh,
      revenue: this.revenue,
      revenueError: this.revenueError,
      net: this.net,
      netError: this.netError,
      rows: this.rows,
      candidateOf: this.candidateOf,
    };
    const slots = this.slots * 2;
    this.slots = slots;
    this.keyLow = new Int32Array(slots);
    this.keyHigh = new Int32Array(slots);
    this.revenue = new Float64Array(slots);
    this.revenueError = new Float64Array(slots);
    this.net = new Float64Array(slots);
    this.netError = new Float64Array(slots);
    this.rows = new Uint32Array(slots);
    this.candidateOf = new Uint8Array(slots);
    for (let from = 0; from < old.slots; from++) {
      if (old.rows[from] === 0) continue;
      const to = this.find(old.keyLow[from] as number, old.keyHigh[from] as number);
      this.keyLow[to] = old.keyLow[from] as number;
      this.keyHigh[to] = old.keyHigh[from] as number;
      this.revenue[to] = old.revenue[from] as number;
      this.revenueError[to] = old.revenueError[from] as number;
      this.net[to] = old.net[from] as number;
      this.netError[to] = old.netError[from] as number;
      this.rows[to] = old.rows[from] as number;
      const candidate = old.candidateOf[from] as number;
      this.candidateOf[to] = candidate;
      if (candidate !== 0) (this.candidates[candidate - 1] as { slot: number }).slot = to;
    }
  }
}

/** ExactSum's Neumaier step on one slot of a pair of columns. */
function addTo(sum: Float64Array, error: Float64Array, slot: number, value: number): void {
  const s = sum[slot] as number;
  const t = s + value;
  error[slot] = (error[slot] as number) + (Math.abs(s) >= Math.abs(value) ? s - t + value : value - t + s);
  sum[slot] = t;
}
