import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dataBlockErrors } from "./slack-block-rules.js";

/**
 * A fake Slack Web API (and file host, and response_url endpoint) on 127.0.0.1: a real HTTP server
 * the app talks to through SLACK_API_URL, recording every call.
 *
 * It keeps a small workspace model (channels, their messages and threads, shared files) and enforces
 * the platform rules the app must respect, so a test passes because the app does the right thing, not
 * because the fake is lenient:
 * - a bot that is not a member of a channel gets `not_in_channel` from chat.postMessage, chat.update,
 *   chat.postEphemeral, conversations.history and conversations.replies, and files.list shows it none
 *   of that channel's files;
 * - conversations.history returns parent messages only; thread replies come from conversations.replies;
 * - chat.postEphemeral with a thread_ts is recorded as invisible unless that thread already has a
 *   visible reply (Slack: "Ephemeral messages in threads are only shown if there is already an active
 *   thread");
 * - files.list honours channel, types, ts_from, ts_to, count and page, newest first;
 * - conversations.info needs channels:read, which the manifest does not ask for: missing_scope;
 * - chat.postMessage and chat.update answer `invalid_blocks` (with Slack-style json-pointer messages)
 *   for a chart or table block that breaks a documented limit, or whose type the workspace does not
 *   support (`setUnsupportedBlocks`, as during a rollout).
 */
export interface SlackCall {
  method: string;
  /** Form or JSON body, with JSON-looking form fields (blocks, view) parsed. */
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeFile {
  id: string;
  name: string;
  content: Buffer;
  filetype?: string;
  mimetype?: string;
}

export interface FakeMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: unknown;
  files?: { id: string; name: string; filetype: string; mimetype: string }[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  thread_ts: string | null;
  /** False when Slack would not show it (a thread_ts into a thread with no visible reply). */
  visible: boolean;
}

export interface FakeSlack {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: SlackCall[];
  readonly downloads: { path: string; authorization: string | undefined }[];
  readonly responses: { path: string; body: Record<string, unknown> }[];
  /** Every chat.postEphemeral the fake accepted, with whether Slack would have shown it. */
  readonly ephemerals: FakeEphemeral[];
  addFile(file: FakeFile): void;
  /** A channel; the bot is a member unless `botIsMember` is false. */
  addChannel(id: string, options?: { name?: string; botIsMember?: boolean }): void;
  /**
   * A user's message sharing `files` (added with addFile as well) in `channel`, at `ts`, optionally as a
   * reply in the thread `thread_ts`. Returns the Slack file objects as an event would carry them.
   */
  shareFiles(
    channel: string,
    message: {
      ts: string;
      thread_ts?: string;
      user: string;
      /** Files not added before need their content here. */
      files: (FakeFile | { id: string; name: string })[];
      text?: string;
    },
  ): NonNullable<FakeMessage["files"]>;
  /** The channel's messages (parents and replies), oldest first. */
  messages(channel: string): FakeMessage[];
  /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
  setSocketUrl(url: string): void;
  callsTo(method: string): SlackCall[];
  /** Block types this workspace refuses with invalid_blocks (e.g. "data_visualization"). */
  setUnsupportedBlocks(types: string[]): void;
  close(): Promise<void>;
}

export const BOT_USER_ID = "U0BOTBOT1";
export const BOT_ID = "B0BOTBOT1";
export const BOT_NAME = "sales-insight-bot";
export const TEAM_ID = "T0123ABCD";
/** The channel every fixture refers to; the bot is a member from the start. */
export const FIXTURE_CHANNEL = "C0123ABCD";

interface Channel {
  name: string;
  botIsMember: boolean;
  messages: FakeMessage[];
}

interface SharedFile extends FakeFile {
  created: number;
  /** channel -> the messages that shared it there. */
  shares: Map<string, { ts: string; thread_ts?: string }[]>;
}

const IMAGE = /^image\//;

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const downloads: { path: string; authorization: string | undefined }[] = [];
  const responses: { path: string; body: Record<string, unknown> }[] = [];
  const ephemerals: FakeEphemeral[] = [];
  const files = new Map<string, SharedFile>();
  const channels = new Map<string, Channel>([
    [FIXTURE_CHANNEL, { name: "sales-reports", botIsMember: true, messages: [] }],
  ]);
  let socketUrl = "";
  let unsupportedBlocks = new Set<string>();
  let tsCounter = 0;
  let baseUrl = "";

  const channelOf = (id: unknown): Channel | null => {
    const channel = channels.get(String(id));
    return channel?.botIsMember ? channel : null;
  };
  const isParent = (m: FakeMessage) => m.thread_ts === undefined || m.thread_ts === m.ts;
  const repliesOf = (channel: Channel, ts: string) =>
    channel.messages.filter((m) => m.thread_ts === ts && m.ts !== ts);
  const byTs = (a: FakeMessage, b: FakeMessage) => Number(a.ts) - Number(b.ts);
  const withThreadInfo = (channel: Channel, m: FakeMessage) => {
    const replies = repliesOf(channel, m.ts);
    return replies.length === 0
      ? m
      : { ...m, thread_ts: m.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts };
  };
  const fileObject = (file: SharedFile) => ({
    id: file.id,
    name: file.name,
    title: file.name,
    filetype: file.filetype ?? "csv",
    mimetype: file.mimetype ?? "text/csv",
    size: file.content.length,
    created: file.created,
    timestamp: file.created,
    url_private: `${baseUrl}/files/${file.id}/${file.name}`,
    url_private_download: `${baseUrl}/files/${file.id}/download/${file.name}`,
    user: "U0123ABCD",
    user_team: TEAM_ID,
    channels: [...file.shares.keys()],
    shares: {
      public: Object.fromEntries(
        [...file.shares].map(([channel, list]) => [
          channel,
          [...list].reverse().map((s) => ({ ts: s.ts, ...(s.thread_ts ? { thread_ts: s.thread_ts } : {}) })),
        ]),
      ),
    },
  });
  const addFile = (file: FakeFile): SharedFile => {
    const existing = files.get(file.id);
    const shared: SharedFile = {
      ...file,
      created: existing?.created ?? Math.floor(Date.now() / 1000),
      shares: existing?.shares ?? new Map(),
    };
    files.set(file.id, shared);
    return shared;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    if (url.pathname.startsWith("/files/")) {
      downloads.push({ path: url.pathname, authorization: req.headers.authorization });
      const id = url.pathname.split("/")[2] ?? "";
      const file = files.get(id);
      if (!file) return send(404, "not found", "text/plain");
      return send(200, file.content, "application/octet-stream");
    }
    if (url.pathname.startsWith("/response/")) {
      responses.push({ path: url.pathname, body: JSON.parse(raw || "{}") as Record<string, unknown> });
      return send(200, "ok", "text/plain");
    }
    const method = url.pathname.replace(/^\/api\//, "");
    const body = parseBody(raw, req.headers["content-type"] ?? "");
    calls.push({ method, body, authorization: req.headers.authorization });
    const fail = (error: string, extra: Record<string, unknown> = {}) =>
      send(200, { ok: false, error, ...extra });
    switch (method) {
      case "auth.test":
        return send(200, {
          ok: true,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          team_id: TEAM_ID,
          team: "Acme Sales",
          user: BOT_NAME,
        });
      case "chat.postMessage": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const blockErrors = dataBlockErrors(body.blocks, { unsupported: unsupportedBlocks });
        if (blockErrors.length > 0)
          return fail("invalid_blocks", { response_metadata: { messages: blockErrors } });
        tsCounter++;
        const ts = `1767609100.${String(tsCounter).padStart(6, "0")}`;
        channel.messages.push({
          ts,
          ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
          bot_id: BOT_ID,
          text: String(body.text ?? ""),
          ...(body.blocks ? { blocks: body.blocks } : {}),
        });
        return send(200, { ok: true, channel: body.channel, ts });
      }
      case "chat.update": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const message = channel.messages.find((m) => m.ts === body.ts);
        if (!message) return fail("message_not_found");
        const blockErrors = dataBlockErrors(body.blocks, { unsupported: unsupportedBlocks });
        if (blockErrors.length > 0)
          return fail("invalid_blocks", { response_metadata: { messages: blockErrors } });
        message.text = String(body.text ?? "");
        message.blocks = body.blocks;
        return send(200, { ok: true, channel: body.channel, ts: body.ts });
      }
      case "chat.delete": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const index = channel.messages.findIndex((m) => m.ts === body.ts);
        if (index < 0) return fail("message_not_found");
        channel.messages.splice(index, 1);
        return send(200, { ok: true, channel: body.channel, ts: body.ts });
      }
      case "chat.postEphemeral": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const threadTs = body.thread_ts ? String(body.thread_ts) : null;
        ephemerals.push({
          channel: String(body.channel),
          user: String(body.user),
          text: String(body.text ?? ""),
          thread_ts: threadTs,
          visible: threadTs === null || repliesOf(channel, threadTs).length > 0,
        });
        return send(200, {
          ok: true,
          message_ts: `1767609200.${String(ephemerals.length).padStart(6, "0")}`,
        });
      }
      case "views.open":
      case "views.update":
        return send(200, { ok: true, view: { id: "V0123ABCD" } });
      case "apps.connections.open":
        return send(200, socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: "no_socket" });
      case "conversations.info":
        // The manifest does not ask for channels:read / groups:read: Slack would refuse.
        return fail("missing_scope", { needed: "channels:read", provided: "chat:write,files:read" });
      case "conversations.history": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const limit = Number(body.limit ?? 100);
        const parents = channel.messages
          .filter(isParent)
          .sort(byTs)
          .reverse()
          .slice(0, limit)
          .map((m) => withThreadInfo(channel, m));
        return send(200, { ok: true, messages: parents, has_more: false });
      }
      case "conversations.replies": {
        const channel = channelOf(body.channel);
        if (!channel) return fail("not_in_channel");
        const parent = channel.messages.find((m) => m.ts === body.ts);
        if (!parent) return fail("thread_not_found");
        const thread = [withThreadInfo(channel, parent), ...repliesOf(channel, parent.ts).sort(byTs)];
        return send(200, {
          ok: true,
          messages: thread.slice(0, Number(body.limit ?? 1000)),
          has_more: false,
        });
      }
      case "files.list": {
        const types = String(body.types ?? "all").split(",");
        const from = body.ts_from === undefined ? -Infinity : Number(body.ts_from);
        const to = body.ts_to === undefined ? Infinity : Number(body.ts_to);
        const count = Number(body.count ?? 100);
        const page = Number(body.page ?? 1);
        const channelId = body.channel === undefined ? null : String(body.channel);
        // Files in a channel the bot is not in are not visible to it.
        if (channelId !== null && !channelOf(channelId)) {
          return send(200, { ok: true, files: [], paging: { count, total: 0, page: 1, pages: 0 } });
        }
        const matching = [...files.values()]
          .filter((f) => (channelId === null ? f.shares.size > 0 : f.shares.has(channelId)))
          .filter((f) => f.created >= from && f.created <= to)
          .filter((f) => types.includes("all") || types.some((t) => fileIsOfType(f, t)))
          .sort((a, b) => b.created - a.created);
        const slice = matching.slice((page - 1) * count, page * count);
        return send(200, {
          ok: true,
          files: slice.map(fileObject),
          paging: { count, total: matching.length, page, pages: Math.ceil(matching.length / count) },
        });
      }
      case "files.info": {
        const file = files.get(String(body.file));
        if (!file) return fail("file_not_found");
        return send(200, { ok: true, file: fileObject(file) });
      }
      default:
        return fail("unknown_method");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls,
    downloads,
    responses,
    ephemerals,
    addFile: (file) => {
      addFile(file);
    },
    addChannel: (id, options = {}) => {
      const existing = channels.get(id);
      channels.set(id, {
        name: options.name ?? existing?.name ?? id.toLowerCase(),
        botIsMember: options.botIsMember ?? true,
        messages: existing?.messages ?? [],
      });
    },
    shareFiles: (channelId, message) => {
      let channel = channels.get(channelId);
      if (!channel) {
        channel = { name: channelId.toLowerCase(), botIsMember: true, messages: [] };
        channels.set(channelId, channel);
      }
      const objects = message.files.map((given) => {
        const known = files.get(given.id);
        const f: FakeFile = "content" in given ? given : { content: Buffer.alloc(0), ...known, ...given };
        const file = addFile(f);
        // A file is "created" when first shared: the message's time (Slack's created is in seconds).
        if (file.shares.size === 0) file.created = Math.floor(Number(message.ts));
        const list = file.shares.get(channelId) ?? [];
        list.push({ ts: message.ts, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) });
        file.shares.set(channelId, list);
        return {
          id: f.id,
          name: f.name,
          filetype: f.filetype ?? "csv",
          mimetype: f.mimetype ?? "text/csv",
        };
      });
      channel.messages.push({
        ts: message.ts,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
        user: message.user,
        text: message.text ?? "",
        files: objects,
      });
      return objects;
    },
    messages: (channelId) => [...(channels.get(channelId)?.messages ?? [])].sort(byTs),
    setSocketUrl: (url) => {
      socketUrl = url;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    setUnsupportedBlocks: (types) => {
      unsupportedBlocks = new Set(types);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** files.list `types` as Slack defines them (all, spaces, snippets, images, gdocs, zips, pdfs). */
function fileIsOfType(file: SharedFile, type: string): boolean {
  const mimetype = file.mimetype ?? "text/csv";
  switch (type) {
    case "images":
      return IMAGE.test(mimetype);
    case "pdfs":
      return mimetype === "application/pdf";
    case "zips":
      return mimetype === "application/zip";
    case "snippets":
      return file.filetype === "text";
    default:
      return false;
  }
}

/**
 * Checks that a payload carries the team of the person behind it, as Slack sends it: events name the
 * user's team (`event.user_team` or `event.team`), commands `team_id`, interactive payloads
 * `user.team_id`. Test helpers run their payloads through this so no test relies on a payload Slack
 * would never send.
 */
export function assertUserTeamPresent(payload: Record<string, unknown>): void {
  const event = payload.event as Record<string, unknown> | undefined;
  const user = payload.user as Record<string, unknown> | undefined;
  // file_shared and other non-message events name only user ids: nothing to check there.
  if (payload.type === "event_callback" && event?.type !== "message") return;
  const team =
    payload.type === "event_callback"
      ? (event?.user_team ?? event?.team)
      : user && typeof user === "object"
        ? user.team_id
        : payload.team_id;
  if (typeof team !== "string" || !/^[TE][A-Z0-9]+$/.test(team)) {
    throw new Error(
      `test payload without the user's team (user_team / team / team_id): ${JSON.stringify(payload).slice(0, 200)}`,
    );
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      data += chunk;
    });
    req.on("end", () => resolve(data));
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
