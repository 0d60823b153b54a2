import { describe, expect, it } from "vitest";
import {
  compareNames,
  explainNoMatch,
  findPrevious,
  headerSignature,
  judgeCandidate,
  parseName,
  type SeriesSubject,
} from "../../../src/pipeline/compare/series.js";
import type { SeriesCandidate } from "../../../src/pipeline/compare/types.js";

const SALES = headerSignature({
  revenue: "Revenue (EUR)",
  date: "Order_Date",
  region: "Region",
  category: "Category",
  units: "Qty",
  status: null,
});

function candidate(id: string, fileName: string, overrides: Partial<SeriesCandidate> = {}): SeriesCandidate {
  return {
    id,
    fileName,
    headerSignature: SALES,
    postedAt: "2026-11-20T09:00:00Z",
    dateRange: null,
    ...overrides,
  };
}

const subject = (fileName: string, overrides: Partial<SeriesSubject> = {}): SeriesSubject => ({
  fileName,
  headerSignature: SALES,
  dateRange: null,
  ...overrides,
});

describe("headerSignature", () => {
  it("normalises headers and leaves out roles without a column", () => {
    expect(SALES).toEqual({
      category: "category",
      date: "order date",
      region: "region",
      revenue: "revenue",
      units: "qty",
    });
    // Case, separators, camelCase and a bracketed currency do not make a different signature.
    expect(
      headerSignature({
        revenue: "REVENUE [EUR]",
        date: "orderDate",
        region: "region",
        category: " Category ",
        units: "QTY",
      }),
    ).toEqual(SALES);
  });
});

describe("file name patterns", () => {
  it.each([
    ["sales_w46.csv", "sales_w47.csv"],
    ["Q2 report.xlsx", "Q3 report.xlsx"],
    ["export 2026-11-16.csv", "export 2026-11-23.csv"],
    ["export_20261116.csv", "export_20261123.csv"],
    ["Sales 16.11.2026.xlsx", "Sales 23.11.2026.xlsx"],
    ["sales 2026-10.csv", "sales 2026-11.csv"],
    ["sales October 2026.csv", "sales November 2026.csv"],
    ["sales_w52_2025.csv", "sales_w01_2026.csv"],
    ["Q4 2025 report.xlsx", "Q1 2026 report.xlsx"],
    ["KW 46 Umsatz.xlsx", "KW 47 Umsatz.xlsx"],
    ["report 9.csv", "report 10.csv"],
  ])("%s comes before %s", (before, after) => {
    expect(compareNames(before, after)).toBe("earlier");
    expect(compareNames(after, before)).toBe("later");
  });

  it("the same name again (a re-export or a browser's copy) is the same period", () => {
    expect(compareNames("sales_w47.csv", "sales_w47.csv")).toBe("same");
    expect(compareNames("sales_w47.csv", "sales_w47 (1).csv")).toBe("same");
  });

  it("different patterns are no series", () => {
    expect(compareNames("sales_w46.csv", "returns_w47.csv")).toBeNull();
    expect(compareNames("Q2 report.xlsx", "2026-11 report.xlsx")).toBeNull();
    expect(parseName("sales_w47.csv").key).toEqual([47]);
  });
});

describe("findPrevious", () => {
  it("takes the previous week by name, over a newer upload of another series with the same headers", () => {
    const found = findPrevious(subject("sales_w47.csv"), [
      candidate("c3", "pipeline.csv"),
      candidate("c2", "sales_w46.csv"),
      candidate("c1", "sales_w45.csv"),
    ]);
    expect(found?.candidate.id).toBe("c2");
    expect(found?.reason).toBe("headers-and-name");
  });

  it("never takes a later period of the same series, even uploaded earlier", () => {
    const found = findPrevious(subject("sales_w47.csv"), [
      candidate("c2", "sales_w48.csv"),
      candidate("c1", "sales_w46.csv"),
    ]);
    expect(found?.candidate.id).toBe("c1");
  });

  it("takes a Q4 file before a Q1 file when its dates say it came first", () => {
    const found = findPrevious(
      subject("Q1 report.xlsx", { dateRange: { start: "2026-01-01", end: "2026-03-31" } }),
      [candidate("c1", "Q4 report.xlsx", { dateRange: { start: "2025-10-01", end: "2025-12-31" } })],
    );
    expect(found?.candidate.id).toBe("c1");
  });

  it("an old week uploaded late is not compared with a newer upload covering later dates", () => {
    const week = (start: string, end: string) => ({ start, end });
    const found = findPrevious(subject("late upload.csv", { dateRange: week("2026-11-02", "2026-11-08") }), [
      candidate("c2", "this week.csv", { dateRange: week("2026-11-16", "2026-11-22") }),
      candidate("c1", "older.csv", { dateRange: week("2026-10-26", "2026-11-01") }),
    ]);
    expect(found?.candidate.id).toBe("c1");
  });

  it("matches by headers alone when the names share no pattern", () => {
    const found = findPrevious(subject("November numbers.xlsx"), [candidate("c1", "what we sold.csv")]);
    expect(found).toEqual({ candidate: expect.objectContaining({ id: "c1" }), reason: "headers" });
  });

  it("matches by name when the columns are compatible though not identical", () => {
    const withStatus = { ...SALES, status: "status" };
    const found = findPrevious(subject("sales_w47.csv", { headerSignature: withStatus }), [
      candidate("c1", "sales_w46.csv"),
    ]);
    expect(found?.reason).toBe("name");
  });

  it("does not match two files that share only generic headers", () => {
    const generic = headerSignature({ revenue: "Amount", date: "Date" });
    const verdict = judgeCandidate(subject("bank.csv", { headerSignature: generic }), {
      ...candidate("c1", "invoices.csv"),
      headerSignature: generic,
    });
    expect(verdict).toEqual({ match: false, why: "generic-headers" });
  });

  it("does not match a same-pattern name whose columns measure something else", () => {
    const other = headerSignature({ revenue: "Salary", date: "Pay date", region: "Department" });
    const found = findPrevious(subject("export (2).csv"), [
      { ...candidate("c1", "export (1).csv"), headerSignature: other },
    ]);
    expect(found).toBeNull();
    expect(
      explainNoMatch(subject("export (2).csv"), [
        { ...candidate("c1", "export (1).csv"), headerSignature: other },
      ]),
    ).toEqual(["incompatible-columns"]);
  });

  it("says no match with no candidates", () => {
    expect(findPrevious(subject("sales_w47.csv"), [])).toBeNull();
    expect(explainNoMatch(subject("sales_w47.csv"), [])).toEqual(["no-candidates"]);
  });
});
