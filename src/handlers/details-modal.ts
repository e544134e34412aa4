import { ACTION } from '../ids.js';
import { buildDetailsModal, DETAILS_MAX_ITEMS } from '../views/details-modal.js';
import { assertAllowed, isLeader, maySeeLossReason } from '../workflow/permissions.js';
import { dealOfButton, openOrPush, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';

/** 詳細: the deal's items and its newest timeline entries, for anyone in the team. */
export function registerDetailsModal(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.openDetails,
    tapHandler(deps, 'open details', async (tap) => {
      const { actor } = tap;
      const deal = dealOfButton(deps, tap.value);
      assertAllowed(actor, 'view_details', deps.roles, deal);
      const leader = isLeader(deps.roles, actor.userId);
      const view = buildDetailsModal(deal, deps.queries.recentTimeline(deal.id, DETAILS_MAX_ITEMS), {
        timeZone: deps.timeZone,
        maySeeLossReason: maySeeLossReason(deps.roles, deal, actor.userId),
        lists: deps.settings().lists,
        snooze: deps.followUps.currentSnooze(deal.id),
        may: { snooze: leader || deal.ownerId === actor.userId, reassign: leader },
      });
      // From a search result the details stack on the search, which is still there on 戻る.
      await openOrPush(tap, view);
    }),
  );
}
