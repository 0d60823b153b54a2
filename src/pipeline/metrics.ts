import { type Cell, cellText, isBlankCell, isExcelError } from "./cell.js";
import { normaliseHeader } from "./columns/normalise.js";
import {
  type DateReading,
  type DayKey,
  dateReading,
  keyToIso,
  parseDateCell,
  parseDateText,
  parseIsoDate,
  resolveDayOrder,
  resolveKey,
  withoutTime,
} from "./dates.js";
import { detach } from "./detach.js";
import { Group, MonthlyGroup, mergeGroup } from "./group.js";
import { OverflowGroups, type Pooled } from "./groups.js";
import { HashSet53 } from "./hash-set53.js";
import { isolatedDays } from "./isolated-dates.js";
import { LabelCache } from "./label-cache.js";
import type {
  GroupMonthGrid,
  GroupMonthRow,
  GroupRevenue,
  Metrics,
  MonthRevenue,
  PooledGroups,
  Quality,
  TopTransaction,
} from "./metrics-types.js";
import {
  type Currency,
  currencyFromCode,
  findCurrency,
  isAmount,
  type NumberReading,
  numberReading,
  parseNumber,
} from "./numbers.js";
import { MismatchRatios } from "./price-check.js";
import type { Role, Schema } from "./schema.js";
import { DealStages, dealValue } from "./shapes/crm.js";
import { Discounts } from "./shapes/discount.js";
import { lineValue, OrderLines } from "./shapes/multiline.js";
import type { ShapeReading } from "./shapes/plan.js";
import { ExactSum, roundMoney, roundRatio } from "./sum.js";
import { daySeries, maxKey, minKey, monthSeries } from "./time-series.js";

// The result types live apart (metrics-types.ts) so the UI can import them without the fold.
export type * from "./metrics-types.js";
export { DAILY_SERIES_MAX_DAYS } from "./time-series.js";

function columnReading(schema: Schema) {
  const readings = Object.entries(schema.readings).filter(([, r]) => r !== undefined);
  const pick = <T>(f: (r: NonNullable<Schema["readings"][Role]>) => T | null) =>
    Object.fromEntries(readings.flatMap(([role, r]) => (r && f(r) !== null ? [[role, f(r)]] : [])));
  return {
    columnConfidence: pick((r) => r.confidence),
    columnReason: pick((r) => r.reason),
    columnStandIns: pick((r) => r.standIn),
    columnAlternatives: revenueAlternatives(schema),
  };
}

/**
 * Other columns whose header names revenue exactly as well as the one used ("Amount (EUR)" and
 * "Amount (USD)", two "Revenue" columns): the first was taken, and the user should know there was a
 * choice. Columns playing another role are no alternative.
 */
function revenueAlternatives(schema: Schema): Partial<Record<Role, string[]>> {
  const used = schema.readings.revenue;
  if (used?.reason !== "header") return {};
  const list = schema.candidates.revenue ?? [];
  const best = list.find((c) => c.column === used.column);
  if (!best) return {};
  const playing = new Set(Object.values(schema.index));
  // The same words once a bracketed currency or unit is set aside: "Amount (EUR)" and "Amount (USD)".
  // "Amount Refunded" or "Converted Amount" say what they are and are no rival.
  const words = (column: number) => normaliseHeader(schema.headers[column] ?? "").words.join(" ");
  const usedWords = words(used.column);
  const others = list
    .filter(
      (c) =>
        c.column !== used.column &&
        c.score >= best.score &&
        !playing.has(c.column) &&
        words(c.column) === usedWords,
    )
    .map((c) => schema.headers[c.column] ?? "");
  return others.length > 0 ? { revenue: others } : {};
}

/**
 * A breakdown keeps this many names in a Map (one lookup per row); later names go to OverflowGroups,
 * which keeps exact totals for the heaviest of them and pools the rest.
 */
export const MAX_GROUPS = 5_000;
const DUPLICATE_CHECK_ROWS = 100_000;
const MAX_DISTINCT_ORDERS = 2_000_000;
const DATE_CACHE_SIZE = 50_000;
const DAY_SLOTS = 512;
// English plus the German, Spanish, French and Italian words for cancelled/returned, and for a
// payment that failed or was declined (Stripe, PayPal): no money changed hands.
const CANCEL_STATUS =
  /cancel|return|refund|void|reject|chargeback|reversed|storn|retour|zur(ü|ue)ck|anul|devuel|devolu|annul|rembours|reso\b|rimbors|fail|declin|abgelehnt|fehlgeschlagen|rechaz|[eé]chou|fallit/i;
const TOP_PRODUCTS = 20;
const BLANK_GROUP = "(blank)";

interface StatusEntry {
  label: string;
  cancel: boolean;
  count: number;
}

/** The groups of one breakdown by name, with the names that arrived after the first MAX_GROUPS. */
class GroupTable extends Map<string, MonthlyGroup> {
  /** Rows mostly repeat a few names: found here without hashing the cell (see LabelCache). */
  readonly recent = new LabelCache<MonthlyGroup>();
  late: OverflowGroups | null = null;
  /** All the names past MAX_GROUPS as one group, for their sums by month (GroupMonthGrid's pooled row). */
  latePool: MonthlyGroup | null = null;

  addLate(name: string, revenue: number, cancelled: boolean, units: number, month: number): void {
    this.late ??= new OverflowGroups("revenue");
    this.late.add(name, revenue, cancelled);
    this.latePool ??= new MonthlyGroup();
    this.latePool.add(revenue, cancelled, units, month);
  }
}

/**
 * The streamed fold: `add` sees every data row once and keeps only aggregates, so memory stays flat
 * however long the file is. Everything that needs the whole picture (date order, shares, month
 * changes) happens in `finish`.
 */
export class MetricsFold {
  private readonly schema: Schema;
  private readonly numbers: NumberReading;
  /** 1, or 1,000 / 1,000,000 when the revenue header states thousands or millions. */
  private readonly revenueScale: number;
  private readonly dates: DateReading;
  private readonly dateCache = new Map<string, DayKey>();
  /** Keyed by the raw cell text, so the common case is one Map lookup per row with no trimming. */
  private readonly statusByCell = new Map<string, StatusEntry>();
  /** A status column has a few values: most rows find theirs here without hashing the cell. */
  private readonly recentStatuses = new LabelCache<StatusEntry>();
  /** Statuses past the first MAX_GROUPS cells, counted by label (created when needed). */
  private lateStatuses: OverflowGroups | null = null;

  private rows = 0;
  private readonly total = new ExactSum();
  private readonly net = new ExactSum();
  private readonly units = new ExactSum();
  private readonly cancelRevenue = new ExactSum();
  private readonly cancelUnits = new ExactSum();
  private cancelCount = 0;
  private readonly regions = new GroupTable();
  private readonly categories = new GroupTable();
  private readonly products = new GroupTable();
  private readonly days = new Map<DayKey, Group>();
  private readonly currencies = new Map<string, number>();
  private readonly orderIds = new Set<string>();
  private ordersOverflow = false;
  private readonly rowHashes = new HashSet53(DUPLICATE_CHECK_ROWS);
  private top: { revenue: number; rowNumber: number; cells: Cell[] } | null = null;
  /** Shapes beyond one row per sale (shapes/); all null for a plain table, so add() pays one check. */
  private readonly shaped: boolean;
  private readonly deals: DealStages | null;
  private readonly lines: OrderLines | null;
  private readonly discounts: Discounts | null;
  /** Rows a shape keeps out of the sales figures: deals not won, further lines of an order. */
  private setAsideRows = 0;
  /**
   * Recent numeric date cells by their low bits, with their day's group and month index (see `add`).
   * The bench file is sorted only to within about ten rows (96,902 changes of date in 1M rows): the
   * previous row's day alone missed one row in ten.
   */
  private readonly dayCells = new Float64Array(DAY_SLOTS).fill(Number.NaN);
  private readonly dayGroups: (Group | undefined)[] = new Array(DAY_SLOTS).fill(undefined);
  private readonly dayMonths = new Int32Array(DAY_SLOTS);
  /** The month buckets (see `monthBucket`) seen, in order of arrival; a group's `months` index them. */
  private readonly monthBuckets: number[] = [];
  private readonly monthIndex = new Map<number, number>();
  /** The index in monthBuckets of the current row's month; -1 when the row has no date. */
  private rowMonth = -1;
  private lastMonthBucket = Number.NaN;
  private lastMonthIndex = -1;
  /** Set by `finish`: the months of revenueByMonth, and each month index's yyyymm (NaN: invalid date). */
  private finished: { months: MonthRevenue[]; monthIds: number[] } | null = null;

  private readonly mismatchRatios = new MismatchRatios();
  readonly quality: Quality = {
    blankRows: 0,
    repeatedHeaderRows: 0,
    totalsRows: 0,
    duplicateRows: 0,
    duplicateRowsChecked: 0,
    missingRevenue: 0,
    invalidRevenue: 0,
    formulaErrorRevenue: 0,
    formulaErrorKinds: [],
    outOfRangeRevenue: 0,
    outOfRangeUnits: 0,
    invalidDates: 0,
    outlierDates: 0,
    outlierDateExamples: [],
    ambiguousDates: 0,
    dayOrder: null,
    dayOrderReason: null,
    conflictingDayOrder: false,
    negativeUnits: 0,
    revenueMismatchRows: 0,
    negativeRevenue: 0,
    extraFieldRows: 0,
    currencies: [],
  };

  private readonly iRevenue: number;
  private readonly iUnits: number;
  private readonly iPrice: number;
  private readonly iDate: number;
  private readonly iRegion: number;
  private readonly iCategory: number;
  private readonly iProduct: number;
  private readonly iStatus: number;
  private readonly iOrder: number;
  private readonly iCurrency: number;

  constructor(schema: Schema, options: { date1904?: boolean } = {}) {
    this.schema = schema;
    this.numbers = numberReading(schema.decimalComma);
    this.dates = dateReading(schema.dateSerialNumbers, options.date1904 ?? false);
    const i = schema.index;
    this.iRevenue = i.revenue;
    this.revenueScale = schema.revenueScale ?? 1;
    this.iUnits = i.units;
    this.iPrice = i.unitPrice;
    this.iDate = i.date;
    this.iRegion = i.region;
    this.iCategory = i.category;
    this.iProduct = i.product;
    this.iStatus = i.status;
    this.iOrder = i.orderId;
    this.iCurrency = i.currency;
    const shape = schema.shape;
    this.deals = shape?.deals
      ? new DealStages(shape.deals, schema.headers[shape.deals.stageColumn] ?? "")
      : null;
    this.lines = shape?.orderLines ? new OrderLines(shape.orderLines) : null;
    this.discounts = shape?.discount ? new Discounts(shape.discount) : null;
    this.shaped = this.deals !== null || this.lines !== null;
  }

  get rowCount(): number {
    return this.rows;
  }

  /** An Excel error value where revenue should be: a failed formula, which the notes name. */
  private countFormulaError(cell: string): void {
    this.quality.formulaErrorRevenue++;
    const kind = cell.trim().toUpperCase();
    if (!this.quality.formulaErrorKinds.includes(kind)) this.quality.formulaErrorKinds.push(kind);
  }

  get runningTotal(): number {
    return this.total.value;
  }

  get runningUnits(): number {
    return this.units.value;
  }

  unitsOf(cells: Cell[]): number {
    return this.iUnits >= 0 ? parseNumber(cells[this.iUnits], this.numbers) : Number.NaN;
  }

  /** Revenue of a row as the fold would count it (NaN when the row has none). */
  revenueOf(cells: Cell[]): number {
    if (this.iRevenue >= 0) return parseNumber(cells[this.iRevenue], this.numbers) * this.revenueScale;
    const units = parseNumber(cells[this.iUnits], this.numbers);
    const price = parseNumber(cells[this.iPrice], this.numbers);
    return units * price * this.revenueScale;
  }

  add(cells: Cell[], rowNumber: number): void {
    this.rows++;
    if (cells.length > this.schema.headers.length) this.quality.extraFieldRows++;
    if (this.rows <= DUPLICATE_CHECK_ROWS) this.checkDuplicate(cells);
    if (this.shaped && this.addShaped(cells)) return;

    let revenue: number;
    let units = Number.NaN;
    let unitsOutOfRange = false;
    if (this.iUnits >= 0) {
      units = parseNumber(cells[this.iUnits], this.numbers);
      if (isAmount(units)) this.units.add(units);
      else if (!Number.isNaN(units)) {
        this.quality.outOfRangeUnits++;
        unitsOutOfRange = true;
        units = Number.NaN;
      }
    }
    if (this.iRevenue >= 0) {
      const cell = cells[this.iRevenue];
      this.numbers.lastCurrency = null;
      revenue = parseNumber(cell, this.numbers);
      if (Number.isNaN(revenue)) {
        if (isBlankCell(cell)) this.quality.missingRevenue++;
        else {
          this.quality.invalidRevenue++;
          if (isExcelError(cell)) this.countFormulaError(cell as string);
        }
        revenue = 0;
      } else if (!isAmount(revenue)) {
        this.quality.outOfRangeRevenue++;
        revenue = 0;
      } else {
        if (this.revenueScale !== 1) revenue *= this.revenueScale;
        if (this.numbers.lastCurrency !== null) this.countCurrency(this.numbers.lastCurrency);
        if (this.iPrice >= 0 && !Number.isNaN(units) && this.lines === null)
          this.checkAgainstPrice(revenue, units, cells[this.iPrice]);
      }
    } else {
      this.numbers.lastCurrency = null;
      const price = parseNumber(cells[this.iPrice], this.numbers);
      if (this.numbers.lastCurrency !== null && !Number.isNaN(price))
        this.countCurrency(this.numbers.lastCurrency);
      revenue = units * price * this.revenueScale;
      if (!isAmount(revenue)) {
        if (unitsOutOfRange || (!Number.isNaN(revenue) && !Number.isNaN(price)))
          this.quality.outOfRangeRevenue++;
        else if (isBlankCell(cells[this.iUnits]) || isBlankCell(cells[this.iPrice]))
          this.quality.missingRevenue++;
        else this.quality.invalidRevenue++;
        revenue = 0;
      }
    }

    if (this.discounts !== null && revenue !== 0) revenue = this.discounts.net(cells, revenue, this.numbers);
    const cancelled = this.isCancellation(cells, revenue, units);
    this.total.add(revenue);
    if (revenue < 0) this.quality.negativeRevenue++;
    if (units < 0) this.quality.negativeUnits++;
    if (cancelled) {
      this.cancelCount++;
      this.cancelRevenue.add(revenue);
      if (!Number.isNaN(units)) this.cancelUnits.add(units);
    } else {
      this.net.add(revenue);
      if (this.iOrder >= 0 && !this.ordersOverflow) this.countOrder(cells[this.iOrder]);
    }

    // The date first: the region and category groups sum their revenue by the row's month.
    if (this.iDate >= 0) {
      const cell = cells[this.iDate];
      // Most rows fall on a day seen a few rows before (exports are sorted by date, or nearly): find
      // its group and month bucket in a small cache instead of converting and looking it up again.
      // Only for numbers (ISO dates typed by the CSV reader, Excel serials), whose conversion is
      // pure; reading a text date may count evidence of the day order.
      const slot = typeof cell === "number" ? (cell as number) & (DAY_SLOTS - 1) : -1;
      const cached = slot >= 0 && this.dayCells[slot] === cell ? this.dayGroups[slot] : undefined;
      if (cached !== undefined) {
        addToDay(cached, revenue, cancelled);
        this.rowMonth = this.dayMonths[slot] as number;
      } else {
        const key = this.dayKey(cell);
        if (!Number.isNaN(key)) {
          const day = addToGroupKey(this.days, key, revenue, cancelled);
          this.rowMonth = this.monthOf(key);
          if (slot >= 0) {
            this.dayCells[slot] = cell as number;
            this.dayGroups[slot] = day;
            this.dayMonths[slot] = this.rowMonth;
          }
        } else {
          this.rowMonth = -1;
          if (!isBlankCell(cell)) this.quality.invalidDates++;
        }
      }
    }
    const month = this.rowMonth;
    if (this.lines !== null) this.addOrderGroups(this.lines, cells, revenue, cancelled);
    else {
      if (this.iRegion >= 0) addToGroup(this.regions, cells[this.iRegion], revenue, cancelled, units, month);
      if (this.iCategory >= 0)
        addToGroup(this.categories, cells[this.iCategory], revenue, cancelled, units, month);
      // Products are not tracked by month: no view shows their change.
      if (this.iProduct >= 0) addToGroup(this.products, cells[this.iProduct], revenue, cancelled, units);
    }
    if (this.iCurrency >= 0) {
      const code = cellText(cells[this.iCurrency]);
      if (code !== "") this.countCurrency(code.toUpperCase());
    }
    if (this.top === null || revenue > this.top.revenue) {
      this.top = { revenue, rowNumber, cells: cells.slice() };
    }
  }

  /**
   * Rows a detected shape takes out of the plain path; true when the row is done. A further line of a
   * multi-line order counts for units and products only (its order's total came with the first line);
   * a deal not won is counted in the pipeline, not in sales.
   */
  private addShaped(cells: Cell[]): boolean {
    const lines = this.lines;
    if (lines?.isContinuation(cells)) {
      if (!lines.plan.revenueAtOrderLevel) {
        lines.fillDown(cells);
        return false;
      }
      this.setAsideRows++;
      if (this.iUnits >= 0) {
        const units = parseNumber(cells[this.iUnits], this.numbers);
        if (isAmount(units)) this.units.add(units);
        if (units < 0) this.quality.negativeUnits++;
      }
      // Line-level breakdowns (product, a line's category) earn the line's value; order-level ones
      // (region, status) were counted with the order's first line.
      const line = this.lineRevenue(cells, 0);
      // A further line belongs to its order's month: the date of the order's first line.
      for (const [column, groups, bucket] of [
        [this.iRegion, this.regions, this.rowMonth],
        [this.iCategory, this.categories, this.rowMonth],
        [this.iProduct, this.products, -1],
      ] as const) {
        if (column >= 0 && !lines.isOrderLevel(column))
          addToGroup(groups, cells[column], line, lines.orderCancelled, Number.NaN, bucket);
      }
      return true;
    }
    const deals = this.deals;
    if (deals !== null) {
      const outcome = deals.outcome(cells);
      if (outcome !== "won") {
        const columns = { revenue: this.iRevenue, units: this.iUnits, unitPrice: this.iPrice };
        deals.setAside(outcome, dealValue(cells, columns, this.numbers));
        this.setAsideRows++;
        // The stage counts still list every stage, lost and open ones included.
        if (this.iStatus >= 0) this.isCancellation(cells, 0, Number.NaN);
        return true;
      }
    }
    return false;
  }

  /**
   * The breakdowns of an order's first line: an order-level column (region, status) earns the order
   * total, a line-level one (product) the line's own value.
   */
  private addOrderGroups(lines: OrderLines, cells: Cell[], revenue: number, cancelled: boolean): void {
    lines.orderCancelled = cancelled;
    const line = lines.plan.revenueAtOrderLevel ? this.lineRevenue(cells, revenue) : revenue;
    for (const [column, groups, bucket] of [
      [this.iRegion, this.regions, this.rowMonth],
      [this.iCategory, this.categories, this.rowMonth],
      [this.iProduct, this.products, -1],
    ] as const) {
      if (column >= 0)
        addToGroup(
          groups,
          cells[column],
          lines.isOrderLevel(column) ? revenue : line,
          cancelled,
          Number.NaN,
          bucket,
        );
    }
  }

  /** A line's quantity x line price; `otherwise` when the file has no line price to multiply. */
  private lineRevenue(cells: Cell[], otherwise: number): number {
    const value = lineValue(cells, this.iUnits, this.iPrice, this.numbers);
    return isAmount(value) ? value : otherwise;
  }

  private checkAgainstPrice(revenue: number, units: number, priceCell: Cell): void {
    const expected = units * parseNumber(priceCell, this.numbers);
    if (!Number.isNaN(expected) && Math.abs(revenue - expected) > Math.max(0.01, Math.abs(revenue) * 0.01)) {
      this.quality.revenueMismatchRows++;
      this.mismatchRatios.add(revenue, expected);
    }
  }

  private isCancellation(cells: Cell[], revenue: number, units: number): boolean {
    let cancelled = false;
    if (this.iStatus >= 0) {
      const cell = cells[this.iStatus];
      const raw = typeof cell === "string" ? cell : cellText(cell);
      let status = this.recentStatuses.get(raw);
      if (status === undefined) {
        status = this.statusByCell.get(raw);
        if (status === undefined) {
          const label = detach(raw.trim()) || BLANK_GROUP;
          status = { label, cancel: CANCEL_STATUS.test(label), count: 0 };
          if (this.statusByCell.size < MAX_GROUPS) {
            const key = detach(raw);
            this.statusByCell.set(key, status);
            this.recentStatuses.set(key, status);
          } else this.addLateStatus(label, revenue, status.cancel);
        } else this.recentStatuses.remember(raw, status);
      }
      status.count++;
      cancelled = status.cancel;
    }
    if (!cancelled && this.schema.cancelByInvoicePrefix) {
      const id = cells[this.iOrder];
      cancelled = typeof id === "string" && /^\s*C\d/i.test(id);
    }
    return cancelled || units < 0 || revenue < 0;
  }

  private addLateStatus(label: string, revenue: number, cancel: boolean): void {
    this.lateStatuses ??= new OverflowGroups("rows");
    this.lateStatuses.add(label, revenue, cancel);
  }

  /** The index of a day key's month bucket in monthBuckets, added when new. */
  private monthOf(key: DayKey): number {
    const bucket = monthBucket(key);
    // Text dates reach here on every row; consecutive rows mostly share a month.
    if (bucket === this.lastMonthBucket) return this.lastMonthIndex;
    let index = this.monthIndex.get(bucket);
    if (index === undefined) {
      index = this.monthBuckets.length;
      this.monthBuckets.push(bucket);
      this.monthIndex.set(bucket, index);
    }
    this.lastMonthBucket = bucket;
    this.lastMonthIndex = index;
    return index;
  }

  private dayKey(cell: Cell): DayKey {
    if (typeof cell !== "string") return parseDateCell(cell, this.dates);
    const iso = parseIsoDate(cell);
    if (iso > 0) return iso;
    const cached = this.dateCache.get(cell);
    if (cached !== undefined) return cached;
    const key = parseDateText(withoutTime(cell.trim()), this.dates);
    if (this.dateCache.size < DATE_CACHE_SIZE) this.dateCache.set(detach(cell), key);
    return key;
  }

  private countOrder(cell: Cell): void {
    const id = cellText(cell);
    if (id === "") return;
    if (!this.orderIds.has(id)) this.orderIds.add(detach(id));
    if (this.orderIds.size > MAX_DISTINCT_ORDERS) {
      this.ordersOverflow = true;
      this.orderIds.clear();
    }
  }

  private countCurrency(mark: string): void {
    const key = (findCurrency(mark)?.code ?? mark).toUpperCase();
    if (this.currencies.size < 50 || this.currencies.has(key))
      this.currencies.set(key, (this.currencies.get(key) ?? 0) + 1);
  }

  private checkDuplicate(cells: Cell[]): void {
    this.quality.duplicateRowsChecked++;
    const hash = hashRow(cells);
    if (!this.rowHashes.add(hash)) this.quality.duplicateRows++;
  }

  finish(skipped: Record<string, number>): Metrics {
    const schema = this.schema;
    const total = this.total.value;
    const net = this.net.value;
    const columns = Object.fromEntries(
      Object.entries(schema.index).map(([role, i]) => [role, i >= 0 ? (schema.headers[i] ?? null) : null]),
    ) as Record<Role, string | null>;

    const days = this.withoutIsolatedDays(this.resolveDays());
    const months = monthSeries(days);
    const last = months.at(-1);
    const previous = months.at(-2);
    // Multi-line orders spread an order's units over lines the order-level breakdowns skip: no
    // per-group units there rather than partial ones.
    const units = this.iUnits >= 0 && this.lines === null;
    const order = this.quality.dayOrder ?? "month-first";
    // Ambiguous dates were bucketed by their whole key: their month is known only now.
    const monthIds = this.monthBuckets.map((b) => (b >= 0 ? b : Math.floor(resolveKey(b, order) / 100)));
    this.finished = { months, monthIds };
    const change = this.groupChange(last, previous, monthIds);
    const regions = this.iRegion >= 0 ? breakdown(this.regions, total, units, change) : null;
    const categories = this.iCategory >= 0 ? breakdown(this.categories, total, units, change) : null;
    const products = this.iProduct >= 0 ? breakdown(this.products, total, units, null) : null;
    const statuses = this.iStatus >= 0 ? this.statusCounts(total) : null;
    const orders =
      this.iOrder >= 0 && !this.ordersOverflow
        ? this.orderIds.size
        : this.rows - this.cancelCount - this.setAsideRows;
    const hasCancelSignal = this.iStatus >= 0 || this.schema.cancelByInvoicePrefix || this.cancelCount > 0;
    this.quality.currencies = [...this.currencies.keys()];

    const metrics: Metrics = {
      rows: this.rows,
      rowsSkipped: { count: Object.values(skipped).reduce((a, b) => a + b, 0), reasons: skipped },
      columns,
      ...columnReading(schema),
      revenueSource: schema.revenueSource,
      revenueScale: schema.revenueScale ?? 1,
      periodColumn: schema.periodColumn
        ? { column: schema.headers[schema.periodColumn.column] ?? "", example: schema.periodColumn.example }
        : null,
      currency: this.currency(),
      totalRevenue: roundMoney(total),
      netRevenue: roundMoney(net),
      totalUnits: this.iUnits >= 0 ? roundRatio(this.units.value, 4) : null,
      orders,
      averageOrderValue: orders > 0 ? roundMoney(net / orders) : null,
      dateRange: days.size > 0 ? { start: keyToIso(minKey(days)), end: keyToIso(maxKey(days)) } : null,
      revenueByMonth: months,
      revenueByDay: daySeries(days),
      monthOverMonth: last && previous ? { from: previous.month, to: last.month, change: last.change } : null,
      revenueByRegion: regions?.list ?? null,
      revenueByCategory: categories?.list ?? null,
      revenueByProduct: products?.list.slice(0, TOP_PRODUCTS) ?? null,
      topRegion: regions?.list[0] ?? null,
      topCategory: categories?.list[0] ?? null,
      statusCounts: statuses?.counts ?? null,
      pooled: {
        region: regions?.pooled ?? null,
        category: categories?.pooled ?? null,
        product: products?.pooled ?? null,
        status: statuses?.pooled ?? null,
      },
      cancellations: hasCancelSignal
        ? {
            count: this.cancelCount,
            revenue: roundMoney(this.cancelRevenue.value),
            units: this.iUnits >= 0 ? roundRatio(this.cancelUnits.value, 4) : null,
            rate: this.rows > 0 ? roundRatio(this.cancelCount / this.rows) : 0,
            revenueShare: total !== 0 ? roundRatio(this.cancelRevenue.value / total) : 0,
          }
        : null,
      topTransaction: this.topTransaction(),
      pipeline: this.deals?.finish({ count: this.rows - this.setAsideRows, value: total }) ?? null,
      shape: this.shapeReading(),
      quality: {
        ...this.quality,
        revenueMismatchRatio: this.mismatchRatios.commonRatio(this.quality.revenueMismatchRows),
      },
      notes: [],
    };
    return metrics;
  }

  /**
   * Each group's change between the two months Metrics.monthOverMonth compares; null (no change
   * column at all) when that comparison does not apply or its latest month is partial. Call after
   * resolveDays, which settles the day order of ambiguous dates.
   */
  private groupChange(
    last: MonthRevenue | undefined,
    previous: MonthRevenue | undefined,
    monthIds: number[],
  ): ((group: MonthlyGroup) => GroupChange) | null {
    if (!last || !previous || last.partial) return null;
    const latestId = monthId(last.month);
    const previousId = monthId(previous.month);
    return (group) => {
      const latest = new ExactSum();
      const before = new ExactSum();
      let seenBefore = false;
      for (let slot = 1; slot < group.slots; slot++) {
        const month = monthIds[slot - 1];
        if (month === latestId) latest.add(group.grossAt(slot));
        else if (month === previousId && group.hasRowsAt(slot)) {
          before.add(group.grossAt(slot));
          seenBefore = true;
        }
      }
      const base = before.value;
      if (!seenBefore || base === 0) return latest.value > 0 ? NEW_IN_LATEST_MONTH : null;
      return roundRatio((latest.value - base) / Math.abs(base));
    };
  }

  /**
   * Region x month and category x month sums (see GroupMonthGrid), for comparisons. Call after
   * `finish`, which settles the months (and the day order of ambiguous dates).
   */
  groupMonthGrid(): GroupMonthGrid {
    if (this.finished === null) throw new Error("groupMonthGrid() needs finish() first");
    const { months, monthIds } = this.finished;
    const dated = months.length > 0;
    // Multi-line orders leave units off the order-level breakdowns (see finish): no units here either.
    const units = this.iUnits >= 0 && this.lines === null;
    const grid = (column: number, groups: GroupTable) =>
      column >= 0 && dated ? monthRows(groups, months, monthIds, units) : null;
    return {
      months: months.map((m) => m.month),
      region: grid(this.iRegion, this.regions),
      category: grid(this.iCategory, this.categories),
    };
  }

  private shapeReading(): ShapeReading | null {
    const plan = this.schema.shape;
    if (!plan || (!plan.orderLines && !plan.discount && !plan.payments && !plan.wide)) return null;
    const header = (i: number) => this.schema.headers[i] ?? "";
    const lines = plan.orderLines;
    const payments = plan.payments;
    const named = (i: number) => (i >= 0 ? header(i) : null);
    return {
      wide: plan.wide ?? null,
      payments: payments
        ? {
            amountColumn: named(payments.amountColumn),
            typeColumn: named(payments.typeColumn),
            instalmentColumn: named(payments.instalmentColumn),
          }
        : null,
      orderLines: lines
        ? {
            orderColumn: header(lines.orderColumn),
            continuationRows: this.lines?.continuationRows ?? 0,
            orderLevelColumns: lines.orderLevel.map(header),
          }
        : null,
      discount: plan.discount
        ? {
            column: header(plan.discount.column),
            kind: plan.discount.kind,
            total: this.discounts?.total ?? 0,
          }
        : null,
    };
  }

  /** Cells that differ only in spacing ("Shipped", "Shipped ") share a label. */
  private statusCounts(total: number): { counts: Record<string, number>; pooled: PooledGroups | null } {
    const counts = new Map<string, number>();
    for (const { label, count } of this.statusByCell.values()) {
      if (count > 0) counts.set(label, (counts.get(label) ?? 0) + count);
    }
    const late = this.lateStatuses?.finish();
    for (const { name, rows } of late?.named ?? []) counts.set(name, (counts.get(name) ?? 0) + rows);
    return {
      counts: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])),
      pooled: pooledGroups(late?.pooled ?? null, total),
    };
  }

  private currency(): Currency | null {
    if (this.currencies.size > 0) {
      const [code] = [...this.currencies].sort((a, b) => b[1] - a[1])[0] ?? [];
      if (code) return /^[A-Z]{3}$/.test(code) ? currencyFromCode(code) : findCurrency(code);
    }
    return this.schema.headerCurrency;
  }

  /** The days without placeholder or mistyped dates far from the rest (see isolated-dates.ts), counted. */
  private withoutIsolatedDays(days: Map<DayKey, Group>): Map<DayKey, Group> {
    const isolated = isolatedDays(days);
    if (isolated.length === 0) return days;
    const kept = new Map(days);
    for (const key of isolated) {
      this.quality.outlierDates += kept.get(key)?.rows ?? 0;
      if (this.quality.outlierDateExamples.length < 5) this.quality.outlierDateExamples.push(keyToIso(key));
      kept.delete(key);
    }
    return kept;
  }

  private resolveDays(): Map<DayKey, Group> {
    const ambiguous = [...this.days.keys()].filter((k) => k < 0);
    const { evidence } = this.dates;
    this.quality.conflictingDayOrder = evidence.dayFirst > 0 && evidence.monthFirst > 0;
    if (ambiguous.length === 0) {
      if (evidence.dayFirst + evidence.monthFirst > 0)
        this.quality.dayOrder = evidence.dayFirst >= evidence.monthFirst ? "day-first" : "month-first";
      return this.days;
    }
    const { order, reason } = resolveDayOrder(ambiguous, evidence);
    this.quality.dayOrder = order;
    this.quality.dayOrderReason = reason;
    if (evidence.dayFirst === 0 && evidence.monthFirst === 0) {
      for (const k of ambiguous) this.quality.ambiguousDates += this.days.get(k)?.rows ?? 0;
    }
    const resolved = new Map<DayKey, Group>();
    for (const [key, group] of this.days) {
      const k = resolveKey(key, order);
      if (Number.isNaN(k)) {
        this.quality.invalidDates += group.rows;
        continue;
      }
      const existing = resolved.get(k);
      if (existing) mergeGroup(existing, group);
      else resolved.set(k, group);
    }
    return resolved;
  }

  private topTransaction(): TopTransaction | null {
    if (!this.top) return null;
    const { cells } = this.top;
    const pick = (i: number) => (i >= 0 ? cellText(cells[i]) || null : null);
    const dateKey = this.iDate >= 0 ? this.dayKey(cells[this.iDate]) : Number.NaN;
    const order = this.quality.dayOrder ?? "month-first";
    const resolved = !Number.isNaN(dateKey) ? resolveKey(dateKey, order) : Number.NaN;
    return {
      rowNumber: this.top.rowNumber,
      revenue: roundMoney(this.top.revenue),
      date: !Number.isNaN(resolved) ? keyToIso(resolved) : null,
      region: pick(this.iRegion),
      category: pick(this.iCategory),
      product: pick(this.schema.index.product),
      orderId: pick(this.iOrder),
    };
  }
}

function addToGroup(
  groups: GroupTable,
  cell: Cell,
  revenue: number,
  cancelled: boolean,
  units = Number.NaN,
  month = -1,
): void {
  const raw = typeof cell === "string" ? cell : cellText(cell);
  let group = groups.recent.get(raw);
  if (group === undefined) {
    group = groups.get(raw);
    if (group === undefined) {
      const name = raw.trim() || BLANK_GROUP;
      group = groups.get(name);
      if (group === undefined) {
        if (groups.size >= MAX_GROUPS) {
          groups.addLate(name, revenue, cancelled, units, month);
          return;
        }
        group = new MonthlyGroup();
        const key = detach(name);
        groups.set(key, group);
        // A long name is kept in the cache only as a copy of its own: the Map's key when it is the cell.
        if (name === raw) groups.recent.set(key, group);
      }
    }
    groups.recent.remember(raw, group);
  }
  group.add(revenue, cancelled, units, month);
}

/** "2026-03" as monthSeries' month id, 202603. */
function monthId(month: string): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

/**
 * One breakdown's rows of GroupMonthGrid: each named group, then the pool of names past MAX_GROUPS,
 * with each month index's slot summed (exactly) into its calendar month.
 */
function monthRows(
  groups: GroupTable,
  months: MonthRevenue[],
  monthIds: number[],
  hasUnits: boolean,
): GroupMonthRow[] {
  const position = new Map(months.map((m, i) => [monthId(m.month), i]));
  // Month index -> position in `months`; -1 for an index whose dates turned out invalid.
  const slotPosition = monthIds.map((id) => position.get(id) ?? -1);
  const count = months.length;
  // Several month indexes share a calendar month only with ambiguous dates (one index per day):
  // otherwise each position takes one slot's sums as they are, which is what an ExactSum of that one
  // value gives. Summing through ExactSum objects for every group and month took 0.2-0.6 s for
  // 10,000 groups over 24 months.
  const seen = new Uint8Array(count);
  let shared = false;
  for (const at of slotPosition) {
    if (at < 0) continue;
    if (seen[at] === 1) shared = true;
    seen[at] = 1;
  }
  const gross = new Float64Array(count * 2);
  const net = new Float64Array(count * 2);
  const units = new Float64Array(count * 2);
  const row = (name: string, group: MonthlyGroup): GroupMonthRow => {
    gross.fill(0);
    net.fill(0);
    units.fill(0);
    const slots = Math.min(group.slots, slotPosition.length + 1);
    for (let slot = 1; slot < slots; slot++) {
      const at = slotPosition[slot - 1] as number;
      if (at < 0) continue;
      if (shared) {
        addExact(gross, at, group.grossAt(slot));
        addExact(net, at, group.netAt(slot));
        addExact(units, at, group.unitsAt(slot));
      } else {
        gross[2 * at] = group.grossAt(slot);
        net[2 * at] = group.netAt(slot);
        units[2 * at] = group.unitsAt(slot);
      }
    }
    const revenueRow = new Array<number>(count);
    const netRow = new Array<number>(count);
    const unitsRow = hasUnits ? new Array<number>(count) : null;
    for (let at = 0; at < count; at++) {
      revenueRow[at] = roundMoney((gross[2 * at] as number) + (gross[2 * at + 1] as number));
      netRow[at] = roundMoney((net[2 * at] as number) + (net[2 * at + 1] as number));
      if (unitsRow !== null)
        unitsRow[at] = roundRatio((units[2 * at] as number) + (units[2 * at + 1] as number), 4);
    }
    return { name, revenue: revenueRow, net: netRow, units: unitsRow };
  };
  const rows: GroupMonthRow[] = [];
  for (const [name, group] of groups) rows.push(row(name, group));
  if (groups.latePool !== null) rows.push({ ...row("(other)", groups.latePool), pooled: true });
  return rows;
}

/** ExactSum's Neumaier step on the sum at 2 * at (compensation at 2 * at + 1). */
function addExact(sums: Float64Array, at: number, value: number): void {
  const i = 2 * at;
  const s = sums[i] as number;
  const t = s + value;
  sums[i + 1] = (sums[i + 1] as number) + (Math.abs(s) >= Math.abs(value) ? s - t + value : value - t + s);
  sums[i] = t;
}

/**
 * A day key's month as yyyymm (monthSeries' month ids); an ambiguous key (negative: day and month
 * not told apart yet) stays whole, to be resolved at the end.
 */
function monthBucket(key: DayKey): number {
  return key >= 0 ? Math.floor(key / 100) : key;
}

function addToGroupKey(groups: Map<number, Group>, key: number, revenue: number, cancelled: boolean): Group {
  let group = groups.get(key);
  if (group === undefined) {
    group = new Group();
    groups.set(key, group);
  }
  addToDay(group, revenue, cancelled);
  return group;
}

function addToDay(group: Group, revenue: number, cancelled: boolean): void {
  group.rows++;
  group.revenue.add(revenue);
  if (!cancelled) group.net.add(revenue);
}

/** A breakdown's groups, largest first, with exact totals; names that had to be pooled apart. */
function breakdown(
  groups: GroupTable,
  total: number,
  hasUnits: boolean,
  changeOf: ((group: MonthlyGroup) => GroupChange) | null,
): { list: GroupRevenue[]; pooled: PooledGroups | null } {
  const entry = (
    name: string,
    revenue: number,
    net: number,
    rows: number,
    units: number | null,
    group: MonthlyGroup | null,
  ): GroupRevenue => ({
    name,
    revenue: roundMoney(revenue),
    share: total !== 0 ? roundRatio(revenue / total) : 0,
    netRevenue: roundMoney(net),
    rows,
    units: hasUnits && units !== null ? roundRatio(units, 4) : null,
    ...(changeOf !== null ? changeFields(group !== null ? changeOf(group) : null) : {}),
  });
  const list = [...groups].map(([name, g]) => entry(name, g.revenue, g.net, g.rows, g.units, g));
  const late = groups.late?.finish();
  // Names past MAX_GROUPS keep revenue only: their units and months are not known.
  for (const g of late?.named ?? []) list.push(entry(g.name, g.revenue, g.net, g.rows, null, null));
  list.sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
  return { list, pooled: pooledGroups(late?.pooled ?? null, total) };
}

/** A group's change vs the month before: a fraction, new (nothing before, sales now), or not known. */
type GroupChange = number | typeof NEW_IN_LATEST_MONTH | null;
const NEW_IN_LATEST_MONTH = "new";

function changeFields(change: GroupChange): Pick<GroupRevenue, "change" | "newInLatestMonth"> {
  return change === NEW_IN_LATEST_MONTH ? { change: null, newInLatestMonth: true } : { change };
}

function pooledGroups(pooled: Pooled | null, total: number): PooledGroups | null {
  if (pooled === null) return null;
  return {
    names: pooled.names,
    namesUncounted: pooled.uncounted,
    rows: pooled.rows,
    revenue: roundMoney(pooled.revenue),
    share: total !== 0 ? roundRatio(pooled.revenue / total) : 0,
    netRevenue: roundMoney(pooled.net),
  };
}

const hashFloat = new Float64Array(1);
const hashWords = new Uint32Array(hashFloat.buffer);

/**
 * cyrb53: a 53-bit hash, so the rows we check (100,000) give no false duplicates in practice. Numbers
 * (typed by the CSV fast path, or from XLSX) are mixed in by their bits, without making a string.
 */
function hashRow(cells: Cell[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const cell of cells) {
    if (typeof cell === "number") {
      hashFloat[0] = cell;
      // Both words into both halves: integers leave the low word all zeros.
      const low = hashWords[0] as number;
      const high = hashWords[1] as number;
      h1 = Math.imul(Math.imul(h1 ^ low, 2654435761) ^ high, 2654435761);
      h2 = Math.imul(Math.imul(h2 ^ high, 1597334677) ^ low, 1597334677);
    } else {
      const s = typeof cell === "string" ? cell : cellText(cell);
      for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        h1 = Math.imul(h1 ^ ch, 2654435761);
        h2 = Math.imul(h2 ^ ch, 1597334677);
      }
    }
    h1 = Math.imul(h1 ^ 31, 2654435761);
    h2 = Math.imul(h2 ^ 31, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
