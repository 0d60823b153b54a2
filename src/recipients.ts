import { z } from "zod";
import { type Allowlist, isAllowed } from "./config.js";

export type RecipientCheck = { ok: true; recipients: string[] } | { ok: false; problem: string };

const emailSchema = z.email();

/**
 * Reads addresses from free text (a slash command or the modal): commas or spaces between them, and
 * Slack's auto-linking (`<mailto:a@x.com|a@x.com>`) undone. Every address must be well formed and in
 * an allowed domain, or nothing is sent at all.
 */
export function parseRecipients(text: string, allowedDomains: Allowlist): RecipientCheck {
  const tokens = text
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/gi, "$1")
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const malformed = tokens.filter((t) => !emailSchema.safeParse(t).success);
  if (malformed.length > 0) {
    return { ok: false, problem: `Not an e-mail address: ${malformed.slice(0, 5).join(", ")}.` };
  }
  const recipients = [...new Set(tokens.map((t) => t.toLowerCase()))];
  const foreign = recipients.filter((r) => !isAllowed(allowedDomains, r.split("@")[1] ?? ""));
  if (foreign.length > 0) {
    // The setting's name (ALLOWED_EMAIL_DOMAINS) is for the admins and the README, not for users.
    const allowed =
      allowedDomains.values.size > 0
        ? ` Summaries can be e-mailed to addresses at ${[...allowedDomains.values].join(", ")}.`
        : " E-mailing summaries is not enabled; ask your Slack admin.";
    return {
      ok: false,
      problem: `E-mail to ${foreign.slice(0, 5).join(", ")} is not allowed.${allowed}`,
    };
  }
  if (recipients.length > 20) return { ok: false, problem: "At most 20 recipients at a time." };
  return { ok: true, recipients };
}
