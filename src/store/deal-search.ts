import {
  COUNT_WORD_WINDOW,
  type DealQuery,
  SEARCH_COUNT_CAP,
  type SearchPage,
  SHORT_WORD_SCAN,
} from '../workflow/deal-search.js';
import { isIndexedWord, nameToken, textsHold } from '../workflow/search-terms.js';
import type { Deal } from '../workflow/types.js';
import { createCustomerNames } from './customer-names.js';
import { type Db, statementCache } from './db.js';
import { createDealChecks } from './deal-checks.js';
import { dealQuerySql, keysHolding, type WordSources, wordHits, wordParams } from './deal-query-sql.js';
import { createRareWords } from './rare-words.js';
import { type DealRow, toDeal } from './rows.js';
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
/** A rare word held by more 顧客名 than this is looked for by its phrase. */
const RARE_WORD_NAMES = 500;
const shortWordsOf = (query: DealQuery) => query.words.filter((word) => !isIndexedWord(word));
const holdsAll = (texts: readonly string[], words: readonly string[]) => words.every((word) => textsHold(texts, word));

export type DealSearch = ReturnType<typeof createDealSearch>;

interface Windows {
  /** With words, the count looks at the newest this many deals holding the first word (COUNT_WORD_WINDOW). */
  count: number;
  /** With a one-character word, the texts of the newest this many deals are read (SHORT_WORD_SCAN). */
  shortWordScan: number;
}

const DEFAULT_WINDOWS: Windows = { count: COUNT_WORD_WINDOW, shortWordScan: SHORT_WORD_SCAN };

/**
 * Search over deals: a page of the newest matches and their bounded count. Four ways, by the words:
 * one word through the index alone (the phrase of its pairs); several words by merging their lists
 * (word-merge.ts); a rare long word through the names holding it and a few candidates checked against
 * their texts (rare-words.ts, customer-names.ts); a one-character word by reading the texts of the
 * newest deals.
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
  const firstWordWindow = (sources: WordSources) =>
    statement(
      `SELECT n, (SELECT reported_at FROM deals WHERE id = first) AS oldest
       FROM (SELECT COUNT(*) AS n, MIN(h.id) AS first FROM ${wordHits('word0', sources, window.count)} h)`,
    );
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

  /** When the first word is held by more deals than the count looks at: the oldest it looked at. */
  function heldWindow(params: Record<string, string>, sources: WordSources): { oldest: string | null } | null {
    const held = firstWordWindow(sources).get(params) as { n: number; oldest: string | null };
    return held.n >= window.count ? { oldest: held.oldest } : null;
  }

  /** The index settles every word: a page read in order, and a count over the newest hits of the first word. */
  function byIndex(query: DealQuery, sources: WordSources, offset: number, limit: number): SearchPage {
    const { from, where, newestFirst, params } = dealQuerySql(query, sources);
    // One row more than the page: whether there is a next page, without counting.
    const rows = statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst} LIMIT @limit OFFSET @offset`).all({
      ...params,
      limit: limit + 1,
      offset,
    }) as DealRow[];
    const counting = dealQuerySql(query, sources, window.count, { idsOnly: true });
    const counted = statement(
      `SELECT COUNT(*) FROM (SELECT 1 FROM ${counting.from} WHERE ${counting.where} LIMIT @cap)`,
    )
      .pluck()
      .get({ ...params, cap: SEARCH_COUNT_CAP + 1 }) as number;
    const held = counted <= SEARCH_COUNT_CAP && params.word0 !== undefined ? heldWindow(params, sources) : null;
    return {
      deals: rows.slice(0, limit).map(toDeal),
      hasNext: rows.length > limit,
      total: Math.min(counted, SEARCH_COUNT_CAP),
      totalIs: counted > SEARCH_COUNT_CAP ? 'moreThanCap' : held ? 'amongRecent' : 'exact',
      countedFrom: held?.oldest ?? null,
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
      if (matched.length > offset + limit && checked >= OTHER_WORDS_CHECKED) break;
      checked += 1;
      if (holdsAll(texts.ofDeal(dealId), others)) matched.push(dealId);
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
    const { from, where, newestFirst, params } = dealQuerySql(query, sources);
    return statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst} LIMIT @scan`).all({
      ...params,
      scan: scan ?? -1,
    }) as DealRow[];
  }

  /** A one-character word: the texts of the newest deals that pass everything else are read for it. */
  function shortWordMatches(
    query: DealQuery,
    sources: WordSources,
  ): { ids: number[]; scanned: DealRow[]; more: boolean } {
    const rows = withoutShortWords(query, sources, window.shortWordScan + 1);
    const scanned = rows.slice(0, window.shortWordScan);
    const short = shortWordsOf(query);
    const ids = scanned.filter((row) => holdsAll(texts.ofDeal(row.id), short)).map((row) => row.id);
    return { ids, scanned, more: rows.length > scanned.length };
  }

  function byReading(query: DealQuery, sources: WordSources, offset: number, limit: number): SearchPage {
    const { ids, scanned, more } = shortWordMatches(query, sources);
    const page = pageOf(query, ids, offset, limit);
    return more ? { ...page, totalIs: 'amongRecent', countedFrom: scanned.at(-1)?.reported_at ?? null } : page;
  }

  return {
    search(query: DealQuery, offset: number, limit: number): SearchPage {
      const sources = sourcesNow();
      if (shortWordsOf(query).length > 0) return byReading(query, sources, offset, limit);
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
        onlyDeals: shortWordMatches(query, sourcesNow()).ids,
      };
    },
    /** Every matching deal, newest first, without windows (for tests and tools). */
    *each(query: DealQuery): Generator<Deal> {
      const short = shortWordsOf(query);
      for (const row of withoutShortWords(query, sourcesNow(), null)) {
        if (short.length === 0 || holdsAll(texts.ofDeal(row.id), short)) yield toDeal(row);
      }
    },
  };
}
