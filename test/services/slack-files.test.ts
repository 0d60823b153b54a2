import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createSlackFiles,
  formatBytes,
  isSpreadsheetFile,
  MAX_REDIRECTS,
  SlackFileError,
  type SlackFileErrorCode,
  type SlackFileInfo,
  type SlackFiles,
} from "../../src/services/slack-files.js";
import {
  type FakeHost,
  redirectTo,
  routingFetch,
  sendBytes,
  serveFilesInfo,
  startFakeHost,
} from "../helpers/fake-slack-files.js";
import { tempFiles } from "../helpers/files.js";

const TOKEN = "xoxb-1111-2222-test-token-do-not-leak";
const BEARER = `Bearer ${TOKEN}`;
const CSV = "region,revenue\nNorth,1200\nSouth,900\n";
const MB = 1024 * 1024;

const tmp = tempFiles();
let destCounter = 0;
const dest = () => join(tmp.dir, `download-${++destCounter}.bin`);

let slack: FakeHost;
let cdn: FakeHost;
let network: ReturnType<typeof routingFetch>;
let files: SlackFiles;

beforeEach(async () => {
  slack = await startFakeHost("slack");
  cdn = await startFakeHost("cdn");
  network = routingFetch({ "files.slack.com": slack, "files-origin.slack-edge.com": cdn });
  files = createSlackFiles({ botToken: TOKEN, apiUrl: `${slack.baseUrl}/api/` }, network.fetch);
});

afterEach(async () => {
  await Promise.all([slack.close(), cdn.close()]);
});

function fileAt(url: string | null, overrides: Partial<SlackFileInfo> = {}): SlackFileInfo {
  return {
    id: "F0TEST",
    name: "sales.csv",
    title: "sales.csv",
    mimetype: "text/csv",
    filetype: "csv",
    size: CSV.length,
    urlPrivateDownload: url,
    user: "U0TEST",
    ...overrides,
  };
}

/** Awaits a rejection, checks it is a SlackFileError with `code`, and that the token is nowhere in it. */
async function failure(promise: Promise<unknown>, code: SlackFileErrorCode): Promise<SlackFileError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a SlackFileError "${code}", but it resolved`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackFileError);
  const slackError = error as SlackFileError;
  expect(slackError.code).toBe(code);
  const cause =
    slackError.cause instanceof Error ? `${slackError.cause.message} ${slackError.cause.stack}` : "";
  const everything = [
    slackError.message,
    slackError.userMessage,
    slackError.stack,
    cause,
    JSON.stringify(slackError),
  ];
  for (const text of everything) expect(text ?? "").not.toContain(TOKEN);
  return slackError;
}

const authOf = (host: FakeHost) => host.requests.map((r) => [r.url, r.authorization]);

describe("isSpreadsheetFile", () => {
  it.each([
    { name: "q1.csv" },
    { name: "Q1 SALES.XLSX" },
    { name: "export.tsv" },
    { name: "unicode-text.txt", filetype: "text", mimetype: "text/plain" },
    { name: "export", filetype: "csv" },
    { name: "export", filetype: "xlsx" },
    { name: null, mimetype: "text/csv; charset=utf-8" },
    { name: "book", mimetype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  ])("accepts %j", (file) => {
    expect(isSpreadsheetFile(file)).toBe(true);
  });

  it.each([
    { name: "deck.pdf", filetype: "pdf", mimetype: "application/pdf" },
    { name: "old.xls", filetype: "xls", mimetype: "application/vnd.ms-excel" },
    { name: "Untitled", filetype: "text", mimetype: "text/plain" },
    { name: "chart.png" },
    { name: "notes.csv.zip", filetype: "zip" },
    {},
  ])("refuses %j", (file) => {
    expect(isSpreadsheetFile(file)).toBe(false);
  });
});

describe("info", () => {
  it("resolves a Slack Connect stub with files.info: form body, bearer token, mapped fields", async () => {
    serveFilesInfo(slack, {
      F0CONNECT: {
        ok: true,
        file: {
          id: "F0CONNECT",
          name: "q1.csv",
          title: "Q1 numbers",
          mimetype: "text/csv",
          filetype: "csv",
          size: 1234,
          url_private: "https://files.slack.com/files-pri/T1-F0CONNECT/q1.csv",
          url_private_download: "https://files.slack.com/files-pri/T1-F0CONNECT/download/q1.csv",
          user: "U123",
          created: 1767609001,
          mode: "hosted",
        },
      },
    });
    await expect(files.info("F0CONNECT")).resolves.toEqual({
      id: "F0CONNECT",
      name: "q1.csv",
      title: "Q1 numbers",
      mimetype: "text/csv",
      filetype: "csv",
      size: 1234,
      urlPrivateDownload: "https://files.slack.com/files-pri/T1-F0CONNECT/download/q1.csv",
      user: "U123",
      // Seconds in Slack, milliseconds here.
      created: 1767609001000,
    } satisfies SlackFileInfo);
    expect(slack.requests).toEqual([
      {
        server: "slack",
        method: "POST",
        url: "/api/files.info",
        authorization: BEARER,
        body: "file=F0CONNECT",
      },
    ]);
  });

  it("falls back to url_private, and gives external files no URL", async () => {
    serveFilesInfo(slack, {
      F1: {
        ok: true,
        file: { id: "F1", name: "a.csv", size: 3, url_private: "https://files.slack.com/a.csv" },
      },
      F2: {
        ok: true,
        file: { id: "F2", name: "sheet", is_external: true, url_private: "https://docs.google.com/x" },
      },
    });
    expect((await files.info("F1")).urlPrivateDownload).toBe("https://files.slack.com/a.csv");
    const external = await files.info("F2");
    expect(external.urlPrivateDownload).toBeNull();
    await failure(files.download(external, dest(), MB), "no-url");
  });

  it.each([
    ["file_not_found", "not-found", /could not find that file/],
    ["file_deleted", "not-found", /deleted/],
    ["not_in_channel", "unauthorized", /Invite the app to the channel/],
    ["missing_scope", "unauthorized", /the app needs the files:read scope/],
    ["invalid_auth", "unauthorized", /check the app's installation/],
    ["some_future_error", "slack-error", /some_future_error/],
  ] as const)("maps ok:false %s to %s", async (slackError, code, message) => {
    serveFilesInfo(slack, { F1: { ok: false, error: slackError } });
    const error = await failure(files.info("F1"), code);
    expect(error.userMessage).toMatch(message);
    expect(error.slackError).toBe(slackError);
  });

  it("reports a deleted (tombstone) file as not found", async () => {
    serveFilesInfo(slack, { F1: { ok: true, file: { id: "F1", mode: "tombstone" } } });
    const error = await failure(files.info("F1"), "not-found");
    expect(error.userMessage).toBe("That file was deleted from Slack.");
  });

  it("reports HTTP 429 as rate-limited with Retry-After", async () => {
    slack.on("POST", "/api/files.info", (_req, res) => {
      res.writeHead(429, { "retry-after": "30", "content-type": "application/json" });
      res.end('{"ok":false,"error":"ratelimited"}');
    });
    const error = await failure(files.info("F1"), "rate-limited");
    expect(error.retryAfterSeconds).toBe(30);
  });

  it("reports a non-JSON or failing answer, and an unreachable Slack, as slack-error", async () => {
    slack.on("POST", "/api/files.info", sendBytes("<html>Bad gateway</html>", "text/html"));
    expect((await failure(files.info("F1"), "slack-error")).userMessage).toMatch(/did not understand/);
    slack.on("POST", "/api/files.info", (_req, res) => {
      res.writeHead(503);
      res.end();
    });
    expect((await failure(files.info("F1"), "slack-error")).status).toBe(503);

    const gone = await startFakeHost("gone");
    await gone.close();
    const offline = createSlackFiles({ botToken: TOKEN, apiUrl: `${gone.baseUrl}/api/` });
    await failure(offline.info("F1"), "slack-error");
  });

  it("keeps the token out of errors even when fetch quotes it", async () => {
    const badToken = `${TOKEN}\nX`;
    const broken = createSlackFiles({ botToken: badToken, apiUrl: `${slack.baseUrl}/api/` });
    const error = await failure(broken.info("F1"), "slack-error");
    expect(`${error.message} ${String(error.cause)}`).not.toContain("do-not-leak");
    const download = await failure(
      broken.download(fileAt(`${slack.baseUrl}/files/x.csv`), dest(), MB),
      "download-failed",
    );
    expect(`${download.message} ${String(download.cause)}`).not.toContain("do-not-leak");
  });
});

describe("download", () => {
  it("streams the file to disk from the apiUrl host, with the token", async () => {
    slack.on("GET", "/files/sales.csv", sendBytes(CSV, "text/csv"));
    const path = dest();
    await expect(files.download(fileAt(`${slack.baseUrl}/files/sales.csv`), path, MB)).resolves.toEqual({
      bytes: CSV.length,
    });
    expect(readFileSync(path, "utf8")).toBe(CSV);
    expect(authOf(slack)).toEqual([["/files/sales.csv", BEARER]]);
  });

  it("sends the token to https://files.slack.com", async () => {
    slack.on("GET", "/files-pri/T1-F1/download/sales.csv", sendBytes(CSV));
    const path = dest();
    await files.download(fileAt("https://files.slack.com/files-pri/T1-F1/download/sales.csv"), path, MB);
    expect(readFileSync(path, "utf8")).toBe(CSV);
    expect(authOf(slack)).toEqual([["/files-pri/T1-F1/download/sales.csv", BEARER]]);
  });

  it("refuses by Slack's stated size before any request", async () => {
    const big = fileAt(`${slack.baseUrl}/files/big.csv`, { size: Math.round(72.4 * MB) });
    const error = await failure(files.download(big, dest(), 50 * MB), "too-large");
    expect(error.userMessage).toBe(
      "The file is 72.4 MB; the limit is 50 MB. Split it into smaller files, or ask your Slack admin to raise the limit.",
    );
    expect(network.calls).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it("stops as soon as the bytes pass the limit when Slack's size was wrong, and deletes the partial file", async () => {
    const total = 64 * MB;
    let sent = 0;
    slack.on("GET", "/files/huge.csv", (_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      const chunk = Buffer.alloc(64 * 1024, "a,1\n");
      const pump = () => {
        while (!res.destroyed && sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const path = dest();
    const liar = fileAt(`${slack.baseUrl}/files/huge.csv`, { size: 100 });
    const error = await failure(files.download(liar, path, 256 * 1024), "too-large");
    expect(error.userMessage).toBe(
      "The file is larger than the limit of 256 KB. Split it into smaller files, or ask your Slack admin to raise the limit.",
    );
    expect(existsSync(path)).toBe(false);
    await vi.waitFor(() => expect(slack.hungUp).toBe(1));
    expect(sent).toBeLessThan(total);
  });

  it("refuses a Content-Length over the limit without writing anything", async () => {
    slack.on("GET", "/files/big.csv", (_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-length": "300000" });
      res.end(Buffer.alloc(300_000, "x"));
    });
    const path = dest();
    const error = await failure(
      files.download(fileAt(`${slack.baseUrl}/files/big.csv`, { size: 10 }), path, 100_000),
      "too-large",
    );
    expect(error.userMessage).toBe(
      "The file is 293 KB; the limit is 97.7 KB. Split it into smaller files, or ask your Slack admin to raise the limit.",
    );
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    "http://evil.example/sales.csv",
    "https://evil.example/sales.csv",
    "http://files.slack.com/files-pri/T1-F1/sales.csv",
    "https://files.slack.com.evil.example/sales.csv",
    "https://evilslack.com/sales.csv",
    "https://cdn.slack-edge.com.evil.example/sales.csv",
    "file:///etc/passwd",
  ])("refuses %s without any request", async (url) => {
    const error = await failure(files.download(fileAt(url), dest(), MB), "bad-host");
    expect(error.userMessage).toMatch(/leads outside Slack/);
    expect(network.calls).toEqual([]);
  });

  it("refuses the raw CDN server (another port on the apiUrl host, plain http)", async () => {
    await failure(files.download(fileAt(`${cdn.baseUrl}/sales.csv`), dest(), MB), "bad-host");
    expect(network.calls).toEqual([]);
    expect(cdn.requests).toEqual([]);
  });

  it("follows a redirect to another path on the same host, keeping the token", async () => {
    slack.on("GET", "/files/start.csv", redirectTo("/files/moved.csv"));
    slack.on("GET", "/files/moved.csv", sendBytes(CSV));
    const path = dest();
    await expect(files.download(fileAt(`${slack.baseUrl}/files/start.csv`), path, MB)).resolves.toEqual({
      bytes: CSV.length,
    });
    expect(readFileSync(path, "utf8")).toBe(CSV);
    expect(authOf(slack)).toEqual([
      ["/files/start.csv", BEARER],
      ["/files/moved.csv", BEARER],
    ]);
  });

  it("follows a redirect to Slack's CDN (*.slack-edge.com) without the token", async () => {
    slack.on(
      "GET",
      "/files-pri/T1-F1/download/sales.csv",
      redirectTo("https://files-origin.slack-edge.com/T1-F1/sales.csv?sig=presigned&exp=1"),
    );
    cdn.on("GET", "/T1-F1/sales.csv", sendBytes(CSV, "text/csv"));
    const path = dest();
    await files.download(fileAt("https://files.slack.com/files-pri/T1-F1/download/sales.csv"), path, MB);
    expect(readFileSync(path, "utf8")).toBe(CSV);
    expect(authOf(slack)).toEqual([["/files-pri/T1-F1/download/sales.csv", BEARER]]);
    expect(authOf(cdn)).toEqual([["/T1-F1/sales.csv?sig=presigned&exp=1", undefined]]);
  });

  it.each([
    ["the raw CDN server over http", () => `${cdn.baseUrl}/sales.csv`],
    ["an unknown host", () => "https://evil.example/steal"],
    ["Slack over plain http", () => "http://files.slack.com/files-pri/T1-F1/sales.csv"],
  ])("refuses a redirect to %s, sending nothing there", async (_label, location) => {
    slack.on("GET", "/files/start.csv", redirectTo(location()));
    await failure(files.download(fileAt(`${slack.baseUrl}/files/start.csv`), dest(), MB), "bad-host");
    expect(network.calls).toEqual([`${slack.baseUrl}/files/start.csv`]);
    expect(cdn.requests).toEqual([]);
  });

  it(`follows at most ${MAX_REDIRECTS} redirects`, async () => {
    for (let i = 0; i < MAX_REDIRECTS; i++) slack.on("GET", `/hop/${i}`, redirectTo(`/hop/${i + 1}`, 307));
    slack.on("GET", `/hop/${MAX_REDIRECTS}`, sendBytes(CSV));
    await expect(files.download(fileAt(`${slack.baseUrl}/hop/0`), dest(), MB)).resolves.toEqual({
      bytes: CSV.length,
    });
    expect(slack.requests).toHaveLength(MAX_REDIRECTS + 1);

    slack.requests.length = 0;
    slack.on("GET", "/hop/start", redirectTo("/hop/0", 301));
    const path = dest();
    const error = await failure(
      files.download(fileAt(`${slack.baseUrl}/hop/start`), path, MB),
      "download-failed",
    );
    expect(error.userMessage).toBe("Slack redirected the download too many times.");
    expect(slack.requests.map((r) => r.url)).not.toContain(`/hop/${MAX_REDIRECTS}`);
    expect(slack.requests).toHaveLength(MAX_REDIRECTS + 1);
    expect(existsSync(path)).toBe(false);
  });

  it("fails a redirect without a Location", async () => {
    slack.on("GET", "/files/x.csv", (_req, res) => {
      res.writeHead(302);
      res.end();
    });
    const error = await failure(
      files.download(fileAt(`${slack.baseUrl}/files/x.csv`), dest(), MB),
      "download-failed",
    );
    expect(error.status).toBe(302);
  });

  it("treats a text/html answer as Slack's login page", async () => {
    slack.on(
      "GET",
      "/files/sales.csv",
      sendBytes("<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "text/html; charset=utf-8"),
    );
    const path = dest();
    const error = await failure(
      files.download(fileAt(`${slack.baseUrl}/files/sales.csv`), path, MB),
      "unauthorized",
    );
    expect(error.userMessage).toBe(
      "Slack did not let the app download the file (it answered with a login page). Check that the app has the files:read scope and is in the channel.",
    );
    expect(existsSync(path)).toBe(false);
  });

  it("recognises an HTML body served as a binary, even split across chunks, and deletes the file", async () => {
    slack.on("GET", "/files/sales.csv", (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("\ufeff \n<!DOC");
      setTimeout(() => res.end(`TYPE html><html>${"x".repeat(2000)}</html>`), 10);
    });
    const path = dest();
    writeFileSync(path, "stale");
    await failure(files.download(fileAt(`${slack.baseUrl}/files/sales.csv`), path, MB), "unauthorized");
    expect(existsSync(path)).toBe(false);
  });

  it("does not mistake a CSV mentioning <html> for a login page", async () => {
    const csv = `note,revenue\n<html>,1\n${"North,1\n".repeat(200)}`;
    slack.on("GET", "/files/sales.csv", sendBytes(csv, "text/csv"));
    const path = dest();
    await files.download(fileAt(`${slack.baseUrl}/files/sales.csv`), path, MB);
    expect(readFileSync(path, "utf8")).toBe(csv);
  });

  it("reports a non-2xx answer with its status", async () => {
    const error = await failure(
      files.download(fileAt(`${slack.baseUrl}/files/missing.csv`), dest(), MB),
      "download-failed",
    );
    expect(error.status).toBe(404);
    expect(error.userMessage).toBe("Slack answered the download with HTTP 404.");
  });

  it("needs a URL (Slack Connect stubs must go through info first)", async () => {
    const error = await failure(files.download(fileAt(null), dest(), MB), "no-url");
    expect(error.userMessage).toMatch(/did not give the app a download link/);
    expect(network.calls).toEqual([]);
  });

  it("stops on abort, rejecting with the signal's reason and deleting the partial file", async () => {
    const controller = new AbortController();
    const reason = new Error("job cancelled");
    slack.on("GET", "/files/slow.csv", (_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.write(Buffer.alloc(4096, "a,1\n"));
      setTimeout(() => controller.abort(reason), 20);
    });
    const path = dest();
    const download = files.download(fileAt(`${slack.baseUrl}/files/slow.csv`), path, MB, controller.signal);
    await expect(download).rejects.toBe(reason);
    expect(existsSync(path)).toBe(false);
  });
});

describe("formatBytes", () => {
  it.each([
    [900, "900 bytes"],
    [12_800, "12.5 KB"],
    [50 * MB, "50 MB"],
    [Math.round(72.4 * MB), "72.4 MB"],
    [3 * 1024 * MB, "3 GB"],
  ])("%d -> %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
