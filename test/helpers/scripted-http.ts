import type { ServerResponse } from "node:http";

/** One canned answer of a fake HTTP service (Gemini, Resend). */
export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  /** Sent as-is, with the content-type from `headers` (default text/plain). */
  rawBody?: string;
  /** Wait this long before answering; a client that gives up first just closes the connection. */
  delayMs?: number;
}

export function respond(
  res: ServerResponse,
  scripted: ScriptedResponse,
  jsonType = "application/json",
): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...scripted.headers };
  let payload: string;
  if (scripted.rawBody !== undefined) {
    payload = scripted.rawBody;
    if (!hasHeader(headers, "content-type")) headers["content-type"] = "text/plain";
  } else {
    payload = JSON.stringify(scripted.body ?? {});
    if (!hasHeader(headers, "content-type")) headers["content-type"] = jsonType;
  }
  res.writeHead(scripted.status ?? 200, headers);
  res.end(payload);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
