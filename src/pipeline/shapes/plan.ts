import type { WideReading } from "./wide.js";

/**
 * What the shape detectors (detect.ts) found in the sample, for the fold to apply. A plain table (one
 * row per sale) has no plan at all, so the fold's per-row cost for it is one null check.
 */
export interface ShapePlan {
  /** CRM/opportunity export: only won deals are sales; the stage column says which. */
  deals: DealsPlan | null;
  /** Multi-line orders: order-level columns are filled only on the first line of each order. */
  orderLines: OrderLinesPlan | null;
  /** A discount next to a gross line value: revenue is read net of it. */
  discount: DiscountPlan | null;
  /** A payments or invoice table whose roles were set by payments.ts (columns, or -1). */
  payments: PaymentsPlan | null;
  /** A wide table (one column per month or quarter) the table builder read as long. */
  wide?: WideReading;
}

export interface DealsPlan {
  /** The stage column ("Closed Won", "Negotiation"), or the won flag when `flags` is set. */
  stageColumn: number;
  /**
   * Salesforce and HubSpot exports can carry the outcome as true/false columns (IsWon, IsClosed,
   * "Is closed lost") instead of stage names: won if the won flag is set, lost if the lost flag is
   * set or the deal is closed without being won, open otherwise. -1 for a flag the file lacks.
   */
  flags?: { won: number; closed: number; lost: number };
}

export interface PaymentsPlan {
  /** The paid amount, taken as revenue over a count column a header had made revenue. */
  amountColumn: number;
  /** The payment type or method, standing in as the category breakdown. */
  typeColumn: number;
  /** Instalments: left out of units. */
  instalmentColumn: number;
}

export interface OrderLinesPlan {
  orderColumn: number;
  /** Columns filled on an order's first line and blank on the lines after it. */
  orderLevel: number[];
  /** An order-level column (revenue when it is one): blank here + same order id = a continuation line. */
  marker: number;
  /** The revenue column is an order total (counted once per order), not a line value. */
  revenueAtOrderLevel: boolean;
}

export interface DiscountPlan {
  column: number;
  /** "amount": net = gross - discount; "percent": net = gross x (1 - discount). */
  kind: "amount" | "percent";
  /** Percent values written as 10 for 10% (rather than 0.1). */
  percentOutOf100: boolean;
}

/** What the output says about the shapes the file was read as (null parts were not detected). */
export interface ShapeReading {
  wide: WideReading | null;
  orderLines: {
    orderColumn: string;
    /** Rows that continue the order above them: counted for units and products only. */
    continuationRows: number;
    orderLevelColumns: string[];
  } | null;
  payments: {
    amountColumn: string | null;
    typeColumn: string | null;
    instalmentColumn: string | null;
  } | null;
  discount: {
    column: string;
    kind: "amount" | "percent";
    /** Gross minus net over every row: how much the discount took off revenue. */
    total: number;
  } | null;
}
