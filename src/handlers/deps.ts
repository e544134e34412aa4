import type { Logger } from '@slack/bolt';
import type { People } from '../people.js';
import type { DealQueries } from '../store/deal-queries.js';
import type { DealProcess } from '../workflow/deal-process.js';
import type { SystemCommands } from '../workflow/system-commands.js';
import type { Roles } from '../workflow/types.js';

export interface HandlerDeps {
  process: DealProcess;
  system: SystemCommands;
  queries: DealQueries;
  people: People;
  roles: Roles;
  commandNames: readonly string[];
  salesChannelId: string;
  timeZone: string;
  now: () => Date;
  logger: Logger;
}
