#!/usr/bin/env -S node --import tsx
/**
 * Renders the summary e-mail of a sales file and screenshots it with headless Chromium, so anyone can
 * look at what recipients get (the README shows docs/email.png).
 *
 *   npm run screenshot-email                       sample_data/sales_q1_2026.csv -> docs/email.png
 *   npm run screenshot-email -- FILE OUT.png [WIDTH] [HEIGHT]
 *   npm run screenshot-email -- FILE OUT.png [WIDTH] [HEIGHT] --compare PREVIOUS_FILE
 *
 * With --compare, the "What changed" section compares FILE with PREVIOUS_FILE (as /insights compare
 * would); without it, FILE's latest month with the month before, as the bot does for an upload with
 * no earlier one in its series (no section when the file has fewer than two months).
 * The summary is the offline writer's (no Gemini call). The HTML is written next to the screenshot's
 * temporary folder with the chart PNGs beside it: a browser cannot resolve `cid:` (only mail clients
 * do), so for the preview each `cid:<id>` points at `<id>.png`. Everything else is the e-mail as sent.
 * Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM=path to use another binary).
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { analyzeFile } from "../src/pipeline/analyze.js";
import { compareLatestMonths, compareSnapshots } from "../src/pipeline/compare/compare.js";
import type { ComparisonContext } from "../src/pipeline/compare/context.js";
import { buildSnapshot } from "../src/pipeline/compare/snapshot.js";
import { writeOfflineSummary } from "../src/pipeline/summary/offline.js";
import { buildSummaryEmail } from "../src/ui/email/summary-email.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const compareAt = args.indexOf("--compare");
const previousFile = compareAt >= 0 ? args[compareAt + 1] : undefined;
if (compareAt >= 0) args.splice(compareAt, 2);
const [file = join(ROOT, "sample_data", "sales_q1_2026.csv"), out = join(ROOT, "docs", "email.png")] = args;
const width = Number(args[2] ?? 640);
const height = Number(args[3] ?? 3000);
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";

const analysis = await analyzeFile(file);
const snapshot = buildSnapshot(analysis);
let comparison: ComparisonContext | null = null;
if (previousFile) {
  const previous = await analyzeFile(previousFile);
  comparison = {
    comparison: compareSnapshots(buildSnapshot(previous), snapshot),
    // The file's modification time stands in for when it was posted.
    previous: {
      fileName: previous.source.name,
      postedAt: (await stat(previousFile)).mtime.toISOString(),
      link: null,
    },
    chosenBy: "explicit",
  };
} else {
  const latest = compareLatestMonths(snapshot);
  if (latest) comparison = { comparison: latest, previous: null, chosenBy: "latest-months" };
}
const summary = writeOfflineSummary(analysis, "screenshot (no Gemini call)", comparison?.comparison ?? null);
const email = await buildSummaryEmail(analysis, summary, { comparison });

const dir = await mkdtemp(join(tmpdir(), "email-screenshot-"));
try {
  for (const image of email.images) await writeFile(join(dir, `${image.contentId}.png`), image.content);
  const html = email.html.replace(/src="cid:([a-z0-9-]+)"/g, 'src="$1.png"');
  const page = join(dir, "email.html");
  await writeFile(page, html);
  await mkdir(dirname(resolve(out)), { recursive: true });
  const result = spawnSync(
    chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
      `--window-size=${width},${height}`,
      `--screenshot=${resolve(out)}`,
      pathToFileURL(page).href,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (result.status !== 0) {
    process.stderr.write(
      `chromium failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`${resolve(out)} (${width}x${height}); subject: ${email.subject}\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
