import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';

export interface RequestWorker<Request, Result> {
  /** Sends one request; resolves with the worker's answer, or null once the worker has stopped. */
  request(message: Request): Promise<Result | null>;
  /** Asks the worker to stop (any message other than a request) and waits until it has. */
  stop(): Promise<void>;
}

export interface RequestWorkerOptions {
  /** The worker's module: it answers each request with one message, in order, and stops on 'stop'. */
  url: URL;
  workerData: unknown;
  /** Names the worker in the warning when it fails. */
  name: string;
  logger: Pick<Logger, 'warn'>;
  /** Told when the worker is gone, whether asked to stop or failed. */
  onStopped?: () => void;
}

/** A worker thread that answers requests one at a time; a failure there is logged, and answers null. */
export function startRequestWorker<Request, Result>(options: RequestWorkerOptions): RequestWorker<Request, Result> {
  const worker = new Worker(options.url, { workerData: options.workerData });
  let running = true;
  const waiting: Array<(result: Result | null) => void> = [];
  worker.on('message', (result: Result) => waiting.shift()?.(result));
  worker.on('error', (error) => options.logger.warn(`anken: the ${options.name} worker failed`, error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      for (const resolveWaiting of waiting.splice(0)) resolveWaiting(null);
      options.onStopped?.();
      resolve();
    }),
  );
  return {
    request(message) {
      if (!running) return Promise.resolve(null);
      return new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage(message);
      });
    },
    async stop() {
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
