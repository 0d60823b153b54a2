/**
 * The one thing the summary pipeline needs from a language model. The Gemini service implements it;
 * tests implement it with canned answers. Keeping it this small keeps the pipeline free of SDKs.
 */
export interface SummaryRequest {
  systemInstruction: string;
  /** The user turn: instructions plus the delimited metrics block. */
  prompt: string;
  /** JSON Schema the answer must follow (sent as the structured-output schema). */
  responseJsonSchema: Record<string, unknown>;
}

export interface SummaryModel {
  readonly model: string;
  /** Resolves to the model's raw JSON text; rejects with SummaryModelError when no usable answer came. */
  generate(request: SummaryRequest, signal?: AbortSignal): Promise<string>;
}

/** A model call that produced no usable answer; `reason` is shown to users ("written without Gemini: ..."). */
export class SummaryModelError extends Error {
  override name = "SummaryModelError";
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}
