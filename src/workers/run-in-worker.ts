import { Worker } from 'node:worker_threads';

/**
 * Runs `job(input)` in a worker thread and resolves with what it returns.
 *
 * The job is sent as source text (with the helper functions it calls), so the same code runs from the
 * TypeScript sources under test and from the build, with no loader in the worker. A job and its helpers
 * must therefore be self-contained: they use only their arguments, each other, and `require` of
 * node built-ins or of absolute module paths passed in `input`.
 */
// biome-ignore lint/complexity/noBannedTypes: any function declaration can be a helper; only its source is used.
export function runInWorker<I, O>(job: (input: I) => O | Promise<O>, input: I, helpers: Function[] = []): Promise<O> {
  const source = `${helpers.map(String).join('\n')}
const { parentPort, workerData } = require('node:worker_threads');
Promise.resolve()
  .then(() => (${job.toString()})(workerData))
  .then(
    (result) => parentPort.postMessage({ ok: true, result }),
    (error) => parentPort.postMessage({ ok: false, message: String((error && error.stack) || error) }),
  );`;
  return new Promise<O>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: input });
    let settled = false;
    worker.once('message', (message: { ok: boolean; result?: O; message?: string }) => {
      settled = true;
      if (message.ok) resolve(message.result as O);
      else reject(new Error(`worker job failed: ${message.message}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker stopped with exit code ${code}`));
    });
  });
}
