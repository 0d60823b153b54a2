import { describe, expect, it } from "vitest";
import {
  buildSummaryEmail,
  EmailTemplateError,
  emailSubject,
  renderMjml,
} from "../../src/ui/email/summary-email.js";
import { uiFixtures } from "./fixtures.js";
import { sampleSummary, sentence, shortSummary } from "./helpers.js";

const fixtures = uiFixtures();

/** The part of the HTML that carries content (mjml's boilerplate head is its own business). */
function bodyText(html: string): string {
  const body = html.slice(html.indexOf("<body"));
  return body
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("buildSummaryEmail", () => {
  it("renders the sample file", async () => {
    const email = await buildSummaryEmail(await fixtures.sample(), sampleSummary());
    expect(email.subject).toBe("Sales insights: sales_q1_2026.csv (Jan-Mar 2026)");
    await expect(email.text).toMatchFileSnapshot("./__snapshots__/sample.email.txt");
    // The whole HTML (in the .snap file; biome would lint an .html snapshot as if it were ours) and, to
    // review at a glance, the text it shows.
    expect(email.html).toMatchSnapshot("html");
    expect(bodyText(email.html)).toMatchSnapshot("html as text");
  });

  it("is a single 600px column with no web fonts or scripts", async () => {
    const { html } = await buildSummaryEmail(await fixtures.sample(), sampleSummary());
    expect(html).toContain("max-width:600px");
    expect(html.match(/class="mj-column-per-100/g)).toHaveLength(2);
    expect(html).not.toMatch(/fonts\.googleapis|<link|<script/i);
    expect(html).toContain('lang="en"');
  });

  it("says the same things in the HTML and the text part", async () => {
    const email = await buildSummaryEmail(await fixtures.sample(), sampleSummary());
    const body = bodyText(email.html);
    for (const phrase of [
      "Net revenue reached 660K in Jan-Mar 2026, with North bringing in 68.2%.",
      "Average order value",
      "1 row · 24K (3.5% of gross revenue)",
      "Gross revenue",
      "684K",
      "Revenue fell 61.9% from Feb 2026 to Mar 2026.",
      "Find out why March sales dropped in every region but West.",
      "Revenue by category (Product_Category)",
      "Home Appliances",
      "Skipped 1 blank row.",
      "Figures verified against your data · Only aggregated metrics were sent to Gemini",
    ]) {
      expect(body).toContain(phrase);
      expect(email.text).toContain(phrase);
    }
  });

  it("leaves the date range out of the subject when the file has no dates", async () => {
    const email = await buildSummaryEmail(await fixtures.noDatesNoStatus(), shortSummary());
    expect(email.subject).toBe("Sales insights: regions_only.csv");
    await expect(email.text).toMatchFileSnapshot("./__snapshots__/no-dates.email.txt");
    expect(email.text).not.toContain("Period");
    expect(email.text).not.toContain("Cancellations");
    expect(email.text).toContain(
      "Written without Gemini: Gemini is not configured (GEMINI_API_KEY is not set).",
    );
  });

  it("keeps the subject on one line whatever the file name holds", async () => {
    const email = await buildSummaryEmail(await fixtures.sample(), sampleSummary(), {
      fileName: "q1.csv\r\nBcc: victim@example.com\n\tX-Injected: 1",
    });
    expect(email.subject).toBe("Sales insights: q1.csv Bcc: victim@example.com X-Injected: 1 (Jan-Mar 2026)");
    expect(email.subject).not.toMatch(/[\r\n\t]/);
    expect(emailSubject({ fileName: "x".repeat(500), period: null })).toHaveLength(16 + 120);
  });

  it("escapes hostile values from the file and the summary", async () => {
    const analysis = await fixtures.scripted();
    const summary = shortSummary({
      headline: sentence("<script>alert('headline')</script> & <!channel>"),
      keyFindings: [sentence('<a href="javascript:alert(1)">click</a>')],
    });
    const email = await buildSummaryEmail(analysis, summary, {
      fileName: "<img src=x onerror=alert(1)>.csv",
    });
    // Our own chart images (cid:) aside, no tag comes from the file or the summary.
    const html = email.html.replace(/<img\s[^>]*src="cid:[a-z-]+"[^>]*>/g, "");
    expect(email.images.length).toBeGreaterThan(0);
    expect(html).not.toMatch(/<script|<img|<a |<!channel>|<https:/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt; &amp; &lt;!channel&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;");
    expect(html).toContain("Tom &amp; Jerry &quot;Ltd&quot;");
    expect(html).toContain("&lt;https://evil.example|Click&gt;");
    // The title, preview and aria-label carry the subject and headline escaped as well.
    expect(html).toContain(
      "<title>Sales insights: &lt;img src=x onerror=alert(1)&gt;.csv (5-7 Jan 2026)</title>",
    );
    // Plain text is plain: the values as written.
    expect(email.text).toContain("<script>alert(1)</script>");
  });

  it("escapes evil.csv's values in the HTML", async () => {
    const email = await buildSummaryEmail(await fixtures.evil(), shortSummary());
    expect(email.html).not.toContain("<!channel>");
    expect(email.html).not.toContain("<@U123>");
    expect(email.html).toContain("&lt;!channel&gt;");
    expect(email.html).toContain("&lt;@U123&gt;");
    expect(email.html).toContain("=HYPERLINK(&quot;http://evil.example&quot;)");
    await expect(email.text).toMatchFileSnapshot("./__snapshots__/evil.email.txt");
  });

  it("keeps formulas from the file inert in both tables, and leaves its own negative figures alone", async () => {
    const email = await buildSummaryEmail(await fixtures.evil(), shortSummary());
    // Every name cell of the HTML tables, as a spreadsheet would receive it when the table is pasted.
    const cells = [...email.html.matchAll(/<td style="[^"]*">([^<]*)<\/td>/g)].map((m) =>
      (m[1] ?? "")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&"),
    );
    const textRows = [...email.text.matchAll(/^\d+\. (.*?) · /gm)].map((m) => m[1] ?? "");
    for (const formula of [
      '=HYPERLINK("http://evil.example")',
      "@SUM(A1:A9)",
      "+cmd|' /C calc'!A0",
      "-2+3",
    ]) {
      expect(cells).toContain(`'${formula}`);
      expect(textRows).toContain(`'${formula}`);
    }
    for (const cell of [...cells, ...textRows]) expect(cell, cell).not.toMatch(/^[=+@]|^-[^\d$]/);
    // Our own figures are not labels: the returned order's revenue keeps its minus sign as written.
    expect(cells).toContain("-50");
    expect(email.text).toMatch(/^5\. Widgets · -50 · 0 · -9\.1%$/m);
  });

  it("stays small with 200 regions (Gmail clips messages over 102 KB)", async () => {
    const email = await buildSummaryEmail(await fixtures.manyRegions(), sampleSummary());
    expect(Buffer.byteLength(email.html)).toBeLessThan(60_000);
    expect(email.text).toContain("50. Other (151 more) ·");
    expect(bodyText(email.html)).toContain("Other (151 more)");
    expect(email.text.match(/^\d+\. Region/gm)).toHaveLength(49);
  });
});

describe("renderMjml", () => {
  it("fails loudly on invalid MJML instead of rendering around it", async () => {
    const invalid = `<mjml><mj-body><mj-section><mj-column><mj-text colour="red">x</mj-text></mj-column></mj-section></mj-body></mjml>`;
    const error = await renderMjml(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTemplateError);
    expect((error as EmailTemplateError).problems.join("\n")).toMatch(/colour/);
  });
});
