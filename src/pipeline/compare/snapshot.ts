/**
 * The snapshot kept of each analysis (aggregates only, never a row), and its stored form.
 *
 * The stored form is compact JSON: money as integer cents, units scaled to whole numbers, and every
 * column of numbers either a JSON array or, for the big ones, packed (see packed.ts). decodeSnapshot
 * checks every field and answers null for anything it does not fully understand, including another
 * version: an unreadable snapshot means "no comparison", never a wrong one. Building one from an
 * analysis is in build-snapshot.ts (re-exported here).
 */
import { z } from "zod";
import { POOLED_NAME } from "./build-snapshot.js";
import { toCents } from "./decompose.js";
import { decodeAll, decodeColumn, type EncodedColumn, encodeColumn } from "./packed.js";
import {
  SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotBreakdown,
  type SnapshotDay,
  type SnapshotGrid,
  type SnapshotGroup,
  type SnapshotMonth,
} from "./types.js";

export { buildSnapshot, gridOf, POOLED_NAME, type SnapshotSource } from "./build-snapshot.js";

// ---------------------------------------------------------------------------------------------
// Stored form.

const UNIT_SCALES = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** The smallest power of ten that makes every value whole (units may be kilograms or hours). */
function unitScale(values: ArrayLike<number>): number {
  for (const scale of UNIT_SCALES) {
    let whole = true;
    for (let i = 0; i < values.length && whole; i++) {
      const v = (values[i] as number) * scale;
      whole = Math.abs(v - Math.round(v)) <= 1e-6 * Math.max(1, Math.abs(v));
    }
    if (whole) return scale;
  }
  return UNIT_SCALES.at(-1) as number;
}

/** A packed column decodes to a Float64Array already; a plain-array column is copied into one. */
function float64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

function scaled(values: ArrayLike<number>, scale: number): ArrayLike<number> {
  if (scale === 1) {
    // Units that are whole already (the usual case) are packed as they are, without a copy.
    let whole = true;
    for (let i = 0; i < values.length && whole; i++) whole = Number.isInteger(values[i]);
    if (whole) return values;
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = Math.round((values[i] as number) * scale);
    out[i] = s === 0 ? 0 : s;
  }
  return out;
}

function unscaled(values: ArrayLike<number>, scale: number): number[] {
  return Array.from(values, (v) => v / scale);
}

interface EncodedGroups {
  n: string[];
  r: EncodedColumn;
  e: EncodedColumn;
  u: EncodedColumn | null;
  s: number;
  /** Entries whose units are null while others have units (the pooled entry has none). */
  z: number[];
  w: EncodedColumn;
  o: number;
}

interface EncodedGrid {
  i: EncodedColumn;
  x: string[];
  e: EncodedColumn;
  u: EncodedColumn | null;
  s: number;
  o: number;
}

/** Indices of the null entries, when some (not all) entries are null. */
function nullIndices(values: readonly (unknown | null)[]): number[] {
  const nulls: number[] = [];
  values.forEach((v, i) => {
    if (v === null) nulls.push(i);
  });
  return nulls.length === values.length ? [] : nulls;
}

function encodeGroups(groups: readonly SnapshotGroup[]): EncodedGroups {
  const hasUnits = groups.some((g) => g.units !== null);
  const units = groups.map((g) => g.units ?? 0);
  const scale = hasUnits ? unitScale(units) : 1;
  return {
    n: groups.map((g) => g.name),
    r: encodeColumn(groups.map((g) => toCents(g.revenue))),
    e: encodeColumn(groups.map((g) => toCents(g.net))),
    u: hasUnits ? encodeColumn(scaled(units, scale)) : null,
    s: scale,
    z: hasUnits ? nullIndices(groups.map((g) => g.units)) : [],
    w: encodeColumn(groups.map((g) => g.rows)),
    o: groups.findIndex((g) => g.pooled === true),
  };
}

function encodeGrid(grid: SnapshotGrid, totals: readonly SnapshotGroup[]): EncodedGrid {
  // Grid rows name the same groups as the totals: store an index, not the name again.
  const index = new Map<string, number>();
  totals.forEach((g, i) => {
    if (!g.pooled && !index.has(g.name)) index.set(g.name, i);
  });
  const extra: string[] = [];
  const indices = grid.names.map((name, row) => {
    const at = row === grid.pooledRow ? undefined : index.get(name);
    if (at !== undefined) return at;
    extra.push(name);
    return totals.length + extra.length - 1;
  });
  const scale = grid.units ? unitScale(grid.units) : 1;
  return {
    i: encodeColumn(indices),
    x: extra,
    e: encodeColumn(grid.netCents),
    u: grid.units ? encodeColumn(scaled(grid.units, scale)) : null,
    s: scale,
    o: grid.pooledRow,
  };
}

export function encodeSnapshot(snapshot: Snapshot): string {
  const t = snapshot.totals;
  const x = t.cancellations;
  const encodeBreakdown = (b: SnapshotBreakdown | null) =>
    b ? { t: encodeGroups(b.totals), m: b.months ? encodeGrid(b.months, b.totals) : null } : null;
  const unitsScale = t.units === null ? 1 : unitScale([t.units]);
  return JSON.stringify({
    v: snapshot.version,
    f: snapshot.fileName,
    h: snapshot.headerSignature,
    c: snapshot.currency,
    t: [
      toCents(t.revenue),
      toCents(t.net),
      t.units === null ? null : Math.round(t.units * unitsScale),
      unitsScale,
      t.orders,
      t.rows,
    ],
    x: x ? [x.count, toCents(x.revenue), x.rate, x.revenueShare] : null,
    r: snapshot.dateRange ? [snapshot.dateRange.start, snapshot.dateRange.end] : null,
    m: {
      k: snapshot.months.map((m) => m.month),
      r: encodeColumn(snapshot.months.map((m) => toCents(m.revenue))),
      e: encodeColumn(snapshot.months.map((m) => toCents(m.net))),
      w: encodeColumn(snapshot.months.map((m) => m.rows)),
      d: encodeColumn(snapshot.months.map((m) => m.daysWithData)),
      p: encodeColumn(snapshot.months.map((m) => (m.partial ? 1 : 0))),
    },
    y: snapshot.days
      ? {
          k: snapshot.days.map((d) => d.day),
          r: encodeColumn(snapshot.days.map((d) => toCents(d.revenue))),
          e: encodeColumn(snapshot.days.map((d) => toCents(d.net))),
          w: encodeColumn(snapshot.days.map((d) => d.rows)),
        }
      : null,
    g: { region: encodeBreakdown(snapshot.region), category: encodeBreakdown(snapshot.category) },
    p: snapshot.products ? encodeGroups(snapshot.products) : null,
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding: the envelope is checked by schema, the packed columns by length and form.

const column = z.string();
const count = z.number().int().nonnegative();
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoMonth = z.string().regex(/^\d{4}-\d{2}$/);
const scale = z.number().refine((s) => UNIT_SCALES.includes(s));
const groupsSchema = z.strictObject({
  n: z.array(z.string()),
  r: column,
  e: column,
  u: column.nullable(),
  s: scale,
  z: z.array(z.number().int().nonnegative()),
  w: column,
  o: z.number().int().min(-1),
});
const gridSchema = z.strictObject({
  i: column,
  x: z.array(z.string()),
  e: column,
  u: column.nullable(),
  s: scale,
  o: z.number().int().min(-1),
});
const breakdownSchema = z.strictObject({ t: groupsSchema, m: gridSchema.nullable() }).nullable();
const envelope = z.strictObject({
  v: z.literal(SNAPSHOT_VERSION),
  f: z.string(),
  h: z.record(z.string(), z.string()),
  c: z.strictObject({ code: z.string().nullable(), symbol: z.string() }).nullable(),
  t: z.tuple([z.number().int(), z.number().int(), z.number().int().nullable(), scale, count, count]),
  x: z.tuple([count, z.number().int(), z.number(), z.number()]).nullable(),
  r: z.tuple([isoDay, isoDay]).nullable(),
  m: z.strictObject({ k: z.array(isoMonth), r: column, e: column, w: column, d: column, p: column }),
  y: z.strictObject({ k: z.array(isoDay), r: column, e: column, w: column }).nullable(),
  g: z.strictObject({ region: breakdownSchema, category: breakdownSchema }),
  p: groupsSchema.nullable(),
});

type Envelope = z.infer<typeof envelope>;

/** A stored snapshot back, or null when it is not one this version can read in full. */
export function decodeSnapshot(text: string): Snapshot | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return null;
  try {
    return fromEnvelope(parsed.data);
  } catch (error) {
    if (error instanceof Malformed) return null;
    throw error;
  }
}

class Malformed extends Error {}

function need(column: unknown, length: number): ArrayLike<number> {
  const values = decodeColumn(column, length);
  if (!values) throw new Malformed();
  return values;
}

const money = (c: number) => {
  const v = c / 100;
  return v === 0 ? 0 : v;
};

function decodeGroups(g: z.infer<typeof groupsSchema>): SnapshotGroup[] {
  const n = g.n.length;
  const revenue = need(g.r, n);
  const net = need(g.e, n);
  const units = g.u === null ? null : unscaled(need(g.u, n), g.s);
  const rows = need(g.w, n);
  if (g.o >= n || g.z.some((i) => i >= n)) throw new Malformed();
  const noUnits = new Set(g.z);
  return g.n.map((name, i) => ({
    name,
    revenue: money(revenue[i] as number),
    net: money(net[i] as number),
    units: units && !noUnits.has(i) ? (units[i] as number) : null,
    rows: rows[i] as number,
    ...(i === g.o ? { pooled: true } : {}),
  }));
}

function decodeGrid(
  grid: z.infer<typeof gridSchema>,
  totals: readonly SnapshotGroup[],
  months: number,
): SnapshotGrid {
  const indices = decodeAll(grid.i);
  if (!indices) throw new Malformed();
  const rowCount = indices.length;
  const netCents = float64(need(grid.e, rowCount * months));
  let units: Float64Array | null = null;
  if (grid.u !== null) {
    units = float64(need(grid.u, rowCount * months));
    if (grid.s !== 1) for (let i = 0; i < units.length; i++) units[i] = (units[i] as number) / grid.s;
  }
  if (grid.o >= rowCount) throw new Malformed();
  const names = new Array<string>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const at = indices[r] as number;
    const name = at < totals.length ? totals[at]?.name : grid.x[at - totals.length];
    if (name === undefined) throw new Malformed();
    names[r] = r === grid.o ? POOLED_NAME : name;
  }
  return { names, pooledRow: grid.o, netCents, units };
}

/** Months and days strictly ascending, and a range that starts before it ends: what the engine assumes. */
function ascending(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i] as string) <= (keys[i - 1] as string)) return false;
  return true;
}

function fromEnvelope(e: Envelope): Snapshot {
  if (!ascending(e.m.k) || (e.y && !ascending(e.y.k)) || (e.r && e.r[0] > e.r[1])) throw new Malformed();
  const monthCount = e.m.k.length;
  const mRevenue = need(e.m.r, monthCount);
  const mNet = need(e.m.e, monthCount);
  const mRows = need(e.m.w, monthCount);
  const mDays = need(e.m.d, monthCount);
  const mPartial = need(e.m.p, monthCount);
  const months: SnapshotMonth[] = e.m.k.map((month, i) => ({
    month,
    revenue: money(mRevenue[i] as number),
    net: money(mNet[i] as number),
    rows: mRows[i] as number,
    daysWithData: mDays[i] as number,
    partial: mPartial[i] === 1,
  }));
  let days: SnapshotDay[] | null = null;
  if (e.y) {
    const n = e.y.k.length;
    const r = need(e.y.r, n);
    const net = need(e.y.e, n);
    const w = need(e.y.w, n);
    days = e.y.k.map((day, i) => ({
      day,
      revenue: money(r[i] as number),
      net: money(net[i] as number),
      rows: w[i] as number,
    }));
  }
  const decodeBreakdown = (b: z.infer<typeof breakdownSchema>): SnapshotBreakdown | null => {
    if (!b) return null;
    const totals = decodeGroups(b.t);
    return { totals, months: b.m ? decodeGrid(b.m, totals, monthCount) : null };
  };
  const [revenue, net, units, unitsScale, orders, rows] = e.t;
  return {
    version: SNAPSHOT_VERSION,
    fileName: e.f,
    headerSignature: e.h,
    currency: e.c,
    totals: {
      revenue: money(revenue),
      net: money(net),
      units: units === null ? null : units / unitsScale,
      orders,
      rows,
      cancellations: e.x
        ? { count: e.x[0], revenue: money(e.x[1]), rate: e.x[2], revenueShare: e.x[3] }
        : null,
    },
    dateRange: e.r ? { start: e.r[0], end: e.r[1] } : null,
    months,
    days,
    region: decodeBreakdown(e.g.region),
    category: decodeBreakdown(e.g.category),
    products: e.p ? decodeGroups(e.p) : null,
  };
}
