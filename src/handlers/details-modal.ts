import type { App } from '@slack/bolt';
import { ACTION } from '../ids.js';
import { buildDetailsModal } from '../views/details-modal.js';
import { assertAllowed, maySeeLossReason } from '../workflow/permissions.js';
import { buttonActor, dealOfButton } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';

/** 詳細: the deal's items and its whole timeline, for anyone in the team. */
export function registerDetailsModal(app: App, deps: HandlerDeps): void {
  app.action(ACTION.openDetails, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    try {
      const deal = dealOfButton(deps, action.value);
      assertAllowed(await buttonActor(deps, body), 'view_details', deps.roles, deal);
      const view = buildDetailsModal(deal, deps.queries.timeline(deal.id), {
        timeZone: deps.timeZone,
        maySeeLossReason: maySeeLossReason(deps.roles, deal, body.user.id),
      });
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (error) {
      logFailure(deps.logger, 'open details', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), deps.logger);
    }
  });
}
