// @ts-check
/**
 * Moving the search index's pending texts into the index proper. A write puts its text in
 * deal_search_pending (and deal_search_recent, which searches read alongside), in the bot's database and
 * the write's own transaction. The index proper (search.deal_search_texts) lives in a database file of its
 * own, attached as `search`, written only from here: FTS5 merges its segments as it grows (hundreds of ms
 * at a million deals), and in a file of its own that work never holds the lock the bot's writes need.
 *
 * Plain JavaScript: the worker thread (src/workers/search-pending-worker.js) loads it as it is, from the
 * sources and from dist/; the bot runs the same function itself when it has no worker (an in-memory
 * database).
 */

/**
 * @typedef {{ seq: number; key: number; terms: string }} PendingText
 * @typedef {import('better-sqlite3').Database} Connection
 */

/** @param {Connection} db */
function statementsOf(db) {
  return {
    pending: db.prepare('SELECT seq, key, terms FROM main.deal_search_pending ORDER BY seq LIMIT ?'),
    put: db.prepare('INSERT OR REPLACE INTO search.deal_search_texts (rowid, terms) VALUES (?, ?)'),
    remove: db.prepare('DELETE FROM search.deal_search_texts WHERE rowid = ?'),
    applied: db.prepare('UPDATE search.deal_search_state SET applied_seq = ?'),
    // A text written again since it was read has a new seq: that one stays pending.
    settle: db.prepare('DELETE FROM main.deal_search_pending WHERE seq = ?'),
    unrecent: db.prepare('DELETE FROM main.deal_search_recent WHERE rowid = ?'),
  };
}

/** @type {WeakMap<Connection, ReturnType<typeof statementsOf>>} */
const prepared = new WeakMap();

/**
 * Moves up to `limit` of the oldest pending texts into the index proper; returns how many it moved.
 * Two transactions, one per file: the index's (where FTS5 may merge for a while) and then a short one in
 * the bot's database. Between the two a text is in both places; searches read it from the pending side
 * only (they mask the index's row of a pending key), so nothing shows twice or goes missing, and after a
 * crash between them the texts are moved again (writing a text twice keeps one row).
 *
 * @param {Connection} db a connection to the bot's database with the search index attached as `search`
 * @param {number} limit
 * @returns {number}
 */
export function applyPendingTexts(db, limit) {
  let statements = prepared.get(db);
  if (!statements) {
    statements = statementsOf(db);
    prepared.set(db, statements);
  }
  const { pending, put, remove, applied, settle, unrecent } = statements;
  const texts = /** @type {PendingText[]} */ (pending.all(limit));
  if (texts.length === 0) return 0;
  db.transaction(() => {
    for (const { key, terms } of texts) {
      if (terms === '') remove.run(key);
      else put.run(key, terms);
    }
    applied.run(texts[texts.length - 1]?.seq ?? 0);
  })();
  db.transaction(() => {
    for (const { seq, key } of texts) {
      if (settle.run(seq).changes > 0) unrecent.run(key);
    }
  })();
  return texts.length;
}
