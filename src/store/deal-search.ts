import {
  COUNT_WORD_WINDOW,
  type DealQuery,
  FILTERED_COUNT_WINDOW,
  SEARCH_COUNT_CAP,
  type SearchPage,
  SHORT_WORD_SCAN,
} from '../workflow/deal-search.js';
import { isIndexedWord, nameToken, textsHold, textsHoldAll } from '../workflow/search-terms.js';
import type { Deal } from '../workflow/types.js';
import { createCustomerNames } from './customer-names.js';
import { type Db, statementCache } from './db.js';
import { createDealChecks } from './deal-checks.js';
import { dealQuerySql, hasPeriod, keysHolding, PERIOD_WINDOW, type WordSources, wordParams } from './deal-query-sql.js';
import { COMMON_FROM, createRareWords } from './rare-words.js';
import { type DealRow, toDeal } from './rows.js';
import { byClosingDate, createSearchSelection, heldAt, isDatedSelection } from './search-selection.js';
import { createSearchTexts, dealOfKey, placeOfKey } from './search-texts.js';
import { createWordMerge } from './word-merge.js';

/**
 * A rare word's candidate texts are each read and checked, up to this many (0.1 ms each at a million
 * deals, far more with the file out of the page cache); past that its phrase finds it.
 */
const RARE_WORD_CANDIDATES = 300;
/** The deals found through a name's number are exact: up to this many, none of them read. */
const RARE_WORD_NAMED = 3_000;
/**
 * With other words, the rare word's deals are read for them newest first, as far as the page needs and
 * this many at least; the count then says from when it counted.
 */
const OTHER_WORDS_CHECKED = 30;
/** …and this many at most (about 0.1 ms each): a name held by thousands of deals ends its pages there. */
const OTHER_WORDS_MOST = 200;
/**
 * A page is looked for among the newest this many deals holding the first word (about 3 µs each with
 * its row at a million deals): filters that few of them pass (a 期間 long ago) end the pages there.
 */
const PAGE_HITS = 5_000;
/** A rare word held by more 顧客名 than this is looked for by its phrase. */
const RARE_WORD_NAMES = 500;
/** The date a deal read by a dated selection was read by. */
const datedOf = (query: DealQuery, row: DealRow) => (byClosingDate(query) ? row.closed_at : row.reported_at) ?? '';
const shortWordsOf = (query: DealQuery) => query.words.filter((word) => !isIndexedWord(word));
const wordsBut = (query: DealQuery, read: readonly string[]) => query.words.filter((word) => !read.includes(word));

export type DealSearch = ReturnType<typeof createDealSearch>;

interface Windows {
  /** With words and filters, the count looks at the newest this many deals holding the first word. */
  filteredCount: number;
  /** With 期間 and no word, the newest this many deals of the period are looked at (PERIOD_WINDOW). */
  period: number;
  /** With 期間, a leading word in this many texts or more is read in the period's deals' texts (COMMON_FROM). */
  commonWord: number;
  /** With words, the count looks at the newest this many deals holding the first word (COUNT_WORD_WINDOW). */
  count: number;
  /** With a one-character word, the texts of the newest this many deals are read (SHORT_WORD_SCAN). */
  shortWordScan: number;
}

const DEFAULT_WINDOWS: Windows = {
  count: COUNT_WORD_WINDOW,
  filteredCount: FILTERED_COUNT_WINDOW,
  shortWordScan: SHORT_WORD_SCAN,
  period: PERIOD_WINDOW,
  commonWord: COMMON_FROM,
};

/**
 * Search over deals: a page of the newest matches and their bounded count. Four ways, by the words:
 * filters and one word through the index alone (search-selection.ts); several words by merging their
 * lists (word-merge.ts); a rare long word through the names holding it and a few candidates checked
 * against their texts (rare-words.ts, customer-names.ts); a one-character word, or common words with
 * 期間, by reading the texts of the newest deals.
 */
export function createDealSearch(db: Db, windows: Partial<Windows> = {}) {
  const window = { ...DEFAULT_WINDOWS, ...windows };
  const statement = statementCache(db);
  const texts = createSearchTexts(db);
  const rareWords = createRareWords(db);
  const customerNames = createCustomerNames(db);
  const checks = createDealChecks(db, statement);
  const backlog = db.prepare('SELECT COUNT(*) FROM deal_search_backlog').pluck();
  const anyPending = db.prepare('SELECT EXISTS (SELECT 1 FROM deal_search_pending)').pluck();
  const candidates = (sources: WordSources) =>
    statement(`${keysHolding('query', sources, { candidatesOf: 'word' })} LIMIT @limit`).pluck();
  /** Read at the start of each search: usually nothing waits, and the index proper is read alone. */
  const sourcesNow = (): WordSources => ({ pending: anyPending.get() === 1 });

  const rowsOf = (ids: readonly number[]): DealRow[] => {
    const rows = statement('SELECT * FROM deals WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as DealRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is DealRow => row !== undefined);
  };

  const wordMerge = createWordMerge(statement, checks, texts.ofDeal, rowsOf);
  const selection = createSearchSelection(statement, checks, window);

  const unindexed = (query: DealQuery) => (query.words.length > 0 ? (backlog.get() as number) : 0);

  /** A page of deals already matched, newest first; all of them counted. */
  function pageOf(query: DealQuery, matched: readonly number[], offset: number, limit: number): SearchPage {
    return {
      deals: rowsOf(matched.slice(offset, offset + limit)).map(toDeal),
      hasNext: matched.length > offset + limit,
      total: Math.min(matched.length, SEARCH_COUNT_CAP),
      totalIs: matched.length > SEARCH_COUNT_CAP ? 'moreThanCap' : 'exact',
      countedFrom: null,
      offset,
      unindexed: unindexed(query),
    };
  }

  /** The index settles every word: a page read in order, and a count over the newest hits of the first word. */
  function byIndex(query: DealQuery, sources: WordSources, offset: number, limit: number): SearchPage {
    const { from, where, newestFirst, params } = selection.sql(query, sources, PAGE_HITS);
    // One row more than the page: whether there is a next page, without counting.
    const rows = statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst} LIMIT @limit OFFSET @offset`).all({
      ...params,
      limit: limit + 1,
      offset,
    }) as DealRow[];
    const { counted, held } = selection.count(query, sources);
    return {
      deals: rows.slice(0, limit).map(toDeal),
      hasNext: rows.length > limit,
      total: Math.min(counted, SEARCH_COUNT_CAP),
      totalIs: counted > SEARCH_COUNT_CAP ? 'moreThanCap' : held ? 'amongRecent' : 'exact',
      countedFrom: null,
      ...held,
      offset,
      unindexed: unindexed(query),
    };
  }

  /** The places of each candidate deal's texts, newest deal first. */
  function candidatePlaces(keys: readonly number[]): Map<number, number[]> {
    const places = new Map<number, number[]>();
    for (const key of [...keys].sort((a, b) => b - a)) {
      const dealId = dealOfKey(key);
      const known = places.get(dealId);
      if (known) known.unshift(placeOfKey(key));
      else places.set(dealId, [placeOfKey(key)]);
    }
    return places;
  }

  /**
   * A rare first word: the deals whose 顧客名 holds it, from the names' numbers (customer-names.ts), and
   * the other texts its rarest pairs find, each checked against its text; narrowed by the filters, all
   * counted. Null when the word is short, or when it finds too many to check (a common word: the index's
   * phrase then finds its page and count quickly).
   */
  function byRareWord(query: DealQuery, sources: WordSources, offset: number, limit: number): SearchPage | null {
    const [word, ...others] = query.words;
    const narrow = word === undefined ? null : rareWords.candidatesQuery(word);
    const names = word === undefined || !narrow ? null : customerNames.holding(word, RARE_WORD_NAMES);
    if (!word || !narrow || !names) return null;
    const keysOf = (ftsQuery: string, most: number) =>
      candidates(sources).all({ query: ftsQuery, ...wordParams('word', word), limit: most + 1 }) as number[];
    // Exact: the deals whose names hold the word (and any pending text holding one of its phrases).
    const named = names.length > 0 ? keysOf(names.map(nameToken).join(' OR '), RARE_WORD_NAMED) : [];
    // The texts holding its rarest pairs: a name's pairs are tokens of their own (nameTerms), so the
    // deals of the names that only share them (有限会社X for 株式会社X) are not among these.
    const unsure = keysOf(narrow, RARE_WORD_CANDIDATES);
    if (named.length > RARE_WORD_NAMED || unsure.length > RARE_WORD_CANDIDATES) return null;
    const sure = new Set(named.map(dealOfKey));
    const places = candidatePlaces(unsure);
    const dealIds = [...new Set([...sure, ...places.keys()])].sort((a, b) => b - a);
    const passing = checks.passing(query, dealIds);
    const holdsWord = (dealId: number) =>
      sure.has(dealId) || (places.get(dealId) ?? []).some((place) => textsHold(texts.at(dealId, place), word));
    const holding = dealIds.filter((dealId) => passing.has(dealId) && holdsWord(dealId));
    return others.length === 0 ? pageOf(query, holding, offset, limit) : withOthers(query, holding, offset, limit);
  }

  /**
   * Of the deals holding the first word (newest first), those whose texts hold the other words too:
   * each deal's texts are read, as far as the page needs and OTHER_WORDS_CHECKED deals at least.
   */
  function withOthers(query: DealQuery, holding: readonly number[], offset: number, limit: number): SearchPage {
    const others = query.words.slice(1);
    const matched: number[] = [];
    let checked = 0;
    for (const dealId of holding) {
      if ((matched.length > offset + limit && checked >= OTHER_WORDS_CHECKED) || checked >= OTHER_WORDS_MOST) break;
      checked += 1;
      if (textsHoldAll(texts.ofDeal(dealId), others)) matched.push(dealId);
    }
    const page = pageOf(query, matched, offset, limit);
    const lastChecked = holding[checked - 1];
    if (checked === holding.length || lastChecked === undefined || page.totalIs === 'moreThanCap') return page;
    return {
      ...page,
      totalIs: 'amongRecent',
      countedFrom: checks.reportedAt(lastChecked),
    };
  }

  /** The deals that pass the filters and the indexed words, newest first, up to `scan` (null: all). */
  function withoutShortWords(query: DealQuery, sources: WordSources, scan: number | null): DealRow[] {
    const { from, where, newestFirst, params } =
      scan === null ? dealQuerySql(query, sources) : selection.sql(query, sources, PAGE_HITS);
    return statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst} LIMIT @scan`).all({
      ...params,
      scan: scan ?? -1,
    }) as DealRow[];
  }

  /**
   * The words to `read`: the texts of the newest deals that pass everything else are read for them
   * (a one-character word, or every word of a search with 期間 whose words are common).
   */
  function readingMatches(
    query: DealQuery,
    sources: WordSources,
    read: readonly string[],
  ): { ids: number[]; scanned: DealRow[]; more: boolean } {
    const rows = withoutShortWords({ ...query, words: wordsBut(query, read) }, sources, window.shortWordScan + 1);
    const scanned = rows.slice(0, window.shortWordScan);
    const ids = scanned.filter((row) => textsHoldAll(texts.ofDeal(row.id), read)).map((row) => row.id);
    return { ids, scanned, more: rows.length > scanned.length };
  }

  function byReading(query: DealQuery, sources: WordSources, read: readonly string[], offset: number, limit: number) {
    const { ids, scanned, more } = readingMatches(query, sources, read);
    const page = pageOf(query, ids, offset, limit);
    const oldest = scanned.at(-1);
    if (!more || !oldest) return page;
    // With no word left to the index, the deals were read newest first by a date: by the period's.
    const dated = isDatedSelection({ ...query, words: wordsBut(query, read) });
    const held = dated ? heldAt(query, datedOf(query, oldest)) : { countedFrom: oldest.reported_at };
    return { ...page, totalIs: 'amongRecent' as const, ...held };
  }

  /**
   * A search with 期間 whose leading word is common: the word's list would be read from the newest deal
   * back to the period (FTS5 cannot start a list at a deal), so the period's deals are read instead.
   */
  function periodOfCommonWords(query: DealQuery): boolean {
    const [leading] = rareWords.sparsestFirst(query.words);
    return hasPeriod(query) && leading !== undefined && rareWords.isCommon(leading, window.commonWord);
  }

  return {
    search(query: DealQuery, offset: number, limit: number): SearchPage {
      const sources = sourcesNow();
      const read = periodOfCommonWords(query) ? query.words : shortWordsOf(query);
      if (read.length > 0) return byReading(query, sources, read, offset, limit);
      const rare = byRareWord(query, sources, offset, limit);
      if (rare) return rare;
      if (query.words.length < 2) return byIndex(query, sources, offset, limit);
      const sparsestFirst = { ...query, words: rareWords.sparsestFirst(query.words) };
      return { ...wordMerge.search(sparsestFirst, sources, offset, limit, window.count), unindexed: unindexed(query) };
    },
    /**
     * The query with its one-character words replaced by the deals that hold them among the newest
     * (as the search shows them), for what runs as SQL alone: the analysis and the CSV export.
     */
    resolveShortWords(query: DealQuery): DealQuery {
      if (shortWordsOf(query).length === 0) return query;
      return {
        ...query,
        words: query.words.filter(isIndexedWord),
        onlyDeals: readingMatches(query, sourcesNow(), shortWordsOf(query)).ids,
      };
    },
    /** Every matching deal, newest first, without windows (for tests and tools). */
    *each(query: DealQuery): Generator<Deal> {
      const short = shortWordsOf(query);
      for (const row of withoutShortWords(query, sourcesNow(), null)) {
        if (short.length === 0 || textsHoldAll(texts.ofDeal(row.id), short)) yield toDeal(row);
      }
    },
  };
}
