import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { emailModal, parseFileRef } from "../../ui/slack/interactive.js";
import { checkAccess, type ListenerDeps, notInChannel } from "../deps.js";

/** The "Email this summary" button under a summary: the same recipients modal as the shortcut. */
export function emailSummaryAction(deps: ListenerDeps) {
  return async ({
    action,
    body,
    ack,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const ref = parseFileRef(action.value);
    if (!ref) return;
    const access = await checkAccess(deps, {
      user: body.user.id,
      team: body.user.team_id ?? body.team?.id,
      channel: ref.channel,
      action: "email_button",
    });
    if (!access.ok) {
      await respond({ response_type: "ephemeral", replace_original: false, text: access.message }).catch(
        () => {},
      );
      return;
    }
    if (!(await deps.jobs.slack.isMember(ref.channel))) {
      const text = (await notInChannel(deps, { id: ref.channel })).mrkdwn;
      await respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => {});
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: emailModal(ref, {
        fileName: "this file",
        defaultRecipients: deps.config.slack.defaultEmailTo,
        emailOnly: true,
      }),
    });
  };
}
