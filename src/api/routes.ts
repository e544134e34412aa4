import type { CustomRoute, Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { SystemCommands } from '../workflow/system-commands.js';

/** Lazily resolved: Bolt needs the routes before the app (and its client and logger) exists. */
export interface ApiDeps {
  config: Config;
  system: () => SystemCommands;
  client: () => WebClient;
  logger: () => Logger;
}

/** The bot's own HTTP API, next to Slack's endpoint. */
export function createApiRoutes(_deps: ApiDeps): CustomRoute[] {
  return [];
}
