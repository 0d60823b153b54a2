import { sourceLine, type WhatChangedContent } from "../ui/comparison-text.js";
import { cleanText } from "../ui/escape.js";

/**
 * The "What changed" section for a terminal, from the same content as the Slack message and the
 * e-mail (src/ui/comparison-text.ts): periods and their warnings, the summary's sentences, the totals
 * before and after, the movers, new and gone groups, the drivers, and what was compared with what.
 * Every value from the file passes through cleanText (one line, no control characters).
 */
export function whatChangedLines(content: WhatChangedContent): string[] {
  const label = cleanText;
  const lines = [`${content.title}: ${label(content.periods)}`];
  for (const warning of content.warnings) lines.push(`  ! ${label(warning)}`);
  if (content.relation) lines.push(`  (${label(content.relation)})`);
  for (const sentence of content.sentences) lines.push(`  - ${label(sentence)}`);
  if (content.figures.length > 0) {
    const width = Math.max(...content.figures.map((f) => f.label.length)) + 2;
    lines.push("");
    for (const f of content.figures) {
      lines.push(`  ${f.label.padEnd(width)} ${f.previous} -> ${f.current}  (${f.change})`);
    }
  }
  const details: string[] = [];
  if (content.corrections.length > 0) {
    details.push("  Corrections", ...content.corrections.map((c) => `    - ${label(c)}`));
  }
  if (content.sameDays) details.push(`  Same days of the month: ${label(content.sameDays)}`);
  for (const list of [...content.movers, ...content.newAndGone]) {
    const items = list.items.map((m) => `${label(m.name)} ${m.change}`);
    if (list.more) items.push(list.more);
    details.push(`  ${list.title}: ${items.join(", ")}`);
  }
  if (content.drivers) details.push(`  Drivers: ${content.drivers}`);
  if (details.length > 0) {
    const moversNote =
      content.movers.length > 0
        ? ["  (movers: change in net revenue; pts: points of the total's % change)"]
        : [];
    lines.push("", ...details, ...moversNote);
  }
  lines.push("", `  (${label(sourceLine(content))})`);
  return lines;
}
