import { readAdviceForm } from '../forms/advice-form.js';
import { readDealMetadata } from '../forms/metadata.js';
import { ACTION, CALLBACK } from '../ids.js';
import { buildAdviceModal } from '../views/advice-modal.js';
import { dealNumber } from '../views/deal-summary.js';
import { assertAdviceOpen, assertAllowed } from '../workflow/permissions.js';
import { dealOfButton, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';
import { submissionHandler } from './submission.js';

/** 1a. 助言や戦略の指示: a leader's button in their DM or the home tab, and the advice modal. */
export function registerAdviceModal(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.openAdvice,
    tapHandler(deps, 'open advice', async ({ actor, value, triggerId, client }) => {
      const deal = dealOfButton(deps, value);
      assertAllowed(actor, 'advise', deps.roles, deal);
      assertAdviceOpen(deal);
      await client.views.open({ trigger_id: triggerId, view: buildAdviceModal(deal, deps.settings().lists) });
    }),
  );

  routes.view(
    CALLBACK.adviceModal,
    submissionHandler(deps, {
      what: 'advice',
      readMetadata: readDealMetadata,
      readForm: readAdviceForm,
      submit: ({ actor, metadata, value, viewId }) => {
        const { deal } = deps.process.adviseDeal({
          actor,
          dealId: metadata.dealId,
          text: value,
          idempotencyKey: viewId,
        });
        return `${dealNumber(deal)} のスレッドに助言を投稿しました。`;
      },
    }),
  );
}
