import { type MoverList, sourceLine, type WhatChangedContent } from "../comparison-text.js";
import { clipEscaped, escapeSlackText } from "../escape.js";
import { type Block, context, fieldsSection, section } from "./blocks.js";
import { SLACK_LIMITS } from "./limits.js";

const e = escapeSlackText;
/** Longest sentence or group name shown, as in the rest of the message. */
const MAX_SENTENCE = 1000;
const MAX_GROUP_NAME = 80;

/**
 * The "What changed" section as Slack blocks, placed at the top of the summary: the periods and
 * every warning about them (a partial month is never shown without saying so), the summary's
 * sentences, the totals before and after as fields, the movers, new and gone groups and drivers,
 * and one context line naming the upload compared with and when it was posted. Every value from a
 * file is escaped; the caller's enforceLimits keeps the whole message within Slack's limits.
 */
export function whatChangedBlocks(content: WhatChangedContent): Block[] {
  const blocks: Block[] = [];
  const head = [`*${e(content.title)}* · ${e(content.periods)}`];
  // Warnings first and marked, so shortening a long section (lines drop from the end) keeps them.
  for (const warning of content.warnings) head.push(`:warning: ${clipEscaped(warning, MAX_SENTENCE, e)}`);
  if (content.relation) head.push(`_${e(content.relation)}_`);
  for (const sentence of content.sentences) head.push(`• ${clipEscaped(sentence, MAX_SENTENCE, e)}`);
  blocks.push(section(linesWithin(head)));

  if (content.figures.length > 0) {
    blocks.push(
      fieldsSection(
        content.figures
          .slice(0, SLACK_LIMITS.fields)
          .map((f) => `*${e(f.label)}*\n${e(f.previous)} → ${e(f.current)}\n${e(f.change)}`),
      ),
    );
  }

  const lines: string[] = [];
  if (content.corrections.length > 0) {
    lines.push("*Corrections*", ...content.corrections.map((c) => `• ${e(c)}`));
  }
  if (content.sameDays) lines.push(`*Same days of the month:* ${e(content.sameDays)}`);
  for (const list of [...content.movers, ...content.newAndGone]) lines.push(moverLine(list));
  if (content.drivers) lines.push(`*Drivers:* ${e(content.drivers)}`);
  if (lines.length > 0) {
    const title =
      content.movers.length > 0
        ? "*Biggest movers* (change in net revenue; pts: points of the total's % change)"
        : null;
    blocks.push(section(linesWithin(title ? [title, ...lines] : lines)));
  }

  blocks.push(context([sourceText(content)]));
  return blocks;
}

function moverLine(list: MoverList): string {
  const items = list.items.map((m) => `${clipEscaped(m.name, MAX_GROUP_NAME, e)} ${e(m.change)}`);
  if (list.more) items.push(e(list.more));
  return `*${e(list.title)}:* ${items.join(" · ")}`;
}

/**
 * "Compared with <permalink|sales_w46.csv>, posted <date>": the file name escaped inside Slack's link
 * markup, and the time as a Slack date token, which every reader sees in their own time zone (the
 * fallback after "|" is the UTC time, for clients that cannot format it).
 */
function sourceText(content: WhatChangedContent): string {
  const upload = content.upload;
  if (!upload) return e(sourceLine(content));
  const name = clipEscaped(upload.fileName, MAX_GROUP_NAME, e);
  const file = upload.link ? `<${upload.link}|${name}>` : name;
  const seconds = Math.floor(Date.parse(upload.postedAt) / 1000);
  const posted =
    upload.posted && Number.isFinite(seconds)
      ? `, posted <!date^${seconds}^{date_short_pretty} at {time}|${e(upload.posted)}>`
      : "";
  return `Compared with ${file}${posted} (${e(content.chosenBy)}).`;
}

/**
 * Lines joined within one section text; lines past the limit are left out whole (a first line that
 * is too long on its own is cut by enforceLimits, which never leaves half an entity).
 */
function linesWithin(lines: string[]): string {
  let text = lines[0] ?? "";
  for (const line of lines.slice(1)) {
    const next = `${text}\n${line}`;
    if (next.length > SLACK_LIMITS.sectionText) break;
    text = next;
  }
  return text;
}
