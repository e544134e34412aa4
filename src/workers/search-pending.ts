import { WAL_SIZE_LIMIT_BYTES } from '../store/db.js';
import { searchIndexPath } from '../store/search-file.js';
import { type DatabaseWorkerDeps, startPeriodicWorker } from './periodic-worker.js';

/** How often the pending texts are moved into the search index proper. */
const EVERY_MS = 250;
/** Texts per transaction in the worker. */
const BATCH = 500;

export interface PendingMover {
  /** Moves every pending text now (also what the timer does); resolves with how many, null once stopped. */
  apply(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Copies the pending texts into the search index proper (search-pending.js) in a worker thread, every quarter second. */
export function startPendingMover(deps: DatabaseWorkerDeps): PendingMover {
  const worker = startPeriodicWorker<number>(deps, {
    url: new URL('./search-pending-worker.js', import.meta.url),
    workerData: {
      path: deps.path,
      searchPath: searchIndexPath(deps.path),
      batch: BATCH,
      walSizeLimit: WAL_SIZE_LIMIT_BYTES,
    },
    message: 'apply',
    everyMs: EVERY_MS,
    name: 'search index',
  });
  return { apply: worker.run, stop: worker.stop };
}
