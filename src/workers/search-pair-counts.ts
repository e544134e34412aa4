import { createRequire } from 'node:module';
import { WAL_SIZE_LIMIT_BYTES } from '../store/db.js';
import { searchIndexPath } from '../store/search-file.js';
import { COUNTED_FROM, PAIR_COUNT_SQL } from '../store/search-pair-counts.js';
import { runInWorker } from './run-in-worker.js';

const require = createRequire(import.meta.url);

interface UpkeepJob {
  /** The search index's file. */
  searchPath: string;
  driver: string;
  minimum: number;
  sql: typeof PAIR_COUNT_SQL;
  walSizeLimit: number;
}

/**
 * In the worker (runInWorker: self-contained): the index is optimized (one transaction, search-pair-counts.ts
 * in the store), then the counts are read in a read transaction and written in one short transaction.
 */
export function upkeepJob(input: UpkeepJob): { pairs: number } {
  const Database = require(input.driver);
  const db = new Database(input.searchPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The merge goes through the WAL, which this connection checkpoints and cuts back afterwards.
    db.pragma(`journal_size_limit = ${input.walSizeLimit}`);
    db.exec(input.sql.optimize);
    db.exec(input.sql.vocabulary);
    const counts = db.prepare(input.sql.read).raw().all(input.minimum) as Array<[string, number]>;
    const put = db.prepare(input.sql.put);
    db.transaction(() => {
      db.exec(input.sql.clear);
      for (const [pair, texts] of counts) put.run(pair, texts);
    })();
    return { pairs: counts.length };
  } finally {
    db.close();
  }
}

/**
 * The nightly upkeep of the search index beside the database at `databasePath`: its segments merged into
 * one, and the texts holding each pair counted.
 */
export function keepSearchIndexTidy(databasePath: string, minimum = COUNTED_FROM): Promise<{ pairs: number }> {
  return runInWorker(upkeepJob, {
    searchPath: searchIndexPath(databasePath),
    driver: require.resolve('better-sqlite3'),
    minimum,
    sql: PAIR_COUNT_SQL,
    walSizeLimit: WAL_SIZE_LIMIT_BYTES,
  });
}
