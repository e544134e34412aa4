import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';
import { attachSearchIndex } from './search-file.js';

export type Db = Database.Database;

export const WAL_SIZE_LIMIT_BYTES = 64 * 2 ** 20;

/** A statement for SQL made up at run time, prepared the first time it is asked for and kept. */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const prepared = new Map<string, Database.Statement>();
  return (sql) => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
}

/** Opens (creating when needed) the SQLite file and brings its schema up to date, with the search index attached. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Free pages go back to the file system in small steps (retention): a new file gets it before any
  // table exists; an older file is converted once (see auto-vacuum.ts).
  if (isEmpty(db)) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // A large transaction (a migration, a bulk load) grows the -wal file; once it has been checkpointed,
  // SQLite cuts it back to this size instead of keeping it at its largest.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  migrate(db);
  // Attached: searches join it with the deals. Write transactions here are deferred (never BEGIN
  // IMMEDIATE, which would also take its write lock, held by its worker while FTS5 merges).
  attachSearchIndex(db, path, WAL_SIZE_LIMIT_BYTES);
  return db;
}

function isEmpty(db: Db): boolean {
  return (db.prepare('SELECT COUNT(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0;
}

export function schemaIsCurrent(db: Db): boolean {
  return db.pragma('user_version', { simple: true }) === migrations.length;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  migrations.slice(current).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    })();
  });
}

/**
 * Whether this connection checkpoints the WAL itself (SQLite's default, after 1,000 pages) or leaves it
 * to another connection (the checkpoint worker).
 */
export function checkpointsHere(db: Db, here: boolean): void {
  db.pragma(`wal_autocheckpoint = ${here ? 1000 : 0}`);
}
