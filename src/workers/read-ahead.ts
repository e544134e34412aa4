import type { Logger } from '@slack/bolt';
import { startRequestWorker } from './request-worker.js';

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
 * Starts a worker thread with its own read-only connection that reads ahead, one request at a time.
 * A failure there is logged and ends the reading ahead: the batches then read from disk themselves.
 */
export function startReadAhead(deps: ReadAheadDeps): ReadAhead {
  const worker = startRequestWorker<ReadAheadRequest, ReadAheadResult>({
    url: new URL('./read-ahead-worker.js', import.meta.url),
    workerData: { path: deps.path, queries: deps.queries },
    name: 'read-ahead',
    logger: deps.logger,
  });
  return { read: (request) => worker.request(request), stop: () => worker.stop() };
}
