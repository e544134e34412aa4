import type Database from 'better-sqlite3';
import {
  COUNT_WORD_WINDOW,
  type DealQuery,
  SEARCH_COUNT_CAP,
  type SearchPage,
  SHORT_WORD_SCAN,
} from '../workflow/deal-search.js';
import { dealTexts, isIndexedWord, phraseQuery, textsHold, wordPairs } from '../workflow/search-terms.js';
import type { Deal } from '../workflow/types.js';
import type { Db } from './db.js';
import { createRareWords } from './rare-words.js';
import { type DealRow, toDeal } from './rows.js';
import { createSearchTexts, dealOfKey, placeOfKey, TEXTS_PER_DEAL } from './search-texts.js';

interface Sql {
  from: string;
  where: string;
  /** `ORDER BY …` newest first, or '' when the rows come newest first already (see wordHits). */
  newestFirst: string;
  params: Record<string, string>;
}

/**
 * Where a word's texts are read from: the index proper alone, or (`pending`: texts are waiting to move
 * into it, search-pending.js) the index proper without the keys that wait, and the pending texts.
 */
export interface WordSources {
  pending: boolean;
}

/**
 * The keys of the texts holding a word, newest first; `within` narrows them to a range of keys. With texts
 * pending, the index proper's rows of their keys are masked (a newer version, or a removal, is pending)
 * and the few pending texts are read themselves: a phrase is its tokens one after the other in the
 * text's document (search-terms.ts); for any other query (`candidates`: the AND of a rare word's pairs,
 * checked against the texts afterwards) every pending text is a candidate.
 */
function keysHolding(
  param: string,
  sources: WordSources,
  within?: { from: string; to: string },
  pendingAre: 'phrase' | 'candidates' = 'phrase',
): string {
  const range = (column: string) => (within ? `AND ${column} BETWEEN ${within.from} AND ${within.to}` : '');
  const indexed = `SELECT rowid AS key FROM search.deal_search_texts WHERE deal_search_texts MATCH @${param} ${range('rowid')}`;
  if (!sources.pending) return `${indexed} ORDER BY rowid DESC`;
  const holds =
    pendingAre === 'phrase'
      ? `AND instr(' ' || terms || ' ', ' ' || substr(@${param}, 2, length(@${param}) - 2) || ' ') > 0`
      : '';
  return `${indexed} AND rowid NOT IN (SELECT key FROM deal_search_pending)
      UNION ALL SELECT key FROM deal_search_pending WHERE terms <> '' ${holds} ${range('key')}
      ORDER BY key DESC`;
}

/**
 * The deals that hold a word, newest first, each once: a deal's texts are rows side by side (key = deal
 * id × 2¹⁶ + place), read in descending key order, and DISTINCT keeps the first row of each deal. SQLite
 * streams this (a co-routine, no sort), so a page stops after its rows. The LIMITs (-1: none) keep SQLite
 * from dropping the ORDER BY of a subquery no outer ORDER BY asks for; the order is what the search tests
 * compare.
 */
function wordHits(param: string, sources: WordSources, window?: number): string {
  const limit = `LIMIT ${window ?? -1}`;
  // With nothing pending, the index proper alone, without the nesting the union needs (a sixth faster).
  if (!sources.pending) {
    return `(SELECT DISTINCT rowid / ${TEXTS_PER_DEAL} AS id FROM search.deal_search_texts
      WHERE deal_search_texts MATCH @${param} ORDER BY rowid DESC ${limit})`;
  }
  return `(SELECT DISTINCT key / ${TEXTS_PER_DEAL} AS id FROM (${keysHolding(param, sources)} LIMIT -1) ${limit})`;
}

/** Whether one of the deal's texts holds a word: the range of keys of its texts. */
function dealHolds(param: string, sources: WordSources): string {
  const within = { from: `m.id * ${TEXTS_PER_DEAL}`, to: `m.id * ${TEXTS_PER_DEAL} + ${TEXTS_PER_DEAL - 1}` };
  return `EXISTS (${keysHolding(param, sources, within)})`;
}

const phraseOf = (word: string) => phraseQuery(wordPairs(word));
/** A rare word's candidate texts are checked one by one up to this many (a few ms; the phrase may take 50–90 ms). */
const RARE_WORD_CANDIDATES = 3_000;
const shortWordsOf = (query: DealQuery) => query.words.filter((word) => !isIndexedWord(word));
const holdsAll = (texts: readonly string[], words: readonly string[]) => words.every((word) => textsHold(texts, word));

/** The filters other than words, as SQL conditions on `deals d`. */
function filterSql(query: DealQuery): { conditions: string[]; params: Record<string, string> } {
  const conditions = ["d.status <> 'draft'"];
  const params: Record<string, string> = {};
  const add = (condition: string, name: string, value: string | null) => {
    if (value === null) return;
    conditions.push(condition);
    params[name] = value;
  };
  add('d.industry = @industry', 'industry', query.industry);
  add('d.company_size = @companySize', 'companySize', query.companySize);
  add('d.status = @status', 'status', query.status);
  add('d.owner_id = @ownerId', 'ownerId', query.ownerId);
  add(`d.${query.periodColumn} >= @since`, 'since', query.since);
  add(`d.${query.periodColumn} < @until`, 'until', query.until);
  add(
    'd.id IN (SELECT value FROM json_each(@onlyDeals))',
    'onlyDeals',
    query.onlyDeals && JSON.stringify(query.onlyDeals),
  );
  return { conditions, params };
}

/**
 * FROM and WHERE of the deals a query selects, newest first, by the words the index holds (a
 * one-character word is looked for by the search itself, or turned into `onlyDeals` first: see
 * resolveShortWords). With words, the first word's hits drive (CROSS JOIN keeps them the outer loop,
 * so their order is the result's order) and each hit is checked against the filters by key and
 * against the other words within its own texts (AND across the deal).
 */
export function dealQuerySql(query: DealQuery, sources: WordSources = { pending: true }, wordWindow?: number): Sql {
  const { conditions, params } = filterSql(query);
  const [first, ...others] = query.words.filter(isIndexedWord);
  if (first === undefined) {
    return { from: 'deals d', where: conditions.join(' AND '), newestFirst: 'ORDER BY d.id DESC', params };
  }
  params.word0 = phraseOf(first);
  others.forEach((word, index) => {
    params[`word${index + 1}`] = phraseOf(word);
    conditions.push(dealHolds(`word${index + 1}`, sources));
  });
  return {
    from: `${wordHits('word0', sources, wordWindow)} m CROSS JOIN deals d ON d.id = m.id`,
    where: conditions.join(' AND '),
    newestFirst: '',
    params,
  };
}

export type DealSearch = ReturnType<typeof createDealSearch>;

interface Windows {
  /** With words, the count looks at the newest this many deals holding the first word (COUNT_WORD_WINDOW). */
  count: number;
  /** With a one-character word, the texts of the newest this many deals are read (SHORT_WORD_SCAN). */
  shortWordScan: number;
}

const DEFAULT_WINDOWS: Windows = { count: COUNT_WORD_WINDOW, shortWordScan: SHORT_WORD_SCAN };

/**
 * Search over deals: a page of the newest matches and their bounded count. Three ways, by the words:
 * the index alone (the phrase of each word's pairs); a rare long word through a few candidates checked
 * against their texts (rare-words.ts); a one-character word by reading the texts of the newest deals.
 */
export function createDealSearch(db: Db, windows: Partial<Windows> = {}) {
  const window = { ...DEFAULT_WINDOWS, ...windows };
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const texts = createSearchTexts(db);
  const rareWords = createRareWords(db);
  const backlog = db.prepare('SELECT COUNT(*) FROM deal_search_backlog').pluck();
  const anyPending = db.prepare('SELECT EXISTS (SELECT 1 FROM deal_search_pending)').pluck();
  const firstWordWindow = (sources: WordSources) =>
    statement(
      `SELECT n, (SELECT reported_at FROM deals WHERE id = first) AS oldest
       FROM (SELECT COUNT(*) AS n, MIN(h.id) AS first FROM ${wordHits('word0', sources, window.count)} h)`,
    );
  const candidates = (sources: WordSources) =>
    statement(`${keysHolding('query', sources, undefined, 'candidates')} LIMIT @limit`).pluck();
  /** Read at the start of each search: usually nothing waits, and the index proper is read alone. */
  const sourcesNow = (): WordSources => ({ pending: anyPending.get() === 1 });

  const rowsOf = (ids: readonly number[]): DealRow[] => {
    const rows = statement('SELECT * FROM deals WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as DealRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is DealRow => row !== undefined);
  };

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
  function heldWindow(phrase: string, sources: WordSources): { oldest: string | null } | null {
    const held = firstWordWindow(sources).get({ word0: phrase }) as { n: number; oldest: string | null };
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
    const counting = dealQuerySql(query, sources, window.count);
    const counted = statement(
      `SELECT COUNT(*) FROM (SELECT 1 FROM ${counting.from} WHERE ${counting.where} LIMIT @cap)`,
    )
      .pluck()
      .get({ ...params, cap: SEARCH_COUNT_CAP + 1 }) as number;
    const held = counted <= SEARCH_COUNT_CAP && params.word0 !== undefined ? heldWindow(params.word0, sources) : null;
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

  /** The places of each candidate deal's texts, newest deal first, place 0 (its own fields) first. */
  function candidatePlaces(keys: readonly number[]): Map<number, number[]> {
    const places = new Map<number, number[]>();
    for (const key of keys) {
      const dealId = dealOfKey(key);
      const known = places.get(dealId);
      if (known) known.unshift(placeOfKey(key));
      else places.set(dealId, [placeOfKey(key)]);
    }
    return places;
  }

  /**
   * A rare first word: the candidates its rarest pairs find, narrowed by the filters, each checked
   * against its texts, all counted. Null when the word is short, or when its candidates are too many
   * to check (a common word: the index's phrase then finds its page and count quickly).
   */
  function byRareWord(query: DealQuery, sources: WordSources, offset: number, limit: number): SearchPage | null {
    const [word, ...others] = query.words;
    const narrow = word === undefined ? null : rareWords.candidatesQuery(word);
    if (!word || !narrow) return null;
    const keys = candidates(sources).all({ query: narrow, limit: RARE_WORD_CANDIDATES + 1 }) as number[];
    if (keys.length > RARE_WORD_CANDIDATES) return null;
    const places = candidatePlaces(keys);
    // The deals that pass the filters, with their own texts (place 0, where a name usually is) in the same read.
    const { conditions, params } = filterSql({ ...query, onlyDeals: [...places.keys()] });
    const passing = new Map(
      (
        statement(`SELECT d.id, d.customer, d.title, d.description FROM deals d WHERE ${conditions.join(' AND ')}`).all(
          params,
        ) as Array<{ id: number } & Parameters<typeof dealTexts>[0]>
      ).map((row) => [row.id, row]),
    );
    const textsAt = (dealId: number, place: number) => {
      const own = passing.get(dealId);
      return place === 0 && own ? dealTexts(own) : texts.at(dealId, place);
    };
    const matched = [...places]
      .filter(
        ([dealId, at]) =>
          passing.has(dealId) &&
          at.some((place) => textsHold(textsAt(dealId, place), word)) &&
          (others.length === 0 || holdsAll(texts.ofDeal(dealId), others)),
      )
      .map(([dealId]) => dealId);
    return pageOf(query, matched, offset, limit);
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
      return byRareWord(query, sources, offset, limit) ?? byIndex(query, sources, offset, limit);
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
