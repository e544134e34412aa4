import type { App } from '@slack/bolt';
import { readAdviceForm } from '../forms/advice-form.js';
import { readDealMetadata } from '../forms/metadata.js';
import { ACTION, CALLBACK } from '../ids.js';
import { buildAdviceModal } from '../views/advice-modal.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildDoneModal } from '../views/notice.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import { buttonActor, dealOfButton } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, noticeFor, showNotice } from './respond.js';

/** 1a. 助言や戦略の指示: a leader's button in their DM or the home tab, and the advice modal. */
export function registerAdviceModal(app: App, deps: HandlerDeps): void {
  const { logger } = deps;

  app.action(ACTION.openAdvice, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    try {
      const deal = dealOfButton(deps, action.value);
      assertAllowed(await buttonActor(deps, body), 'advise', deps.roles, deal);
      if (deal.adviceGiven) throw new DomainError('already_advised');
      await client.views.open({ trigger_id: body.trigger_id, view: buildAdviceModal(deal) });
    } catch (error) {
      logFailure(logger, 'open advice', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), logger);
    }
  });

  app.view(CALLBACK.adviceModal, async ({ ack, body, view }) => {
    const metadata = readDealMetadata(view.private_metadata);
    if (!metadata) {
      logger.warn('anken: advice submitted with unreadable private_metadata', { userId: body.user.id });
      await ack(noticeFor(new DomainError('not_found')));
      return;
    }
    const form = readAdviceForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    try {
      const actor = await deps.people.actor(body.user.id, body.user.team_id);
      const { deal } = deps.process.adviseDeal({
        actor,
        dealId: metadata.dealId,
        text: form.value,
        idempotencyKey: view.id,
      });
      await ack({
        response_action: 'update',
        view: buildDoneModal(`${dealNumber(deal)} のスレッドに助言を投稿しました。`),
      });
    } catch (error) {
      logFailure(logger, 'advice', error, { userId: body.user.id, dealId: metadata.dealId });
      await ack(noticeFor(error));
    }
  });
}
