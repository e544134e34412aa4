import { readButtonId, readDealMetadata } from '../forms/metadata.js';
import { readReassignForm } from '../forms/reassign-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildReassignModal } from '../views/reassign-modal.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import { dealOfButton, openOrPush, type Tap, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { showNotice } from './respond.js';
import type { Routes } from './routes.js';
import { submissionHandler } from './submission.js';

function dealIdOf(value: string | undefined): number {
  const dealId = readButtonId(value);
  if (dealId === null) throw new DomainError('not_found');
  return dealId;
}

/** 担当を変更 (leaders): the modal, from the pipeline, an escalation DM, 詳細 or the card's ⋯ menu. */
export async function openReassign(deps: HandlerDeps, tap: Tap): Promise<void> {
  const deal = dealOfButton(deps, tap.value);
  assertAllowed(tap.actor, 'reassign', deps.roles, deal);
  if (deal.status === 'won' || deal.status === 'lost') throw new DomainError('closed');
  await openOrPush(tap, buildReassignModal(deal));
}

/** Leaders' buttons on stalled deals: 催促する and 担当を変更. */
export function registerFollowUpButtons(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.nudgeOwner,
    tapHandler(deps, 'nudge', async ({ actor, value, triggerId, client }) => {
      deps.followUps.nudge(actor, dealIdOf(value));
      await showNotice(client, triggerId, '担当営業に DM で催促しました。', deps.logger);
    }),
  );

  routes.action(
    ACTION.openReassign,
    tapHandler(deps, 'open reassign', (tap) => openReassign(deps, tap)),
  );

  routes.view(
    CALLBACK.reassignModal,
    submissionHandler(deps, {
      what: 'reassign',
      readMetadata: readDealMetadata,
      readForm: readReassignForm,
      submit: ({ actor, metadata, value, viewId }) => {
        const { deal } = deps.followUps.reassignDeal({
          actor,
          dealId: metadata.dealId,
          newOwnerId: value,
          idempotencyKey: viewId,
        });
        return `${dealNumber(deal)} の担当営業を変更しました。`;
      },
    }),
  );
}
