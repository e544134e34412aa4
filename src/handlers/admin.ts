import type { App } from '@slack/bolt';
import { readButtonId } from '../forms/metadata.js';
import { ACTION } from '../ids.js';
import { DomainError } from '../workflow/errors.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';

/** Admins' buttons on the App Home: send a given-up notification again. */
export function registerAdmin(app: App, deps: HandlerDeps): void {
  app.action(ACTION.retryDelivery, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    try {
      const effectId = readButtonId(action.value);
      if (effectId === null) throw new DomainError('nothing_to_retry');
      deps.system.retryFailedDelivery(await deps.people.actor(body.user.id, body.user.team_id), effectId);
      await showNotice(
        client,
        body.trigger_id,
        '再送を受け付けました。結果はこのホームタブに表示されます。',
        deps.logger,
      );
    } catch (error) {
      logFailure(deps.logger, 'retry delivery', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), deps.logger);
    }
  });
}
