import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import type { SearchIndex } from '../store/search-index.js';

/**
 * Texts indexed per batch (a deal's fields, each entry): a batch is one short transaction, so Slack's
 * requests are answered between batches, however many entries a deal has (npm run bench).
 */
export const BACKLOG_BATCH = 50;
/** The backlog waits while this many texts are pending (the worker moves them into the index proper). */
const PENDING_LIMIT = 2_000;
/**
 * Copied texts taken off the pending list per step: a step can run while a request awaits something,
 * so it stays well under a millisecond.
 */
const SETTLE_BATCH = 20;
/** With nothing to do, the job looks again after this long. */
const IDLE_MS = 250;

export interface IndexingOptions {
  logger: Logger;
  signal: AbortSignal;
  batch?: number;
  /**
   * Whether the pending texts are moved into the index proper here, on the bot's thread: with an
   * in-memory database, or once the worker thread is gone (true when not given).
   */
  movesHere?: () => boolean;
  /** Told once the backlog has been indexed. */
  onComplete?: () => void;
}

/**
 * One step of the search index's background work, one short transaction: texts the worker has copied
 * into the index proper taken off the pending list (or, with no worker, pending texts moved here), else a
 * batch of the deals that were there before the index (after a migration, a restore or a bulk load).
 * Returns whether there was anything to do, and the deals still waiting.
 */
function indexStep(index: SearchIndex, batch: number, movesHere: boolean, backlog: number) {
  const moved = movesHere ? index.applyPending(batch) : index.settleApplied(SETTLE_BATCH);
  if (moved > 0) return { worked: true, left: backlog };
  if (backlog > 0 && index.pendingSize() < PENDING_LIMIT) return { worked: true, left: index.indexBacklog(batch) };
  return { worked: false, left: backlog };
}

/**
 * Keeps the search index up to date until `signal` aborts: the backlog newest deals first, one short
 * transaction at a time, yielding to the event loop between batches. `untilDone`: returns once the
 * backlog is indexed (and, when they are moved here, no text is pending).
 */
export async function keepSearchIndex(
  index: SearchIndex,
  options: IndexingOptions & { untilDone?: boolean },
): Promise<void> {
  const movesHere = options.movesHere ?? (() => true);
  let backlog = index.backlogSize();
  if (backlog > 0) options.logger.info(`anken: indexing ${backlog} deals for search`);
  while (!options.signal.aborted) {
    const step = indexStep(index, options.batch ?? BACKLOG_BATCH, movesHere(), backlog);
    if (backlog > 0 && step.left === 0) {
      options.logger.info('anken: search index complete');
      options.onComplete?.();
    }
    backlog = step.left;
    if (options.untilDone && backlog === 0 && (!movesHere() || index.pendingSize() === 0)) return;
    if (step.worked) await nextTurn();
    else await sleep(IDLE_MS, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** Indexes the backlog and moves the pending texts, all of it, here (tests, benchmarks, tools). */
export function drainSearchBacklog(index: SearchIndex, options: IndexingOptions): Promise<void> {
  return keepSearchIndex(index, { ...options, untilDone: true });
}
