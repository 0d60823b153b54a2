import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BUNDLE_FILE, CODE_CACHE_FILE, loadBundledCli, runCommonJs } from "../src/cli-loader.js";
import { tempFiles } from "./helpers/files.js";

const files = tempFiles();

describe("cli-loader", () => {
  it("finds no bundle beside an entry that has none (running from source falls back to the modules)", () => {
    expect(loadBundledCli(pathToFileURL(files.write("cli.js", "")).href)).toBeNull();
  });

  it("runs a CommonJS file with require resolving from its own folder, and returns its exports", () => {
    const dir = join(files.dir, "app");
    mkdirSync(join(dir, "node_modules", "greeting"), { recursive: true });
    files.write("app/node_modules/greeting/index.js", 'module.exports = "hello";');
    const path = files.write(
      "app/bundle.cjs",
      'exports.say = () => require("greeting") + " from " + __filename;',
    );
    const { exports } = runCommonJs(path);
    expect((exports as { say: () => string }).say()).toBe(`hello from ${path}`);
  });

  it("uses a code cache V8 accepts, and still runs when V8 refuses one (another Node version)", () => {
    const path = files.write("cached.cjs", "exports.answer = () => 6 * 7;");
    const first = runCommonJs(path);
    const cache = first.script.createCachedData();

    const cached = runCommonJs(path, cache);
    expect(cached.script.cachedDataRejected).toBe(false);
    expect((cached.exports as { answer: () => number }).answer()).toBe(42);

    // Another source text: V8 would otherwise take the script compiled above from its in-memory cache.
    const other = files.write("other.cjs", "exports.answer = () => 42;");
    const refused = runCommonJs(other, Buffer.from("not a V8 code cache"));
    expect(refused.script.cachedDataRejected).toBe(true);
    expect((refused.exports as { answer: () => number }).answer()).toBe(42);
  });

  it("loads runCli from a bundle beside the entry, with or without its cache file", () => {
    const dir = join(files.dir, "dist");
    mkdirSync(dir);
    const entry = files.write("dist/cli.js", "");
    files.write(`dist/${BUNDLE_FILE}`, "exports.runCli = async (argv) => argv.length;");
    const withoutCache = loadBundledCli(pathToFileURL(entry).href);
    expect(withoutCache).not.toBeNull();
    files.write(`dist/${CODE_CACHE_FILE}`, "stale or foreign cache");
    const withCache = loadBundledCli(pathToFileURL(entry).href);
    expect(withCache).not.toBeNull();
  });
});
