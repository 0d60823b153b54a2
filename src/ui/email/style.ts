import { clip, escapeHtml, spreadsheetCell } from "../escape.js";

/** The e-mail's colours and table cell style, shared by its sections. */
export const COLOR = {
  text: "#1f2933",
  muted: "#616e7c",
  rule: "#e4e7eb",
  page: "#f4f5f7",
  card: "#ffffff",
  /** Period warnings: a light amber panel with an orange rule (Okabe-Ito orange, as the charts). */
  warningBackground: "#fff7e6",
  warningRule: "#E69F00",
};

export const CELL = `padding:6px 0;border-bottom:1px solid ${COLOR.rule};`;

const MAX_GROUP_NAME = 120;

export function heading(title: string): string {
  return `<h2 style="margin:0 0 6px 0;font-size:16px;line-height:22px;font-weight:700;">${escapeHtml(title)}</h2>`;
}

/**
 * A group name as a table cell. People paste these tables into spreadsheets, so a name from the file
 * such as `=HYPERLINK(...)` gets a leading `'` and stays text; the figures beside it are ours.
 */
export function tableName(name: string): string {
  return clip(spreadsheetCell(name), MAX_GROUP_NAME);
}
