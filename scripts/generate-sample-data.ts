/**
 * Deterministic synthetic sales data.
 *
 *   npx tsx scripts/generate-sample-data.ts            writes sample_data/sales_2025_large.{csv,xlsx}
 *     [--rows 3000] [--seed 2025] [--out-dir sample_data]
 *   npx tsx scripts/generate-sample-data.ts bench-csv  FILE ROWS [SEED]   (used by bench/run.mjs)
 *   npx tsx scripts/generate-sample-data.ts bench-xlsx FILE ROWS [SEED]
 *
 * Everything is driven by a seeded PRNG (mulberry32), so the same (count, seed) always yields the same
 * rows. Money is computed in integer cents; Revenue = Units_Sold x Unit_Price exactly.
 *
 * This file is the single source of truth for both row generators: bench/run.mjs shells out to the
 * `bench-*` sub-commands above (via `node --import tsx`) instead of carrying its own copy.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";

// ---------------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, good-enough 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;

/** Integer cents -> "1234.50". Inputs are always non-negative integers here. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${whole}.${frac < 10 ? "0" : ""}${frac}`;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Quote a CSV field only when it needs it (comma, quote, CR or LF); quotes are doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Snap a price in cents to the nearest price ending in .00, .49 or .99 (minimum 0.49). */
function snapPrice(cents: number): number {
  const dollars = Math.floor(cents / 100);
  let best = 49;
  for (const candidate of [dollars * 100 - 1, dollars * 100, dollars * 100 + 49, dollars * 100 + 99]) {
    if (candidate >= 49 && Math.abs(candidate - cents) < Math.abs(best - cents)) best = candidate;
  }
  return best;
}

/** Pick an index from cumulative weights (last element is the total). */
function pickCumulative(cumulative: readonly number[], r: number): number {
  const target = r * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} out of range (length ${items.length})`);
  return item;
}

function writeChunk(stream: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  // Backpressure: when write() returns false, wait for 'drain' before producing more.
  // events.once rejects if the stream emits 'error' first.
  return stream.write(chunk) ? undefined : once(stream, "drain").then(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Sample data (sales_2025_large): order lines for one year with customers, products and seasonality
// ---------------------------------------------------------------------------------------------------------

export const SAMPLE_HEADER = [
  "Order_ID",
  "Date",
  "Customer",
  "Product_Category",
  "Product",
  "Region",
  "Units_Sold",
  "Unit_Price",
  "Revenue",
  "Status",
] as const;

export type SampleStatus = "Shipped" | "Delivered" | "Pending" | "Cancelled" | "Returned";

export interface SalesRow {
  orderId: string;
  /** ISO yyyy-mm-dd (UTC calendar day). */
  date: string;
  customer: string;
  category: string;
  product: string;
  region: string;
  unitsSold: number;
  unitPriceCents: number;
  /** Always unitsSold * unitPriceCents. */
  revenueCents: number;
  status: SampleStatus;
}

export const SAMPLE_REGIONS = ["North", "South", "East", "West", "Central", "International"] as const;

interface Product {
  name: string;
  listCents: number;
  minUnits: number;
  maxUnits: number;
}

interface Category {
  name: string;
  weight: number;
  /** Multiplier by month (0 = January) applied to the category's share of orders. */
  season?: readonly number[];
  products: readonly Product[];
}

const p = (name: string, listCents: number, minUnits: number, maxUnits: number): Product => ({
  name,
  listCents,
  minUnits,
  maxUnits,
});

const SAMPLE_CATEGORIES: readonly Category[] = [
  {
    name: "Electronics",
    weight: 1.5,
    season: [1, 0.9, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.1, 1.1, 1.5, 1.6],
    products: [
      p("Laptop Pro 14", 129_900, 1, 8),
      p("Wireless Earbuds", 7_999, 2, 40),
      p("27in 4K Monitor", 32_949, 1, 12),
      p("USB-C Hub", 3_949, 3, 60),
    ],
  },
  {
    name: "Home Appliances",
    weight: 1.1,
    products: [
      p("Air Fryer XL", 12_999, 1, 15),
      p("Robot Vacuum", 29_900, 1, 10),
      p("Espresso Machine", 44_999, 1, 6),
    ],
  },
  {
    name: "Furniture",
    weight: 0.8,
    products: [
      p("Ergonomic Office Chair", 24_999, 1, 20),
      p("Standing Desk", 54_900, 1, 10),
      p("Oak Bookshelf", 18_949, 1, 8),
    ],
  },
  {
    name: "Office Supplies",
    weight: 1.2,
    season: [1.2, 1, 1, 1, 0.9, 0.9, 0.9, 1.3, 1.4, 1, 0.9, 0.8],
    products: [
      p("Copy Paper (5 reams)", 2_999, 5, 120),
      p("Gel Pens 12-pack", 1_149, 10, 200),
      p("Desk Organizer", 2_449, 2, 50),
      p("Laser Toner Cartridge", 8_999, 1, 30),
    ],
  },
  {
    name: "Sporting Goods",
    weight: 0.9,
    season: [1.4, 1.1, 1, 1.1, 1.2, 1.3, 1.2, 1, 0.9, 0.8, 0.9, 1],
    products: [
      p("Yoga Mat", 3_499, 2, 60),
      p("Adjustable Dumbbells", 19_900, 1, 12),
      p("Trail Running Shoes", 11_999, 1, 30),
    ],
  },
  {
    name: "Toys & Games",
    weight: 0.7,
    season: [0.6, 0.6, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8, 0.9, 1.3, 2.2, 2.6],
    products: [
      p("Strategy Board Game", 4_999, 2, 48),
      p("Building Blocks Set", 7_949, 1, 36),
      p("RC Racing Car", 5_900, 1, 24),
    ],
  },
  {
    name: "Beauty & Personal Care",
    weight: 0.9,
    season: [0.9, 1.1, 1, 1, 1.1, 1, 1, 1, 1, 1, 1.3, 1.5],
    products: [
      p("Skincare Gift Set", 6_499, 1, 40),
      p("Ionic Hair Dryer", 8_900, 1, 20),
      p("Electric Toothbrush", 4_999, 1, 40),
    ],
  },
  {
    name: "Grocery",
    weight: 1.0,
    products: [
      p("Coffee Beans 1kg", 2_449, 5, 150),
      p("Extra Virgin Olive Oil 1L", 1_599, 6, 200),
      p("Snack Variety Box", 2_999, 3, 80),
    ],
  },
];

/** Customers, with a home region each. Several names contain commas, so the CSV must quote them. */
const SAMPLE_CUSTOMERS: ReadonlyArray<readonly [name: string, region: (typeof SAMPLE_REGIONS)[number]]> = [
  ["Northwind Traders", "North"],
  ["Acme Widgets, Inc.", "Central"],
  ["Contoso Retail", "East"],
  ["Fabrikam, Ltd.", "West"],
  ["Globex Corporation", "South"],
  ["Initech", "Central"],
  ["Smith, Jones & Partners", "North"],
  ["Blue Yonder Airlines", "International"],
  ["Tailspin Toys", "West"],
  ["Wide World Importers", "International"],
  ["Umbrella Supply Co.", "South"],
  ["Stark Home Goods", "East"],
  ["O'Brien Hardware", "North"],
  ["Baker, Lee and Associates, LLC", "East"],
  ["Coho Vineyard", "West"],
  ["Litware Office Solutions", "Central"],
  ["Proseware", "South"],
  ["Adventure Works Cycles", "West"],
  ["Margie's Travel", "International"],
  ["Lucerne Publishing", "East"],
  ["Alpine Ski House", "North"],
  ["Fourth Coffee", "Central"],
  ["Greenfield Grocers, Co-op", "South"],
  ["Trey Research", "International"],
  ["Woodgrove Bank Staff Store", "East"],
  ["City Power & Light", "Central"],
  ["Humongous Insurance", "North"],
  ["Southridge Video", "South"],
  ["Nod Publishers", "West"],
  ["Datum Corporation", "International"],
  ["Garcia, Patel & Kim", "West"],
  ["Graphic Design Institute", "East"],
  ["School of Fine Art", "North"],
  ["VanArsdel, Ltd.", "International"],
  ["Wingtip Toys", "South"],
  ["Relecloud", "Central"],
];

/** Relative order volume by month (Q4 peak, soft Q1). */
const SAMPLE_MONTH_WEIGHT = [0.8, 0.76, 0.88, 0.9, 0.96, 0.98, 0.93, 0.97, 1.05, 1.2, 1.45, 1.62];

const SAMPLE_START_MS = Date.UTC(2025, 0, 1);
const SAMPLE_DAYS = 365;

/**
 * Yield `count` order lines dated 2025-01-01..2025-12-31. Rows are generated in date order (with a little
 * local jitter, like a real export), order volume follows SAMPLE_MONTH_WEIGHT, weekends are quieter and
 * Black Friday / Cyber Monday spike.
 */
export function* generateRows(count: number, seed: number): Generator<SalesRow> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer`);
  const rand = mulberry32(seed);

  // Daily volume weights -> cumulative distribution over the year.
  const dayWeights: number[] = [];
  for (let d = 0; d < SAMPLE_DAYS; d++) {
    const date = new Date(SAMPLE_START_MS + d * DAY_MS);
    const month = date.getUTCMonth();
    const weekday = date.getUTCDay();
    const dayOfMonth = date.getUTCDate();
    let w = at(SAMPLE_MONTH_WEIGHT, month) * (weekday === 0 || weekday === 6 ? 0.55 : 1);
    if (month === 10 && (dayOfMonth === 28 || dayOfMonth === 29)) w *= 2.5; // Black Friday weekend
    if (month === 11 && dayOfMonth === 1) w *= 2.2; // Cyber Monday
    if (month === 11 && (dayOfMonth === 25 || dayOfMonth === 26 || dayOfMonth === 31)) w *= 0.3;
    if (month === 0 && dayOfMonth === 1) w *= 0.2;
    dayWeights.push(w * (0.85 + 0.3 * rand()));
  }
  const dayCdf = cumulate(dayWeights);
  const dayTotal = at(dayCdf, SAMPLE_DAYS - 1);

  // Customers follow a long-tail distribution: a few big accounts, many small ones.
  const customerCdf = cumulate(SAMPLE_CUSTOMERS.map((_, i) => 1 / (i + 1.5) ** 0.9));
  const categoryCdfByMonth = Array.from({ length: 12 }, (_, month) =>
    cumulate(SAMPLE_CATEGORIES.map((c) => c.weight * (c.season?.[month] ?? 1))),
  );

  let day = 0;
  for (let i = 0; i < count; i++) {
    // Strictly increasing position in the year's volume -> sorted dates; then occasional +-1 day jitter.
    const target = ((i + rand()) / count) * dayTotal;
    while (day < SAMPLE_DAYS - 1 && at(dayCdf, day) <= target) day++;
    let rowDay = day;
    if (rand() < 0.04) rowDay = Math.min(SAMPLE_DAYS - 1, Math.max(0, day + (rand() < 0.5 ? -1 : 1)));
    const month = new Date(SAMPLE_START_MS + rowDay * DAY_MS).getUTCMonth();

    const [customer, homeRegion] = at(SAMPLE_CUSTOMERS, pickCumulative(customerCdf, rand()));
    const region = rand() < 0.1 ? at(SAMPLE_REGIONS, Math.floor(rand() * SAMPLE_REGIONS.length)) : homeRegion;
    const category = at(SAMPLE_CATEGORIES, pickCumulative(at(categoryCdfByMonth, month), rand()));
    const product = at(category.products, Math.floor(rand() * category.products.length));

    // Mostly list price; promotions are more frequent around Black Friday and in December.
    let unitPriceCents = product.listCents;
    const promoChance = month === 10 ? 0.35 : month === 11 ? 0.25 : 0.1;
    const pr = rand();
    if (pr < promoChance) unitPriceCents = snapPrice(product.listCents * (0.8 + 0.15 * rand()));
    else if (pr > 0.97) unitPriceCents = snapPrice(product.listCents * (1.03 + 0.05 * rand()));

    const span = product.maxUnits - product.minUnits + 1;
    const unitsSold = product.minUnits + Math.floor(span * rand() ** 2.2);

    let status: SampleStatus;
    const sr = rand();
    if (sr < 0.05) status = "Cancelled";
    else if (sr < 0.08) status = "Returned";
    else {
      const daysFromEnd = SAMPLE_DAYS - 1 - rowDay;
      const pendingChance = daysFromEnd < 10 ? 0.45 : daysFromEnd < 30 ? 0.12 : 0.015;
      const shippedChance = daysFromEnd < 21 ? 0.6 : 0.12;
      const s2 = rand();
      status = s2 < pendingChance ? "Pending" : s2 < pendingChance + shippedChance ? "Shipped" : "Delivered";
    }

    yield {
      orderId: `SO-25${String(i + 1).padStart(5, "0")}`,
      date: isoDay(SAMPLE_START_MS + rowDay * DAY_MS),
      customer,
      category: category.name,
      product: product.name,
      region,
      unitsSold,
      unitPriceCents,
      revenueCents: unitsSold * unitPriceCents,
      status,
    };
  }
}

export interface SampleTotals {
  rows: number;
  totalRevenueCents: number;
  /** Revenue excluding Cancelled and Returned rows. */
  netRevenueCents: number;
  totalUnits: number;
  netUnits: number;
  byStatus: Record<string, { rows: number; revenueCents: number }>;
  byRegion: Record<string, number>;
  byQuarter: Record<string, number>;
}

export function computeTotals(rows: Iterable<SalesRow>): SampleTotals {
  const t: SampleTotals = {
    rows: 0,
    totalRevenueCents: 0,
    netRevenueCents: 0,
    totalUnits: 0,
    netUnits: 0,
    byStatus: {},
    byRegion: {},
    byQuarter: {},
  };
  for (const r of rows) {
    t.rows++;
    t.totalRevenueCents += r.revenueCents;
    t.totalUnits += r.unitsSold;
    if (r.status !== "Cancelled" && r.status !== "Returned") {
      t.netRevenueCents += r.revenueCents;
      t.netUnits += r.unitsSold;
    }
    const s = t.byStatus[r.status] ?? { rows: 0, revenueCents: 0 };
    s.rows++;
    s.revenueCents += r.revenueCents;
    t.byStatus[r.status] = s;
    t.byRegion[r.region] = (t.byRegion[r.region] ?? 0) + r.revenueCents;
    const q = `Q${Math.floor((Number(r.date.slice(5, 7)) - 1) / 3) + 1}`;
    t.byQuarter[q] = (t.byQuarter[q] ?? 0) + r.revenueCents;
  }
  return t;
}

export function sampleCsvLine(r: SalesRow): string {
  return [
    r.orderId,
    r.date,
    csvField(r.customer),
    csvField(r.category),
    csvField(r.product),
    csvField(r.region),
    String(r.unitsSold),
    formatCents(r.unitPriceCents),
    formatCents(r.revenueCents),
    r.status,
  ].join(",");
}

export async function writeSampleCsv(file: string, rows: readonly SalesRow[]): Promise<void> {
  const out = createWriteStream(file);
  await writeChunk(out, `${SAMPLE_HEADER.join(",")}\n`);
  for (const r of rows) await writeChunk(out, `${sampleCsvLine(r)}\n`);
  out.end();
  await finished(out);
}

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

/** Non-streaming workbook: "About", "Sales" (title, blank, header, formulas, Grand Total), "Pivot". */
export async function writeSampleXlsx(
  file: string,
  rows: readonly SalesRow[],
  totals: SampleTotals,
  seed: number,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "sales-insight-bot sample generator";
  wb.created = new Date(Date.UTC(2026, 0, 2));
  wb.modified = wb.created;

  const about = wb.addWorksheet("About");
  about.getColumn(1).width = 110;
  const prose = [
    "Sales 2025 - large sample export",
    "",
    `Synthetic order lines for calendar year 2025, generated by scripts/generate-sample-data.ts (seed ${seed}).`,
    "The 'Sales' sheet holds one row per order line. Its first two rows are a title and a blank line;",
    "the column header is on row 3. Revenue is a formula (Units_Sold x Unit_Price) and the last row is a Grand Total.",
    "The 'Pivot' sheet summarises revenue by region, including Cancelled and Returned orders.",
    "All names are fictitious. Any resemblance to real customers is coincidental.",
  ];
  prose.forEach((line, i) => {
    about.getCell(i + 1, 1).value = line;
  });
  about.getCell(1, 1).font = { bold: true, size: 14 };

  const sales = wb.addWorksheet("Sales", { views: [{ state: "frozen", ySplit: 3 }] });
  const widths = [12, 12, 32, 24, 28, 14, 11, 11, 13, 11];
  widths.forEach((w, i) => {
    sales.getColumn(i + 1).width = w;
  });
  sales.getCell("A1").value = "Sales 2025 - export";
  sales.getCell("A1").font = { bold: true, size: 14 };
  // Row 2 stays blank.
  const headerRow = sales.getRow(3);
  headerRow.values = [...SAMPLE_HEADER];
  headerRow.font = { bold: true };

  const firstDataRow = 4;
  rows.forEach((r, i) => {
    const n = firstDataRow + i;
    const row = sales.getRow(n);
    row.values = [
      r.orderId,
      utcDate(r.date),
      r.customer,
      r.category,
      r.product,
      r.region,
      r.unitsSold,
      r.unitPriceCents / 100,
      { formula: `G${n}*H${n}`, result: r.revenueCents / 100 },
      r.status,
    ];
    row.getCell(2).numFmt = "yyyy-mm-dd";
    row.getCell(8).numFmt = "#,##0.00";
    row.getCell(9).numFmt = "#,##0.00";
  });
  const lastDataRow = firstDataRow + rows.length - 1;
  const totalRow = sales.getRow(lastDataRow + 1);
  totalRow.getCell(1).value = "Grand Total";
  totalRow.getCell(9).value = {
    formula: `SUM(I${firstDataRow}:I${lastDataRow})`,
    result: totals.totalRevenueCents / 100,
  };
  totalRow.getCell(9).numFmt = "#,##0.00";
  totalRow.font = { bold: true };
  sales.autoFilter = `A3:J${lastDataRow}`;

  const pivot = wb.addWorksheet("Pivot");
  pivot.getColumn(1).width = 16;
  pivot.getColumn(2).width = 16;
  pivot.getCell("A3").value = "Row Labels";
  pivot.getCell("B3").value = "Sum of Revenue";
  pivot.getRow(3).font = { bold: true };
  const regions = Object.keys(totals.byRegion).sort();
  regions.forEach((region, i) => {
    pivot.getCell(4 + i, 1).value = region;
    pivot.getCell(4 + i, 2).value = (totals.byRegion[region] ?? 0) / 100;
    pivot.getCell(4 + i, 2).numFmt = "#,##0.00";
  });
  const pivotTotal = pivot.getRow(4 + regions.length);
  pivotTotal.getCell(1).value = "Grand Total";
  pivotTotal.getCell(2).value = totals.totalRevenueCents / 100;
  pivotTotal.getCell(2).numFmt = "#,##0.00";
  pivotTotal.font = { bold: true };

  await wb.xlsx.writeFile(file);
}

// ---------------------------------------------------------------------------------------------------------
// Benchmark data: narrow rows (~52 bytes), 2024-01-01..2026-06-30, millions of rows, streamed to disk
// ---------------------------------------------------------------------------------------------------------

export const BENCH_HEADER = [
  "Date",
  "Product_Category",
  "Region",
  "Units_Sold",
  "Unit_Price",
  "Revenue",
  "Status",
] as const;

export type BenchStatus = "Shipped" | "Delivered" | "Pending" | "Cancelled";

export interface BenchRow {
  /** Days since 2024-01-01. */
  dayIndex: number;
  /** ISO yyyy-mm-dd. */
  date: string;
  category: string;
  region: string;
  unitsSold: number;
  unitPriceCents: number;
  revenueCents: number;
  status: BenchStatus;
}

export interface BenchSummary {
  format: "csv" | "xlsx";
  rows: number;
  seed: number;
  /** Bytes written (CSV only; for XLSX stat the file). */
  bytes?: number;
  totalRevenueCents: number;
  /** Revenue excluding Cancelled rows. */
  netRevenueCents: number;
  totalUnits: number;
  cancelledRows: number;
}

const BENCH_REGIONS = [
  "North",
  "South",
  "East",
  "West",
  "Central",
  "Northeast",
  "Southwest",
  "Pacific",
] as const;

/** name, price points (cents; all end .00/.49/.99), max units per line. */
const BENCH_CATEGORIES: ReadonlyArray<readonly [string, readonly number[], number]> = [
  ["Electronics", [1999, 4949, 12900, 29999, 89999], 12],
  ["Apparel", [1299, 2449, 3999, 5900, 8999], 30],
  ["Grocery", [199, 349, 599, 1249, 2000], 60],
  ["Toys", [999, 1949, 2999, 4900, 7999], 25],
  ["Books", [899, 1249, 1599, 2499, 3500], 25],
  ["Beauty", [649, 1299, 2449, 3999, 6000], 20],
  ["Garden", [1499, 2999, 4949, 9900, 19999], 15],
  ["Sports", [1999, 3449, 5999, 12900, 24999], 15],
  ["Furniture", [4999, 12999, 24949, 49900, 89999], 6],
  ["Office", [299, 799, 1549, 2999, 7900], 50],
  ["Automotive", [999, 2449, 5999, 14900, 34999], 10],
  ["Pet Supplies", [499, 1299, 2449, 4999, 8900], 30],
];

const BENCH_START_MS = Date.UTC(2024, 0, 1);
const BENCH_DAYS = Math.round((Date.UTC(2026, 5, 30) - BENCH_START_MS) / DAY_MS) + 1; // 912

/** Yield `count` narrow rows dated 2024-01-01..2026-06-30 in (roughly) ascending date order. */
export function* generateBenchRows(count: number, seed: number): Generator<BenchRow> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer`);
  const rand = mulberry32(seed ^ 0x5eed_bec4);
  const dates = Array.from({ length: BENCH_DAYS }, (_, d) => isoDay(BENCH_START_MS + d * DAY_MS));
  const nRegions = BENCH_REGIONS.length;
  const nCategories = BENCH_CATEGORIES.length;
  for (let i = 0; i < count; i++) {
    let dayIndex = Math.floor(((i + rand()) / count) * BENCH_DAYS);
    if (rand() < 0.05) dayIndex = Math.min(BENCH_DAYS - 1, Math.max(0, dayIndex + (rand() < 0.5 ? -1 : 1)));
    const [category, prices, maxUnits] = at(BENCH_CATEGORIES, Math.floor(rand() * nCategories));
    const unitPriceCents = at(prices, Math.floor(rand() * prices.length));
    const unitsSold = 1 + Math.floor(maxUnits * rand() ** 2);
    const sr = rand();
    const status: BenchStatus =
      sr < 0.06 ? "Cancelled" : sr < 0.14 ? "Pending" : sr < 0.42 ? "Shipped" : "Delivered";
    yield {
      dayIndex,
      date: at(dates, dayIndex),
      category,
      region: at(BENCH_REGIONS, Math.floor(rand() * nRegions)),
      unitsSold,
      unitPriceCents,
      revenueCents: unitsSold * unitPriceCents,
      status,
    };
  }
}

function newBenchSummary(format: "csv" | "xlsx", seed: number): BenchSummary {
  return { format, rows: 0, seed, totalRevenueCents: 0, netRevenueCents: 0, totalUnits: 0, cancelledRows: 0 };
}

function addToSummary(s: BenchSummary, r: BenchRow): void {
  s.rows++;
  s.totalRevenueCents += r.revenueCents;
  s.totalUnits += r.unitsSold;
  if (r.status === "Cancelled") s.cancelledRows++;
  else s.netRevenueCents += r.revenueCents;
}

/** Stream `rows` bench rows to a CSV file, honouring backpressure (memory stays flat even for 5M rows). */
export async function writeBenchCsv(file: string, rows: number, seed: number): Promise<BenchSummary> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const summary = newBenchSummary("csv", seed);
  let bytes = 0;
  let chunk = `${BENCH_HEADER.join(",")}\n`;
  for (const r of generateBenchRows(rows, seed)) {
    addToSummary(summary, r);
    chunk += `${r.date},${r.category},${r.region},${r.unitsSold},${formatCents(r.unitPriceCents)},${formatCents(r.revenueCents)},${r.status}\n`;
    if (chunk.length >= 256 * 1024) {
      bytes += chunk.length; // ASCII only, so chars === bytes
      const pending = writeChunk(out, chunk);
      chunk = "";
      if (pending) await pending;
    }
  }
  bytes += chunk.length;
  out.end(chunk);
  await finished(out);
  summary.bytes = bytes;
  return summary;
}

/** Stream `rows` bench rows to an XLSX file with exceljs's streaming WorkbookWriter. */
export async function writeBenchXlsx(file: string, rows: number, seed: number): Promise<BenchSummary> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
    useStyles: true,
  });
  wb.creator = "sales-insight-bot bench generator";
  wb.created = new Date(Date.UTC(2026, 0, 2));
  wb.modified = wb.created;
  const ws = wb.addWorksheet("Sales");
  ws.columns = [
    { header: "Date", key: "date", width: 12, style: { numFmt: "yyyy-mm-dd" } },
    { header: "Product_Category", key: "category", width: 18 },
    { header: "Region", key: "region", width: 12 },
    { header: "Units_Sold", key: "units", width: 11 },
    { header: "Unit_Price", key: "price", width: 11, style: { numFmt: "0.00" } },
    { header: "Revenue", key: "revenue", width: 13, style: { numFmt: "0.00" } },
    { header: "Status", key: "status", width: 11 },
  ];
  const dates = Array.from({ length: BENCH_DAYS }, (_, d) => new Date(BENCH_START_MS + d * DAY_MS));
  const summary = newBenchSummary("xlsx", seed);
  for (const r of generateBenchRows(rows, seed)) {
    addToSummary(summary, r);
    ws.addRow([
      at(dates, r.dayIndex),
      r.category,
      r.region,
      r.unitsSold,
      r.unitPriceCents / 100,
      r.revenueCents / 100,
      r.status,
    ]).commit();
    // Let the zip/file streams flush now and then instead of buffering the whole sheet.
    if (summary.rows % 5000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ws.commit();
  await wb.commit();
  return summary;
}

// ---------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------

function dollars(cents: number): string {
  return formatCents(cents).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function parseIntArg(value: string | undefined, name: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === "bench-csv" || command === "bench-xlsx") {
    const file = argv[1];
    if (!file) throw new Error(`usage: ${command} FILE ROWS [SEED]`);
    const rows = parseIntArg(argv[2], "ROWS");
    const seed = argv[3] === undefined ? 42 : parseIntArg(argv[3], "SEED");
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const summary =
      command === "bench-csv"
        ? await writeBenchCsv(file, rows, seed)
        : await writeBenchXlsx(file, rows, seed);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }

  let rows = 3000;
  let seed = 2025;
  let outDir = path.resolve(import.meta.dirname, "..", "sample_data");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--rows") rows = parseIntArg(argv[++i], "--rows");
    else if (arg === "--seed") seed = parseIntArg(argv[++i], "--seed");
    else if (arg === "--out-dir") outDir = path.resolve(argv[++i] ?? ".");
    else throw new Error(`unknown argument: ${arg}`);
  }

  await mkdir(outDir, { recursive: true });
  const data = [...generateRows(rows, seed)];
  const totals = computeTotals(data);
  const csvFile = path.join(outDir, "sales_2025_large.csv");
  const xlsxFile = path.join(outDir, "sales_2025_large.xlsx");
  await writeSampleCsv(csvFile, data);
  await writeSampleXlsx(xlsxFile, data, totals, seed);

  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  const quarterShare = Object.entries(totals.byQuarter)
    .map(([q, c]) => `${q} ${((100 * c) / totals.totalRevenueCents).toFixed(1)}%`)
    .join(", ");
  console.log(`wrote ${rel(csvFile)} and ${rel(xlsxFile)} (seed ${seed})`);
  console.log(`  rows:           ${totals.rows}`);
  console.log(`  total revenue:  ${dollars(totals.totalRevenueCents)}`);
  console.log(`  net revenue:    ${dollars(totals.netRevenueCents)}  (excluding Cancelled and Returned)`);
  console.log(`  units:          ${totals.totalUnits} (net ${totals.netUnits})`);
  console.log(
    `  statuses:       ${Object.entries(totals.byStatus)
      .map(([s, v]) => `${s} ${v.rows}`)
      .join(", ")}`,
  );
  console.log(`  revenue share:  ${quarterShare}`);
  console.log(JSON.stringify({ seed, ...totals }));
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && path.resolve(invokedAs) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
