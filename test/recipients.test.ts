import { describe, expect, it } from "vitest";
import { parseRecipients } from "../src/recipients.js";

const domains = (...values: string[]) => ({
  anyone: values.includes("*"),
  values: new Set(values.filter((v) => v !== "*")),
});

describe("parseRecipients", () => {
  it("reads commas, spaces and Slack's mailto links, lower-cased and de-duplicated", () => {
    expect(
      parseRecipients(
        "Boss@Example.com, <mailto:cfo@example.com|cfo@example.com> boss@example.com",
        domains("example.com"),
      ),
    ).toEqual({
      ok: true,
      recipients: ["boss@example.com", "cfo@example.com"],
    });
  });

  it("refuses malformed addresses and foreign domains, naming them", () => {
    expect(parseRecipients("a@example.com nope", domains("example.com"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/nope/),
    });
    expect(parseRecipients("a@gmail.com", domains("example.com"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/a@gmail\.com/),
    });
  });

  it("denies every domain when ALLOWED_EMAIL_DOMAINS is empty, and allows any with *", () => {
    expect(parseRecipients("a@example.com", domains()).ok).toBe(false);
    expect(parseRecipients("a@example.com", domains())).toMatchObject({
      problem: expect.stringMatching(/ask your Slack admin/),
    });
    expect(parseRecipients("a@anywhere.org", domains("*")).ok).toBe(true);
  });

  it("names no internal setting in what the user reads", () => {
    for (const list of [domains(), domains("example.com")]) {
      const check = parseRecipients("a@gmail.com", list);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problem).not.toMatch(/[A-Z]{3,}_[A-Z_]+/);
    }
  });

  it("an empty list means Slack only", () => {
    expect(parseRecipients("  ", domains())).toEqual({ ok: true, recipients: [] });
  });
});
