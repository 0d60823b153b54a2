import type { Block, MrkdwnObject } from "./blocks.js";

/**
 * Block Kit limits for one message. Slack rejects a message that breaks any of them
 * (`invalid_blocks`, `msg_blocks_too_long`), so a summary must fit before it is sent. `totalText` is
 * our own budget, under the undocumented ~13,200-character cap on all block text together.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  totalText: 12_000,
} as const;

export type SlackLimits = { readonly [K in keyof typeof SLACK_LIMITS]: number };

const ELLIPSIS = "…";
/** A text shrunk below this many characters says nothing useful: the block goes instead. */
const MIN_USEFUL = 40;

/** The characters of text a block carries (what counts against Slack's total). */
export function blockTextLength(block: Block): number {
  switch (block.type) {
    case "header":
      return block.text.text.length;
    case "section":
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case "context":
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case "divider":
    case "actions":
    // Chart and table blocks have limits of their own, enforced where they are built (data-blocks.ts).
    case "data_visualization":
    case "data_table":
      return 0;
  }
}

export function totalTextLength(blocks: Block[]): number {
  return blocks.reduce((n, b) => n + blockTextLength(b), 0);
}

/**
 * Shortens escaped mrkdwn to at most `max` characters: whole lines are dropped from the end (a "…"
 * line says so); a single line that is still too long is cut without leaving half an entity
 * (`&am`) behind, and a bold run it cut open is closed again.
 */
export function shrinkMrkdwn(text: string, max: number, options: { plain?: boolean } = {}): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  if (max === 1) return ELLIPSIS;
  let kept = "";
  for (const line of text.split("\n")) {
    const candidate = kept ? `${kept}\n${line}` : line;
    if (candidate.length + 1 + ELLIPSIS.length > max) break;
    kept = candidate;
  }
  if (kept) return `${kept}\n${ELLIPSIS}`;
  const firstLine = text.split("\n")[0] ?? "";
  return cutLine(firstLine, max, options.plain ?? false);
}

function cutLine(line: string, max: number, plain: boolean): string {
  // Room for "…" and, if needed, the "*" that closes a bold run.
  let end = Math.max(0, max - 2);
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let cut = line.slice(0, end).replace(/&[a-z]*$/, "");
  // Escaped text has no "*" of its own (escapeSlackText swaps them), so every "*" is bold markup.
  const stars = plain ? 0 : cut.split("*").length - 1;
  if (stars % 2 === 1 && cut.endsWith("*")) cut = cut.slice(0, -1);
  const closes = !plain && (cut.split("*").length - 1) % 2 === 1;
  const out = `${cut.trimEnd()}${ELLIPSIS}${closes ? "*" : ""}`;
  return out.length <= max ? out : ELLIPSIS;
}

interface Slot {
  length: number;
  shrink(max: number): void;
  remove(): void;
}

/**
 * A copy of `blocks` that Slack accepts, whatever went in: every text within its own limit, at most
 * 10 fields or context elements, at most 50 blocks, and all text together within `totalText`. The
 * first block (the header) and the last (the footer) are kept; past that, the longest texts are cut
 * to a common length (so long lists lose their tails and short texts lose nothing), and a text that
 * would become too short to say anything is removed with its block. Never throws.
 */
export function enforceLimits(input: Block[], limits: SlackLimits = SLACK_LIMITS): Block[] {
  let blocks = (structuredClone(input) as Block[]).map((b) => fitBlock(b, limits)).filter(isNonEmpty);

  if (blocks.length > limits.blocks) {
    const last = blocks.at(-1) as Block;
    blocks = [...blocks.slice(0, limits.blocks - 1), last];
  }

  let total = totalTextLength(blocks);
  while (total > limits.totalText) {
    const slots = shrinkableSlots(blocks);
    if (slots.length === 0) break;
    const cap = lengthCap(
      slots.map((s) => s.length),
      total - limits.totalText,
    );
    for (const slot of slots) {
      if (slot.length <= cap) continue;
      if (cap < MIN_USEFUL) slot.remove();
      else slot.shrink(cap);
    }
    blocks = blocks.filter(isNonEmpty);
    total = totalTextLength(blocks);
  }
  // Only the header and footer are left and they are still too long: drop from the end.
  while (totalTextLength(blocks) > limits.totalText && blocks.length > 1) blocks.pop();
  return withoutStrayDividers(blocks);
}

/** Dividers left first, last or next to each other by removed blocks separate nothing. */
function withoutStrayDividers(blocks: Block[]): Block[] {
  return blocks.filter(
    (b, i) => b.type !== "divider" || (i > 0 && i < blocks.length - 1 && blocks[i + 1]?.type !== "divider"),
  );
}

/**
 * The largest length that, imposed on every text, saves at least `excess` characters: the longest
 * texts are shortened to a common length and shorter ones are left alone.
 */
function lengthCap(lengths: number[], excess: number): number {
  const saved = (cap: number) => lengths.reduce((n, len) => n + Math.max(0, len - cap), 0);
  let lo = 0;
  let hi = Math.max(...lengths);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (saved(mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function fitBlock(block: Block, limits: SlackLimits): Block {
  switch (block.type) {
    case "header":
      block.text.text = shrinkMrkdwn(block.text.text.replace(/\n/g, " "), limits.headerText, { plain: true });
      return block;
    case "section":
      if (block.text) {
        block.text.text = shrinkMrkdwn(block.text.text, limits.sectionText);
        if (!block.text.text) delete block.text;
      }
      if (block.fields) {
        block.fields = fitTexts(block.fields.slice(0, limits.fields), limits.fieldText);
        if (block.fields.length === 0) delete block.fields;
      }
      return block;
    case "context":
      block.elements = fitTexts(block.elements.slice(0, limits.contextElements), limits.contextText);
      return block;
    case "divider":
    case "actions":
    case "data_visualization":
    case "data_table":
      return block;
  }
}

function fitTexts(texts: MrkdwnObject[], max: number): MrkdwnObject[] {
  for (const t of texts) t.text = shrinkMrkdwn(t.text, max);
  return texts.filter((t) => t.text.length > 0);
}

function isNonEmpty(block: Block): boolean {
  switch (block.type) {
    case "header":
      return block.text.text.length > 0;
    case "section":
      return Boolean(block.text?.text) || (block.fields?.length ?? 0) > 0;
    case "context":
      return block.elements.length > 0;
    case "divider":
    case "actions":
    case "data_visualization":
    case "data_table":
      return true;
  }
}

/** Every text that may be shortened: all but the first block's (the header) and the last's (the footer). */
function shrinkableSlots(blocks: Block[]): Slot[] {
  const slots: Slot[] = [];
  blocks.forEach((block, i) => {
    if (i === 0 || i === blocks.length - 1) return;
    if (block.type === "section") {
      const text = block.text;
      if (text) {
        slots.push({
          length: text.text.length,
          shrink: (max) => {
            text.text = shrinkMrkdwn(text.text, max);
          },
          remove: () => {
            delete block.text;
          },
        });
      }
      const fields = block.fields ?? [];
      for (const field of fields) slots.push(textSlot(field, fields));
    } else if (block.type === "context") {
      for (const element of block.elements) slots.push(textSlot(element, block.elements));
    }
  });
  return slots;
}

function textSlot(object: MrkdwnObject, siblings: MrkdwnObject[]): Slot {
  return {
    length: object.text.length,
    shrink: (max) => {
      object.text = shrinkMrkdwn(object.text, max);
    },
    remove: () => {
      siblings.splice(siblings.indexOf(object), 1);
    },
  };
}
