import { COUNT_WORD_WINDOW, type DealQuery, SEARCH_COUNT_CAP, type SearchPage } from '../workflow/deal-search.js';
import type { statementCache } from './db.js';
import type { DealChecks } from './deal-checks.js';
import { type WordSources, wordHits, wordParams } from './deal-query-sql.js';
import { type DealRow, toDeal } from './rows.js';

/**
 * Deal ids read from all the words' lists together at most, before a search of several words says it
 * looked at the newest deals only: about 30 ms at a million deals, where words that seldom meet would
 * otherwise read a list of a million texts.
 */
export const MERGE_BUDGET = 50_000;

type Ids = Iterator<number, undefined>;

/**
 * Several words, each held somewhere in the same deal: each word's deals are read newest first from
 * the index (FTS5 streams a list in order cheaply, while finding one deal's rows in a long list walks
 * it from one end) and merged, so every list is read once, only as far back as the search goes.
 */
export function createWordMerge(
  statement: ReturnType<typeof statementCache>,
  checks: DealChecks,
  /** The deals' rows, in the order of their ids. */
  rowsOf: (ids: readonly number[]) => DealRow[],
) {
  function streams(query: DealQuery, sources: WordSources): Ids[] {
    return query.words.map((word, index) =>
      (
        statement(`SELECT id FROM ${wordHits(`word${index}`, sources)}`)
          .pluck()
          .iterate(wordParams(`word${index}`, word)) as IterableIterator<number>
      )[Symbol.iterator](),
    );
  }

  return {
    /**
     * A page and a bounded count of the deals holding every word (each at least two characters), as
     * the index's single-word search gives them: newest first, the count among the newest `window`
     * deals holding the first word.
     */
    search(query: DealQuery, sources: WordSources, offset: number, limit: number, window = COUNT_WORD_WINDOW) {
      const lists = streams(query, sources);
      const passing = checks.passes(query);
      const heads = lists.map((list) => list.next().value);
      let read = heads.length;
      /** Deals of the first word passed so far, and the last of the newest `window` of them. */
      let firstWordDeals = 0;
      let windowEnd: number | null = null;
      const advance = (index: number) => {
        if (index === 0) {
          firstWordDeals += 1;
          if (firstWordDeals === window) windowEnd = heads[0] ?? null;
        }
        heads[index] = lists[index]?.next().value;
        read += 1;
      };
      const matched: number[] = [];
      let counted = 0;
      let oldestLookedAt: number | null = null;
      let outOfBudget = false;
      const done = () => matched.length > offset + limit && (firstWordDeals >= window || counted > SEARCH_COUNT_CAP);
      try {
        while (heads.every((head) => head !== undefined) && !done()) {
          if (read >= MERGE_BUDGET) {
            outOfBudget = true;
            break;
          }
          // Every list steps back to the oldest of their newest deals; a deal all of them hold matches.
          const target = Math.min(...(heads as number[]));
          oldestLookedAt = target;
          for (let index = 0; index < heads.length; index += 1) {
            while ((heads[index] ?? -1) > target) advance(index);
          }
          if (!heads.every((head) => head === target)) continue;
          if (passing(target)) {
            matched.push(target);
            if (firstWordDeals < window) counted += 1;
          }
          for (let index = 0; index < heads.length; index += 1) advance(index);
        }
      } finally {
        for (const list of lists) list.return?.();
      }
      const windowFull = firstWordDeals >= window;
      const countedTo = outOfBudget ? oldestLookedAt : windowFull ? windowEnd : null;
      const amongRecent = counted <= SEARCH_COUNT_CAP && countedTo !== null;
      return {
        deals: rowsOf(matched.slice(offset, offset + limit)).map(toDeal),
        hasNext: matched.length > offset + limit,
        total: Math.min(counted, SEARCH_COUNT_CAP),
        totalIs: counted > SEARCH_COUNT_CAP ? 'moreThanCap' : amongRecent ? 'amongRecent' : 'exact',
        countedFrom: amongRecent && countedTo !== null ? checks.reportedAt(countedTo) : null,
        offset,
      } satisfies Omit<SearchPage, 'unindexed'>;
    },
  };
}
