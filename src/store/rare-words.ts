import { wordPairs } from '../workflow/search-terms.js';
import type { Db } from './db.js';

/** How many texts a pair is counted up to: past that it is common, and the count stops. */
const PROBE_CAP = 5_000;
/** A word whose rarest pair is in fewer texts than this is found through its rarest pairs. */
const RARE_PAIR = 5_000;
/** Pair counts remembered between searches (they only choose a plan, so a stale one costs time, never a result). */
const REMEMBERED_PAIRS = 20_000;

export type RareWords = ReturnType<typeof createRareWords>;

/**
 * Finding a long word whose pairs are common one by one but rare together, such as a customer's name
 * (株式会社 + a rare middle): the FTS5 phrase of all its pairs steps through the long lists of the
 * common ones (tens of ms at a million deals), while the AND of its two rarest pairs reads only a few
 * hundred texts. Those over-match (the pairs need not be adjacent), so each is checked against its text.
 */
export function createRareWords(db: Db) {
  const probe = db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT 1 FROM deal_search_texts WHERE deal_search_texts MATCH ? LIMIT ${PROBE_CAP})`,
    )
    .pluck();
  const counts = new Map<string, number>();

  function textsHolding(pair: string): number {
    let count = counts.get(pair);
    if (count === undefined) {
      if (counts.size >= REMEMBERED_PAIRS) counts.clear();
      count = probe.get(pair) as number;
      counts.set(pair, count);
    }
    return count;
  }

  return {
    /**
     * An FTS5 query for a few candidates that include every text holding the word (the AND of its two
     * rarest pairs: reading more pairs costs more than checking the texts it would rule out), or null
     * when the word is short or common (the phrase is then as cheap).
     */
    candidatesQuery(word: string): string | null {
      const pairs = wordPairs(word);
      if (pairs.length < 3) return null;
      const [rarest, next] = [...new Set(pairs)]
        .map((pair) => ({ pair, count: textsHolding(pair) }))
        .sort((a, b) => a.count - b.count);
      if (!rarest || rarest.count >= RARE_PAIR) return null;
      return next ? `${rarest.pair} AND ${next.pair}` : rarest.pair;
    },
  };
}
