import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import type { SearchIndex } from '../store/search-index.js';

/**
 * Texts indexed per batch (a deal's fields, each entry): a batch is one short transaction, so Slack's
 * requests are answered between batches, however many entries a deal has (npm run bench).
 */
export const BACKLOG_BATCH = 50;

/**
 * Indexes the deals that were there before the search index (after the migration, or a bulk load),
 * newest first, one short transaction at a time, yielding to the event loop between batches.
 */
export async function drainSearchBacklog(
  index: SearchIndex,
  options: { logger: Logger; signal: AbortSignal; batch?: number },
): Promise<void> {
  let remaining = index.backlogSize();
  if (remaining === 0) return;
  options.logger.info(`anken: indexing ${remaining} deals for search`);
  while (remaining > 0 && !options.signal.aborted) {
    remaining = index.indexBacklog(options.batch ?? BACKLOG_BATCH);
    await nextTurn();
  }
  if (remaining === 0) options.logger.info('anken: search index complete');
}
