/**
 * How many texts of the search index hold each pair of characters, counted from FTS5's own vocabulary
 * (fts5vocab) into deal_search_pair_counts. A rare word's search picks its rarest pairs by these counts
 * (rare-words.ts). Counting reads the whole index (about half a minute at a million deals), so it runs
 * in a worker thread with its own connection (src/workers/search-pair-counts.ts), once a day; between two
 * counts they only choose a plan.
 */

/** Pairs held by fewer texts are not kept: a pair missing from the table is rarer than that. */
export const COUNTED_FROM = 50;

export const PAIR_COUNT_SQL = {
  vocabulary:
    'CREATE VIRTUAL TABLE IF NOT EXISTS temp.deal_search_vocabulary USING fts5vocab(main, deal_search_texts, row)',
  read: 'SELECT term, doc FROM temp.deal_search_vocabulary WHERE doc >= ?',
  clear: 'DELETE FROM deal_search_pair_counts',
  put: 'INSERT INTO deal_search_pair_counts (pair, texts) VALUES (?, ?)',
};
