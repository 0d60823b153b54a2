import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * manifest.yml against Slack's own manifest JSON Schema (../shared/slack, beside the repo, as for the
 * real datasets: see test/helpers/shared.ts) plus the product's own requirements, which hold whether or
 * not the schema is present.
 */
const MANIFEST_PATH = fileURLToPath(new URL("../manifest.yml", import.meta.url));
const SCHEMA_PATH = fileURLToPath(new URL("../../shared/slack/manifest.schema.json", import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL("./fixtures/slack/", import.meta.url));
const HTTP_URL = "https://YOUR-APP.fly.dev/slack/events";

type Json = Record<string, unknown>;

interface Manifest {
  display_information: { name: string; description?: string };
  features: {
    bot_user?: { display_name: string };
    slash_commands: {
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }[];
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

function schemaAvailable(): boolean {
  if (existsSync(SCHEMA_PATH)) return true;
  // Same policy as sharedDatasetsAvailable(): absent on our CI machines is a broken machine.
  if (process.env.CI === "true" && process.env.SALES_DATASETS_OPTIONAL !== "1") {
    throw new Error(`CI=true but Slack's manifest schema is missing at ${SCHEMA_PATH}`);
  }
  console.warn(
    `Skipping manifest schema validation: ${SCHEMA_PATH} not found (it sits beside the repo in CI).`,
  );
  return false;
}

const manifestText = readFileSync(MANIFEST_PATH, "utf8");
const manifest = parse(manifestText) as Manifest;
const hasSchema = schemaAvailable();

/** The YAML with the commented HTTP-mode lines switched on, exactly as the manifest's own comment says. */
function httpModeText(): string {
  return manifestText
    .replace(/^(\s*)# (url|request_url): /gm, "$1$2: ")
    .replace(/^(\s*)socket_mode_enabled: true$/m, "$1socket_mode_enabled: false");
}

type Path = (string | number)[];

/** A deep copy of the manifest with the value at `path` replaced, or deleted when `value` is undefined. */
function brokenCopy(path: Path, value: unknown): unknown {
  const root = structuredClone(manifest) as unknown as Record<string | number, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

/** The text of every TypeScript file under src/. */
function sourceFiles(dir = fileURLToPath(new URL("../src/", import.meta.url))): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(`${dir}${entry.name}/`)
      : entry.name.endsWith(".ts")
        ? [readFileSync(`${dir}${entry.name}`, "utf8")]
        : [],
  );
}

function fixture(name: string): Json {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${name}`, "utf8")) as Json;
}

describe("manifest.yml: product requirements", () => {
  it("is named Sales Insight Bot, with a description and a bot user", () => {
    expect(manifest.display_information.name).toBe("Sales Insight Bot");
    expect(manifest.display_information.description?.length).toBeGreaterThan(0);
    expect(manifest.features.bot_user?.display_name).toBeTruthy();
  });

  it("asks for exactly the five bot scopes the code uses and no user scopes", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ["channels:history", "chat:write", "commands", "files:read", "groups:history"].sort(),
    );
    expect(manifest.oauth_config.scopes.bot).toHaveLength(5);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it("asks for files:write only if some code uploads a file", () => {
    const uploads = sourceFiles().some((text) =>
      /filesUploadV2|files\.(upload|completeUploadExternal)/.test(text),
    );
    expect(manifest.oauth_config.scopes.bot.includes("files:write")).toBe(uploads);
  });

  it("subscribes to message.channels and message.groups only", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["message.channels", "message.groups"]);
    expect(manifest.settings.event_subscriptions.user_events).toBeUndefined();
  });

  it("declares /insights, unescaped, with its usage hint", () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({
      command: "/insights",
      usage_hint: "[email ...] | compare [email ...] | history | help",
      should_escape: false,
    });
    expect(manifest.features.slash_commands[0]?.description).toBeTruthy();
  });

  it("declares the Generate insights message shortcut", () => {
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        name: "Generate insights",
        type: "message",
        callback_id: "generate_insights",
      }),
    ]);
  });

  it("runs in Socket Mode with interactivity on, no org deploy, no token rotation", () => {
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: true,
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
    // Socket Mode: no request URLs are active, they are comments.
    expect(manifest.features.slash_commands[0]?.url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
  });

  it("keeps the three HTTP-mode URLs as comments, and uncommenting them switches to HTTP mode", () => {
    const commented = [...manifestText.matchAll(/^\s*# (url|request_url): (\S+)$/gm)].map((m) => m[2]);
    expect(commented).toEqual([HTTP_URL, HTTP_URL, HTTP_URL]);
    expect(manifestText).toMatch(/socket_mode_enabled to false/);

    const http = parse(httpModeText()) as Manifest;
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.features.slash_commands[0]?.url).toBe(HTTP_URL);
    expect(http.settings.event_subscriptions.request_url).toBe(HTTP_URL);
    expect(http.settings.interactivity.request_url).toBe(HTTP_URL);
  });

  it("matches the Slack payload fixtures (command name, shortcut callback_id)", () => {
    expect(fixture("command-insights.json").command).toBe(manifest.features.slash_commands[0]?.command);
    expect(fixture("shortcut-message-action.json").callback_id).toBe(
      manifest.features.shortcuts[0]?.callback_id,
    );
  });
});

describe.skipIf(!hasSchema)("manifest.yml against Slack's manifest JSON Schema", () => {
  let validate: ValidateFunction;

  function errorsOf(value: unknown): ErrorObject[] {
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  beforeAll(() => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Json;
    // Plain Ajv is the draft-07 validator; Ajv2019/Ajv2020 are for the newer drafts.
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    // strict: false because Slack's schema carries keywords Ajv does not know (_note, requires, regex).
    const ajv = new Ajv({ strict: false, allErrors: true });
    // addFormats is a CommonJS default export: under NodeNext its callable is `.default`.
    addFormats.default(ajv);
    // Slack writes one pattern as `regex` (background_color); enforce it as `pattern` would be.
    ajv.addKeyword({
      keyword: "regex",
      type: "string",
      schemaType: "string",
      validate: (pattern: string, data: string) => new RegExp(pattern, "u").test(data),
    });
    validate = ajv.compile(schema);
  });

  it("accepts manifest.yml as committed (Socket Mode)", () => {
    expect(errorsOf(manifest)).toEqual([]);
  });

  it("accepts manifest.yml with the HTTP-mode lines uncommented", () => {
    expect(errorsOf(parse(httpModeText()))).toEqual([]);
  });

  // Each broken copy must fail for the expected reason, so the passing validations above are real.
  it.each<[string, Path, unknown, Partial<ErrorObject>]>([
    [
      "without display_information.name",
      ["display_information", "name"],
      undefined,
      { keyword: "required", instancePath: "/display_information", params: { missingProperty: "name" } },
    ],
    [
      "with a shortcut of type channel",
      ["features", "shortcuts", 0, "type"],
      "channel",
      { keyword: "enum", instancePath: "/features/shortcuts/0/type" },
    ],
    [
      "with a 31-character shortcut name",
      ["features", "shortcuts", 0, "name"],
      "Generate insights for this file",
      { keyword: "maxLength", instancePath: "/features/shortcuts/0/name" },
    ],
    [
      "with a command missing its slash",
      ["features", "slash_commands", 0, "command"],
      "insights",
      { keyword: "pattern", instancePath: "/features/slash_commands/0/command" },
    ],
    [
      "with interactivity.is_enabled missing",
      ["settings", "interactivity", "is_enabled"],
      undefined,
      { keyword: "required", instancePath: "/settings/interactivity" },
    ],
    [
      "with a misspelt settings key",
      ["settings", "socket_mode"],
      true,
      { keyword: "additionalProperties", params: { additionalProperty: "socket_mode" } },
    ],
    [
      "with a background_color that is not a hex colour",
      ["display_information", "background_color"],
      "blue",
      { keyword: "regex", instancePath: "/display_information/background_color" },
    ],
  ])("rejects a copy %s", (_label, path, value, expected) => {
    expect(errorsOf(brokenCopy(path, value))).toContainEqual(expect.objectContaining(expected));
  });
});

describe("Slack payload fixtures", () => {
  const share = fixture("event-file-share.json") as { event: { ts: string; channel: string; files: Json[] } };
  const file = share.event.files[0] as Json;

  it("point file downloads and response URLs at placeholders, never at Slack", () => {
    const names = readdirSync(FIXTURES_DIR).filter((n) => n.endsWith(".json"));
    expect(names.length).toBeGreaterThanOrEqual(8);
    const downloads: string[] = [];
    const responseUrls: string[] = [];
    for (const name of names) {
      const text = readFileSync(`${FIXTURES_DIR}${name}`, "utf8");
      expect(text, name).not.toMatch(/files\.slack\.com|hooks\.slack\.com/);
      for (const m of text.matchAll(/"(?:url_private|url_private_download)": "([^"]*)"/g))
        downloads.push(m[1] ?? "");
      for (const m of text.matchAll(/"response_url": "([^"]*)"/g)) responseUrls.push(m[1] ?? "");
    }
    expect(downloads.length).toBeGreaterThan(0);
    for (const url of downloads) expect(url).toMatch(/^__API_URL__files\/F[0-9A-Z]+\/(download\/)?[\w.-]+$/);
    expect(responseUrls.length).toBeGreaterThan(0);
    for (const url of responseUrls) expect(url).toBe("__RESPONSE_URL__");
  });

  it("describe one CSV share that the shortcut, modal and button all refer back to", () => {
    expect(file).toMatchObject({ id: "F0123ABCD", mimetype: "text/csv", filetype: "csv" });
    const context = { channel: share.event.channel, threadTs: share.event.ts, fileId: file.id };

    const shortcut = fixture("shortcut-message-action.json") as {
      message_ts: string;
      message: { files: Json[] };
    };
    expect(shortcut.message_ts).toBe(share.event.ts);
    expect(shortcut.message.files[0]).toEqual(file);

    const view = fixture("view-submission.json") as {
      view: { callback_id: string; private_metadata: string };
    };
    expect(view.view.callback_id).toBe("insights_email");
    expect(JSON.parse(view.view.private_metadata)).toEqual(context);

    const button = fixture("block-actions-email-button.json") as {
      actions: { action_id: string; value: string }[];
    };
    expect(button.actions[0]?.action_id).toBe("email_summary");
    expect(JSON.parse(button.actions[0]?.value ?? "null")).toEqual(context);
  });

  it("cover the bot and Slack Connect variants", () => {
    const bot = fixture("event-file-share-bot.json") as { event: Json };
    expect(bot.event).toMatchObject({ subtype: "file_share", bot_id: expect.stringMatching(/^B/) });

    const connect = fixture("event-file-share-slack-connect.json") as { event: { files: Json[] } };
    expect(connect.event.files[0]).toMatchObject({ mode: "file_access", file_access: "check_file_info" });
    expect(connect.event.files[0]).not.toHaveProperty("url_private_download");

    const shared = fixture("event-file-shared.json") as { event: Json };
    expect(shared.event).toEqual(
      expect.objectContaining({ type: "file_shared", file_id: file.id, file: { id: file.id } }),
    );
  });
});
