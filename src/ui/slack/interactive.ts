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
export const FILES_BLOCK = "files";
export const FILES_ACTION = "file_ids";
/** Slack's checkboxes take at most 10 options; a message carries at most 10 files. */
const MAX_FILE_OPTIONS = 10;
const OPTION_TEXT_MAX = 75;

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

/**
 * The recipients modal opened by the message shortcut and by the button. With several spreadsheets
 * in the message (`files`), a checkbox per file, all ticked, lets the user pick which to analyse.
 */
export function emailModal(
  ref: FileRef,
  options: {
    fileName: string;
    defaultRecipients: string[];
    files?: { id: string; name: string }[];
    /**
     * From the button under a posted summary: the summary is already in the thread, so the modal
     * only e-mails it and recipients are required.
     */
    emailOnly?: boolean;
  },
) {
  const emailOnly = options.emailOnly === true;
  const files = (options.files ?? []).slice(0, MAX_FILE_OPTIONS);
  const fileOptions = files.map((f) => ({
    text: {
      type: "plain_text" as const,
      text: escapeSlackPlainText(f.name).slice(0, OPTION_TEXT_MAX) || f.id,
    },
    value: f.id,
  }));
  const choice =
    fileOptions.length > 1
      ? [
          {
            type: "input",
            block_id: FILES_BLOCK,
            label: { type: "plain_text", text: "Spreadsheets to analyse" },
            element: {
              type: "checkboxes",
              action_id: FILES_ACTION,
              options: fileOptions,
              initial_options: fileOptions,
            },
          },
        ]
      : [];
  const subject = emailOnly
    ? "The summary is already in the thread. Who should get it by e-mail?"
    : fileOptions.length > 1
      ? `The summary of each spreadsheet you tick goes to the message's thread, one per file.`
      : `The summary of ${escapeSlackPlainText(options.fileName).slice(0, 200)} goes to its thread.`;
  return {
    type: "modal" as const,
    callback_id: EMAIL_MODAL_CALLBACK,
    private_metadata: JSON.stringify(emailOnly ? { ...ref, emailOnly: true } : ref),
    title: { type: "plain_text" as const, text: "Sales insights" },
    submit: { type: "plain_text" as const, text: "Send" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: { type: "plain_text", text: subject },
      },
      ...choice,
      {
        type: "input",
        block_id: RECIPIENTS_BLOCK,
        optional: !emailOnly,
        label: { type: "plain_text", text: emailOnly ? "E-mail it to" : "Also e-mail it to" },
        hint: {
          type: "plain_text",
          text: emailOnly
            ? "Addresses separated by commas or spaces."
            : "Addresses separated by commas or spaces. Leave empty to post in Slack only.",
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

/** Whether the modal's private_metadata says it only e-mails an already posted summary. */
export function isEmailOnly(value: string | undefined): boolean {
  try {
    return (JSON.parse(value ?? "null") as { emailOnly?: unknown } | null)?.emailOnly === true;
  } catch {
    return false;
  }
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

/** The file ids ticked in the modal, in the order offered (upload order); null when it had no choice. */
export function chosenFileIds(
  values: Record<string, Record<string, { selected_options?: { value: string }[] | null }>>,
): string[] | null {
  const selected = values[FILES_BLOCK]?.[FILES_ACTION]?.selected_options;
  if (selected === undefined) return null;
  return (selected ?? []).map((o) => o.value);
}
