// @ts-check
/**
 * WAL checkpoints, in a worker thread with its own connection: copying the WAL into the database file
 * (and its fsync) never holds the bot's event loop. PASSIVE: it copies what no reader still needs and
 * never waits for or blocks the bot's reads and writes. Plain JavaScript so that Node loads it as it is,
 * from the sources and from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string }} */
const { path } = workerData;

const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

parentPort?.on('message', (message) => {
  if (message !== 'checkpoint') {
    db.close();
    parentPort?.close();
    return;
  }
  const { busy, log, checkpointed } = /** @type {{ busy: number; log: number; checkpointed: number }} */ (
    checkpoint.get()
  );
  parentPort?.postMessage({ busy, walFrames: log, checkpointedFrames: checkpointed });
});
