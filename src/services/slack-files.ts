import { open, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { AppError } from "../errors.js";

/**
 * Slack files over plain `fetch`: look a file up with `files.info`, then stream its bytes to disk.
 *
 * Why not the SDK's download or plain `fetch` with default redirects: files.slack.com answers with
 * redirects, WHATWG fetch drops `Authorization` on a cross-origin redirect, and Slack answers a
 * request without a (good) token with HTTP 200 and its HTML login page rather than an error. So we
 * follow redirects ourselves (`redirect: "manual"`, at most MAX_REDIRECTS hops), decide per hop
 * whether the bot token may go there, and treat an HTML answer as "not allowed".
 *
 * Where the token goes (checked before every request, redirects included):
 * - https `slack.com` and `*.slack.com`, https subdomains of the apiUrl host, and the apiUrl origin
 *   itself (whatever its scheme; that is how tests and local fakes on 127.0.0.1 work): with the token.
 * - https `*.slack-edge.com` (Slack's CDN, presigned URLs): followed without the token.
 * - anything else, or plain http outside the apiUrl origin: refused before any request ("bad-host").
 *
 * The token never appears in an error message, detail or cause (causes that mention it are redacted).
 * Callers should pass an AbortSignal with a deadline: a stalled download otherwise waits on Slack.
 */

export interface SlackFileInfo {
  id: string;
  name: string;
  title: string | null;
  mimetype: string | null;
  filetype: string | null;
  /** As Slack reports it; only a hint (the download counts the real bytes). */
  size: number;
  /** `url_private_download`, else `url_private`; null for external files (e.g. Google Drive links). */
  urlPrivateDownload: string | null;
  user: string | null;
  /**
   * When the file was first shared (`created`, ms since the epoch); null when Slack does not say.
   * Comparisons order uploads by it ("the previous upload" of a series).
   */
  created?: number | null;
}

export interface SlackFiles {
  /**
   * `files.info` for one file id. Always resolve a file through this before downloading: file objects
   * in events can be Slack Connect stubs (`file_access: "check_file_info"`) with no URLs at all.
   */
  info(fileId: string, signal?: AbortSignal): Promise<SlackFileInfo>;
  /**
   * Streams the file to `destPath` (created or truncated). Refuses when `file.size` is over
   * `maxBytes`, and stops (deleting the partial file) as soon as more than `maxBytes` arrive.
   * On any failure `destPath` does not exist afterwards. Aborting rejects with `signal.reason`.
   */
  download(
    file: SlackFileInfo,
    destPath: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<{ bytes: number }>;
}

export type SlackFileErrorCode =
  /** Over the byte limit, by Slack's stated size, Content-Length or the bytes actually received. */
  | "too-large"
  /** file_not_found, file_deleted, a deleted (tombstone) or plan-hidden file. */
  | "not-found"
  /** missing_scope, not_in_channel, a rejected token, or the HTML login page instead of the file. */
  | "unauthorized"
  /** The file has no URL Slack lets us download from (external file, or download() given a stub). */
  | "no-url"
  /** A URL (first or after a redirect) on a host that must not see the token and is not Slack's CDN. */
  | "bad-host"
  /** Non-2xx answer, too many redirects, network failure or broken stream while downloading. */
  | "download-failed"
  /** files.info answered 429 / ratelimited. */
  | "rate-limited"
  /** Any other files.info failure (unreachable, non-JSON, an error code we do not map). */
  | "slack-error";

export class SlackFileError extends AppError {
  readonly code: SlackFileErrorCode;
  /** Slack's own error string from files.info (e.g. "not_in_channel"), when there was one. */
  readonly slackError: string | null;
  /** HTTP status of the answer that failed, when there was one. */
  readonly status: number | null;
  /** Seconds from Retry-After on a rate-limited files.info call. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: SlackFileErrorCode,
    userMessage: string,
    options: {
      cause?: unknown;
      detail?: string;
      slackError?: string;
      status?: number;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(userMessage, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    });
    this.code = code;
    this.slackError = options.slackError ?? null;
    this.status = options.status ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export const MAX_REDIRECTS = 5;
const INFO_TIMEOUT_MS = 30_000;
/** Enough of the body to recognise an HTML page, however it is chunked. */
const SNIFF_BYTES = 512;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const SPREADSHEET_EXTENSIONS = new Set(["csv", "tsv", "txt", "xlsx"]);
/** Slack's `filetype` values; plain "text" only counts through a .txt name (snippets are "text" too). */
const SPREADSHEET_FILETYPES = new Set(["csv", "tsv", "xlsx"]);
const SPREADSHEET_MIMETYPES = new Set([
  "text/csv",
  "application/csv",
  "text/x-csv",
  "text/comma-separated-values",
  "text/tab-separated-values",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]);

/** CSV, TSV, .txt (Excel's "Text" exports) or an .xlsx workbook, by name, Slack filetype or MIME type. */
export function isSpreadsheetFile(file: {
  name?: string | null;
  filetype?: string | null;
  mimetype?: string | null;
}): boolean {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name?.trim() ?? "")?.[1]?.toLowerCase();
  if (extension !== undefined && SPREADSHEET_EXTENSIONS.has(extension)) return true;
  if (file.filetype && SPREADSHEET_FILETYPES.has(file.filetype.toLowerCase())) return true;
  const mimetype = file.mimetype?.split(";")[0]?.trim().toLowerCase();
  return mimetype !== undefined && SPREADSHEET_MIMETYPES.has(mimetype);
}

const slackFileSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  title: z.string().nullish(),
  mimetype: z.string().nullish(),
  filetype: z.string().nullish(),
  size: z.number().nonnegative().nullish(),
  url_private_download: z.string().nullish(),
  url_private: z.string().nullish(),
  user: z.string().nullish(),
  created: z.number().nonnegative().nullish(),
  mode: z.string().nullish(),
  is_external: z.boolean().nullish(),
});

const filesInfoSchema = z.union([
  z.object({ ok: z.literal(true), file: slackFileSchema }),
  z.object({ ok: z.literal(false), error: z.string().optional() }),
]);

type Access = "token" | "anonymous";

export function createSlackFiles(
  config: { botToken: string; apiUrl: string },
  fetchImpl: typeof fetch = globalThis.fetch,
): SlackFiles {
  const token = config.botToken;
  const apiBase = new URL(config.apiUrl.endsWith("/") ? config.apiUrl : `${config.apiUrl}/`);

  const redact = (text: string): string => (token === "" ? text : text.replaceAll(token, "[bot token]"));
  const messageOf = (error: unknown): string =>
    redact(error instanceof Error ? error.message : String(error));
  /** The cause as is, unless its text mentions the token (e.g. undici's "invalid header value"). */
  const safeCause = (error: unknown): unknown => {
    if (token === "") return error;
    const text =
      error instanceof Error ? `${error.message} ${String(error.cause)} ${error.stack}` : String(error);
    return text.includes(token) ? new Error(messageOf(error)) : error;
  };

  /** Whether (and how) a request may go to `url`; null means refuse it. */
  function accessFor(url: URL): Access | null {
    if (url.origin === apiBase.origin) return "token";
    if (url.protocol !== "https:") return null;
    const host = url.hostname.toLowerCase();
    if (isDomainOrSubdomain(host, "slack.com") || isDomainOrSubdomain(host, apiBase.hostname.toLowerCase())) {
      return "token";
    }
    if (isDomainOrSubdomain(host, "slack-edge.com")) return "anonymous";
    return null;
  }

  async function info(fileId: string, signal?: AbortSignal): Promise<SlackFileInfo> {
    const timeout = AbortSignal.timeout(INFO_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(new URL("files.info", apiBase), {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ file: fileId }).toString(),
        // The Web API does not redirect; if something does, the token must not follow it.
        redirect: "error",
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new SlackFileError(
        "slack-error",
        "The app could not reach Slack to look up the file. Try again later.",
        {
          cause: safeCause(error),
          detail: `files.info ${fileId}: request failed: ${messageOf(error)}`,
        },
      );
    }

    if (response.status === 429) {
      const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
      throw rateLimited(fileId, Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    if (!response.ok) {
      throw new SlackFileError(
        "slack-error",
        `Slack could not look up the file (HTTP ${response.status}). Try again later.`,
        { status: response.status, detail: `files.info ${fileId}: HTTP ${response.status}` },
      );
    }
    let parsed: z.infer<typeof filesInfoSchema>;
    try {
      parsed = filesInfoSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new SlackFileError(
        "slack-error",
        "Slack sent an answer about the file that the app did not understand.",
        {
          cause: safeCause(error),
          status: response.status,
          detail: `files.info ${fileId}: unexpected answer: ${redact(text.slice(0, 200))}`,
        },
      );
    }
    if (!parsed.ok) throw filesInfoError(fileId, parsed.error ?? "unknown_error");

    const file = parsed.file;
    if (file.mode === "tombstone") {
      throw new SlackFileError("not-found", "That file was deleted from Slack.", {
        detail: `files.info ${fileId}: mode tombstone`,
      });
    }
    if (file.mode === "hidden_by_limit") {
      throw new SlackFileError(
        "not-found",
        "Slack hides that file because the workspace is over its plan's file history limit.",
        { detail: `files.info ${fileId}: mode hidden_by_limit` },
      );
    }
    const url = file.is_external ? null : (file.url_private_download ?? file.url_private ?? null);
    return {
      id: file.id,
      name: file.name ?? file.title ?? file.id,
      title: file.title ?? null,
      mimetype: file.mimetype ?? null,
      filetype: file.filetype ?? null,
      size: file.size ?? 0,
      urlPrivateDownload: url === "" ? null : url,
      user: file.user || null,
      // Slack gives seconds.
      created: typeof file.created === "number" ? file.created * 1000 : null,
    };
  }

  async function download(
    file: SlackFileInfo,
    destPath: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<{ bytes: number }> {
    signal?.throwIfAborted();
    if (file.size > maxBytes) {
      throw new SlackFileError(
        "too-large",
        `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}. Split it into smaller files, or ask your Slack admin to raise the limit.`,
        {
          detail: `file ${file.id}: size ${file.size} > limit ${maxBytes} (MAX_FILE_MB; by files.info, nothing downloaded)`,
        },
      );
    }
    if (!file.urlPrivateDownload) {
      throw new SlackFileError(
        "no-url",
        "Slack did not give the app a download link for this file (it may be an external file, such as a Google Drive link).",
        { detail: `file ${file.id}: no url_private_download (resolve the file with files.info first)` },
      );
    }
    let url: URL;
    try {
      url = new URL(file.urlPrivateDownload);
    } catch (error) {
      throw new SlackFileError("bad-host", "Slack gave the app a download link it could not read.", {
        cause: safeCause(error),
        detail: `file ${file.id}: unparsable download URL`,
      });
    }

    for (let hop = 0; ; hop++) {
      const access = accessFor(url);
      if (access === null) {
        throw new SlackFileError(
          "bad-host",
          `The file's download link leads outside Slack (${url.host}), so the app did not follow it.`,
          {
            detail: `file ${file.id}: refused ${describe(url)} (hop ${hop}); the token goes only to Slack hosts`,
          },
        );
      }
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: "GET",
          headers: access === "token" ? { authorization: `Bearer ${token}` } : {},
          redirect: "manual",
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new SlackFileError(
          "download-failed",
          "The app could not reach Slack to download the file. Try again later.",
          {
            cause: safeCause(error),
            detail: `file ${file.id}: GET ${describe(url)} failed: ${messageOf(error)}`,
          },
        );
      }

      if (REDIRECT_STATUSES.has(response.status)) {
        await discard(response);
        const location = response.headers.get("location");
        if (hop >= MAX_REDIRECTS) {
          throw new SlackFileError("download-failed", "Slack redirected the download too many times.", {
            status: response.status,
            detail: `file ${file.id}: more than ${MAX_REDIRECTS} redirects (last at ${describe(url)})`,
          });
        }
        if (!location) {
          throw new SlackFileError(
            "download-failed",
            `Slack answered the download with HTTP ${response.status}.`,
            {
              status: response.status,
              detail: `file ${file.id}: HTTP ${response.status} without a Location from ${describe(url)}`,
            },
          );
        }
        try {
          url = new URL(location, url);
        } catch (error) {
          throw new SlackFileError(
            "download-failed",
            "Slack redirected the download to a link the app could not read.",
            {
              cause: safeCause(error),
              status: response.status,
              detail: `file ${file.id}: unparsable Location from ${describe(url)}`,
            },
          );
        }
        continue;
      }

      if (!response.ok) {
        await discard(response);
        throw new SlackFileError(
          "download-failed",
          `Slack answered the download with HTTP ${response.status}.`,
          {
            status: response.status,
            detail: `file ${file.id}: HTTP ${response.status} from ${describe(url)}`,
          },
        );
      }
      const contentType = response.headers.get("content-type")?.toLowerCase() ?? "";
      if (contentType.startsWith("text/html") || contentType.startsWith("application/xhtml")) {
        await discard(response);
        throw loginPage(file, url, `content-type ${contentType}`);
      }
      const declared = Number(response.headers.get("content-length") ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await discard(response);
        throw new SlackFileError(
          "too-large",
          `The file is ${formatBytes(declared)}; the limit is ${formatBytes(maxBytes)}. Split it into smaller files, or ask your Slack admin to raise the limit.`,
          {
            detail: `file ${file.id}: content-length ${declared} > limit ${maxBytes} (MAX_FILE_MB; nothing written)`,
          },
        );
      }
      return save(file, url, response, destPath, maxBytes, signal);
    }
  }

  async function save(
    file: SlackFileInfo,
    url: URL,
    response: Response,
    destPath: string,
    maxBytes: number,
    signal: AbortSignal | undefined,
  ): Promise<{ bytes: number }> {
    let bytes = 0;
    // Opened before any byte is read, so nothing can (re)create the file after a failed run removes it.
    const handle = await open(destPath, "w");
    const body = response.body;
    if (body === null) {
      await handle.close();
      return { bytes: 0 };
    }
    async function* guard(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      let head: Uint8Array[] = [];
      let headBytes = 0;
      for await (const chunk of source) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          throw new SlackFileError(
            "too-large",
            `The file is larger than the limit of ${formatBytes(maxBytes)}. Split it into smaller files, or ask your Slack admin to raise the limit.`,
            {
              detail: `file ${file.id}: more than ${maxBytes} bytes arrived (Slack said ${file.size}; MAX_FILE_MB); download stopped`,
            },
          );
        }
        if (head.length === 0 && headBytes > 0) {
          yield chunk;
          continue;
        }
        head.push(chunk);
        headBytes += chunk.byteLength;
        if (headBytes >= SNIFF_BYTES) {
          const joined = Buffer.concat(head);
          if (looksLikeHtml(joined)) throw loginPage(file, url, "the body is an HTML page");
          head = [];
          yield joined;
        }
      }
      if (head.length > 0) {
        const joined = Buffer.concat(head);
        if (looksLikeHtml(joined)) throw loginPage(file, url, "the body is an HTML page");
        yield joined;
      }
    }
    try {
      await pipeline(body, guard, handle.createWriteStream(), signal ? { signal } : {});
    } catch (error) {
      await rm(destPath, { force: true });
      if (error instanceof SlackFileError) throw error;
      if (signal?.aborted) throw signal.reason;
      throw new SlackFileError("download-failed", "The download from Slack broke off. Try again later.", {
        cause: safeCause(error),
        detail: `file ${file.id}: saving ${describe(url)} failed after ${bytes} bytes: ${messageOf(error)}`,
      });
    }
    return { bytes };
  }

  return { info, download };
}

function filesInfoError(fileId: string, rawError: string): SlackFileError {
  // Slack's codes are snake_case words; anything else is not echoed to the user.
  const error = /^[a-z0-9_]{1,64}$/.test(rawError) ? rawError : "unknown_error";
  const options = { slackError: error, detail: `files.info ${fileId}: ${error}` };
  switch (error) {
    case "file_not_found":
    case "file_deleted":
      return new SlackFileError(
        "not-found",
        `Slack could not find that file (${error}); it may have been deleted.`,
        options,
      );
    case "not_in_channel":
    case "channel_not_found":
      return new SlackFileError(
        "unauthorized",
        `The app cannot see that file (${error}). Invite the app to the channel and try again.`,
        options,
      );
    case "missing_scope":
      return new SlackFileError(
        "unauthorized",
        "Slack did not let the app read the file: the app needs the files:read scope (missing_scope). Ask a workspace admin to add it and reinstall the app.",
        options,
      );
    case "invalid_auth":
    case "not_authed":
    case "account_inactive":
    case "token_revoked":
    case "token_expired":
    case "not_allowed_token_type":
      return new SlackFileError(
        "unauthorized",
        `Slack rejected the app's token (${error}). Ask your Slack admin to check the app's installation.`,
        { ...options, detail: `${options.detail} (check SLACK_BOT_TOKEN)` },
      );
    case "access_denied":
      return new SlackFileError(
        "unauthorized",
        "Slack did not let the app see that file (access_denied).",
        options,
      );
    case "ratelimited":
      return rateLimited(fileId, undefined);
    default:
      return new SlackFileError("slack-error", `Slack could not look up the file (${error}).`, options);
  }
}

function rateLimited(fileId: string, retryAfterSeconds: number | undefined): SlackFileError {
  return new SlackFileError(
    "rate-limited",
    "Slack is rate-limiting the app right now. Try again in a minute.",
    {
      slackError: "ratelimited",
      status: 429,
      detail: `files.info ${fileId}: rate limited${retryAfterSeconds === undefined ? "" : ` (retry after ${retryAfterSeconds} s)`}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  );
}

function loginPage(file: SlackFileInfo, url: URL, why: string): SlackFileError {
  return new SlackFileError(
    "unauthorized",
    "Slack did not let the app download the file (it answered with a login page). Check that the app has the files:read scope and is in the channel.",
    { detail: `file ${file.id}: ${describe(url)} answered with HTML (${why})` },
  );
}

function isDomainOrSubdomain(host: string, domain: string): boolean {
  return domain !== "" && (host === domain || host.endsWith(`.${domain}`));
}

/** Origin and path only: presigned CDN URLs carry signatures in the query. */
function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function looksLikeHtml(head: Uint8Array): boolean {
  let text = Buffer.from(head.subarray(0, SNIFF_BYTES)).toString("latin1");
  if (text.startsWith("\xef\xbb\xbf")) text = text.slice(3);
  text = text.trimStart().toLowerCase();
  return text.startsWith("<!doctype") || text.startsWith("<html");
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}

/** 1024-based, like MAX_FILE_MB: "72.4 MB", "50 MB", "12.5 KB", "900 bytes". */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, "GB"],
    [1024 ** 2, "MB"],
    [1024, "KB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
