#!/usr/bin/env -S node --import tsx
/**
 * Renders the summary e-mail of a sales file and screenshots it with headless Chromium, so anyone can
 * look at what recipients get (the README shows docs/email.png).
 *
 *   npm run screenshot-email                       sample_data/sales_q1_2026.csv -> docs/email.png
 *   npm run screenshot-email -- FILE OUT.png [WIDTH] [HEIGHT]
 *
 * The summary is the offline writer's (no Gemini call). The HTML is written next to the screenshot's
 * temporary folder with the chart PNGs beside it: a browser cannot resolve `cid:` (only mail clients
 * do), so for the preview each `cid:<id>` points at `<id>.png`. Everything else is the e-mail as sent.
 * Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM=path to use another binary).
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { analyzeFile } from "../src/pipeline/analyze.js";
import { writeOfflineSummary } from "../src/pipeline/summary/offline.js";
import { buildSummaryEmail } from "../src/ui/email/summary-email.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [file = join(ROOT, "sample_data", "sales_q1_2026.csv"), out = join(ROOT, "docs", "email.png")] =
  process.argv.slice(2);
const width = Number(process.argv[4] ?? 640);
const height = Number(process.argv[5] ?? 2140);
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";

const analysis = await analyzeFile(file);
const summary = writeOfflineSummary(analysis, "screenshot (no Gemini call)");
const email = await buildSummaryEmail(analysis, summary);

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
