import { type Cell, cellText, isBlankCell } from "../cell.js";
import { type NumberReading, parseNumber } from "../numbers.js";
import type { OrderLinesPlan } from "./plan.js";

/**
 * Follows a multi-line order export row by row: a row with the same order id as the row above and its
 * order-level marker blank continues that order. Exports write an order's lines together, so the
 * previous id is all the state needed.
 */
export class OrderLines {
  continuationRows = 0;
  /** Whether the current order (its first line) was a cancellation: its further lines are too. */
  orderCancelled = false;
  private lastId = "";
  /** The current order's first line, for filling its order-level cells into the lines after it. */
  private first: Cell[] = [];

  private readonly orderLevel: Set<number>;

  constructor(readonly plan: OrderLinesPlan) {
    this.orderLevel = new Set(plan.orderLevel);
  }

  isOrderLevel(column: number): boolean {
    return this.orderLevel.has(column);
  }

  isContinuation(cells: Cell[]): boolean {
    const id = cellText(cells[this.plan.orderColumn]);
    const continues = id !== "" && id === this.lastId && isBlankCell(cells[this.plan.marker]);
    this.lastId = id;
    if (continues) this.continuationRows++;
    else if (!this.plan.revenueAtOrderLevel) this.first = cells.slice();
    return continues;
  }

  /** A line of an order whose revenue is per line: the order's date, region, status... come from its first line. */
  fillDown(cells: Cell[]): void {
    for (const i of this.plan.orderLevel) if (isBlankCell(cells[i])) cells[i] = this.first[i];
  }
}

/** A line's own value (quantity x line price); NaN when the file has no line price. */
export function lineValue(cells: Cell[], units: number, price: number, numbers: NumberReading): number {
  if (units < 0 || price < 0) return Number.NaN;
  return parseNumber(cells[units], numbers) * parseNumber(cells[price], numbers);
}
