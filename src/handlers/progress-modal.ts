import type { App } from '@slack/bolt';
import { readDealMetadata } from '../forms/metadata.js';
import { readProgressForm } from '../forms/progress-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildProgressModal } from '../views/progress-modal.js';
import { todayIn } from '../workflow/dates.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import { buttonActor, dealOfButton } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import { submissionHandler } from './submission.js';

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

  app.view(
    CALLBACK.progressModal,
    submissionHandler(deps, {
      what: 'progress',
      readMetadata: readDealMetadata,
      readForm: (values) => readProgressForm(values, today()),
      submit: ({ actor, metadata, value, viewId }) => {
        const { deal } = deps.process.recordProgress({
          actor,
          dealId: metadata.dealId,
          entry: value,
          idempotencyKey: viewId,
        });
        return `${dealNumber(deal)} ${DONE_MESSAGE[value.status]}`;
      },
    }),
  );
}
