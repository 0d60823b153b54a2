import { type MoverList, sourceLine, type WhatChangedContent } from "../comparison-text.js";
import { escapeHtml } from "../escape.js";
import { CELL, COLOR, heading, tableName } from "./style.js";

const h = escapeHtml;

/**
 * The "What changed" section of the e-mail, as MJML elements for the top of its column: the periods,
 * each period warning in an amber panel (a partial month is never shown without saying so), the
 * summary's sentences, a table of the totals before and after, a table of the movers and of new and
 * gone groups (names neutralised for spreadsheets, as in the other tables), the drivers, and a line
 * naming the upload compared with. Only `h(...)` output and this file's literals go in.
 */
export function whatChangedMjml(content: WhatChangedContent): string[] {
  const out: string[] = [];
  const intro = [
    heading(content.title),
    `<p style="margin:0 0 8px 0;color:${COLOR.muted};">${h(content.periods)}</p>`,
  ];
  for (const warning of content.warnings) {
    intro.push(
      `<p style="margin:0 0 8px 0;padding:8px 12px;background:${COLOR.warningBackground};border-left:3px solid ${COLOR.warningRule};">&#9888;&#65039; ${h(warning)}</p>`,
    );
  }
  if (content.relation)
    intro.push(`<p style="margin:0 0 8px 0;font-style:italic;">${h(content.relation)}</p>`);
  if (content.sentences.length > 0) {
    const items = content.sentences.map((s) => `<li style="margin:0 0 6px 0;">${h(s)}</li>`).join("");
    intro.push(`<ul style="margin:0;padding:0 0 0 20px;">${items}</ul>`);
  }
  out.push(`<mj-text>${intro.join("")}</mj-text>`);

  if (content.figures.length > 0) out.push(figuresTable(content));
  if (content.corrections.length > 0) {
    const items = content.corrections.map((c) => `<li style="margin:0 0 4px 0;">${h(c)}</li>`).join("");
    out.push(
      `<mj-text padding-bottom="0"><strong>Corrections</strong><ul style="margin:4px 0 0 0;padding:0 0 0 20px;">${items}</ul></mj-text>`,
    );
  }
  const lists = [...content.movers, ...content.newAndGone];
  if (lists.length > 0) out.push(moversTable(lists));
  const extra: string[] = [];
  if (content.sameDays) extra.push(`<strong>Same days of the month:</strong> ${h(content.sameDays)}`);
  if (content.drivers) extra.push(`<strong>Drivers:</strong> ${h(content.drivers)}`);
  if (extra.length > 0)
    out.push(`<mj-text font-size="14px" line-height="20px">${extra.join("<br />")}</mj-text>`);
  out.push(
    `<mj-text font-size="13px" line-height="19px" color="${COLOR.muted}">${sourceHtml(content)}</mj-text>`,
  );
  return out;
}

function figuresTable(content: WhatChangedContent): string {
  const th = (text: string, align: string) =>
    `<th style="${CELL}text-align:${align};color:${COLOR.muted};font-weight:400;">${text}</th>`;
  const head = `<tr>${th("", "left")}${th("Before", "right")}${th("Now", "right")}${th("Change", "right")}</tr>`;
  const rows = content.figures
    .map(
      (f) =>
        `<tr><td style="${CELL}color:${COLOR.muted};">${h(f.label)}</td><td style="${CELL}text-align:right;">${h(f.previous)}</td><td style="${CELL}text-align:right;font-weight:700;">${h(f.current)}</td><td style="${CELL}text-align:right;">${h(f.change)}</td></tr>`,
    )
    .join("");
  return `<mj-table>${head}${rows}</mj-table>`;
}

/** One row per group, its list's title on the list's first row; "+N more" closes a cut list. */
function moversTable(lists: MoverList[]): string {
  const head = `<tr><th style="${CELL}text-align:left;color:${COLOR.muted};font-weight:400;">Biggest movers</th><th style="${CELL}text-align:left;color:${COLOR.muted};font-weight:400;">Name</th><th style="${CELL}text-align:right;color:${COLOR.muted};font-weight:400;">Change</th></tr>`;
  const rows = lists
    .flatMap((list) => {
      const items = list.items.map(
        (m, i) =>
          `<tr><td style="${CELL}color:${COLOR.muted};">${i === 0 ? h(list.title) : ""}</td><td style="${CELL}">${h(tableName(m.name))}</td><td style="${CELL}text-align:right;">${h(m.change)}</td></tr>`,
      );
      if (list.more)
        items.push(
          `<tr><td style="${CELL}"></td><td colspan="2" style="${CELL}color:${COLOR.muted};">${h(list.more)}</td></tr>`,
        );
      return items;
    })
    .join("");
  return `<mj-table>${head}${rows}</mj-table>`;
}

function sourceHtml(content: WhatChangedContent): string {
  const upload = content.upload;
  if (!upload) return h(sourceLine(content));
  const name = upload.link
    ? `<a href="${h(upload.link)}" style="color:${COLOR.muted};">${h(upload.fileName)}</a>`
    : h(upload.fileName);
  const posted = upload.posted ? `, posted ${h(upload.posted)}` : "";
  return `Compared with ${name}${posted} (${h(content.chosenBy)}).`;
}

/** The section in the plain-text part: the same content, one value per line. */
export function whatChangedText(content: WhatChangedContent): string[] {
  const lines = [`${content.title}: ${content.periods}`];
  for (const warning of content.warnings) lines.push(`! ${warning}`);
  if (content.relation) lines.push(content.relation);
  for (const s of content.sentences) lines.push(`- ${s}`);
  if (content.figures.length > 0) {
    lines.push("");
    const width = Math.max(...content.figures.map((f) => f.label.length));
    for (const f of content.figures)
      lines.push(`${`${f.label}:`.padEnd(width + 2)}${f.previous} -> ${f.current}, ${f.change}`);
  }
  if (content.corrections.length > 0) {
    lines.push("", "Corrections");
    for (const c of content.corrections) lines.push(`- ${c}`);
  }
  const lists = [...content.movers, ...content.newAndGone];
  if (lists.length > 0) lines.push("");
  for (const list of lists) {
    const items = list.items.map((m) => `${tableName(m.name)} ${m.change}`);
    if (list.more) items.push(list.more);
    lines.push(`${list.title}: ${items.join(" · ")}`);
  }
  if (content.sameDays) lines.push(`Same days of the month: ${content.sameDays}`);
  if (content.drivers) lines.push(`Drivers: ${content.drivers}`);
  lines.push(
    "",
    content.upload?.link ? `${sourceLine(content)} ${content.upload.link}` : sourceLine(content),
  );
  return lines;
}
