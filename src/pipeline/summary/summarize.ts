import type { Analysis } from "../analyze.js";
import { deriveFacts, type Facts } from "./facts.js";
import { type SummaryModel, SummaryModelError } from "./model.js";
import { writeOfflineDraft, writeOfflineSummary } from "./offline.js";
import { buildSummaryRequest } from "./prompt.js";
import type { DraftSummary, ExecutiveSummary, SummarySentence } from "./types.js";
import { unsupportedFigures } from "./verify.js";

/**
 * The shape a model's answer must have. zod (about 95 modules, some 65 ms of start-up CPU) is loaded
 * only once a model has answered, so an offline run (the CLI's usual case) never pays for it.
 */
async function draftSchema() {
  const { z } = await import("zod");
  return z.object({
    headline: z.string().trim().min(1).max(400),
    keyFindings: z.array(z.string().trim().min(1).max(600)).min(1).max(6),
    risks: z.array(z.string().trim().min(1).max(600)).max(4),
    actions: z.array(z.string().trim().min(1).max(600)).max(4),
  });
}

export interface SummarizeOptions {
  /** Null: no API key configured; the offline writer is used and nothing leaves the machine. */
  model: SummaryModel | null;
  /** Why there is no model, when the caller knows better than "no key" (e.g. --offline). */
  offlineReason?: string;
  signal?: AbortSignal;
}

/**
 * The executive summary for an analysis. With a model: ask it (metrics only), check every figure it
 * wrote against the metrics, ask once more naming the figures it got wrong, and replace whatever is
 * still unsupported with the offline writer's sentences. Without one, or when it fails: offline.
 * Never throws for a model problem; the reason ends up in `offlineReason`.
 */
export async function summarize(analysis: Analysis, options: SummarizeOptions): Promise<ExecutiveSummary> {
  const { model } = options;
  if (!model) {
    return writeOfflineSummary(analysis, options.offlineReason ?? "no Gemini API key is configured");
  }
  const facts = deriveFacts(analysis);

  let draft: DraftSummary;
  let rejected: string[];
  try {
    draft = await ask(model, analysis, undefined, options.signal);
    rejected = figuresRejected(draft, facts);
    if (rejected.length > 0) {
      const retry = await ask(model, analysis, { rejectedFigures: rejected }, options.signal);
      const retryRejected = figuresRejected(retry, facts);
      if (retryRejected.length <= rejected.length) {
        draft = retry;
        rejected = [...new Set([...rejected, ...retryRejected])];
      }
    }
  } catch (error) {
    if (error instanceof SummaryModelError) return writeOfflineSummary(analysis, error.reason);
    throw error;
  }
  return patch(draft, analysis, facts, model.model, rejected);
}

async function ask(
  model: SummaryModel,
  analysis: Analysis,
  feedback: { rejectedFigures: string[] } | undefined,
  signal: AbortSignal | undefined,
): Promise<DraftSummary> {
  const text = await model.generate(buildSummaryRequest(analysis, feedback), signal);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SummaryModelError("Gemini's answer was not valid JSON", { cause });
  }
  const parsed = (await draftSchema()).safeParse(json);
  if (!parsed.success) throw new SummaryModelError("Gemini's answer did not have the expected sections");
  return parsed.data;
}

function figuresRejected(draft: DraftSummary, facts: Facts): string[] {
  return sentencesOf(draft).flatMap((s) => unsupportedFigures(s, facts));
}

function sentencesOf(d: DraftSummary): string[] {
  return [d.headline, ...d.keyFindings, ...d.risks, ...d.actions];
}

/**
 * Keeps every model sentence whose figures check out; a sentence that still cites an unsupported figure
 * is replaced by the offline sentence in the same place (or dropped when the offline writer has none).
 */
function patch(
  draft: DraftSummary,
  analysis: Analysis,
  facts: Facts,
  modelName: string,
  rejectedOverall: string[],
): ExecutiveSummary {
  const offline = writeOfflineDraft(analysis);
  let replaced = 0;
  const pick = (text: string, fallback: string | undefined): SummarySentence | null => {
    if (unsupportedFigures(text, facts).length === 0) return { text, source: "gemini" };
    replaced++;
    return fallback === undefined ? null : { text: fallback, source: "offline" };
  };
  const list = (texts: string[], fallbacks: string[]) =>
    texts.map((t, i) => pick(t, fallbacks[i])).filter((s): s is SummarySentence => s !== null);

  const headline = pick(draft.headline, offline.headline) ?? {
    text: offline.headline,
    source: "offline" as const,
  };
  const keyFindings = list(draft.keyFindings, offline.keyFindings);
  const risks = list(draft.risks, offline.risks);
  const actions = list(draft.actions, offline.actions);
  return {
    headline,
    keyFindings:
      keyFindings.length > 0 ? keyFindings : offline.keyFindings.map((text) => ({ text, source: "offline" })),
    risks,
    actions,
    writer: replaced > 0 ? "mixed" : "gemini",
    verified: true,
    offlineReason:
      replaced > 0
        ? `${replaced} ${replaced === 1 ? "sentence" : "sentences"} from Gemini cited figures not in your data and ${replaced === 1 ? "was" : "were"} replaced`
        : null,
    model: modelName,
    rejectedFigures: rejectedOverall,
  };
}
