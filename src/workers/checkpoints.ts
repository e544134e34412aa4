import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';

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

export interface CheckpointerDeps {
  path: string;
  logger: Pick<Logger, 'warn'>;
  /** Told when the worker is gone for good, so the bot's own connection takes checkpoints back. */
  onStopped: () => void;
  everyMs?: number;
}

/**
 * Takes the WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
 * commit crosses 1,000 WAL pages: on a large file it copies pages to random places and syncs, tens of
 * milliseconds that land on one request's answer. Here a worker thread does it every second.
 */
export function startCheckpointer(deps: CheckpointerDeps): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { path: deps.path } });
  let running = true;
  const waiting: Array<(result: CheckpointResult | null) => void> = [];
  worker.on('message', (result: CheckpointResult) => waiting.shift()?.(result));
  worker.on('error', (error) => deps.logger.warn('anken: the WAL checkpoint worker failed', error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      clearInterval(timer);
      for (const resolveWaiting of waiting.splice(0)) resolveWaiting(null);
      deps.onStopped();
      resolve();
    }),
  );

  function checkpoint(): Promise<CheckpointResult | null> {
    if (!running) return Promise.resolve(null);
    return new Promise((resolve) => {
      waiting.push(resolve);
      worker.postMessage('checkpoint');
    });
  }

  // One at a time: a checkpoint still running when the next is due makes that one wait.
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = last.then(checkpoint);
  }, deps.everyMs ?? EVERY_MS);
  timer.unref();

  return {
    checkpoint,
    async stop() {
      clearInterval(timer);
      await last;
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
