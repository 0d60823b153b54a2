import { Writable } from "node:stream";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  compareUpload,
  SERIES_CANDIDATES,
  summaryCacheKey,
  type UploadToCompare,
} from "../src/compare-uploads.js";
import { createLogger } from "../src/logger.js";
import { type Analysis, analyzeFile } from "../src/pipeline/analyze.js";
import { decodeSnapshot } from "../src/pipeline/compare/snapshot.js";
import { openSqliteStore } from "../src/services/sqlite-store.js";
import type { Store } from "../src/services/store.js";
import { tempFiles } from "./helpers/files.js";

/**
 * The comparison step of the use case against a real (in-memory) SQLite store: which earlier upload
 * is chosen, what is saved, and that no failure ever escapes it.
 */
const files = tempFiles();
const HEADER = "Order Date,Region,Category,Units,Unit Price,Revenue";

/** A week of one order a day per region: [region, category, units, unit price]. */
function week(firstDay: string, orders: [string, string, number, number][], header = HEADER): string {
  const lines = [header];
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  for (let d = 0; d < 7; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const [region, category, units, price] of orders) {
      lines.push(`${day},${region},${category},${units},${price.toFixed(2)},${(units * price).toFixed(2)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

let w46: Analysis;
let w47: Analysis;
let w46OtherHeaders: Analysis;
let twoMonths: Analysis;
beforeAll(async () => {
  const analyse = (name: string, csv: string) => analyzeFile(files.write(name, csv), { fileName: name });
  w46 = await analyse(
    "sales_w46.csv",
    week("2026-11-09", [
      ["North", "Tools", 2, 100],
      ["South", "Toys", 1, 100],
    ]),
  );
  w47 = await analyse(
    "sales_w47.csv",
    week("2026-11-16", [
      ["North", "Tools", 3, 100],
      ["South", "Toys", 1, 80],
    ]),
  );
  w46OtherHeaders = await analyse(
    "north week.csv",
    week("2026-11-09", [["North", "Tools", 2, 100]], "Date,Area,Line,Qty,Price Each,Sales"),
  );
  // October and November: one file whose latest month can be compared with the month before.
  twoMonths = await analyse(
    "two months.csv",
    `${HEADER}\n2026-10-05,North,Tools,1,100.00,100.00\n2026-11-05,North,Tools,2,100.00,200.00\n`,
  );
});

let store: Store;
const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: "info",
  destination: new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  }),
});
beforeEach(() => {
  store = openSqliteStore(":memory:");
  lines.length = 0;
});

const T46 = Date.parse("2026-11-16T09:00:00Z");
const T47 = Date.parse("2026-11-23T09:00:00Z");

function upload(fileId: string, fileName: string, postedAt: number, extra: Partial<UploadToCompare> = {}) {
  return {
    channel: "C1",
    fileId,
    threadTs: `${postedAt / 1000}.000100`,
    contentHash: `hash-${fileId}`,
    fileName,
    postedAt,
    compareWith: null,
    ...extra,
  };
}

const run = (analysis: Analysis, u: UploadToCompare, save: "always" | "if-missing" = "always") =>
  compareUpload(analysis, u, { store, logger, save });

describe("compareUpload", () => {
  it("saves the upload's snapshot: aggregates, header signature, when it was posted", async () => {
    const step = await run(w46, upload("F46", "sales_w46.csv", T46));
    expect(step.context).toBeNull();
    expect(step.cacheKey).toBeNull();
    const [record] = await store.recentSnapshots("C1", 5);
    expect(record).toMatchObject({
      fileId: "F46",
      fileName: "sales_w46.csv",
      postedAt: T46,
      contentHash: "hash-F46",
    });
    expect(JSON.parse(record?.headerSignature ?? "{}")).toMatchObject({
      revenue: "revenue",
      region: "region",
    });
    expect(decodeSnapshot(record?.snapshot ?? "")?.totals.net).toBe(2100);
    expect(step.timings.storedBytes).toBe(Buffer.byteLength(record?.snapshot ?? ""));
  });

  it("compares the next upload of the series with the previous one, and says which and when", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    const step = await run(w47, upload("F47", "sales_w47.csv", T47));
    expect(step.context?.chosenBy).toBe("series");
    expect(step.context?.previous).toEqual({
      fileName: "sales_w46.csv",
      postedAt: "2026-11-16T09:00:00.000Z",
      link: `https://slack.com/archives/C1/p${String(T46 / 1000)}000100`,
    });
    expect(step.context?.comparison.totals.net).toMatchObject({ previous: 2100, current: 2660, change: 560 });
    expect(step.context?.comparison.region?.up[0]).toMatchObject({ name: "North", change: 700 });
    expect(step.cacheKey).toMatch(/^series:/);
    expect(lines.filter((l) => l.msg === "comparison step").at(-1)?.comparison).toMatchObject({
      chosenBy: "series",
    });
  });

  it("never takes an upload posted later as the previous one (a file analysed again)", async () => {
    // Names that say nothing of the order: only the headers tie these two files together.
    await run(w46, upload("F46", "monday.csv", T46));
    expect((await run(w47, upload("F47", "report.csv", T47))).context?.chosenBy).toBe("series");
    const again = await run(w46, upload("F46", "monday.csv", T46));
    expect(again.context).toBeNull();
  });

  it("an old week uploaded late is compared with the week before it, not with the newest upload", async () => {
    // Names that say nothing of the order: the headers tie the files, their dates order them.
    const w45 = await analyzeFile(
      files.write(
        "w45.csv",
        week("2026-11-02", [
          ["North", "Tools", 1, 100],
          ["South", "Toys", 1, 100],
        ]),
      ),
    );
    await run(w45, upload("FA", "alpha.csv", T46 - 7 * 86_400_000));
    await run(w47, upload("FC", "gamma.csv", T47));
    const late = await run(w46, upload("FB", "beta.csv", T47 + 3_600_000));
    expect(late.context?.previous?.fileName).toBe("alpha.csv");
    expect(late.context?.comparison.periods.relation).toBe("consecutive");
  });

  it("does not compare the same content shared again", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46, { contentHash: "same" }));
    const copy = await run(w46, upload("F46COPY", "sales_w46 (1).csv", T47, { contentHash: "same" }));
    expect(copy.context).toBeNull();
  });

  it("says nothing about comparisons when nothing before is of the same series", async () => {
    await run(w46OtherHeaders, upload("FN", "north week.csv", T46));
    const step = await run(w47, upload("F47", "sales_w47.csv", T47));
    expect(step.context).toBeNull();
    expect(step.cacheKey).toBeNull();
  });

  it("compares a file's latest month with the month before when there is no earlier upload", async () => {
    const step = await run(twoMonths, upload("F2M", "two months.csv", T47));
    expect(step.context?.chosenBy).toBe("latest-months");
    expect(step.context?.previous).toBeNull();
    expect(step.context?.comparison.totals.net).toMatchObject({ previous: 100, current: 200 });
    expect(step.cacheKey).toBe("latest-months");
  });

  it("/insights compare: compares with the file asked for even off-series, or says it is not kept", async () => {
    await run(w46OtherHeaders, upload("FN", "north week.csv", T46));
    const asked = await run(w47, upload("F47", "sales_w47.csv", T47, { compareWith: "FN" }));
    expect(asked.context?.chosenBy).toBe("explicit");
    expect(asked.context?.previous?.fileName).toBe("north week.csv");
    expect(asked.cacheKey).toMatch(/^explicit:/);
    expect(asked.explicitProblem).toBeNull();

    const gone = await run(w47, upload("F47", "sales_w47.csv", T47, { compareWith: "F-PURGED" }));
    expect(gone.context).toBeNull();
    expect(gone.explicitProblem).toBe("previous-not-kept");
    const itself = await run(w47, upload("F47", "sales_w47.csv", T47, { compareWith: "F47" }));
    expect(itself.explicitProblem).toBe("same-file");
  });

  it("keys each comparison apart: another earlier upload, another key", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    const first = await run(w47, upload("F47", "sales_w47.csv", T47));
    const repeat = await run(w47, upload("F47", "sales_w47.csv", T47), "if-missing");
    expect(repeat.cacheKey).toBe(first.cacheKey);
    await run(w46, upload("F46B", "sales_w46.csv", T46 + 1000, { contentHash: "corrected" }));
    const other = await run(w47, upload("F47", "sales_w47.csv", T47));
    expect(other.context?.previous?.fileName).toBe("sales_w46.csv");
    expect(other.cacheKey).not.toBe(first.cacheKey);
    expect(summaryCacheKey("h", null)).toBe("h");
    expect(summaryCacheKey("h", other.cacheKey)).not.toBe(summaryCacheKey("h", first.cacheKey));
  });

  it("passes over a stored snapshot it cannot read, to the next candidate", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    await run(w46, upload("F46B", "sales_w46.csv", T46 + 1000, { contentHash: "other" }));
    const [newest] = await store.recentSnapshots("C1", 1);
    if (!newest) throw new Error("no snapshot");
    await store.saveSnapshot({ ...newest, snapshot: '{"v":999}' });
    const step = await run(w47, upload("F47", "sales_w47.csv", T47));
    expect(step.context?.previous?.postedAt).toBe(new Date(T46).toISOString());
  });

  it("replaying for a summary already posted keeps the stored time, and saves only a missing snapshot", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    await run(w46, upload("F46", "sales_w46.csv", T46 + 999_000), "if-missing");
    expect((await store.recentSnapshots("C1", 5))[0]?.postedAt).toBe(T46);
    await run(w47, upload("F47", "sales_w47.csv", T47), "if-missing");
    expect((await store.recentSnapshots("C1", 5)).map((r) => r.fileId)).toEqual(["F47", "F46"]);
  });

  it("never throws: a failing store read costs the comparison, not the snapshot", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    const failing: Store = Object.create(store, {
      recentSnapshots: { value: async () => Promise.reject(new Error("SQLITE_IOERR")) },
    });
    const step = await compareUpload(w47, upload("F47", "sales_w47.csv", T47), {
      store: failing,
      logger,
      save: "always",
    });
    expect(step.context).toBeNull();
    expect(lines.some((l) => l.msg === "comparison failed: the summary goes out without it")).toBe(true);
    expect((await store.recentSnapshots("C1", 5)).map((r) => r.fileId)).toContain("F47");
  });

  it("never throws: a failing save keeps the comparison", async () => {
    await run(w46, upload("F46", "sales_w46.csv", T46));
    const failing: Store = Object.create(store, {
      saveSnapshot: { value: async () => Promise.reject(new Error("SQLITE_FULL")) },
    });
    const step = await compareUpload(w47, upload("F47", "sales_w47.csv", T47), {
      store: failing,
      logger,
      save: "always",
    });
    expect(step.context?.chosenBy).toBe("series");
    expect(lines.some((l) => String(l.msg).startsWith("could not save the upload's snapshot"))).toBe(true);
  });

  it("looks at the channel's latest snapshots only, one channel at a time", async () => {
    expect(SERIES_CANDIDATES).toBeGreaterThanOrEqual(10);
    await run(w46, { ...upload("F46", "sales_w46.csv", T46), channel: "C-OTHER" });
    const step = await run(w47, upload("F47", "sales_w47.csv", T47));
    expect(step.context).toBeNull();
  });
});
