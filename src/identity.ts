import { WebClient } from '@slack/web-api';
import { type Config, ConfigError } from './config.js';
import { platformError } from './slack-errors.js';

/** Who the bot is, from auth.test at start-up. */
export interface BotIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
  /** https://<workspace>.slack.com/ (auth.test's url), for links to messages. */
  url?: string;
}

/** Where the Web API is: Slack's, or the one `SLACK_API_URL` names (GovSlack, a local fake in tests). */
export function webClientOptions(config: Config) {
  return config.slackApiUrl === undefined ? {} : { slackApiUrl: config.slackApiUrl };
}

/** Slack's answers to a token it does not accept (revoked, mistyped, an app uninstalled). */
const REFUSED_TOKEN = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_allowed_token_type',
]);

/** Calls auth.test once at start-up; a wrong token stops start-up here with a clear message. */
export async function resolveIdentity(config: Config): Promise<BotIdentity> {
  const client = new WebClient(config.slackBotToken, {
    ...webClientOptions(config),
    retryConfig: { retries: 2 },
  });
  const result = await client.auth.test().catch((error: unknown) => {
    const refused = platformError(error);
    if (refused === undefined || !REFUSED_TOKEN.has(refused)) throw error;
    throw new ConfigError([
      `SLACK_BOT_TOKEN: Slack がボットトークンを受け付けませんでした (${refused})。` +
        '「OAuth & Permissions」の Bot User OAuth Token (xoxb-) を設定してください',
    ]);
  });
  if (!result.team_id || !result.user_id || !result.bot_id) {
    throw new Error(
      'auth.test がボットの情報を返しませんでした。SLACK_BOT_TOKEN がボットトークン (xoxb-) か確認してください。',
    );
  }
  return {
    teamId: result.team_id,
    botUserId: result.user_id,
    botId: result.bot_id,
    ...(result.url ? { url: result.url } : {}),
  };
}
