// @ts-check
/**
 * Moving the search index's pending texts into the index proper. A write puts its text in
 * deal_search_pending, in the bot's database and the write's own transaction (searches read the pending
 * texts alongside the index proper). The index proper (search.deal_search_texts) lives in a database file of its
 * own, attached as `search`, written only from here: FTS5 merges its segments as it grows (hundreds of ms
 * at a million deals), and in a file of its own that work never holds the lock the bot's writes need.
 *
 * Two steps, each writing one file only: applyPendingTexts copies texts into the index proper and notes
 * the last one in search.deal_search_state (the worker thread, src/workers/search-pending-worker.js);
 * settleAppliedTexts then removes them from the pending list (the bot's thread, between requests: the
 * bot's database is written by the bot alone, so the worker never makes a request wait for its lock).
 * Until a text is settled searches read it from the pending side only (they mask the index's row of a
 * pending key), so nothing shows twice or goes missing.
 *
 * Plain JavaScript: the worker loads it as it is, from the sources and from dist/.
 */

/**
 * @typedef {{ seq: number; key: number; terms: string }} PendingText
 * @typedef {import('better-sqlite3').Database} Connection
 */

/** @param {Connection} db */
function statementsOf(db) {
  return {
    applied: db.prepare('SELECT applied_seq FROM search.deal_search_state').pluck(),
    // Texts are numbered as they are written (AUTOINCREMENT), a text written again with a new number.
    unapplied: db.prepare('SELECT seq, key, terms FROM main.deal_search_pending WHERE seq > ? ORDER BY seq LIMIT ?'),
    put: db.prepare('INSERT OR REPLACE INTO search.deal_search_texts (rowid, terms) VALUES (?, ?)'),
    remove: db.prepare('DELETE FROM search.deal_search_texts WHERE rowid = ?'),
    noteApplied: db.prepare('UPDATE search.deal_search_state SET applied_seq = ?'),
    settled: db.prepare('SELECT seq FROM main.deal_search_pending WHERE seq <= ? ORDER BY seq LIMIT ?'),
    settle: db.prepare('DELETE FROM main.deal_search_pending WHERE seq = ?'),
  };
}

/** @type {WeakMap<Connection, ReturnType<typeof statementsOf>>} */
const prepared = new WeakMap();

/** @param {Connection} db */
function statementsFor(db) {
  let statements = prepared.get(db);
  if (!statements) {
    statements = statementsOf(db);
    prepared.set(db, statements);
  }
  return statements;
}

/**
 * Copies up to `limit` of the oldest texts not yet in the index proper into it; returns how many.
 * Writes the index's file only. Writing a text twice keeps one row, so a crash before the note of the
 * last one only means copying again.
 *
 * @param {Connection} db a connection to the bot's database with the search index attached as `search`
 * @param {number} limit
 * @returns {number}
 */
export function applyPendingTexts(db, limit) {
  const { applied, unapplied, put, remove, noteApplied } = statementsFor(db);
  const texts = /** @type {PendingText[]} */ (unapplied.all(applied.get(), limit));
  if (texts.length === 0) return 0;
  db.transaction(() => {
    for (const { key, terms } of texts) {
      if (terms === '') remove.run(key);
      else put.run(key, terms);
    }
    noteApplied.run(texts[texts.length - 1]?.seq ?? 0);
  })();
  return texts.length;
}

/**
 * Removes from the pending list up to `limit` texts the index proper holds; returns how many. Writes
 * the bot's database only. A text written again since it was copied has a newer number and stays.
 *
 * @param {Connection} db
 * @param {number} limit
 * @returns {number}
 */
export function settleAppliedTexts(db, limit) {
  const { applied, settled, settle } = statementsFor(db);
  const texts = /** @type {Array<{ seq: number }>} */ (settled.all(applied.get(), limit));
  if (texts.length === 0) return 0;
  db.transaction(() => {
    for (const { seq } of texts) settle.run(seq);
  })();
  return texts.length;
}
