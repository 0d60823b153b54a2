import { describe, expect, it } from "vitest";
import {
  dateReading,
  excelSerialToKey,
  keyToIso,
  parseDateCell,
  resolveDayOrder,
  resolveKey,
  withoutTime,
} from "../../src/pipeline/dates.js";

const iso = (key: number) => (Number.isNaN(key) ? null : key < 0 ? "ambiguous" : keyToIso(key));

describe("parseDateCell", () => {
  const reading = () => dateReading(true);

  it.each([
    ["2026-01-05", "2026-01-05"],
    ["2026-01-05T10:00:00Z", "2026-01-05"],
    ["2026/1/5", "2026-01-05"],
    ["04/30/22", "2022-04-30"],
    ["13.01.2024", "2024-01-13"],
    ["3/18/2016", "2016-03-18"],
    ["5 Jan 2026", "2026-01-05"],
    ["Jan 5, 2026", "2026-01-05"],
    ["Monday, January 5, 2026", "2026-01-05"],
    ["September 2025", "2025-09-01"],
    ["2025-09", "2025-09-01"],
    ["20260105", "2026-01-05"],
    ["45293", "2024-01-02"],
    ["01/02/2024", "ambiguous"],
    ["2026-02-30", null],
    ["hello", null],
    ["12", null],
  ])("reads %s", (text, expected) => {
    expect(iso(parseDateCell(text, reading()))).toBe(expected);
  });

  it("reads Date objects and Excel serial numbers", () => {
    expect(iso(parseDateCell(new Date(Date.UTC(2024, 0, 2)), reading()))).toBe("2024-01-02");
    expect(iso(parseDateCell(45293, reading()))).toBe("2024-01-02");
    expect(iso(parseDateCell(45293, dateReading(false)))).toBeNull();
    expect(iso(excelSerialToKey(43831, true))).toBe("2024-01-02");
  });

  it("strips times so timestamps share a day", () => {
    expect(withoutTime("04/19/19 08:46")).toBe("04/19/19");
    expect(withoutTime("2026-01-05 10:00:00 PM")).toBe("2026-01-05");
  });
});

describe("resolveDayOrder", () => {
  const evidence = (e: Partial<Parameters<typeof resolveDayOrder>[1]> = {}) => ({
    dayFirst: 0,
    monthFirst: 0,
    ambiguousDashOrDot: 0,
    ambiguousSlash: 0,
    ...e,
  });
  const keys = (texts: string[]) => {
    const r = dateReading(false);
    return { keys: texts.map((t) => parseDateCell(t, r)), evidence: r.evidence };
  };

  it("follows cells that proved the order", () => {
    const { keys: k, evidence: e } = keys(["13/01/2024", "01/02/2024"]);
    expect(
      resolveDayOrder(
        k.filter((x) => x < 0),
        e,
      ).order,
    ).toBe("day-first");
  });

  it("prefers the reading that keeps a daily log in consecutive months", () => {
    const { keys: k } = keys(["01/12/2010", "02/12/2010", "03/12/2010"]);
    expect(resolveDayOrder(k, evidence()).order).toBe("day-first");
    expect(keyToIso(resolveKey(k[0] as number, "day-first"))).toBe("2010-12-01");
  });

  it("breaks a tie by separator: slash is US month-first", () => {
    const [one] = keys(["01/12/2010"]).keys;
    expect(resolveDayOrder([one as number], evidence({ ambiguousSlash: 1 })).order).toBe("month-first");
    expect(resolveDayOrder([one as number], evidence({ ambiguousDashOrDot: 1 })).order).toBe("day-first");
  });
});
