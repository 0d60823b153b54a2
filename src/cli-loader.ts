import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type { runCli } from "./cli/main.js";

/**
 * The built CLI runs from one CommonJS bundle of our code (`dist/cli-bundle.cjs`, made by
 * scripts/bundle-cli.mjs) compiled with V8's code cache (`dist/cli-bundle.cache`), which the build
 * writes after running the bundle once on the sample file, so the functions that run were compiled
 * then, not on every start. Loading ~70 ES modules one by one, each compiled afresh, is most of a
 * small file's run time. Measured on the 2-core VM (Node 20, medians of 20 interleaved runs, 50-row
 * CSV): 92 ms wall from the cached bundle, 109 ms from the same bundle without the cache, and
 * 104-108 ms for an ES-module bundle (no code cache for ES modules before Node 22).
 *
 * Node's own compile cache (`module.enableCompileCache`) needs Node 22; this works on 20 and 24 alike.
 * A cache V8 refuses (another Node version) costs nothing but the saving: the bundle is compiled as
 * usual.
 */
export const BUNDLE_FILE = "cli-bundle.cjs";
export const CODE_CACHE_FILE = "cli-bundle.cache";

type RunCli = typeof runCli;

/** The bundled CLI beside `entryUrl` (the built dist/cli.js), or null where there is none (tsx, tests). */
export function loadBundledCli(entryUrl: string): RunCli | null {
  const dir = dirname(fileURLToPath(entryUrl));
  const bundle = join(dir, BUNDLE_FILE);
  if (!existsSync(bundle)) return null;
  const { exports } = runCommonJs(bundle, readCodeCache(join(dir, CODE_CACHE_FILE)));
  return (exports as { runCli: RunCli }).runCli;
}

/**
 * Compiles and runs one CommonJS file as Node's loader would (same wrapper, `require` resolving from
 * the file's own directory), with a V8 code cache when given one. Returns its exports and the
 * compiled script, from which the build takes the cache.
 */
export function runCommonJs(path: string, cachedData?: Buffer): { exports: unknown; script: Script } {
  const script = new Script(Module.wrap(readFileSync(path, "utf8")), {
    filename: path,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  return { exports: module.exports, script };
}

function readCodeCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
