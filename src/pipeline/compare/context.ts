import type { Comparison } from "./types.js";

/**
 * A comparison as the summary, Slack message and e-mail receive it: the figures, plus which upload
 * they were compared with (so the reader knows which file and when it was posted) and why that one.
 */
export interface ComparisonContext {
  comparison: Comparison;
  /**
   * The earlier upload (null for "latest-months": one file's latest month vs the month before).
   * `postedAt` is ISO 8601; `link` a Slack permalink to its thread when known.
   */
  previous: { fileName: string; postedAt: string; link: string | null } | null;
  /**
   * How it was chosen: found automatically as the previous upload of the same series, asked for
   * with /insights compare, or the file's own latest two months.
   */
  chosenBy: "series" | "explicit" | "latest-months";
}
