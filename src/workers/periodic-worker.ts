import type { Logger } from '@slack/bolt';
import { startRequestWorker } from './request-worker.js';

export interface PeriodicWorker<Result> {
  /** Asks the worker for one run now (also what the timer does); null once the worker has stopped. */
  run(): Promise<Result | null>;
  stop(): Promise<void>;
}

/** What the bot gives a periodic worker over its database file. */
export interface DatabaseWorkerDeps {
  /** The bot's database. */
  path: string;
  logger: Pick<Logger, 'warn'>;
  /** Told when the worker is gone for good, so the bot's thread takes its work back. */
  onStopped: () => void;
  everyMs?: number;
}

/** What a periodic worker over the bot's database is: its module, its data, its request and its pace. */
export interface PeriodicWorkerSpec {
  /** The worker's module: it answers each `message` with one result, and stops on any other message. */
  url: URL;
  workerData: unknown;
  message: string;
  /** Used unless the deps give their own. */
  everyMs: number;
  /** Names the worker in the warning when it fails. */
  name: string;
}

/** A worker thread asked to run every `everyMs`, one run at a time (a run still going delays the next). */
export function startPeriodicWorker<Result>(
  deps: DatabaseWorkerDeps,
  spec: PeriodicWorkerSpec,
): PeriodicWorker<Result> {
  const worker = startRequestWorker<string, Result>({
    url: spec.url,
    workerData: spec.workerData,
    name: spec.name,
    logger: deps.logger,
    onStopped: () => {
      clearInterval(timer);
      deps.onStopped();
    },
  });
  const run = () => worker.request(spec.message);

  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = last.then(run);
  }, deps.everyMs ?? spec.everyMs);
  timer.unref();

  return {
    run,
    async stop() {
      clearInterval(timer);
      await last;
      await worker.stop();
    },
  };
}
