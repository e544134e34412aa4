// @ts-check
/**
 * Moves the search index's pending texts into the index proper (search-pending.js), in a worker thread
 * with its own connection: FTS5's merges of a large index never hold the bot's event loop, and they
 * hold only the index file's lock, which the bot's writes never take. Plain JavaScript so that Node
 * loads it as it is, from the sources and from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPendingTexts } from '../store/search-pending.js';

/** @type {{ path: string; searchPath: string; batch: number }} */
const { path, searchPath, batch } = workerData;

const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.prepare('ATTACH DATABASE ? AS search').run(searchPath);
db.pragma('search.busy_timeout = 5000');

parentPort?.on('message', (message) => {
  if (message !== 'apply') {
    db.close();
    parentPort?.close();
    return;
  }
  let moved = 0;
  for (let step = applyPendingTexts(db, batch); step > 0; step = applyPendingTexts(db, batch)) moved += step;
  parentPort?.postMessage(moved);
});
