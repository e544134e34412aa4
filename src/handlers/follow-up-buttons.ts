import type { App } from '@slack/bolt';
import { readButtonId } from '../forms/metadata.js';
import { ACTION } from '../ids.js';
import { DomainError } from '../workflow/errors.js';
import { tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { showNotice } from './respond.js';

function dealIdOf(value: string | undefined): number {
  const dealId = readButtonId(value);
  if (dealId === null) throw new DomainError('not_found');
  return dealId;
}

/** Leaders' buttons on stalled deals: 催促する. */
export function registerFollowUpButtons(app: App, deps: HandlerDeps): void {
  app.action(
    ACTION.nudgeOwner,
    tapHandler(deps, 'nudge', async ({ actor, value, triggerId, client }) => {
      deps.followUps.nudge(actor, dealIdOf(value));
      await showNotice(client, triggerId, '担当営業に DM で催促しました。', deps.logger);
    }),
  );
}
