import { escapeSlackPlainText } from "../escape.js";
import type { ActionsBlock } from "./blocks.js";

/** What the "Email this summary" button and the recipients modal carry between Slack round trips. */
export interface FileRef {
  channel: string;
  threadTs: string;
  fileId: string;
}

export const EMAIL_BUTTON_ACTION = "email_summary";
export const EMAIL_MODAL_CALLBACK = "insights_email";
export const RECIPIENTS_BLOCK = "recipients";
export const RECIPIENTS_ACTION = "emails";

export function emailButtonBlock(ref: FileRef): ActionsBlock {
  return {
    type: "actions",
    block_id: "summary_actions",
    elements: [
      {
        type: "button",
        action_id: EMAIL_BUTTON_ACTION,
        text: { type: "plain_text", text: "Email this summary" },
        value: JSON.stringify(ref),
      },
    ],
  };
}

/** The recipients modal opened by the message shortcut and by the button. */
export function emailModal(ref: FileRef, options: { fileName: string; defaultRecipients: string[] }) {
  return {
    type: "modal" as const,
    callback_id: EMAIL_MODAL_CALLBACK,
    private_metadata: JSON.stringify(ref),
    title: { type: "plain_text" as const, text: "Sales insights" },
    submit: { type: "plain_text" as const, text: "Send" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "plain_text",
          text: `The summary of ${escapeSlackPlainText(options.fileName).slice(0, 200)} goes to its thread.`,
        },
      },
      {
        type: "input",
        block_id: RECIPIENTS_BLOCK,
        optional: true,
        label: { type: "plain_text", text: "Also e-mail it to" },
        hint: {
          type: "plain_text",
          text: "Addresses separated by commas or spaces. Leave empty to post in Slack only.",
        },
        element: {
          type: "plain_text_input",
          action_id: RECIPIENTS_ACTION,
          placeholder: { type: "plain_text", text: "boss@company.com, cfo@company.com" },
          ...(options.defaultRecipients.length > 0
            ? { initial_value: options.defaultRecipients.join(", ") }
            : {}),
        },
      },
    ],
  };
}

export function parseFileRef(value: string | undefined): FileRef | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Partial<FileRef>;
    if (
      typeof parsed.channel === "string" &&
      typeof parsed.threadTs === "string" &&
      typeof parsed.fileId === "string"
    ) {
      return { channel: parsed.channel, threadTs: parsed.threadTs, fileId: parsed.fileId };
    }
  } catch {
    // Not ours: fall through.
  }
  return null;
}
