import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';

export interface PeriodicWorker<Result> {
  /** Asks the worker for one run now (also what the timer does); null once the worker has stopped. */
  run(): Promise<Result | null>;
  stop(): Promise<void>;
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
  const worker = new Worker(options.url, { workerData: options.workerData });
  let running = true;
  const waiting: Array<(result: Result | null) => void> = [];
  worker.on('message', (result: Result) => waiting.shift()?.(result));
  worker.on('error', (error) => options.logger.warn(`anken: the ${options.name} worker failed`, error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      clearInterval(timer);
      for (const resolveWaiting of waiting.splice(0)) resolveWaiting(null);
      options.onStopped();
      resolve();
    }),
  );

  function run(): Promise<Result | null> {
    if (!running) return Promise.resolve(null);
    return new Promise((resolve) => {
      waiting.push(resolve);
      worker.postMessage(options.message);
    });
  }

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
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
