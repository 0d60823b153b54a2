import type { Analysis } from "../analyze.js";
import type { ComparisonContext } from "../compare/context.js";
import type { Comparison } from "../compare/types.js";
import { deriveComparisonFacts } from "./compare-facts.js";
import { MAX_WHAT_CHANGED_ANSWER, writeOfflineWhatChanged } from "./compare-offline.js";
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
    whatChanged: z.array(z.string().trim().min(1).max(600)).max(MAX_WHAT_CHANGED_ANSWER).optional(),
  });
}

export interface SummarizeOptions {
  /** Null: no API key configured; the offline writer is used and nothing leaves the machine. */
  model: SummaryModel | null;
  /** Why there is no model, when the caller knows better than "no key" (e.g. --offline). */
  offlineReason?: string;
  /**
   * The upload (or month) this file is compared with: its aggregates go to the model as a second
   * data block, and the summary gains "What changed" sentences checked against the comparison.
   */
  comparison?: ComparisonContext | null;
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
  const comparison = options.comparison?.comparison ?? null;
  if (!model) {
    return writeOfflineSummary(
      analysis,
      options.offlineReason ?? "no Gemini API key is configured",
      comparison,
    );
  }
  const facts: CheckedFacts = {
    metrics: deriveFacts(analysis),
    comparison: comparison ? deriveComparisonFacts(comparison) : null,
  };

  let draft: DraftSummary;
  let rejected: string[];
  try {
    draft = await ask(model, analysis, comparison, undefined, options.signal);
    rejected = figuresRejected(draft, facts);
    if (rejected.length > 0) {
      const retry = await ask(model, analysis, comparison, { rejectedFigures: rejected }, options.signal);
      const retryRejected = figuresRejected(retry, facts);
      if (retryRejected.length <= rejected.length) {
        draft = retry;
        rejected = [...new Set([...rejected, ...retryRejected])];
      }
    }
  } catch (error) {
    if (error instanceof SummaryModelError) return writeOfflineSummary(analysis, error.reason, comparison);
    throw error;
  }
  return patch(draft, analysis, comparison, facts, model.model, rejected);
}

/** What each part of the summary is checked against: the sections the metrics, "What changed" the comparison. */
interface CheckedFacts {
  metrics: Facts;
  comparison: Facts | null;
}

async function ask(
  model: SummaryModel,
  analysis: Analysis,
  comparison: Comparison | null,
  feedback: { rejectedFigures: string[] } | undefined,
  signal: AbortSignal | undefined,
): Promise<DraftSummary> {
  const text = await model.generate(buildSummaryRequest(analysis, feedback, comparison), signal);
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

function figuresRejected(draft: DraftSummary, facts: CheckedFacts): string[] {
  const rejected = sentencesOf(draft).flatMap((s) => unsupportedFigures(s, facts.metrics));
  const changes = facts.comparison;
  // Without a comparison, "What changed" sentences are never shown, so their figures do not matter.
  if (changes) for (const s of draft.whatChanged ?? []) rejected.push(...unsupportedFigures(s, changes));
  return rejected;
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
  comparison: Comparison | null,
  facts: CheckedFacts,
  modelName: string,
  rejectedOverall: string[],
): ExecutiveSummary {
  const offline = writeOfflineDraft(analysis);
  let replaced = 0;
  const pick = (text: string, fallback: string | undefined, against: Facts): SummarySentence | null => {
    if (unsupportedFigures(text, against).length === 0) return { text, source: "gemini" };
    replaced++;
    return fallback === undefined ? null : { text: fallback, source: "offline" };
  };
  const list = (texts: string[], fallbacks: string[], against: Facts = facts.metrics) =>
    texts.map((t, i) => pick(t, fallbacks[i], against)).filter((s): s is SummarySentence => s !== null);
  const offlineList = (texts: string[]) =>
    texts.map((text): SummarySentence => ({ text, source: "offline" }));

  const headline = pick(draft.headline, offline.headline, facts.metrics) ?? {
    text: offline.headline,
    source: "offline" as const,
  };
  const keyFindings = list(draft.keyFindings, offline.keyFindings);
  const risks = list(draft.risks, offline.risks);
  const actions = list(draft.actions, offline.actions);
  let whatChanged: SummarySentence[] | undefined;
  let leftOut = false;
  if (comparison && facts.comparison) {
    const fallbacks = writeOfflineWhatChanged(comparison);
    const checked = list(draft.whatChanged ?? [], fallbacks, facts.comparison);
    // Gemini left the section out (the schema asks for it, but an answer without it still serves
    // the rest of the summary): the code-written sentences take its place.
    leftOut = checked.length === 0;
    whatChanged = leftOut ? offlineList(fallbacks) : checked;
  }
  const reasons: string[] = [];
  if (replaced > 0)
    reasons.push(
      `${replaced} ${replaced === 1 ? "sentence" : "sentences"} from Gemini cited figures not in your data and ${replaced === 1 ? "was" : "were"} replaced`,
    );
  if (leftOut && replaced === 0)
    reasons.push("Gemini did not say what changed, so that part was written without it");
  return {
    headline,
    keyFindings: keyFindings.length > 0 ? keyFindings : offlineList(offline.keyFindings),
    risks,
    actions,
    ...(whatChanged ? { whatChanged } : {}),
    writer: reasons.length > 0 ? "mixed" : "gemini",
    verified: true,
    offlineReason: reasons.length > 0 ? reasons.join("; ") : null,
    model: modelName,
    rejectedFigures: rejectedOverall,
  };
}
