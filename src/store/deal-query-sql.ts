/**
 * The SQL of a deal query: the filters as conditions on `deals d`, and the words as reads of the search
 * index (its own file, attached as `search`) and of the texts still pending. Used by the search, the
 * analysis and the CSV export.
 */
import type { DealQuery } from '../workflow/deal-search.js';
import { isIndexedWord, wordNeedles, wordQuery } from '../workflow/search-terms.js';
import { TEXTS_PER_DEAL } from './search-texts.js';

export interface Sql {
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

/** How keysHolding reads a word's keys. */
export interface KeysOptions {
  /** Only the keys in this range (SQL expressions). */
  within?: { from: string; to: string };
  /**
   * The FTS5 query is not a word's (the AND of a rare word's pairs, say, whose candidates are checked
   * against the texts afterwards) and the pending texts are matched by this word's phrases instead
   * (wordParams). The keys then come in no order: FTS5 reads its lists backwards at twice the cost, and
   * they are all checked.
   */
  candidatesOf?: string;
}

/**
 * A word's parameters: `param` holds its FTS5 query; `<param>Text` and `<param>Name` what a document
 * holds where the word is (in a text, in a 顧客名: wordNeedles), which the pending texts are matched by.
 */
export function wordParams(param: string, word: string): Record<string, string> {
  const { text, name } = wordNeedles(word);
  return { [param]: wordQuery(word), [`${param}Text`]: text, [`${param}Name`]: name };
}

/**
 * The keys of the texts holding a word, newest first. With texts pending, the index proper's rows of
 * their keys are masked (a newer version, or a removal, is pending) and the few pending texts are read
 * themselves (wordNeedles in search-terms.ts).
 */
export function keysHolding(param: string, sources: WordSources, options: KeysOptions = {}): string {
  const { within, candidatesOf } = options;
  const range = (column: string) => (within ? `AND ${column} BETWEEN ${within.from} AND ${within.to}` : '');
  const newestFirst = (column: string) => (candidatesOf === undefined ? `ORDER BY ${column} DESC` : '');
  const indexed = `SELECT rowid AS key FROM search.deal_search_texts WHERE deal_search_texts MATCH @${param} ${range('rowid')}`;
  if (!sources.pending) return `${indexed} ${newestFirst('rowid')}`;
  const word = candidatesOf ?? param;
  const holds = (needle: string) => `instr(' ' || terms || ' ', @${needle}) > 0`;
  return `${indexed} AND rowid NOT IN (SELECT key FROM deal_search_pending)
      UNION ALL SELECT key FROM deal_search_pending
      WHERE terms <> '' AND (${holds(`${word}Text`)} OR ${holds(`${word}Name`)})
      ${range('key')}
      ${newestFirst('key')}`;
}

/**
 * The deals that hold a word, newest first, each once: a deal's texts are rows side by side (key = deal
 * id × 2¹⁶ + place), read in descending key order, and DISTINCT keeps the first row of each deal. SQLite
 * streams this (a co-routine, no sort), so a page stops after its rows. The LIMITs (-1: none) keep SQLite
 * from dropping the ORDER BY of a subquery no outer ORDER BY asks for; the order is what the search tests
 * compare.
 */
export function wordHits(param: string, sources: WordSources, window?: number): string {
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
  return `EXISTS (${keysHolding(param, sources, { within })})`;
}

/**
 * A search read by a date (a 期間, or filters no index of their own serves: search-selection.ts) looks
 * at the newest this many deals by that date, through the date's index, which holds every filter's
 * column: a period of years with a rare filter would otherwise read most of the deals (seconds at a
 * million).
 */
export const PERIOD_WINDOW = 10_000;

/** Whether the query has a 期間 (either end). */
export function hasPeriod(query: DealQuery): boolean {
  return query.since !== null || query.until !== null;
}

/**
 * FROM and WHERE of the deals a search without indexed words selects by a date (the query's period
 * column, within its 期間 if any): the newest `window` deals read from the index of that date alone
 * (deals_by_reported, deals_by_closed), newest first by it, filtered there, and only the page's rows
 * read (`idsOnly`: none).
 */
export function periodSql(
  query: DealQuery,
  { idsOnly = false, window = PERIOD_WINDOW }: { idsOnly?: boolean; window?: number } = {},
): Sql {
  const column = query.periodColumn;
  const index = column === 'closed_at' ? 'deals_by_closed' : 'deals_by_reported';
  const { conditions, params } = filterSql({ ...query, since: null, until: null }, 'w');
  const onlyPeriod = { ...query, industry: null, companySize: null, status: null, ownerId: null, onlyDeals: null };
  const { conditions: period, params: periodParams } = filterSql(onlyPeriod, 'p');
  const newest = `(SELECT p.id, p.status, p.industry, p.company_size, p.owner_id, p.${column} AS period_date
    FROM deals p INDEXED BY ${index} WHERE ${period.join(' AND ')}
    ORDER BY p.${column} DESC LIMIT ${window}) w`;
  return {
    from: idsOnly ? newest : `${newest} CROSS JOIN deals d ON d.id = w.id`,
    where: conditions.join(' AND '),
    newestFirst: '',
    params: { ...params, ...periodParams },
  };
}

/** Whether the query narrows deals by anything but words (every query leaves drafts out). */
export function hasFilters(query: DealQuery): boolean {
  const { industry, companySize, status, ownerId, since, until, onlyDeals } = query;
  return [industry, companySize, status, ownerId, since, until, onlyDeals].some((value) => value !== null);
}

/** The filters other than words, as SQL conditions on `deals d` (or another alias). */
export function filterSql(query: DealQuery, alias = 'd'): { conditions: string[]; params: Record<string, string> } {
  const conditions = [`${alias}.status <> 'draft'`];
  const params: Record<string, string> = {};
  const add = (condition: string, name: string, value: string | null) => {
    if (value === null) return;
    conditions.push(condition);
    params[name] = value;
  };
  add(`${alias}.industry = @industry`, 'industry', query.industry);
  add(`${alias}.company_size = @companySize`, 'companySize', query.companySize);
  add(`${alias}.status = @status`, 'status', query.status);
  add(`${alias}.owner_id = @ownerId`, 'ownerId', query.ownerId);
  add(`${alias}.${query.periodColumn} >= @since`, 'since', query.since);
  add(`${alias}.${query.periodColumn} < @until`, 'until', query.until);
  add(
    `${alias}.id IN (SELECT value FROM json_each(@onlyDeals))`,
    'onlyDeals',
    query.onlyDeals && JSON.stringify(query.onlyDeals),
  );
  return { conditions, params };
}

/**
 * FROM and WHERE of the deals a query selects (`idsOnly`: of their ids, as `m.id`), newest first, by
 * the words the index holds (a one-character word is looked for by the search itself, or turned into
 * `onlyDeals` first: see resolveShortWords). With words, the first word's hits drive (CROSS JOIN keeps
 * them the outer loop, so their order is the result's order) and each hit is checked against the
 * filters by key and against the other words within its own texts (AND across the deal).
 */
export function dealQuerySql(
  query: DealQuery,
  sources: WordSources = { pending: true },
  wordWindow?: number,
  { idsOnly = false }: { idsOnly?: boolean } = {},
): Sql {
  const { conditions, params } = filterSql(query);
  const [first, ...others] = query.words.filter(isIndexedWord);
  if (first === undefined) {
    return { from: 'deals d', where: conditions.join(' AND '), newestFirst: 'ORDER BY d.id DESC', params };
  }
  // Only the ids asked for, and no filter but drafts': no deal's row is read (each is a page of its own
  // at a million deals, read from disk when cold); drafts are found by status, where they are few.
  const byKeys = idsOnly && !hasFilters(query);
  const wordConditions = byKeys ? [NOT_DRAFT] : conditions;
  Object.assign(params, wordParams('word0', first));
  others.forEach((word, index) => {
    Object.assign(params, wordParams(`word${index + 1}`, word));
    wordConditions.push(dealHolds(`word${index + 1}`, sources));
  });
  const hits = `${wordHits('word0', sources, wordWindow)} m`;
  return {
    from: byKeys ? hits : `${hits} CROSS JOIN deals d ON d.id = m.id`,
    where: wordConditions.join(' AND '),
    newestFirst: '',
    params,
  };
}

const NOT_DRAFT = "NOT EXISTS (SELECT 1 FROM deals INDEXED BY deals_by_status WHERE status = 'draft' AND id = m.id)";
