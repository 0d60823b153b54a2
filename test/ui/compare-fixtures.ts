import type { ComparisonContext } from "../../src/pipeline/compare/context.js";
import type {
  BreakdownChange,
  Change,
  Comparison,
  Correction,
  GroupContribution,
  PeriodComparison,
  PriceVolumeMix,
  SameDaysChange,
} from "../../src/pipeline/compare/types.js";

/**
 * Hand-made comparisons for the summary, Slack and e-mail tests, built from per-group net revenue so
 * every identity the engine promises holds (contributions + other + unassigned = total change, points
 * sum to the total's % change, up/down/appeared/disappeared as the engine lists them). Money is
 * computed in cents, as the engine does.
 */

export interface SideInput {
  /** Net revenue per region. */
  regions?: Record<string, number>;
  /** Net revenue per category (same total as the regions when both are given). */
  categories?: Record<string, number>;
  /** Net revenue when there is no breakdown. */
  net?: number;
  /** Cancelled revenue (gross = net + cancelled); omit for a file with no cancellation signal. */
  cancelled?: number;
  units?: number;
  rows?: number;
}

export interface ComparisonInput {
  previous: SideInput;
  current: SideInput;
  periods?: PeriodComparison;
  currency?: Comparison["currency"];
  previousFile?: string;
  currentFile?: string;
  kind?: Comparison["kind"];
  /** Names (in either side) that stand for the pooled entry. */
  pooled?: string[];
  priceVolumeMix?: { region?: PriceVolumeMix; category?: PriceVolumeMix };
  corrections?: Correction[] | null;
  sameDays?: SameDaysChange | null;
}

const cents = (v: number) => Math.round(v * 100);
const money = (c: number) => c / 100;

export function change(previous: number, current: number): Change {
  const d = money(cents(current) - cents(previous));
  return { previous, current, change: d, changePct: previous === 0 ? null : d / Math.abs(previous) };
}

function sum(groups: Record<string, number> | undefined): number | null {
  if (!groups) return null;
  return money(Object.values(groups).reduce((n, v) => n + cents(v), 0));
}

function netOf(side: SideInput): number {
  return sum(side.regions) ?? sum(side.categories) ?? side.net ?? 0;
}

function breakdown(
  previous: Record<string, number> | undefined,
  current: Record<string, number> | undefined,
  previousTotal: number,
  totalChange: number,
  pooled: string[],
  pvm: PriceVolumeMix | undefined,
): BreakdownChange | null {
  if (!previous && !current) return null;
  const names = [...new Set([...Object.keys(previous ?? {}), ...Object.keys(current ?? {})])];
  const all: GroupContribution[] = names.map((name) => {
    const before = previous?.[name];
    const after = current?.[name];
    const c = change(before ?? 0, after ?? 0);
    return {
      name,
      previous: before ?? 0,
      current: after ?? 0,
      change: c.change,
      changePct: before === undefined ? null : c.changePct,
      points: previousTotal === 0 ? null : (c.change / Math.abs(previousTotal)) * 100,
      status: before === undefined ? "new" : after === undefined ? "vanished" : "both",
      pooled: pooled.includes(name),
    };
  });
  const byChange = [...all].sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  const contributions = byChange.slice(0, 10);
  const listedCents = contributions.reduce((n, g) => n + cents(g.change), 0);
  const otherCents = byChange.slice(10).reduce((n, g) => n + cents(g.change), 0);
  const movers = all.filter((g) => !g.pooled);
  const appeared = all.filter((g) => g.status === "new").sort((a, b) => b.current - a.current);
  const disappeared = all.filter((g) => g.status === "vanished").sort((a, b) => b.previous - a.previous);
  return {
    contributions,
    otherGroups: money(otherCents),
    unassigned: money(cents(totalChange) - listedCents - otherCents),
    groups: all.length,
    up: movers
      .filter((g) => g.change > 0)
      .sort((a, b) => b.change - a.change)
      .slice(0, 3),
    down: movers
      .filter((g) => g.change < 0)
      .sort((a, b) => a.change - b.change)
      .slice(0, 3),
    appeared: appeared.slice(0, 10),
    appearedCount: appeared.length,
    disappeared: disappeared.slice(0, 10),
    disappearedCount: disappeared.length,
    priceVolumeMix: pvm ?? null,
  };
}

/** Week 46 (9-15 Nov 2026) then week 47 (16-22 Nov 2026), Monday to Sunday. */
export function consecutiveWeeks(): PeriodComparison {
  return {
    relation: "consecutive",
    previousRange: { start: "2026-11-09", end: "2026-11-15" },
    currentRange: { start: "2026-11-16", end: "2026-11-22" },
    previous: side("2026-11-09", "2026-11-15", "days", ["2026-11"], 7),
    current: side("2026-11-16", "2026-11-22", "days", ["2026-11"], 7),
    granularity: "week",
    warnings: [],
  };
}

/** October 2026 (whole) then November 2026 with 10 days of data. */
export function partialMonth(): PeriodComparison {
  return {
    relation: "consecutive",
    previousRange: { start: "2026-10-01", end: "2026-10-31" },
    currentRange: { start: "2026-11-01", end: "2026-11-09" },
    previous: side("2026-10-01", "2026-10-31", "months", ["2026-10"], 31),
    current: { ...side("2026-11-01", "2026-11-30", "months", ["2026-11"], 30), partialMonths: ["2026-11"] },
    granularity: "month",
    warnings: [
      { kind: "partial-period", side: "current", month: "2026-11", daysWithData: 10, daysInMonth: 30 },
    ],
  };
}

/** The same week exported twice. */
export function samePeriod(): PeriodComparison {
  const week = consecutiveWeeks().current;
  return {
    relation: "same-period",
    previousRange: { start: "2026-11-16", end: "2026-11-22" },
    currentRange: { start: "2026-11-16", end: "2026-11-22" },
    previous: week,
    current: week,
    granularity: "week",
    warnings: [],
  };
}

/** A year-to-date file that grew from Jan-Oct to Jan-Nov: November compared with October. */
export function overlappingMonths(): PeriodComparison {
  return {
    relation: "overlapping",
    previousRange: { start: "2026-01-01", end: "2026-10-31" },
    currentRange: { start: "2026-01-01", end: "2026-11-30" },
    previous: side("2026-10-01", "2026-10-31", "months", ["2026-10"], 31),
    current: side("2026-11-01", "2026-11-30", "months", ["2026-11"], 30),
    granularity: "month",
    warnings: [{ kind: "unequal-length", previousDays: 31, currentDays: 30 }],
  };
}

export function undated(): PeriodComparison {
  const whole: PeriodComparison["current"] = {
    start: null,
    end: null,
    basis: "whole-file",
    months: [],
    lengthDays: null,
    partialMonths: [],
  };
  return {
    relation: "undated",
    previousRange: null,
    currentRange: null,
    previous: whole,
    current: whole,
    granularity: "other",
    warnings: [{ kind: "undated" }],
  };
}

function side(
  start: string,
  end: string,
  basis: PeriodComparison["current"]["basis"],
  months: string[],
  lengthDays: number,
): PeriodComparison["current"] {
  return { start, end, basis, months, lengthDays, partialMonths: [] };
}

export function makeComparison(input: ComparisonInput): Comparison {
  const prevNet = netOf(input.previous);
  const curNet = netOf(input.current);
  const net = change(prevNet, curNet);
  const gross = (s: SideInput, n: number) => money(cents(n) + cents(s.cancelled ?? 0));
  const hasCancellations = input.previous.cancelled !== undefined || input.current.cancelled !== undefined;
  const share = (s: SideInput, n: number) => {
    const g = gross(s, n);
    return g === 0 ? 0 : (s.cancelled ?? 0) / g;
  };
  const pooled = input.pooled ?? [];
  const periods = input.periods ?? consecutiveWeeks();
  return {
    kind: input.kind ?? "files",
    previousFile: input.previousFile ?? "sales_w46.csv",
    currentFile: input.currentFile ?? "sales_w47.csv",
    currency: input.currency === undefined ? { code: "USD", symbol: "$" } : input.currency,
    periods,
    totals: {
      revenue: change(gross(input.previous, prevNet), gross(input.current, curNet)),
      net,
      units:
        input.previous.units !== undefined && input.current.units !== undefined
          ? change(input.previous.units, input.current.units)
          : null,
      orders: null,
      rows: change(input.previous.rows ?? 100, input.current.rows ?? 110),
      cancellationShare: hasCancellations
        ? {
            previous: share(input.previous, prevNet),
            current: share(input.current, curNet),
            changePoints: (share(input.current, curNet) - share(input.previous, prevNet)) * 100,
          }
        : null,
      cancellationRate: null,
    },
    sameDays: input.sameDays ?? null,
    corrections: periods.relation === "same-period" ? (input.corrections ?? []) : null,
    measure: "net",
    region: breakdown(
      input.previous.regions,
      input.current.regions,
      prevNet,
      net.change,
      pooled,
      input.priceVolumeMix?.region,
    ),
    category: breakdown(
      input.previous.categories,
      input.current.categories,
      prevNet,
      net.change,
      pooled,
      input.priceVolumeMix?.category,
    ),
  };
}

/** Week 46 -> week 47: North and West grow, South shrinks, Central appears, Toys vanishes. */
export function weeklyComparison(overrides: Partial<ComparisonInput> = {}): Comparison {
  return makeComparison({
    previous: {
      regions: { North: 20_000, South: 15_000, West: 8_100 },
      categories: { Electronics: 30_000, Garden: 12_000, Toys: 1_100 },
      cancelled: 1_750,
      units: 1_204,
      rows: 420,
    },
    current: {
      regions: { North: 24_200, South: 14_100, West: 9_200, Central: 2_300 },
      categories: { Electronics: 33_500, Garden: 16_300 },
      cancelled: 1_520,
      units: 1_310,
      rows: 455,
    },
    priceVolumeMix: {
      category: {
        volume: 3_700,
        mix: 800,
        price: 3_300,
        newGroups: 0,
        vanishedGroups: -1_100,
        unpriced: 0,
        unassigned: 0,
        unitsPrevious: 1_180,
        unitsCurrent: 1_310,
        averagePricePrevious: 35.59,
        averagePriceCurrent: 38.17,
      },
    },
    ...overrides,
  });
}

export function context(
  comparison: Comparison,
  overrides: Partial<ComparisonContext> = {},
): ComparisonContext {
  return {
    comparison,
    previous:
      comparison.kind === "latest-months"
        ? null
        : {
            fileName: comparison.previousFile,
            postedAt: "2026-11-17T09:12:00Z",
            link: "https://acme.slack.com/archives/C0123/p1763370720000100",
          },
    chosenBy: comparison.kind === "latest-months" ? "latest-months" : "series",
    ...overrides,
  };
}
