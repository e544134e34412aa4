import type { App } from '@slack/bolt';
import { readDealMetadata } from '../forms/metadata.js';
import { readProgressForm } from '../forms/progress-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildDoneModal } from '../views/notice.js';
import { buildProgressModal } from '../views/progress-modal.js';
import { todayIn } from '../workflow/dates.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import { buttonActor, dealOfButton } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, noticeFor, showNotice } from './respond.js';

const DONE_MESSAGE = {
  negotiating: 'を記録し、スレッドに共有しました。',
  won: 'を受注で記録しました。おめでとうございます!',
  lost: 'を失注で記録しました。営業リーダに報告しました。',
} as const;

/** 2. 見積もり提出や往訪の記録: opened from the card, the thread, a DM or the home tab. */
export function registerProgressModal(app: App, deps: HandlerDeps): void {
  const { logger } = deps;
  const today = () => todayIn(deps.timeZone, deps.now());

  app.action(ACTION.openProgress, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    try {
      const deal = dealOfButton(deps, action.value);
      assertAllowed(await buttonActor(deps, body), 'record_progress', deps.roles, deal);
      if (deal.status === 'won' || deal.status === 'lost') throw new DomainError('closed');
      if (deal.status === 'draft') throw new DomainError('not_reported');
      await client.views.open({ trigger_id: body.trigger_id, view: buildProgressModal(deal, today()) });
    } catch (error) {
      logFailure(logger, 'open progress', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), logger);
    }
  });

  app.view(CALLBACK.progressModal, async ({ ack, body, view }) => {
    const metadata = readDealMetadata(view.private_metadata);
    if (!metadata) {
      logger.warn('anken: progress submitted with unreadable private_metadata', { userId: body.user.id });
      await ack(noticeFor(new DomainError('not_found')));
      return;
    }
    const form = readProgressForm(view.state.values, today());
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    try {
      const actor = await deps.people.actor(body.user.id, body.user.team_id);
      const { deal } = deps.process.recordProgress({
        actor,
        dealId: metadata.dealId,
        entry: form.value,
        idempotencyKey: view.id,
      });
      await ack({
        response_action: 'update',
        view: buildDoneModal(`${dealNumber(deal)} ${DONE_MESSAGE[form.value.status]}`),
      });
    } catch (error) {
      logFailure(logger, 'progress', error, { userId: body.user.id, dealId: metadata.dealId });
      await ack(noticeFor(error));
    }
  });
}
