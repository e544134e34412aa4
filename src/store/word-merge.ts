import { COUNT_WORD_WINDOW, type DealQuery, SEARCH_COUNT_CAP, type SearchPage } from '../workflow/deal-search.js';
import { textsHoldAll } from '../workflow/search-terms.js';
import type { statementCache } from './db.js';
import type { DealChecks } from './deal-checks.js';
import { hasFilters, type WordSources, wordHits, wordParams } from './deal-query-sql.js';
import { type DealRow, toDeal } from './rows.js';

/**
 * Deal ids read from the words' lists (about 2 µs each at a million deals; a deal checked against
 * filters counts as two more) before the count stops and says from when it counted, and before the
 * search stops looking for its page: words that seldom meet would otherwise read lists of a million texts.
 */
export const COUNT_READS = 2_000;
export const MERGE_BUDGET = 8_000;
/**
 * A list that takes more reads than this to reach the next deal of the others is far denser than they
 * are (保守 beside a product code), the first word's too (its texts were fewer, its deals are not): its
 * word is looked for in those deals' texts instead, about 0.1 ms a deal, where reading on would cost
 * that much per 50 ids.
 */
const CATCH_UP = 64;
/** Deals whose texts are read at most; the count covers the first this many. */
const TEXT_CHECKS = 100;
const TEXT_CHECKS_COUNTED = 30;

type Ids = Iterator<number, undefined>;

/**
 * Several words, each held somewhere in the same deal: each word's deals are read newest first from
 * the index (FTS5 streams a list in order cheaply, while finding one deal's rows in a long list walks
 * it from one end) and merged, so every list is read once, only as far back as the search goes. A list
 * far denser than the others stops being read: its word is looked for in the texts of the deals the
 * others share.
 */
export function createWordMerge(
  statement: ReturnType<typeof statementCache>,
  checks: DealChecks,
  /** A deal's texts, as the index holds them. */
  textsOf: (dealId: number) => string[],
  /** The deals' rows, in the order of their ids. */
  rowsOf: (ids: readonly number[]) => DealRow[],
) {
  function stream(word: string, index: number, sources: WordSources): Ids {
    const ids = statement(`SELECT id FROM ${wordHits(`word${index}`, sources)}`)
      .pluck()
      .iterate(wordParams(`word${index}`, word)) as IterableIterator<number>;
    return ids[Symbol.iterator]();
  }

  return {
    /**
     * A page and a bounded count of the deals holding every word (each at least two characters), newest
     * first, the sparsest word first: the count among the newest `window` deals holding it, and as far
     * as COUNT_READS (TEXT_CHECKS_COUNTED with words looked for in texts) allow.
     */
    search(query: DealQuery, sources: WordSources, offset: number, limit: number, window = COUNT_WORD_WINDOW) {
      const lists = query.words.map((word, index) => stream(word, index, sources));
      const passes = checks.passes(query);
      const filtered = hasFilters(query);
      const heads = lists.map((list) => list.next().value);
      /** The words looked for in the texts, and the lists still read (one at least). */
      const inTexts: string[] = [];
      const streamed = lists.map((_, index) => index);
      let reads = heads.length;
      let textChecks = 0;
      let firstWordDeals = 0;
      const matched: number[] = [];
      let counted = 0;
      let counting = true;
      /** The oldest deal the count looked at, once it stopped before the lists' ends. */
      let countedTo: number | null = null;
      const advance = (index: number) => {
        if (index === 0) firstWordDeals += 1;
        heads[index] = lists[index]?.next().value;
        reads += 1;
      };
      /**
       * Steps list `index` back to `target`: 'denser' when it turned out far denser than the others and
       * stopped being read, 'budget' when the reads ran out.
       */
      const catchUp = (index: number, target: number): 'reached' | 'denser' | 'budget' => {
        for (let steps = 0; (heads[index] ?? -1) > target; steps += 1) {
          if (reads >= MERGE_BUDGET) return 'budget';
          if (streamed.length > 1 && steps >= CATCH_UP) {
            inTexts.push(query.words[index] as string);
            streamed.splice(streamed.indexOf(index), 1);
            lists[index]?.return?.();
            return 'denser';
          }
          advance(index);
        }
        return 'reached';
      };
      const holdsTextWords = (dealId: number) => {
        if (inTexts.length === 0) return true;
        textChecks += 1;
        return textsHoldAll(textsOf(dealId), inTexts);
      };
      const countFull = () =>
        reads >= COUNT_READS ||
        firstWordDeals >= window ||
        counted > SEARCH_COUNT_CAP ||
        (inTexts.length > 0 && textChecks >= TEXT_CHECKS_COUNTED);
      /** Every deal newer than the newest of the lists' heads has been looked at. */
      const lookedAtAll = () => Math.max(...streamed.map((index) => heads[index] ?? 0));
      try {
        while (streamed.every((index) => heads[index] !== undefined)) {
          if (!counting && matched.length > offset + limit) break;
          if (reads >= MERGE_BUDGET || textChecks >= TEXT_CHECKS) {
            if (counting) countedTo = lookedAtAll();
            break;
          }
          // Every list steps back to the oldest of their newest deals; a deal all of them hold is a candidate.
          const target = Math.min(...streamed.map((index) => heads[index] as number));
          const steps = [...streamed].map((index) => catchUp(index, target));
          if (steps.includes('budget')) continue;
          if (steps.includes('denser') || !streamed.every((index) => heads[index] === target)) continue;
          // A deal checked against filters reads its row: it counts as much as two ids read.
          if (filtered) reads += 2;
          if (passes(target) && holdsTextWords(target)) {
            matched.push(target);
            if (counting) counted += 1;
          }
          for (const index of streamed) advance(index);
          if (counting && countFull()) {
            counting = false;
            countedTo = target;
          }
        }
      } finally {
        for (const index of streamed) lists[index]?.return?.();
      }
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
