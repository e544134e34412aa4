// @ts-check
/**
 * The daily backup, in a worker thread with its own read-only connection: the copy never holds the
 * bot's event loop. Plain JavaScript so that Node loads it as it is, from the sources and from dist/.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ source: string; destination: string }} */
const { source, destination } = workerData;

const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  // After the first step, the rest in one step: one read transaction, which the bot's writes meanwhile
  // (through another connection) cannot restart, as they would restart a copy taken in many steps.
  const { totalPages } = await db.backup(destination, { progress: () => 0x7fffffff });
  parentPort?.postMessage({ pages: totalPages, threadId });
} finally {
  db.close();
}
