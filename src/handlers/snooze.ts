import { readDealMetadata } from '../forms/metadata.js';
import { readSnoozeForm } from '../forms/snooze-form.js';
import { ACTION, CALLBACK, SNOOZE_BLOCK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildDoneModal } from '../views/notice.js';
import { buildSnoozeModal } from '../views/snooze.js';
import { formatDate } from '../views/text.js';
import { todayIn } from '../workflow/dates.js';
import { assertAllowed, assertNegotiating } from '../workflow/permissions.js';
import { dealOfButton, openOrPush, type Tap, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { showNotice } from './respond.js';
import type { Routes } from './routes.js';
import { submissionHandler } from './submission.js';

/** 保留にする (or change it): the modal, prefilled with the snooze in force. */
export async function openSnooze(deps: HandlerDeps, tap: Tap): Promise<void> {
  const deal = dealOfButton(deps, tap.value);
  assertAllowed(tap.actor, 'snooze', deps.roles, deal);
  assertNegotiating(deal);
  const today = todayIn(deps.timeZone, deps.now());
  await openOrPush(tap, buildSnoozeModal(deal, today, deps.followUps.currentSnooze(deal.id)));
}

/** 保留を解除: at once, confirmed in a small modal (on top of 詳細 when tapped there). */
export async function endSnooze(deps: HandlerDeps, tap: Tap): Promise<void> {
  const deal = deps.followUps.endSnooze(tap.actor, dealOfButton(deps, tap.value).id);
  const message = `${dealNumber(deal)} の保留を解除しました。`;
  if (tap.inModal) await openOrPush(tap, buildDoneModal(message));
  else await showNotice(tap.client, tap.triggerId, `✅ ${message}`, deps.logger);
}

/** 保留: opened from 詳細, the card's ⋯ menu, a reminder DM or the DM on the snooze's date. */
export function registerSnooze(routes: Routes, deps: HandlerDeps): void {
  const today = () => todayIn(deps.timeZone, deps.now());
  routes.action(
    ACTION.openSnooze,
    tapHandler(deps, 'open snooze', (tap) => openSnooze(deps, tap)),
  );
  routes.action(
    ACTION.endSnooze,
    tapHandler(deps, 'end snooze', (tap) => endSnooze(deps, tap)),
  );
  routes.view(
    CALLBACK.snoozeModal,
    submissionHandler(deps, {
      what: 'snooze',
      readMetadata: readDealMetadata,
      readForm: (values) => readSnoozeForm(values, today()),
      // The deal closed or the person lost the right since the modal opened: said beside the date.
      refusalBlock: SNOOZE_BLOCK.until,
      submit: ({ actor, metadata, value, viewId }) => {
        const { deal } = deps.followUps.snoozeDeal({
          actor,
          dealId: metadata.dealId,
          ...value,
          idempotencyKey: viewId,
        });
        return `${dealNumber(deal)} を ${formatDate(value.until)} まで保留にしました。スレッドに共有しました。`;
      },
    }),
  );
}
