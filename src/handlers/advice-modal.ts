import type { App } from '@slack/bolt';
import { readAdviceForm } from '../forms/advice-form.js';
import { readDealMetadata } from '../forms/metadata.js';
import { ACTION, CALLBACK } from '../ids.js';
import { buildAdviceModal } from '../views/advice-modal.js';
import { dealNumber } from '../views/deal-summary.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import { buttonActor, dealOfButton } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import { submissionHandler } from './submission.js';

/** 1a. 助言や戦略の指示: a leader's button in their DM or the home tab, and the advice modal. */
export function registerAdviceModal(app: App, deps: HandlerDeps): void {
  const { logger } = deps;

  app.action(ACTION.openAdvice, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    try {
      const deal = dealOfButton(deps, action.value);
      assertAllowed(await buttonActor(deps, body), 'advise', deps.roles, deal);
      if (deal.status === 'won' || deal.status === 'lost') throw new DomainError('closed');
      if (deal.adviceGiven) throw new DomainError('already_advised');
      await client.views.open({ trigger_id: body.trigger_id, view: buildAdviceModal(deal) });
    } catch (error) {
      logFailure(logger, 'open advice', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), logger);
    }
  });

  app.view(
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
