import { rmSync } from 'node:fs';
import type { Db } from './db.js';

const ATTACH = 'ATTACH DATABASE ? AS search';

/** Where the search index of the database at `path` lives: a file beside it (in memory with it). */
export function searchIndexPath(path: string): string {
  return path === ':memory:' || path === '' ? ':memory:' : `${path}-search`;
}

/** How a worker's own connection to the database at `path` attaches its search index (`sql` takes `path`). */
export function searchIndexAttachment(databasePath: string): { sql: string; path: string } {
  return { sql: ATTACH, path: searchIndexPath(databasePath) };
}

/**
 * The index file's schema. deal_search_state says which database the index was built for (its
 * deal_search_file identity) and the last pending text it holds (the pending seq).
 * deal_search_pair_counts: how many texts hold each pair, as counted last (search-pair-counts.ts).
 */
const SEARCH_SCHEMA = `
  CREATE VIRTUAL TABLE IF NOT EXISTS search.deal_search_texts
    USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii');
  CREATE TABLE IF NOT EXISTS search.deal_search_state (identity TEXT NOT NULL, applied_seq INTEGER NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS search.deal_search_pair_counts (pair TEXT PRIMARY KEY, texts INTEGER NOT NULL)
    STRICT, WITHOUT ROWID;
`;

/**
 * Attaches the search index as `search`, creating it when needed. An index file that was not built for
 * this database as it is now is started again, and every deal queued for the background job: a file
 * from another database, or one ahead of this database (which was restored from a backup).
 */
export function attachSearchIndex(db: Db, databasePath: string, journalSizeLimit: number): void {
  const path = searchIndexPath(databasePath);
  attach(db, path, journalSizeLimit);
  if (belongsHere(db)) return;
  if (path !== ':memory:') {
    db.exec('DETACH DATABASE search');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    attach(db, path, journalSizeLimit);
  }
  db.transaction(() => {
    db.exec(`DELETE FROM search.deal_search_state;
      INSERT INTO search.deal_search_state (identity, applied_seq) SELECT identity, 0 FROM deal_search_file;`);
    queueEveryDeal(db);
  })();
}

/** Queues every deal for the background indexing (what the index holds is left as it is). */
export function queueEveryDeal(db: Db): void {
  db.exec('INSERT OR IGNORE INTO deal_search_backlog (deal_id) SELECT id FROM deals');
}

function attach(db: Db, path: string, journalSizeLimit: number): void {
  db.prepare(ATTACH).run(path);
  // FTS5 frees the pages of the parts it merges: the worker hands them back (search-pending-worker.js).
  // Set while the file is empty, before its first table.
  if (db.prepare('SELECT COUNT(*) FROM search.sqlite_schema').pluck().get() === 0) {
    db.pragma('search.auto_vacuum = INCREMENTAL');
  }
  db.pragma('search.journal_mode = WAL');
  db.pragma('search.synchronous = NORMAL');
  db.pragma(`search.journal_size_limit = ${journalSizeLimit}`);
  db.exec(SEARCH_SCHEMA);
}

function belongsHere(db: Db): boolean {
  const state = db
    .prepare(
      `SELECT s.applied_seq <= COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'deal_search_pending'), 0) AS behind
       FROM search.deal_search_state s JOIN deal_search_file f ON f.identity = s.identity`,
    )
    .get() as { behind: number } | undefined;
  return state?.behind === 1;
}

/** Whether the connection has the search index attached (openDatabase attaches it; a bare connection has not). */
export function hasSearchIndex(db: Db): boolean {
  return db.prepare("SELECT 1 FROM pragma_database_list WHERE name = 'search'").get() !== undefined;
}
