import { isCodeWord, wordPairs } from '../workflow/search-terms.js';
import type { Db } from './db.js';

/**
 * How many texts a pair is counted up to when no count is kept yet: past that it is common, and the
 * count stops. High enough to tell a word's second rarest pair (often in some 10,000 texts at a million
 * deals) from the common ones.
 */
const PROBE_CAP = 20_000;
/** A word whose rarest pair is in this many texts or more is common: its phrase finds a page quickly. */
export const COMMON_FROM = 20_000;
/** Pairs a candidate must hold: the third cuts the texts to check fivefold at a million deals; a fourth costs more than it saves. */
const ANDED_PAIRS = 3;
/** Pair counts remembered between searches (they only choose a plan, so a stale one costs time, never a result). */
const REMEMBERED_PAIRS = 20_000;

export type RareWords = ReturnType<typeof createRareWords>;

/**
 * Finding a long word whose pairs are common one by one but rare together, such as a customer's name
 * (株式会社 + a rare middle): the FTS5 phrase of all its pairs steps through the long lists of the
 * common ones (tens of ms at a million deals), while the AND of its rarest pairs reads only a few
 * hundred texts. Those over-match (the pairs need not be adjacent), so each is checked against its text.
 * The pairs' counts come from deal_search_pair_counts (search-pair-counts.ts), where a pair missing is
 * rarer than any kept; before the first count, a pair is counted (up to PROBE_CAP) the first time it
 * is seen. Either way they are remembered.
 */
export function createRareWords(db: Db) {
  const probe = db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT 1 FROM search.deal_search_texts WHERE deal_search_texts MATCH ? LIMIT ${PROBE_CAP})`,
    )
    .pluck();
  const counted = db.prepare('SELECT texts FROM search.deal_search_pair_counts WHERE pair = ?').pluck();
  const anyCounted = db.prepare('SELECT EXISTS (SELECT 1 FROM search.deal_search_pair_counts)').pluck();
  /** Whether the nightly count has run (until then, a pair is counted the first time it is seen). */
  const nightlyCountRan = () => anyCounted.get() === 1;
  const counts = new Map<string, number>();
  let countsKept = false;

  function textsHolding(pair: string, kept: boolean): number {
    if (kept !== countsKept) {
      counts.clear();
      countsKept = kept;
    }
    let count = counts.get(pair);
    if (count === undefined) {
      if (counts.size >= REMEMBERED_PAIRS) counts.clear();
      count = kept ? ((counted.get(pair) as number | undefined) ?? 0) : (probe.get(pair) as number);
      counts.set(pair, count);
    }
    return count;
  }

  /** How many texts at most hold a word: as many as its rarest pair (a code is taken to be rare). */
  function textsAtMost(word: string, kept: boolean): number {
    if (isCodeWord(word)) return 0;
    return Math.min(...wordPairs(word).map((pair) => textsHolding(pair, kept)));
  }

  return {
    /** Whether a word's rarest pair is in `from` texts or more: its list holds a large share of the deals. */
    isCommon(word: string, from = COMMON_FROM): boolean {
      return textsAtMost(word, nightlyCountRan()) >= from;
    },
    /** The words, the sparsest first (by their rarest pairs), the longest first where they tie. */
    sparsestFirst(words: readonly string[]): string[] {
      const kept = nightlyCountRan();
      const held = new Map(words.map((word) => [word, textsAtMost(word, kept)]));
      return [...words].sort(
        (a, b) => (held.get(a) ?? 0) - (held.get(b) ?? 0) || Array.from(b).length - Array.from(a).length,
      );
    },
    /**
     * An FTS5 query for candidates that include every text holding the word: the AND of its
     * ANDED_PAIRS rarest pairs. Null for a word of two pairs or fewer, whose phrase is as cheap, for a
     * code (its suffixes find exactly the texts that hold it), and for one whose pairs are all common
     * (its phrase then finds a page quickly). Whether the candidates are few enough to check is for the
     * caller to see.
     */
    candidatesQuery(word: string): string | null {
      const pairs = [...new Set(wordPairs(word))];
      if (pairs.length < 3 || isCodeWord(word)) return null;
      const kept = nightlyCountRan();
      const rarest = pairs.map((pair) => ({ pair, count: textsHolding(pair, kept) })).sort((a, b) => a.count - b.count);
      if ((rarest[0]?.count ?? COMMON_FROM) >= COMMON_FROM) return null;
      return rarest
        .slice(0, ANDED_PAIRS)
        .map(({ pair }) => pair)
        .join(' AND ');
    },
  };
}
