import { ExactSum } from "./sum.js";

/** One day's running sums (the fold's day map, and the months built from it). */
export class Group {
  readonly revenue = new ExactSum();
  readonly net = new ExactSum();
  rows = 0;
}

export function mergeGroup(into: Group, from: Group): void {
  into.rows += from.rows;
  into.revenue.add(from.revenue.value);
  into.net.add(from.net.value);
}

/** Doubles per slot of MonthlyGroup.sums: three Neumaier sums (a value and its compensation each), rows. */
const STRIDE = 7;
const GROSS = 0;
const NET = 2;
const UNITS = 4;
const ROWS = 6;

/**
 * One region's, category's or product's running sums, split by the fold's month index
 * (MetricsFold.monthBuckets): slot 0 holds the rows with no month (no date, or a breakdown not
 * tracked by month), slot m + 1 the rows of month index m. Each slot keeps gross revenue, net revenue
 * and units of rows not cancelled, as Neumaier sums, and its row count, in one Float64Array; the group's totals are
 * the exact sums of its slots, so a row costs three compensated additions into one typed array
 * (no per-month objects, and no separate running totals to keep in step).
 */
export class MonthlyGroup {
  rows = 0;
  sums: Float64Array = new Float64Array(STRIDE);
  /** Units of cancelled rows (rare), which count in the group's units but in no month's units. */
  cancelledUnits: ExactSum | null = null;

  /** `month` is the fold's month index, or -1 for none; `units` NaN when the row has none. */
  add(revenue: number, cancelled: boolean, units: number, month: number): void {
    this.rows++;
    const base = (month + 1) * STRIDE;
    let sums = this.sums;
    if (base >= sums.length) sums = this.grow(base);
    sums[base + ROWS] = (sums[base + ROWS] as number) + 1;
    addAt(sums, base + GROSS, revenue);
    if (cancelled) {
      if (!Number.isNaN(units)) {
        this.cancelledUnits ??= new ExactSum();
        this.cancelledUnits.add(units);
      }
    } else {
      addAt(sums, base + NET, revenue);
      if (!Number.isNaN(units)) addAt(sums, base + UNITS, units);
    }
  }

  private grow(base: number): Float64Array {
    const grown = new Float64Array(Math.max(base + STRIDE, this.sums.length * 2));
    grown.set(this.sums);
    this.sums = grown;
    return grown;
  }

  /** Slots in use: the month indexes seen are 0 .. slots - 2. */
  get slots(): number {
    return this.sums.length / STRIDE;
  }

  hasRowsAt(slot: number): boolean {
    return (this.sums[slot * STRIDE + ROWS] as number) > 0;
  }

  /** Gross revenue of slot `slot` (0: no month; m + 1: month index m). */
  grossAt(slot: number): number {
    return valueAt(this.sums, slot * STRIDE + GROSS);
  }

  netAt(slot: number): number {
    return valueAt(this.sums, slot * STRIDE + NET);
  }

  unitsAt(slot: number): number {
    return valueAt(this.sums, slot * STRIDE + UNITS);
  }

  get revenue(): number {
    return this.total(GROSS, null);
  }

  get net(): number {
    return this.total(NET, null);
  }

  /** Every row's units, cancelled ones included (like revenue). */
  get units(): number {
    return this.total(UNITS, this.cancelledUnits);
  }

  private total(offset: number, extra: ExactSum | null): number {
    const sums = this.sums;
    // A single slot (a product, or a file without dates) is already the exact running total.
    if (sums.length === STRIDE && extra === null) return valueAt(sums, offset);
    const sum = new ExactSum();
    for (let i = offset; i < sums.length; i += STRIDE) {
      if (sums[i - offset + ROWS] === 0) continue;
      sum.add(sums[i] as number);
      sum.add(sums[i + 1] as number);
    }
    if (extra !== null) sum.add(extra.value);
    return sum.value;
  }
}

/** ExactSum's Neumaier step on the value at `i` and its compensation at `i + 1`. */
function addAt(sums: Float64Array, i: number, value: number): void {
  const s = sums[i] as number;
  const t = s + value;
  sums[i + 1] = (sums[i + 1] as number) + (Math.abs(s) >= Math.abs(value) ? s - t + value : value - t + s);
  sums[i] = t;
}

function valueAt(sums: Float64Array, i: number): number {
  return (sums[i] as number) + (sums[i + 1] as number);
}
