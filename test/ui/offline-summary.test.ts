import { describe, expect, it } from "vitest";
import { writeOfflineSummary } from "../../src/pipeline/summary/offline.js";
import { buildSummaryEmail } from "../../src/ui/email/summary-email.js";
import { buildSummaryMessage } from "../../src/ui/slack/summary-message.js";
import { uiFixtures } from "./fixtures.js";
import { allStrings, expectWithinLimits, textObjects } from "./helpers.js";

const fixtures = uiFixtures();

describe("renderers with the offline writer's summary", () => {
  it("escape the group names the offline sentences quote from evil.csv", async () => {
    const analysis = await fixtures.evil();
    const summary = writeOfflineSummary(analysis, "Gemini is not configured.");
    // The offline writer names the top groups, so the sentences carry the file's hostile values.
    const sentences = [summary.headline, ...summary.keyFindings].map((s) => s.text).join("\n");
    expect(sentences).toMatch(/<@U123>|<!channel>/);

    const message = buildSummaryMessage(analysis, summary);
    expectWithinLimits(message.blocks);
    for (const s of [...allStrings(message.blocks), message.text]) expect(s).not.toMatch(/<[!@#a-z]/i);
    expect(textObjects(message.blocks).at(-1)?.text).toBe(
      "Written without Gemini: Gemini is not configured.",
    );

    const email = await buildSummaryEmail(analysis, summary);
    expect(email.html).not.toMatch(/<[!@](channel|U123)/);
    expect(email.html).toContain("&lt;@U123&gt;");
    expect(email.text).toContain("Written without Gemini: Gemini is not configured.");
  });
});
