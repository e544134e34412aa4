import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';

/** What to read (see read-ahead-worker.js): a named query, the pointer map, or the file's last pages. */
export type ReadAheadRequest = { query: string; params: readonly unknown[] } | { pointerMap: true } | { tail: number };

export interface ReadAheadResult {
  /** The worker thread that read (never the main thread's 0). */
  threadId: number;
  /** The query's one row, or `{ pages }` read. */
  row: unknown;
}

export interface ReadAhead {
  /** Reads in the worker; null when the worker has stopped (reading ahead is only a help). */
  read(request: ReadAheadRequest): Promise<ReadAheadResult | null>;
  stop(): Promise<void>;
}

export interface ReadAheadDeps {
  path: string;
  /** Named read-only queries (from src/store) whose reads bring a batch's rows into the page cache. */
  queries: Readonly<Record<string, string>>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Starts a worker thread with its own read-only connection that runs read-ahead queries one at a time.
 * A failure there is logged and ends the reading ahead: the batches then read from disk themselves.
 */
export function startReadAhead(deps: ReadAheadDeps): ReadAhead {
  const worker = new Worker(new URL('./read-ahead-worker.js', import.meta.url), {
    workerData: { path: deps.path, queries: deps.queries },
  });
  let running = true;
  const waiting: Array<(result: ReadAheadResult | null) => void> = [];
  worker.on('message', (result: ReadAheadResult) => waiting.shift()?.(result));
  worker.on('error', (error) => deps.logger.warn('anken: reading ahead for a batch job failed', error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      for (const resolveWaiting of waiting.splice(0)) resolveWaiting(null);
      resolve();
    }),
  );
  return {
    read(request) {
      if (!running) return Promise.resolve(null);
      return new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage(request);
      });
    },
    async stop() {
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
