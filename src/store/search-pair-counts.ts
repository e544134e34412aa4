/**
 * The search index's nightly upkeep, in a worker thread with its own connection
 * (src/workers/search-pair-counts.ts):
 * - FTS5's segments are merged into one ('optimize'). The day's writes leave a word's list spread over
 *   a dozen segments, and every search reads each of them: at a million deals a rare word's pairs are
 *   read two to three times faster from one. About 20 s at a million deals, with the index file's lock
 *   held (the pending texts wait meanwhile: search-pending-worker.js).
 * - How many texts hold each pair of characters is counted from FTS5's own vocabulary (fts5vocab) into
 *   deal_search_pair_counts. A rare word's search picks its rarest pairs by these counts (rare-words.ts);
 *   between two counts they only choose a plan.
 */

/** Pairs held by fewer texts are not kept: a pair missing from the table is rarer than that. */
export const COUNTED_FROM = 50;

export const PAIR_COUNT_SQL = {
  optimize: "INSERT INTO deal_search_texts (deal_search_texts) VALUES ('optimize')",
  vocabulary:
    'CREATE VIRTUAL TABLE IF NOT EXISTS temp.deal_search_vocabulary USING fts5vocab(main, deal_search_texts, row)',
  // The texts' pairs only: not a 顧客名's terms nor its number (nameTerms in search-terms.ts), nor a code's suffixes.
  read: "SELECT term, doc FROM temp.deal_search_vocabulary WHERE doc >= ? AND term NOT GLOB '[mns]*'",
  clear: 'DELETE FROM deal_search_pair_counts',
  put: 'INSERT INTO deal_search_pair_counts (pair, texts) VALUES (?, ?)',
};
