import type { Store } from '../store/index.js';
import { PIPELINE_STALLED_LIMIT } from '../views/home-pipeline.js';
import {
  BOARD_BATCH,
  boardInBatches,
  listedDealIds,
  type PipelineBoard,
  withNames,
} from '../workflow/pipeline-board.js';
import type { FailedOutboxItem, PipelineSummary, TaskWithDeal } from '../workflow/read-models.js';
import { type StallRules, stallCutoffs } from '../workflow/stalled.js';
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

const MINUTE_MS = 60_000;

/**
 * The shared part of the App Home, read once per change rather than once per person: a change refreshes
 * the homes of the owner and every leader, and at a million deals the pipeline totals alone take
 * milliseconds of main thread each time. `changed()` is called after every commit, so a home published
 * after a change never shows the totals from before it.
 */
export function createSharedHomeCache(store: Store, boardBatch = BOARD_BATCH) {
  let cached: { since: string; facts: SharedHomeFacts } | null = null;
  // A change drops it, also while it is being worked out: homes published after the change wait for a new one.
  let board: { key: string; board: Promise<PipelineBoard> } | null = null;

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

  async function workOut(minute: Date, rules: StallRules): Promise<PipelineBoard> {
    const read = store.pipeline.openDealStatesAfter;
    const cutoffs = stallCutoffs(minute, rules);
    const judged = await boardInBatches(read, cutoffs, rules.timeZone, PIPELINE_STALLED_LIMIT, boardBatch);
    return withNames(judged, store.pipeline.dealNames(listedDealIds(judged)));
  }

  return {
    /** `since`: the start of the month the pipeline's 受注/失注 are counted from. */
    get(since: string): SharedHomeFacts {
      if (cached?.since !== since) cached = { since, facts: read(since) };
      return cached.facts;
    },
    /**
     * The leaders' pipeline: every open deal read and judged once per change and minute, however many
     * leaders' homes are published (they wait for the same one). Stalls are judged at the start of the
     * minute (advice waiting counts in business hours, so the limit moves with the clock): a deal shows
     * as stalled within a minute.
     */
    board(now: Date, rules: StallRules): Promise<PipelineBoard> {
      const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
      const key = `${minute.toISOString()} ${rules.adviceStaleHours} ${rules.staleDays} ${rules.timeZone}`;
      if (board?.key !== key) {
        const entry = { key, board: workOut(minute, rules) };
        board = entry;
        entry.board.catch(() => {
          if (board === entry) board = null;
        });
      }
      return board.board;
    },
    changed(): void {
      cached = null;
      board = null;
    },
  };
}
