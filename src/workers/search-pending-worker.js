// @ts-check
/**
 * Copies the search index's pending texts into the index proper (search-pending.js), in a worker thread
 * with its own connection: FTS5's merges of a large index never hold the bot's event loop, and they
 * hold only the index file's lock. The bot's database is only read here (the bot takes the copied texts
 * off the pending list itself), so its writes never wait for this thread. Plain JavaScript so that Node
 * loads it as it is, from the sources and from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPendingTexts } from '../store/search-pending.js';

/** @type {{ path: string; searchPath: string; batch: number; walSizeLimit: number }} */
const { path, searchPath, batch, walSizeLimit } = workerData;

const db = new Database(path, { fileMustExist: true });
// The nightly upkeep holds the index file's lock while it merges the index (search-pair-counts.ts in the
// store): about 20 s at a million deals. The texts wait on the pending list meanwhile; nothing fails.
db.pragma('busy_timeout = 600000');
db.prepare('ATTACH DATABASE ? AS search').run(searchPath);
// This connection checkpoints the index file's WAL; after a large merge it is cut back to this size.
db.pragma(`search.journal_size_limit = ${walSizeLimit}`);

/** Pages handed back to the file system per run, at most: about 1 MB. */
const FREE_PAGES_PER_RUN = 256;
const incrementalVacuum = db.pragma('search.auto_vacuum', { simple: true }) === 2;

/** The pages FTS5's merges freed go back to the file system, a bounded number per run. */
function returnFreePages() {
  if (!incrementalVacuum) return;
  const free = /** @type {number} */ (db.pragma('search.freelist_count', { simple: true }));
  if (free > 0) db.pragma(`search.incremental_vacuum(${Math.min(free, FREE_PAGES_PER_RUN)})`);
}

parentPort?.on('message', (message) => {
  if (message !== 'apply') {
    db.close();
    parentPort?.close();
    return;
  }
  let moved = 0;
  for (let step = applyPendingTexts(db, batch); step > 0; step = applyPendingTexts(db, batch)) moved += step;
  returnFreePages();
  parentPort?.postMessage(moved);
});
