import type { ExecutiveSummary } from "../pipeline/summary/types.js";

/** The provenance line every rendering ends with: where the words came from, and that figures were checked. */
export function summaryFooter(s: ExecutiveSummary): string {
  if (s.writer === "offline") return `Written without Gemini: ${s.offlineReason ?? "offline mode"}`;
  const base = "Figures verified against your data · Only aggregated metrics were sent to Gemini";
  return s.writer === "mixed" && s.offlineReason ? `${base} · ${s.offlineReason}` : base;
}
