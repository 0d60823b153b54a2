/** Where one sentence of a summary came from. */
export type SentenceSource = "gemini" | "offline";

export interface SummarySentence {
  text: string;
  source: SentenceSource;
}

/**
 * The executive summary as every renderer (CLI, Slack, e-mail) receives it. Sentences are plain text
 * (no markup); renderers escape them for their medium.
 */
export interface ExecutiveSummary {
  headline: SummarySentence;
  keyFindings: SummarySentence[];
  risks: SummarySentence[];
  actions: SummarySentence[];
  /**
   * "What changed" since the upload it was compared with: 1 to 4 sentences, each figure checked
   * against the comparison (not the metrics). Absent or empty when there was no comparison (and in
   * summaries stored before comparisons existed).
   */
  whatChanged?: SummarySentence[];
  /** "gemini": all from the model; "offline": all from the offline writer; "mixed": checked and patched. */
  writer: "gemini" | "offline" | "mixed";
  /** True when every figure in every sentence traces to a value derived from the metrics. */
  verified: boolean;
  /** Why (some of) the summary was written without Gemini, in words a user can act on; null if it was not. */
  offlineReason: string | null;
  model: string | null;
  /** Figures the model wrote that the metrics do not support (removed from the final text). */
  rejectedFigures: string[];
}

/** What the model is asked to return (JSON). */
export interface DraftSummary {
  headline: string;
  keyFindings: string[];
  risks: string[];
  actions: string[];
  /** Only asked for when there is a comparison. */
  whatChanged?: string[];
}
