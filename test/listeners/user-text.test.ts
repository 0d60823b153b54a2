import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No internal setting name (ALLOWED_USER_IDS, GEMINI_API_KEY, MAX_FILE_MB...) in text that reaches
 * Slack users. Scans the string literals of the modules that write user-facing text; a literal on a
 * line that feeds a log or an error's `detail` is for the admins and may name settings.
 */
const SRC = new URL("../../src/", import.meta.url).pathname;
const USER_FACING = [
  "listeners",
  "ui",
  "recipients.ts",
  "analyze-file.ts",
  "services/slack-files.ts",
  "services/slack-messenger.ts",
  "services/latest-spreadsheet.ts",
  "pipeline/summary/summarize.ts",
];
const SETTING_NAMES = [
  ...readFileSync(join(SRC, "config.ts"), "utf8").matchAll(/^\s{2}([A-Z][A-Z0-9_]+): /gm),
].map((m) => m[1] as string);

function files(path: string): string[] {
  const full = join(SRC, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

describe("user-facing text", () => {
  it("knows the settings it looks for", () => {
    expect(SETTING_NAMES).toEqual(
      expect.arrayContaining(["ALLOWED_USER_IDS", "GEMINI_API_KEY", "MAX_FILE_MB"]),
    );
  });

  it("names no internal setting", () => {
    const offenders: string[] = [];
    for (const file of USER_FACING.flatMap(files)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const code = line.trim();
          if (code.startsWith("//") || code.startsWith("*") || /detail|logger|log\.|setting:/.test(code))
            return;
          for (const literal of code.match(/(["'`])(?:\\.|(?!\1).)*\1/g) ?? []) {
            const named = SETTING_NAMES.find((name) => new RegExp(`\\b${name}\\b`).test(literal));
            if (named) offenders.push(`${file.replace(SRC, "src/")}:${i + 1}: ${named}`);
          }
        });
    }
    expect(offenders).toEqual([]);
  });
});
