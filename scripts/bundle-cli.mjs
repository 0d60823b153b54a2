#!/usr/bin/env node
/**
 * Second step of `npm run build`: replaces the compiled `dist/cli.js` with one ES module holding the
 * whole offline pipeline, with the parts only some runs need (the XLSX reader, comparisons, charts,
 * Gemini) split into chunks under `dist/cli-chunks/` that load on first use, as before.
 *
 * Why: the unbundled CLI loads about 70 modules, and resolving, reading, compiling and linking each
 * one is start-up time every run pays. Measured on the 2-core VM (Node 20, medians of 10-16 runs
 * interleaved with the unbundled build): a 50-row CSV 0.10 s wall / 0.10 s CPU against 0.13 / 0.14 s;
 * the 1M-row bench file 0.67 s / 0.76 s against 0.68 / 0.80 s.
 *
 * Only our own code is bundled: packages stay imports from node_modules (as installed), so licences,
 * native addons and package resolution are unchanged. The Slack app (`dist/main.js`) is not bundled:
 * it starts once per deployment.
 */
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a content hash: drop the previous build's, which nothing imports any more.
rmSync("dist/cli-chunks", { recursive: true, force: true });

const result = await build({
  entryPoints: [{ in: "dist/cli.js", out: "cli" }],
  outdir: "dist",
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: "cli-chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).length;
process.stdout.write(`bundle-cli: dist/cli.js and ${files - 1} chunk(s) in dist/cli-chunks/\n`);
