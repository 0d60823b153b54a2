import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Slack Web API (and file host, and response_url endpoint) on 127.0.0.1: a real HTTP server
 * the app talks to through SLACK_API_URL, recording every call.
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

export interface FakeSlack {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: SlackCall[];
  readonly downloads: { path: string; authorization: string | undefined }[];
  readonly responses: { path: string; body: Record<string, unknown> }[];
  addFile(file: FakeFile): void;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
  setSocketUrl(url: string): void;
  /** Messages conversations.history returns, newest first. */
  setHistory(messages: unknown[]): void;
  callsTo(method: string): SlackCall[];
  close(): Promise<void>;
}

export const BOT_USER_ID = "U0BOTBOT1";
export const BOT_ID = "B0BOTBOT1";

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const downloads: { path: string; authorization: string | undefined }[] = [];
  const responses: { path: string; body: Record<string, unknown> }[] = [];
  const files = new Map<string, FakeFile>();
  let history: unknown[] = [];
  let socketUrl = "";
  let tsCounter = 0;
  let baseUrl = "";

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
    switch (method) {
      case "auth.test":
        return send(200, {
          ok: true,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          team_id: "T0123ABCD",
          user: "sales-insight-bot",
        });
      case "chat.postMessage":
        tsCounter++;
        return send(200, {
          ok: true,
          channel: body.channel,
          ts: `1767609100.${String(tsCounter).padStart(6, "0")}`,
        });
      case "chat.update":
        return send(200, { ok: true, channel: body.channel, ts: body.ts });
      case "chat.delete":
      case "chat.postEphemeral":
      case "views.open":
        return send(200, { ok: true });
      case "apps.connections.open":
        return send(200, socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: "no_socket" });
      case "conversations.history":
        return send(200, { ok: true, messages: history });
      case "files.info": {
        const file = files.get(String(body.file));
        if (!file) return send(200, { ok: false, error: "file_not_found" });
        return send(200, {
          ok: true,
          file: {
            id: file.id,
            name: file.name,
            title: file.name,
            filetype: file.filetype ?? "csv",
            mimetype: file.mimetype ?? "text/csv",
            size: file.content.length,
            url_private: `${baseUrl}/files/${file.id}/${file.name}`,
            url_private_download: `${baseUrl}/files/${file.id}/download/${file.name}`,
            user: "U0123ABCD",
          },
        });
      }
      default:
        return send(200, { ok: false, error: "unknown_method" });
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
    addFile: (file) => files.set(file.id, file),
    setSocketUrl: (url) => {
      socketUrl = url;
    },
    setHistory: (messages) => {
      history = messages;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
