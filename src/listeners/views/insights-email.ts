import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { newJobId } from "../../analyze-file.js";
import { parseRecipients } from "../../recipients.js";
import {
  chosenFileIds,
  FILES_BLOCK,
  isEmailOnly,
  parseFileRef,
  RECIPIENTS_ACTION,
  RECIPIENTS_BLOCK,
} from "../../ui/slack/interactive.js";
import { checkAccess, type ListenerDeps, notInChannel, SLOW_DOWN, startJob } from "../deps.js";

/** The recipients modal was submitted: bad addresses come back as field errors, otherwise the job starts. */
export function insightsEmailSubmission(deps: ListenerDeps) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const ref = parseFileRef(view.private_metadata);
    const fieldError = (message: string) =>
      ack({ response_action: "errors", errors: { [RECIPIENTS_BLOCK]: message } });
    if (!ref) return fieldError("This form has expired. Close it and start again from the message.");
    const access = await checkAccess(deps, {
      user: body.user.id,
      team: body.user.team_id ?? body.team?.id,
      channel: ref.channel,
      action: "modal",
    });
    if (!access.ok) return fieldError(access.message);
    const value = view.state.values[RECIPIENTS_BLOCK]?.[RECIPIENTS_ACTION]?.value ?? "";
    const emailOnly = isEmailOnly(view.private_metadata);
    const recipients = parseRecipients(value, deps.config.slack.allowedEmailDomains);
    if (!recipients.ok) return fieldError(recipients.problem);
    // Slack enforces a required field in its clients; the check here covers any other sender.
    if (emailOnly && recipients.recipients.length === 0) {
      return fieldError("Enter at least one e-mail address: the summary is already in the thread.");
    }
    if (!(await deps.runner.allow(body.user.id))) return fieldError(SLOW_DOWN);
    // Someone may have removed the bot since the modal opened.
    if (!(await deps.jobs.slack.isMember(ref.channel))) {
      return fieldError((await notInChannel(deps, { id: ref.channel })).plain);
    }
    const chosen = chosenFileIds(view.state.values) ?? [ref.fileId];
    if (chosen.length === 0) {
      return ack({ response_action: "errors", errors: { [FILES_BLOCK]: "Tick at least one spreadsheet." } });
    }
    await ack();
    for (const fileId of chosen) {
      await startJob(deps, {
        id: newJobId(),
        trigger: emailOnly ? "button" : "shortcut",
        ...ref,
        fileId,
        requester: body.user.id,
        recipients: recipients.recipients,
      });
    }
  };
}
