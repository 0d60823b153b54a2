import { expect } from "vitest";
import type { ExecutiveSummary, SentenceSource, SummarySentence } from "../../src/pipeline/summary/types.js";
import type { Block } from "../../src/ui/slack/blocks.js";
import { SLACK_LIMITS, totalTextLength } from "../../src/ui/slack/limits.js";

const s = (text: string, source: SentenceSource = "gemini"): SummarySentence => ({ text, source });

/** A Gemini-written, verified summary of sample_data/sales_q1_2026.csv. */
export function sampleSummary(overrides: Partial<ExecutiveSummary> = {}): ExecutiveSummary {
  return {
    headline: s("Net revenue reached 660K in Jan-Mar 2026, with North bringing in 68.2%."),
    keyFindings: [
      s("North led with 467K of revenue (68.2%), ahead of West at 109K."),
      s("Electronics made up 93.5% of revenue."),
      s("The average order was worth 132K across 5 orders."),
    ],
    risks: [
      s("Revenue fell 61.9% from Feb 2026 to Mar 2026."),
      s("1 cancelled order took 24K (3.5% of revenue) out of net revenue."),
    ],
    actions: [
      s("Find out why March sales dropped in every region but West."),
      s("Review the cancelled order."),
    ],
    writer: "gemini",
    verified: true,
    offlineReason: null,
    model: "gemini-2.5-flash",
    rejectedFigures: [],
    ...overrides,
  };
}

/** A short summary for files other than the sample (the figures do not matter to the renderers). */
export function shortSummary(overrides: Partial<ExecutiveSummary> = {}): ExecutiveSummary {
  return {
    headline: s("Net revenue was 1.2K."),
    keyFindings: [s("One region brought in most of the revenue.")],
    risks: [],
    actions: [s("Add a date column so trends can be tracked.")],
    writer: "offline",
    verified: true,
    offlineReason: "Gemini is not configured (GEMINI_API_KEY is not set).",
    model: null,
    rejectedFigures: [],
    ...overrides,
  };
}

export function sentence(text: string, source: SentenceSource = "gemini"): SummarySentence {
  return s(text, source);
}

/** Every string anywhere in the blocks (texts, and any other value Slack would read). */
export function allStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(allStrings);
  return [];
}

/** The text objects of a message, with where they sit. */
export function textObjects(
  blocks: Block[],
): { kind: string; type: string; text: string; verbatim?: boolean }[] {
  const out: { kind: string; type: string; text: string; verbatim?: boolean }[] = [];
  for (const b of blocks) {
    if (b.type === "header") out.push({ kind: "header", ...b.text });
    if (b.type === "section") {
      if (b.text) out.push({ kind: "section", ...b.text });
      for (const f of b.fields ?? []) out.push({ kind: "field", ...f });
    }
    if (b.type === "context") for (const el of b.elements) out.push({ kind: "context", ...el });
  }
  return out;
}

/** A CSV from rows of cells (quoted when needed). */
export function csv(rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

/** Every Block Kit limit the bot relies on, checked on a finished message. */
export function expectWithinLimits(blocks: Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(totalTextLength(blocks)).toBeLessThanOrEqual(SLACK_LIMITS.totalText);
  for (const b of blocks) {
    if (b.type === "header") {
      expect(b.text.text.length).toBeGreaterThan(0);
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    if (b.type === "section") {
      expect(b.text !== undefined || (b.fields?.length ?? 0) > 0).toBe(true);
      if (b.text) {
        expect(b.text.text.length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === "context") {
      expect(b.elements.length).toBeGreaterThan(0);
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const el of b.elements) expect(el.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
  }
}
