import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Real HTTP servers on 127.0.0.1 standing in for Slack (the Web API and files.slack.com) and for
 * Slack's CDN. Every request is recorded with its Authorization header, so tests can assert exactly
 * where the bot token went.
 */
export interface SeenRequest {
  /** The name given to startFakeHost. */
  server: string;
  method: string;
  /** Path and query. */
  url: string;
  authorization: string | undefined;
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FakeHost {
  readonly name: string;
  /** e.g. `http://127.0.0.1:43123` */
  readonly baseUrl: string;
  readonly requests: SeenRequest[];
  /** Requests whose answer the client hung up on before it was complete. */
  readonly hungUp: number;
  /** Answer `method path` (path without the query) with `handler`. */
  on(method: string, path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeHost(name: string): Promise<FakeHost> {
  const routes = new Map<string, Handler>();
  const requests: SeenRequest[] = [];
  let hungUp = 0;

  const server: Server = createServer((req, res) => {
    res.on("close", () => {
      if (!res.writableFinished) hungUp += 1;
    });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "/";
      const method = req.method ?? "GET";
      requests.push({ server: name, method, url, authorization: req.headers.authorization, body });
      const handler = routes.get(`${method} ${url.split("?")[0]}`);
      if (handler) {
        handler(req, res, body);
      } else {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end(`${name}: no route for ${method} ${url}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get hungUp() {
      return hungUp;
    },
    on(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/**
 * `POST /api/files.info` answering from `answers` by the form field `file`; an id with no answer gets
 * Slack's `{ ok: false, error: "file_not_found" }`.
 */
export function serveFilesInfo(host: FakeHost, answers: Record<string, unknown>): void {
  host.on("POST", "/api/files.info", (_req, res, body) => {
    const id = new URLSearchParams(body).get("file") ?? "";
    const answer = answers[id] ?? { ok: false, error: "file_not_found" };
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(answer));
  });
}

export function sendBytes(content: string | Buffer, contentType = "application/octet-stream"): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    res.end(content);
  };
}

export function redirectTo(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/**
 * A fetch that sends requests for the hostnames in `routes` to those local servers (so
 * `https://files.slack.com/...` or `https://x.slack-edge.com/...` can be exercised for real), lets
 * 127.0.0.1 through, and refuses everything else. `calls` lists every URL asked for, before routing.
 */
export function routingFetch(routes: Record<string, FakeHost>): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const routed: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    calls.push(url.toString());
    const target = routes[url.hostname];
    if (target) return fetch(`${target.baseUrl}${url.pathname}${url.search}`, init);
    if (url.hostname === "127.0.0.1") return fetch(url, init);
    throw new TypeError(`routingFetch: the test network has no host ${url.hostname}`);
  };
  return { fetch: routed, calls };
}
