import { Worker } from 'node:worker_threads';

export interface WorkerBackup {
  pages: number;
  /** The worker thread that made the copy (never 0, the main thread). */
  threadId: number;
}

/** Copies the database at `source` to `destination` with SQLite's backup API, in a worker thread. */
export function backupInWorker(source: string, destination: string): Promise<WorkerBackup> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./backup-worker.js', import.meta.url), { workerData: { source, destination } });
    let result: WorkerBackup | null = null;
    worker.once('message', (message: WorkerBackup) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the backup worker stopped (exit code ${code}) without finishing the copy`));
    });
  });
}
