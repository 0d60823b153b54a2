import type { DataTableBlock, DataVisualizationBlock } from "./data-blocks.js";

export type { DataTableBlock, DataVisualizationBlock } from "./data-blocks.js";

/**
 * The few Block Kit shapes the bot sends, typed here so the renderers need no Slack SDK. They are a
 * structural subset of @slack/types' `KnownBlock`, so a message built here can be passed to
 * `chat.postMessage` as is.
 */

export interface PlainTextObject {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

export interface MrkdwnObject {
  type: "mrkdwn";
  text: string;
  /** true: Slack does not auto-link URLs, channel names or bare mentions in the text. */
  verbatim?: boolean;
}

export interface HeaderBlock {
  type: "header";
  text: PlainTextObject;
}

export interface SectionBlock {
  type: "section";
  text?: MrkdwnObject;
  fields?: MrkdwnObject[];
}

export interface ContextBlock {
  type: "context";
  elements: MrkdwnObject[];
}

export interface DividerBlock {
  type: "divider";
}

export type Block =
  | HeaderBlock
  | SectionBlock
  | ContextBlock
  | DividerBlock
  | ActionsBlock
  | DataVisualizationBlock
  | DataTableBlock;

/** Buttons: no text that counts against the limits; they only take a block slot. */
export interface ActionsBlock {
  type: "actions";
  block_id?: string;
  elements: unknown[];
}

/** Text that Slack must show as written: `text` is already escaped; nothing in it is auto-parsed. */
export function mrkdwn(text: string): MrkdwnObject {
  return { type: "mrkdwn", text, verbatim: true };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text, emoji: false } };
}

export function section(text: string): SectionBlock {
  return { type: "section", text: mrkdwn(text) };
}

export function fieldsSection(fields: string[]): SectionBlock {
  return { type: "section", fields: fields.map(mrkdwn) };
}

export function context(texts: string[]): ContextBlock {
  return { type: "context", elements: texts.map(mrkdwn) };
}

export function divider(): DividerBlock {
  return { type: "divider" };
}
