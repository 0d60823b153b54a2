import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { createEmailSender, idempotencyKeyFor, type OutgoingEmail } from "../../src/services/email.js";
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from "../../src/ui/charts/render.js";
import { buildSummaryEmail } from "../../src/ui/email/summary-email.js";
import { attachmentProblem, type FakeResend, startFakeResend } from "../helpers/fake-resend.js";
import { SAMPLE_DATA } from "../helpers/files.js";
import { sampleSummary } from "../ui/helpers.js";

/** The summary e-mail with its charts as inline PNGs: through Resend (faked) and into the outbox. */
let resend: FakeResend;
let outbox: string;

beforeAll(async () => {
  resend = await startFakeResend();
  outbox = await mkdtemp(join(tmpdir(), "sib-outbox-"));
});
afterAll(async () => {
  await resend.close();
  await rm(outbox, { recursive: true, force: true });
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function sampleEmail(): Promise<OutgoingEmail> {
  const analysis = await analyzeFile(`${SAMPLE_DATA}sales_q1_2026.csv`);
  const email = await buildSummaryEmail(analysis, sampleSummary());
  return {
    to: ["boss@example.com"],
    subject: email.subject,
    html: email.html,
    text: email.text,
    inlineImages: email.images,
    idempotencyKey: idempotencyKeyFor({ fileKey: `f${Math.random()}`, recipients: ["boss@example.com"] }),
  };
}

describe("the summary e-mail's charts", () => {
  it("go to Resend as inline PNG attachments the HTML shows by cid:, with alt text carrying the numbers", async () => {
    const email = await sampleEmail();
    const sender = createEmailSender(
      {
        resendApiKey: "re_test_key_123456789",
        resendBaseUrl: resend.baseUrl,
        from: "Bot <bot@example.com>",
        outboxDir: outbox,
      },
      { sleep: async () => {}, now: () => 0 },
    );
    const result = await sender.send(email);
    expect(result).toMatchObject({ ok: true, via: "resend" });

    const request = resend.requests.at(-1);
    const body = request?.body as { html: string; attachments: Record<string, string>[] };
    expect(body.attachments.map((a) => a.content_id)).toEqual(["revenue-over-time", "revenue-by-group"]);
    for (const a of body.attachments) {
      expect(body.html).toContain(`src="cid:${a.content_id}"`);
      expect(a.content_type).toBe("image/png");
      expect(a.filename).toBe(`${a.content_id}.png`);
      const size = pngSize(Buffer.from(a.content as string, "base64"));
      expect(size).toEqual({ width: CHART_WIDTH * CHART_SCALE, height: CHART_HEIGHT * CHART_SCALE });
    }
    // No remote image a mail client would block.
    expect(body.html).not.toMatch(/<img[^>]+src="https?:/);
    expect(body.html).toMatch(/alt="Gross revenue by region\. North: 467K \(68\.2%\); West: 109K/);
    // The whole request, images included, stays under 1 MB.
    expect(Buffer.byteLength(request?.rawBody ?? "")).toBeLessThan(1_000_000);
  });

  it("are refused by the fake like Resend refuses a cid: without its attachment or bad base64", () => {
    const html = '<img src="cid:chart">';
    expect(attachmentProblem({ html })).toMatch(/cid:chart/);
    expect(
      attachmentProblem({
        html,
        attachments: [{ filename: "c.png", content: "iVBORw0KGgo=", content_id: "other" }],
      }),
    ).toMatch(/cid:chart/);
    expect(
      attachmentProblem({
        html,
        attachments: [{ filename: "c.png", content: "not base64!", content_id: "chart" }],
      }),
    ).toMatch(/base64/);
    expect(
      attachmentProblem({ html, attachments: [{ content: "iVBORw0KGgo=", content_id: "chart" }] }),
    ).toMatch(/filename/);
    expect(
      attachmentProblem({
        html,
        attachments: [{ filename: "c.png", content: "iVBORw0KGgo=", content_id: "chart" }],
      }),
    ).toBeNull();
  });

  it("go into the outbox .eml as a multipart/related part with Content-IDs", async () => {
    const email = await sampleEmail();
    const sender = createEmailSender({
      resendApiKey: null,
      resendBaseUrl: null,
      from: "Bot <bot@example.com>",
      outboxDir: outbox,
    });
    const result = await sender.send(email);
    expect(result).toMatchObject({ ok: true, via: "outbox" });
    const [name] = (await readdir(outbox)).filter((f) => f.endsWith(".eml"));
    const eml = await readFile(join(outbox, name ?? ""), "utf8");
    expect(eml).toMatch(/Content-Type: multipart\/alternative;/);
    expect(eml).toMatch(/Content-Type: multipart\/related;\r\n boundary="[^"]+"; type="text\/html"/);
    for (const id of ["revenue-over-time", "revenue-by-group"]) {
      const part = new RegExp(
        `Content-Type: image/png; name="${id}\\.png"\\r\\nContent-Transfer-Encoding: base64\\r\\nContent-ID: <${id}>\\r\\nContent-Disposition: inline; filename="${id}\\.png"\\r\\n\\r\\n([A-Za-z0-9+/=\\r\\n]+?)\\r\\n--`,
      ).exec(eml);
      expect(part, id).not.toBeNull();
      const lines = (part?.[1] ?? "").split("\r\n");
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
      expect(pngSize(Buffer.from(lines.join(""), "base64")).width).toBe(CHART_WIDTH * CHART_SCALE);
    }
    expect(Buffer.byteLength(eml)).toBeLessThan(1_000_000);
  });
});
