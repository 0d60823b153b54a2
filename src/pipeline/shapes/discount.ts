import type { Cell } from "../cell.js";
import { isAmount, type NumberReading, parseNumber } from "../numbers.js";
import { ExactSum, roundMoney } from "../sum.js";
import type { DiscountPlan } from "./plan.js";

/** Net of a gross value under one row's discount; the gross unchanged when the discount cell is empty. */
export function netOf(gross: number, discount: number, plan: DiscountPlan): number {
  if (!Number.isFinite(discount) || discount === 0) return gross;
  if (plan.kind === "amount") return gross - Math.abs(discount);
  const fraction = Math.abs(plan.percentOutOf100 ? discount / 100 : discount);
  return fraction <= 1 ? gross * (1 - fraction) : gross;
}

/** Applies a file's discount column to each row's gross value, keeping how much it took off. */
export class Discounts {
  private readonly taken = new ExactSum();

  constructor(readonly plan: DiscountPlan) {}

  net(cells: Cell[], gross: number, numbers: NumberReading): number {
    const net = netOf(gross, parseNumber(cells[this.plan.column], numbers), this.plan);
    if (net === gross || !isAmount(net)) return gross;
    this.taken.add(gross - net);
    return net;
  }

  get total(): number {
    return roundMoney(this.taken.value);
  }
}
