import { readButtonId } from '../forms/metadata.js';
import { ACTION } from '../ids.js';
import { DomainError } from '../workflow/errors.js';
import { tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { showNotice } from './respond.js';
import type { Routes } from './routes.js';

/** Admins' buttons on the App Home: send a given-up notification again. */
export function registerAdmin(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.retryDelivery,
    tapHandler(deps, 'retry delivery', async ({ actor, value, triggerId, client }) => {
      const effectId = readButtonId(value);
      if (effectId === null) throw new DomainError('nothing_to_retry');
      deps.system.retryFailedDelivery(actor, effectId);
      await showNotice(client, triggerId, '再送を受け付けました。結果はこのホームタブに表示されます。', deps.logger);
    }),
  );
}
