import type { ColumnProfile } from "./columns/profile.js";

/**
 * A column of reporting periods where a table has no dates: quarters ("2024-Q1", "Q1 2024",
 * "Q1/24", "2024 Q1"), halves ("H1 2024") or fiscal years ("FY2024", "FY24 Q3"). Such a file has no
 * day or month to put a sale in, so it gets no trend by month; reading "2024-Q1" as 1 January would
 * invent one (a quarter shown as its first month, the two months after it empty). It is named in the
 * notes instead, with what to add.
 */
const PERIOD =
  /^(?:(?:19|20)\d{2}\s*[-/ ]?\s*[qh][1-4]|[qh][1-4]\s*[-/ ]?\s*(?:(?:19|20)?\d{2})|fy\s*-?\s*(?:(?:19|20)?\d{2})(?:\s*[-/ ]?\s*[qh][1-4])?|[qh][1-4]\s*fy\s*-?\s*(?:(?:19|20)?\d{2}))$/;
/** Most of the column's distinct values must be periods: a stray "Q1" in a notes column is none. */
const MIN_SHARE = 0.8;

export interface PeriodColumn {
  column: number;
  /** A value as the file writes it, for the note. */
  example: string;
}

/** The first column whose values are reporting periods, or null. Only asked when no date was found. */
export function findPeriodColumn(profiles: readonly ColumnProfile[]): PeriodColumn | null {
  for (const profile of profiles) {
    const values = profile.distinctValues.filter((v) => v !== "");
    if (values.length === 0 || profile.textExample === null) continue;
    const periods = values.filter((v) => PERIOD.test(v)).length;
    if (periods / values.length >= MIN_SHARE && PERIOD.test(profile.textExample.trim().toLowerCase())) {
      return { column: profile.index, example: profile.textExample.trim() };
    }
  }
  return null;
}
