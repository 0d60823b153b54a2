import type { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import {
  FILES_LOOKED_AT,
  findLatestSpreadsheets,
  findRecentSpreadsheets,
} from "../../src/services/latest-spreadsheet.js";

type Listed = NonNullable<webApi.FilesListResponse["files"]>[number];

const CHANNEL = "C1";

function file(
  id: string,
  created: number,
  shares: { ts: string; thread_ts?: string }[],
  name = `${id}.csv`,
): Listed {
  return { id, name, created, shares: { public: { [CHANNEL]: shares } } } as Listed;
}

/** A client whose files.list answers `files` and records what it was asked. */
function client(files: Listed[]) {
  const asked: unknown[] = [];
  const fake = {
    files: {
      list: async (args: unknown) => {
        asked.push(args);
        return { ok: true, files };
      },
    },
  };
  return { client: fake as unknown as webApi.WebClient, asked };
}

const listing = () => [
  // Newest first, as files.list lists them.
  file("F5", 500, [{ ts: "1700000050.000100", thread_ts: "1700000001.000100" }]),
  file("F4", 401, [{ ts: "1700000040.000100" }]),
  file("F3", 400, [{ ts: "1700000040.000100" }]),
  {
    id: "IMG",
    name: "photo.png",
    created: 600,
    shares: { public: { [CHANNEL]: [{ ts: "1700000060.0" }] } },
  } as Listed,
  file("F2", 300, [{ ts: "1700000030.000100" }, { ts: "1700000045.000100" }]),
  file("F1", 100, [{ ts: "1600000000.000100" }]),
  file("ELSEWHERE", 700, []),
];

describe("the channel's spreadsheets", () => {
  it("latest: every spreadsheet of the newest sharing message, in upload order, with its thread", async () => {
    const { client: c, asked } = client(listing());
    expect(await findLatestSpreadsheets(c, CHANNEL)).toEqual({
      messageTs: "1700000050.000100",
      threadTs: "1700000001.000100",
      inThread: true,
      files: [{ id: "F5", name: "F5.csv" }],
    });
    expect(asked).toEqual([{ channel: CHANNEL, types: "all", count: FILES_LOOKED_AT }]);
  });

  it("latest: files shared by one message come oldest created first", async () => {
    const { client: c } = client(listing().filter((f) => f.id !== "F5"));
    expect(await findLatestSpreadsheets(c, CHANNEL)).toEqual({
      messageTs: "1700000045.000100",
      threadTs: "1700000045.000100",
      inThread: false,
      files: [{ id: "F2", name: "F2.csv" }],
    });
    const { client: c2 } = client(listing().filter((f) => f.id !== "F5" && f.id !== "F2"));
    expect((await findLatestSpreadsheets(c2, CHANNEL))?.files.map((f) => f.id)).toEqual(["F3", "F4"]);
  });

  it("latest: null when no spreadsheet was shared in the channel", async () => {
    const { client: c } = client([file("ELSEWHERE", 1, [])]);
    expect(await findLatestSpreadsheets(c, CHANNEL)).toBeNull();
  });

  it("recent: newest sharing message first, then newest upload, each file at its latest share", async () => {
    const { client: c, asked } = client(listing());
    const recent = await findRecentSpreadsheets(c, CHANNEL, 4);
    expect(recent).toEqual([
      {
        id: "F5",
        name: "F5.csv",
        messageTs: "1700000050.000100",
        threadTs: "1700000001.000100",
        inThread: true,
      },
      {
        id: "F2",
        name: "F2.csv",
        messageTs: "1700000045.000100",
        threadTs: "1700000045.000100",
        inThread: false,
      },
      {
        id: "F4",
        name: "F4.csv",
        messageTs: "1700000040.000100",
        threadTs: "1700000040.000100",
        inThread: false,
      },
      {
        id: "F3",
        name: "F3.csv",
        messageTs: "1700000040.000100",
        threadTs: "1700000040.000100",
        inThread: false,
      },
    ]);
    expect((await findRecentSpreadsheets(c, CHANNEL, 2)).map((f) => f.id)).toEqual(["F5", "F2"]);
    expect(asked).toHaveLength(2);
    const { client: empty } = client([]);
    expect(await findRecentSpreadsheets(empty, CHANNEL, 2)).toEqual([]);
  });
});
