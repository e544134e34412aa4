import { readDealMetadata } from '../forms/metadata.js';
import { readProgressForm } from '../forms/progress-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildProgressModal } from '../views/progress-modal.js';
import { todayIn } from '../workflow/dates.js';
import { assertAllowed, assertProgressOpen } from '../workflow/permissions.js';
import { dealOfButton, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';
import { submissionHandler } from './submission.js';

const DONE_MESSAGE = {
  negotiating: 'を記録し、スレッドに共有しました。',
  won: 'を受注で記録しました。おめでとうございます!',
  lost: 'を失注で記録しました。営業リーダに報告しました。',
} as const;

/** 2. 見積もり提出や往訪の記録: opened from the card, the thread, a DM or the home tab. */
export function registerProgressModal(routes: Routes, deps: HandlerDeps): void {
  const today = () => todayIn(deps.timeZone, deps.now());

  routes.action(
    ACTION.openProgress,
    tapHandler(deps, 'open progress', async ({ actor, value, triggerId, client }) => {
      const deal = dealOfButton(deps, value);
      assertAllowed(actor, 'record_progress', deps.roles, deal);
      assertProgressOpen(deal);
      await client.views.open({
        trigger_id: triggerId,
        view: buildProgressModal(deal, today(), {
          lists: deps.settings().lists,
          intervalDays: deps.settings().tunables.progressIntervalDays,
        }),
      });
    }),
  );

  routes.view(
    CALLBACK.progressModal,
    submissionHandler(deps, {
      what: 'progress',
      readMetadata: readDealMetadata,
      readForm: (values) => readProgressForm(values, today(), deps.settings().lists),
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
