/**
 * A Gemini answer for sample_data/sales_q1_2026.csv whose every figure is in the metrics: what the
 * fake Gemini servers return when a test needs the "good answer" path.
 */
export const SAMPLE_GEMINI_ANSWER = JSON.stringify({
  headline: "Net revenue reached $660K in Jan-Mar 2026, with North contributing 68.2%.",
  keyFindings: [
    "North brought in $466.5K.",
    "Electronics made up 93.5% of revenue.",
    "Revenue fell 61.9% in March.",
  ],
  risks: ["1 order worth $24K was cancelled."],
  actions: ["Grow sales outside North."],
});
