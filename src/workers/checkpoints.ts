import { type DatabaseWorkerDeps, startPeriodicWorker } from './periodic-worker.js';

/** How often the WAL is copied into the database file. */
const EVERY_MS = 1_000;

export interface CheckpointResult {
  /** 1 when a writer or reader kept the checkpoint from finishing (it is tried again next time). */
  busy: number;
  walFrames: number;
  checkpointedFrames: number;
}

export interface Checkpointer {
  /** Runs one checkpoint now (also what the timer does); null once the worker has stopped. */
  checkpoint(): Promise<CheckpointResult | null>;
  stop(): Promise<void>;
}

/**
 * Takes the WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
 * commit crosses 1,000 WAL pages: on a large file it copies pages to random places and syncs, tens of
 * milliseconds that land on one request's answer. Here a worker thread does it every second.
 */
export function startCheckpointer(deps: DatabaseWorkerDeps): Checkpointer {
  const worker = startPeriodicWorker<CheckpointResult>(deps, {
    url: new URL('./checkpoint-worker.js', import.meta.url),
    workerData: { path: deps.path },
    message: 'checkpoint',
    everyMs: EVERY_MS,
    name: 'WAL checkpoint',
  });
  return { checkpoint: worker.run, stop: worker.stop };
}
