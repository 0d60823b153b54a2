#!/usr/bin/env node
/**
 * Second step of `npm run build`: bundles the CLI's own code into one CommonJS file,
 * `dist/cli-bundle.cjs`, and writes V8's code cache for it, `dist/cli-bundle.cache`, after running it
 * once on the sample file (so the cache holds the functions a run compiles, not only the top level).
 * `dist/cli.js` loads them (src/cli-loader.ts, which has the measurements); without them it loads the
 * modules as compiled by tsc.
 *
 * Only our code is bundled: packages stay `require`s of node_modules as installed (licences, native
 * addons and resolution unchanged). Parts only some runs need (the XLSX reader, comparisons, charts,
 * Gemini) are still initialised on first use, as their dynamic imports were. The Slack app
 * (`dist/main.js`) is not bundled: it starts once per deployment.
 */
import { rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const BUNDLE = "dist/cli-bundle.cjs";
const CACHE = "dist/cli-bundle.cache";
// Left over from an earlier build layout (an ES-module bundle with chunks).
rmSync("dist/cli-chunks", { recursive: true, force: true });
rmSync(CACHE, { force: true });

const result = await build({
  entryPoints: ["dist/cli/main.js"],
  outfile: BUNDLE,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  // CommonJS has no import.meta: the charts find their font package from the bundle's own location.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
if (result.warnings.length > 0) {
  process.stderr.write("bundle-cli: esbuild warned (see above); a warning here means a broken bundle\n");
  process.exit(1);
}

// Run the bundle once, as a user would, then keep what V8 compiled.
const { runCommonJs } = await import("../dist/cli-loader.js");
const { exports, script } = runCommonJs(`${process.cwd()}/${BUNDLE}`);
const quiet = () => true;
const code = await exports.runCli(["analyze", "sample_data/sales_q1_2026.csv", "--json", "--offline"], {
  stdout: quiet,
  stderr: quiet,
  env: {},
});
if (code !== 0) {
  process.stderr.write(`bundle-cli: the bundled CLI exited ${code} on the sample file\n`);
  process.exit(1);
}
const cache = script.createCachedData();
writeFileSync(CACHE, cache);
process.stdout.write(`bundle-cli: ${BUNDLE} and its code cache (${Math.round(cache.length / 1024)} KiB)\n`);
