#!/usr/bin/env node
/**
 * The CPU floor for the CSV benchmark: a minimal hand-written single-pass byte scanner computing the
 * same metrics as the CLI's core (rows, total revenue and units, min/max date, revenue by region and by
 * category, status counts, cancelled count and revenue, best row). It is what a one-off script for one
 * known file shape costs: no quotes, no encodings other than ASCII/UTF-8, no type inference, no
 * validation, money summed in integer cents. `bench/run.mjs` reports the CLI's CPU as a multiple of it.
 *
 *   node bench/floor-scan.mjs FILE.csv    prints one JSON line
 *
 * Columns are found by header name (Date, Region, *Categor*, Units*, Revenue, Status). Lines with
 * fewer fields than the header, blank lines and lines with a quote are skipped (counted as skipped).
 */
import { closeSync, openSync, readSync } from "node:fs";

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const MINUS = 45;
const DOT = 46;

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node bench/floor-scan.mjs FILE.csv\n");
  process.exit(2);
}

/** Interns a field's bytes to a group without allocating a string per row (hash + byte check). */
class Groups {
  constructor() {
    this.byHash = new Map();
  }
  get(buf, start, end) {
    let h = 2166136261;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 16777619);
    let bucket = this.byHash.get(h);
    if (bucket === undefined) {
      bucket = [];
      this.byHash.set(h, bucket);
    }
    outer: for (const g of bucket) {
      const key = g.bytes;
      if (key.length !== end - start) continue;
      for (let i = 0; i < key.length; i++) if (key[i] !== buf[start + i]) continue outer;
      return g;
    }
    const g = {
      name: buf.toString("utf8", start, end),
      bytes: Buffer.from(buf.subarray(start, end)),
      cents: 0,
      count: 0,
    };
    bucket.push(g);
    return g;
  }
  list() {
    return [...this.byHash.values()].flat();
  }
}

/** "-1234.5" -> -123450 cents; NaN when not a plain decimal. */
function cents(buf, start, end) {
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  let whole = 0;
  let digits = 0;
  for (; i < end && buf[i] !== DOT; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return Number.NaN;
    whole = whole * 10 + d;
    digits++;
  }
  let fraction = 0;
  let places = 0;
  if (i < end) {
    for (i++; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9 || places === 2) return Number.NaN;
      fraction = fraction * 10 + d;
      places++;
    }
  }
  if (digits === 0 && places === 0) return Number.NaN;
  if (places === 1) fraction *= 10;
  const value = whole * 100 + fraction;
  return negative ? -value : value;
}

function integer(buf, start, end) {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return end > start ? value : Number.NaN;
}

/** yyyy-mm-dd -> yyyymmdd, NaN otherwise. */
function isoDate(buf, start, end) {
  if (end - start !== 10 || buf[start + 4] !== MINUS || buf[start + 7] !== MINUS) return Number.NaN;
  let key = 0;
  for (let i = start; i < end; i++) {
    if (i === start + 4 || i === start + 7) continue;
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return Number.NaN;
    key = key * 10 + d;
  }
  return key;
}

const regions = new Groups();
const categories = new Groups();
const statuses = new Groups();
let columns = null;
let fieldCount = 0;
let rows = 0;
let skipped = 0;
let totalCents = 0;
let totalUnits = 0;
let minDate = Number.POSITIVE_INFINITY;
let maxDate = Number.NEGATIVE_INFINITY;
let bestCents = Number.NEGATIVE_INFINITY;
let bestRow = null;
const starts = new Int32Array(1024);
const ends = new Int32Array(1024);

function header(line) {
  const names = line.split(",").map((n) => n.trim().toLowerCase());
  const find = (re) => names.findIndex((n) => re.test(n));
  columns = {
    date: find(/date/),
    region: find(/region/),
    category: find(/categor/),
    units: find(/^units|quantity|qty/),
    revenue: find(/revenue|sales|amount/),
    status: find(/status/),
  };
  if (columns.revenue < 0) throw new Error(`no revenue column in ${JSON.stringify(names)}`);
  fieldCount = names.length;
}

/** One data line buf[start, end) (no line break). */
function row(buf, start, end) {
  if (end > start && buf[end - 1] === CR) end--;
  if (end === start) {
    skipped++;
    return;
  }
  let fields = 0;
  let fieldStart = start;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === COMMA) {
      if (fields < 1024) {
        starts[fields] = fieldStart;
        ends[fields] = i;
      }
      fields++;
      fieldStart = i + 1;
    } else if (c === QUOTE) {
      skipped++;
      return;
    }
  }
  if (fields < 1024) {
    starts[fields] = fieldStart;
    ends[fields] = end;
  }
  fields++;
  if (fields < fieldCount) {
    skipped++;
    return;
  }
  const { date, region, category, units, revenue, status } = columns;
  const money = cents(buf, starts[revenue], ends[revenue]);
  if (Number.isNaN(money)) {
    skipped++;
    return;
  }
  rows++;
  totalCents += money;
  if (units >= 0) {
    const u = integer(buf, starts[units], ends[units]);
    if (!Number.isNaN(u)) totalUnits += u;
  }
  if (date >= 0) {
    const d = isoDate(buf, starts[date], ends[date]);
    if (d < minDate) minDate = d;
    if (d > maxDate) maxDate = d;
  }
  if (region >= 0) regions.get(buf, starts[region], ends[region]).cents += money;
  if (category >= 0) categories.get(buf, starts[category], ends[category]).cents += money;
  if (status >= 0) {
    const g = statuses.get(buf, starts[status], ends[status]);
    g.count++;
    g.cents += money;
  }
  if (money > bestCents) {
    bestCents = money;
    bestRow = buf.toString("utf8", start, end);
  }
}

const CHUNK = 1 << 20;
let buf = Buffer.allocUnsafe(CHUNK * 2);
let filled = 0;
const fd = openSync(file, "r");
try {
  for (;;) {
    if (buf.length - filled < CHUNK) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, null);
    const eof = n === 0;
    filled += n;
    let pos = 0;
    if (filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && columns === null) pos = 3;
    for (;;) {
      let nl = buf.indexOf(LF, pos);
      if (nl === -1 || nl >= filled) {
        if (!eof || pos >= filled) break;
        nl = filled;
      }
      if (columns === null) header(buf.toString("utf8", pos, nl > pos && buf[nl - 1] === CR ? nl - 1 : nl));
      else row(buf, pos, nl);
      pos = nl + 1;
    }
    if (eof) break;
    buf.copy(buf, 0, pos, filled);
    filled -= pos;
  }
} finally {
  closeSync(fd);
}

const money = (c) => Math.round(c) / 100;
const byRevenue = (groups) =>
  groups
    .map((g) => ({ name: g.name, revenue: money(g.cents) }))
    .sort((a, b) => b.revenue - a.revenue || (a.name < b.name ? -1 : 1));
const cancelled = statuses.list().filter((g) => /^cancel/i.test(g.name));
const dateText = (d) =>
  Number.isFinite(d) ? `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}` : null;
process.stdout.write(
  `${JSON.stringify({
    rows,
    skipped,
    totalRevenue: money(totalCents),
    totalUnits,
    dateRange: { start: dateText(minDate), end: dateText(maxDate) },
    revenueByRegion: byRevenue(regions.list()),
    revenueByCategory: byRevenue(categories.list()),
    statusCounts: Object.fromEntries(statuses.list().map((g) => [g.name, g.count])),
    cancellations: {
      count: cancelled.reduce((s, g) => s + g.count, 0),
      revenue: money(cancelled.reduce((s, g) => s + g.cents, 0)),
    },
    bestRow: bestRow === null ? null : { revenue: money(bestCents), line: bestRow },
  })}\n`,
);
