#!/usr/bin/env node
import { loadBundledCli } from "./cli-loader.js";

// Built: the bundle beside this file (fast start, see cli-loader.ts). From source (tsx): the modules.
const runCli = loadBundledCli(import.meta.url) ?? (await import("./cli/main.js")).runCli;

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
