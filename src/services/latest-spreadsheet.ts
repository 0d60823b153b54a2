import type { webApi } from "@slack/bolt";
import { isSpreadsheetFile } from "./slack-files.js";

/** The message that most recently shared spreadsheets in a channel, and those spreadsheets. */
export interface LatestSpreadsheets {
  /** The sharing message's ts. */
  messageTs: string;
  /** Where answers go: the parent's ts when the message is a thread reply, else its own. */
  threadTs: string;
  /** True when the message is a reply in a thread. */
  inThread: boolean;
  /** In upload order; at least one. */
  files: { id: string; name: string }[];
}

/** How many of the channel's newest files are looked at (one files.list page). */
export const FILES_LOOKED_AT = 100;

type ListedFile = NonNullable<webApi.FilesListResponse["files"]>[number];
interface Share {
  ts: string;
  threadTs: string;
}

/**
 * The most recent spreadsheet(s) shared in `channel`, thread replies included, or null.
 *
 * conversations.history lists parent messages only, so a file shared as a thread reply is invisible
 * to it; files.list with `channel` lists every file shared there, newest first, and each file's
 * `shares` say which message (and which thread) shared it. `types` cannot narrow to spreadsheets
 * (Slack's types are images, pdfs, zips, snippets...), so the spreadsheets are picked here by name,
 * filetype and MIME type.
 */
export async function findLatestSpreadsheets(
  client: webApi.WebClient,
  channel: string,
): Promise<LatestSpreadsheets | null> {
  const shared = await sharedSpreadsheets(client, channel);
  if (shared.length === 0) return null;
  const newest = shared.reduce((a, b) => (Number(b.messageTs) > Number(a.messageTs) ? b : a));
  // Every spreadsheet of that one message, oldest created first: the order they were uploaded in.
  const sameMessage = shared
    .filter((f) => f.messageTs === newest.messageTs)
    .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  return {
    messageTs: newest.messageTs,
    threadTs: newest.threadTs,
    inThread: newest.inThread,
    files: sameMessage.map((f) => ({ id: f.id, name: f.name })),
  };
}

/** One spreadsheet shared in a channel, and the message that shared it there last. */
export interface SharedSpreadsheet {
  id: string;
  name: string;
  /** The sharing message's ts: when it was posted. */
  messageTs: string;
  /** Where its summary goes: the parent's ts when it was shared as a thread reply, else messageTs. */
  threadTs: string;
  inThread: boolean;
}

/**
 * The `count` most recently shared spreadsheets in `channel`, thread replies included, newest first
 * (by the sharing message, then by upload order within one message). /insights compare takes the
 * newest two: the file to summarise and the earlier one to compare it with.
 */
export async function findRecentSpreadsheets(
  client: webApi.WebClient,
  channel: string,
  count: number,
): Promise<SharedSpreadsheet[]> {
  const shared = await sharedSpreadsheets(client, channel);
  shared.sort(
    (a, b) => Number(b.messageTs) - Number(a.messageTs) || b.created - a.created || b.id.localeCompare(a.id),
  );
  return shared.slice(0, count).map(({ created: _, ...file }) => file);
}

/**
 * Every spreadsheet among the channel's newest files with a share in `channel`, at its latest share
 * there, in files.list order (newest first). Both look-ups above are orderings of this list.
 */
async function sharedSpreadsheets(
  client: webApi.WebClient,
  channel: string,
): Promise<(SharedSpreadsheet & { created: number })[]> {
  const listing = await client.files.list({ channel, types: "all", count: FILES_LOOKED_AT });
  const shared: (SharedSpreadsheet & { created: number })[] = [];
  for (const file of listing.files ?? []) {
    if (!file.id || !isSpreadsheetFile(file)) continue;
    const share = newestShare(file, channel);
    if (!share) continue;
    shared.push({
      id: file.id,
      name: file.name ?? file.title ?? "the file",
      messageTs: share.ts,
      threadTs: share.threadTs,
      inThread: share.threadTs !== share.ts,
      created: file.created ?? 0,
    });
  }
  return shared;
}

/** The file's latest share in `channel` (public or private), from its `shares`. */
function newestShare(file: ListedFile, channel: string): Share | null {
  const shares = [...(file.shares?.public?.[channel] ?? []), ...(file.shares?.private?.[channel] ?? [])];
  let best: Share | null = null;
  for (const share of shares) {
    if (!share.ts) continue;
    if (best === null || Number(share.ts) > Number(best.ts)) {
      best = { ts: share.ts, threadTs: share.thread_ts ?? share.ts };
    }
  }
  return best;
}
