import { createRequire } from 'node:module';
import { searchIndexPath } from '../store/search-file.js';
import { COUNTED_FROM, PAIR_COUNT_SQL } from '../store/search-pair-counts.js';
import { runInWorker } from './run-in-worker.js';

const require = createRequire(import.meta.url);

interface PairCountJob {
  /** The search index's file. */
  searchPath: string;
  driver: string;
  minimum: number;
  sql: typeof PAIR_COUNT_SQL;
}

/**
 * In the worker (runInWorker: self-contained): the counts are read first, in a read transaction, then
 * written in one short transaction, so the index's worker is never kept waiting for the whole count.
 */
export function countPairsJob(input: PairCountJob): { pairs: number } {
  const Database = require(input.driver);
  const db = new Database(input.searchPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
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

/** Counts the texts holding each pair of the search index beside the database at `databasePath`. */
export function countSearchPairs(databasePath: string, minimum = COUNTED_FROM): Promise<{ pairs: number }> {
  return runInWorker(countPairsJob, {
    searchPath: searchIndexPath(databasePath),
    driver: require.resolve('better-sqlite3'),
    minimum,
    sql: PAIR_COUNT_SQL,
  });
}
