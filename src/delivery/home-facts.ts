import type { Store } from '../store/index.js';
import type { FailedOutboxItem, PipelineSummary, TaskWithDeal } from '../workflow/read-models.js';
import type { Deal } from '../workflow/types.js';

/** How many rows of each list a home reads: one more than it shows, so that it knows there are more. */
export const HOME_LIST_FETCH = 16;

/** What every App Home shows alike, whoever it belongs to. */
export interface SharedHomeFacts {
  pipeline: PipelineSummary;
  /** The first deals waiting for advice (leaders' homes), and how many there are in all. */
  adviceWaiting: TaskWithDeal[];
  adviceWaitingCount: number;
  /** Notifications given up for good, newest first (admins' homes). */
  failures: Array<{ item: FailedOutboxItem; deal: Deal | null }>;
}

export type SharedHomeCache = ReturnType<typeof createSharedHomeCache>;

/**
 * The shared part of the App Home, read once per change rather than once per person: a change refreshes
 * the homes of the owner and every leader, and at a million deals the pipeline totals alone take
 * milliseconds of main thread each time. `changed()` is called after every commit, so a home published
 * after a change never shows the totals from before it.
 */
export function createSharedHomeCache(store: Store) {
  let cached: { since: string; facts: SharedHomeFacts } | null = null;

  function read(since: string): SharedHomeFacts {
    const { queries, outbox } = store;
    return {
      pipeline: queries.pipeline(since),
      adviceWaiting: queries.openAdviceTasks(HOME_LIST_FETCH),
      adviceWaitingCount: queries.openAdviceCount(),
      failures: outbox.recentFailures(5).map((item) => ({
        item,
        deal: 'dealId' in item.effect ? queries.getDeal(item.effect.dealId) : null,
      })),
    };
  }

  return {
    /** `since`: the start of the month the pipeline's 受注/失注 are counted from. */
    get(since: string): SharedHomeFacts {
      if (cached?.since !== since) cached = { since, facts: read(since) };
      return cached.facts;
    },
    changed(): void {
      cached = null;
    },
  };
}
