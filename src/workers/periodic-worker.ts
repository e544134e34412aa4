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

export interface PeriodicWorkerOptions {
  /** The worker's module: it answers each `message` with one result, and stops on any other message. */
  url: URL;
  workerData: unknown;
  message: string;
  everyMs: number;
  /** Names the worker in the warning when it fails. */
  name: string;
  logger: Pick<Logger, 'warn'>;
  /** Told when the worker is gone for good, so the bot's thread can take its work back. */
  onStopped: () => void;
}

/** A worker thread asked to run every `everyMs`, one run at a time (a run still going delays the next). */
export function startPeriodicWorker<Result>(options: PeriodicWorkerOptions): PeriodicWorker<Result> {
  const worker = startRequestWorker<string, Result>({
    ...options,
    onStopped: () => {
      clearInterval(timer);
      options.onStopped();
    },
  });
  const run = () => worker.request(options.message);

  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = last.then(run);
  }, options.everyMs);
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
