import type { HomeView } from '@slack/types';
import type { Store } from '../store/index.js';
import { buildHome } from '../views/home.js';
import { startOfMonth, todayIn } from '../workflow/dates.js';
import { isAdmin, isLeader } from '../workflow/permissions.js';
import { buildPipelineBoard } from '../workflow/pipeline-board.js';
import type { TeamSettings } from '../workflow/settings.js';
import { type StallRules, stallCutoffs } from '../workflow/stalled.js';
import type { Roles } from '../workflow/types.js';
import { HOME_LIST_FETCH, type SharedHomeCache } from './home-facts.js';

export interface HomeRenderDeps {
  store: Store;
  /** What every App Home (or every leader's) shows alike, read once per change. */
  sharedHome: SharedHomeCache;
  roles: Roles;
  settings: () => TeamSettings;
  timeZone: string;
  now: () => Date;
  stallRules: () => StallRules;
}

/** A person's App Home as it is now: their own lists, and what their role adds from the shared part. */
export function createHomeRenderer(deps: HomeRenderDeps): (userId: string) => Promise<HomeView> {
  const { store, sharedHome } = deps;
  const { queries } = store;
  return async (userId) => {
    const now = deps.now();
    const leader = isLeader(deps.roles, userId);
    const admin = isAdmin(deps.roles, userId);
    const shared = sharedHome.get(startOfMonth(now, deps.timeZone));
    const own = store.pipeline.openDealFactsOwnedBy(userId);
    const board = leader ? await sharedHome.board(now, deps.stallRules()) : undefined;
    return buildHome({
      userId,
      timeZone: deps.timeZone,
      failures: admin ? shared.failures : [],
      isLeader: leader,
      today: todayIn(deps.timeZone, now),
      tasks: queries.openTasksOf(userId, HOME_LIST_FETCH),
      adviceWaiting: leader ? shared.adviceWaiting : [],
      ownDeals: queries.openDealsOwnedBy(userId, HOME_LIST_FETCH),
      totals: { ...queries.openCountsOf(userId), adviceWaiting: shared.adviceWaitingCount },
      pipeline: shared.pipeline,
      ...(admin ? { settings: deps.settings() } : {}),
      ownStalled: buildPipelineBoard(own, stallCutoffs(now, deps.stallRules()), deps.timeZone, own.length).stalled,
      ...(board ? { board } : {}),
    });
  };
}
