import { ExactSum } from "./sum.js";

/** One name's (or one day's) running sums in a breakdown. */
export class Group {
  readonly revenue = new ExactSum();
  readonly net = new ExactSum();
  readonly units = new ExactSum();
  rows = 0;
  /**
   * A region's or category's gross revenue by the fold's month index (MetricsFold.monthBuckets), for
   * its change vs the previous month. An array, not a Map: with rows out of date order a Map lookup
   * per row and group cost 7% of the 1M-row CPU; the index is found once per date change.
   */
  months: ExactSum[] | null = null;
}

export function mergeGroup(into: Group, from: Group): void {
  into.rows += from.rows;
  into.revenue.add(from.revenue.value);
  into.net.add(from.net.value);
}
