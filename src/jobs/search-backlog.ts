import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import type { SearchIndex } from '../store/search-index.js';

/**
 * Texts indexed per batch (a deal's fields, each entry): a batch is one short transaction, so Slack's
 * requests are answered between batches, however many entries a deal has (npm run bench).
 */
export const BACKLOG_BATCH = 50;
/** How often the segments that writes added to the search index are merged. */
export const MERGE_INTERVAL_MS = 5_000;

interface IndexingOptions {
  logger: Logger;
  signal: AbortSignal;
  batch?: number;
}

/** Merges the index's segments one bounded step at a time, yielding to the event loop between steps. */
export async function mergeSearchIndex(index: SearchIndex, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && index.mergeStep()) await nextTurn();
}

/**
 * Indexes the deals that were there before the search index (after the migration, or a bulk load),
 * newest first, one short transaction at a time, yielding to the event loop between batches, and
 * merges the segments the batches write as it goes.
 */
export async function drainSearchBacklog(index: SearchIndex, options: IndexingOptions): Promise<void> {
  let remaining = index.backlogSize();
  if (remaining === 0) return;
  options.logger.info(`anken: indexing ${remaining} deals for search`);
  while (remaining > 0 && !options.signal.aborted) {
    remaining = index.indexBacklog(options.batch ?? BACKLOG_BATCH);
    await nextTurn();
    if (!options.signal.aborted && index.mergeStep()) await nextTurn();
  }
  await mergeSearchIndex(index, options.signal);
  if (remaining === 0) options.logger.info('anken: search index complete');
}

/** The backlog first, then, until stopped, a merge of what the writes added every MERGE_INTERVAL_MS. */
export async function maintainSearchIndex(
  index: SearchIndex,
  options: IndexingOptions & { intervalMs?: number },
): Promise<void> {
  await drainSearchBacklog(index, options);
  while (!options.signal.aborted) {
    try {
      await sleep(options.intervalMs ?? MERGE_INTERVAL_MS, undefined, { signal: options.signal, ref: false });
    } catch {
      return;
    }
    await mergeSearchIndex(index, options.signal);
  }
}
