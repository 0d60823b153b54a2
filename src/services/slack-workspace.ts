import type { webApi } from "@slack/bolt";

/** Who the app is in Slack: the installing workspace and the bot's own user. */
export interface Workspace {
  /** The workspace the app is installed in (auth.test team_id). */
  teamId: string;
  botUserId: string;
  /** The bot's user name as people type it after "@" (auth.test user). */
  botName: string;
}

/**
 * auth.test once, remembered; a failed call is not remembered, so the next request asks again.
 * Lazy rather than at start-up so the listeners need nothing from main.ts.
 */
export function workspaceOf(client: webApi.WebClient): () => Promise<Workspace> {
  let known: Promise<Workspace> | null = null;
  return () => {
    known ??= client.auth.test().then(
      (r) => ({
        teamId: r.team_id ?? "",
        botUserId: r.user_id ?? "",
        botName: r.user ?? "Sales Insight Bot",
      }),
      (error: unknown) => {
        known = null;
        throw error;
      },
    );
    return known;
  };
}
