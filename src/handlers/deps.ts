import type { Logger } from '@slack/bolt';
import type { Reports } from '../delivery/reports.js';
import type { People } from '../people.js';
import type { DealQueries } from '../store/deal-queries.js';
import type { DealSearch } from '../store/deal-search.js';
import type { DealProcess } from '../workflow/deal-process.js';
import type { FollowUps } from '../workflow/follow-ups.js';
import type { TeamSettings } from '../workflow/settings.js';
import type { SettingsCommands } from '../workflow/settings-commands.js';
import type { SystemCommands } from '../workflow/system-commands.js';
import type { Roles } from '../workflow/types.js';
import type { AfterAck } from './after-ack.js';

export interface HandlerDeps {
  process: DealProcess;
  system: SystemCommands;
  followUps: FollowUps;
  queries: DealQueries;
  search: DealSearch;
  /** Analyses and exports, sent to the person's DM. */
  reports: Reports;
  people: People;
  /** What a request causes after its answer has gone (modals, notices). */
  afterAck: AfterAck;
  /** Leaders and admins in force (they change from Slack; read them per request). */
  roles: Roles;
  /** The settings in force, read per request so a change applies to the next modal. */
  settings: () => TeamSettings;
  settingsCommands: SettingsCommands;
  commandNames: readonly string[];
  /** The bot's own user id: only its messages can be deal cards. */
  botUserId: string;
  /** https://<workspace>.slack.com/, for links to deal threads; null when unknown. */
  workspaceUrl: string | null;
  timeZone: string;
  now: () => Date;
  logger: Logger;
}
