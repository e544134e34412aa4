import type Database from 'better-sqlite3';
import { COUNT_WORD_WINDOW, type DealQuery, SEARCH_COUNT_CAP, type SearchPage } from '../workflow/deal-search.js';
import type { Deal } from '../workflow/types.js';
import type { Db } from './db.js';
import { type DealRow, toDeal } from './rows.js';

interface Sql {
  from: string;
  where: string;
  /** `ORDER BY …` newest first, or '' when the rows come newest first already (see wordHits). */
  newestFirst: string;
  params: Record<string, string>;
}

/**
 * The deals that hold a word, newest first, each once: a deal's texts are rows side by side in
 * deal_search_texts (rowid = deal id × 2³² + entry), read in descending rowid order, and DISTINCT keeps
 * the first row of each deal. SQLite streams this (a co-routine, no sort), so a page stops after its rows.
 * The LIMIT (-1: none) keeps SQLite from dropping the ORDER BY of a subquery no outer ORDER BY asks for;
 * the order is what the search tests compare.
 */
function wordHits(param: string, window?: number): string {
  return `(SELECT DISTINCT rowid >> 32 AS id FROM deal_search_texts WHERE deal_search_texts MATCH @${param}
      ORDER BY rowid DESC LIMIT ${window ?? -1})`;
}

/** Whether one of the deal's texts holds a word: the range of rowids of its texts. */
function dealHolds(param: string): string {
  return `EXISTS (SELECT 1 FROM deal_search_texts WHERE deal_search_texts MATCH @${param}
      AND rowid BETWEEN m.id << 32 AND (m.id << 32) + 4294967295)`;
}

/**
 * FROM and WHERE of the deals a query selects, newest first. With words, the first word's hits drive
 * (CROSS JOIN keeps them the outer loop, so their order is the result's order) and each hit is checked
 * against the filters by key and against the other words within its own texts (AND across the deal).
 */
export function dealQuerySql(query: DealQuery, wordWindow?: number): Sql {
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
  const [first, ...others] = query.words;
  if (first === undefined) {
    return { from: 'deals d', where: conditions.join(' AND '), newestFirst: 'ORDER BY d.id DESC', params };
  }
  params.word0 = first;
  others.forEach((word, index) => {
    params[`word${index + 1}`] = word;
    conditions.push(dealHolds(`word${index + 1}`));
  });
  return {
    from: `${wordHits('word0', wordWindow)} m CROSS JOIN deals d ON d.id = m.id`,
    where: conditions.join(' AND '),
    newestFirst: '',
    params,
  };
}

export type DealSearch = ReturnType<typeof createDealSearch>;

/** Search over deals: a page of the newest matches and their bounded count (`countWindow`: see COUNT_WORD_WINDOW). */
export function createDealSearch(db: Db, countWindow = COUNT_WORD_WINDOW) {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const backlog = db.prepare('SELECT COUNT(*) AS n FROM deal_search_backlog');
  const firstWordHits = db.prepare(`SELECT COUNT(*) AS n FROM ${wordHits('word0', countWindow)}`);

  return {
    search(query: DealQuery, offset: number, limit: number): SearchPage {
      const { from, where, newestFirst, params } = dealQuerySql(query);
      // One row more than the page: whether there is a next page, without counting.
      const rows = statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst} LIMIT @limit OFFSET @offset`).all({
        ...params,
        limit: limit + 1,
        offset,
      }) as DealRow[];
      // With words, the count looks only at the newest `countWindow` deals that hold the first: bounded work.
      const counting = dealQuerySql(query, countWindow);
      const counted = (
        statement(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${counting.from} WHERE ${counting.where} LIMIT @cap)`).get({
          ...params,
          cap: SEARCH_COUNT_CAP + 1,
        }) as { n: number }
      ).n;
      const words = query.words.length > 0;
      return {
        deals: rows.slice(0, limit).map(toDeal),
        hasNext: rows.length > limit,
        total: Math.min(counted, SEARCH_COUNT_CAP),
        totalIs:
          counted > SEARCH_COUNT_CAP
            ? 'moreThanCap'
            : words && (firstWordHits.get({ word0: params.word0 }) as { n: number }).n >= countWindow
              ? 'amongRecent'
              : 'exact',
        offset,
        unindexed: words ? (backlog.get() as { n: number }).n : 0,
      };
    },
    /** Every matching deal, newest first (for tests and tools; the CSV export runs exportQuerySql in a worker). */
    *each(query: DealQuery): Generator<Deal> {
      const { from, where, newestFirst, params } = dealQuerySql(query);
      for (const row of statement(`SELECT d.* FROM ${from} WHERE ${where} ${newestFirst}`).iterate(params)) {
        yield toDeal(row as DealRow);
      }
    },
  };
}

/** At most this many deals go into one CSV export (newest first). */
export const EXPORT_MAX_ROWS = 100_000;

/** The CSV export's rows (columns as src/workers/csv-export.ts reads them), newest first. */
export function exportQuerySql(query: DealQuery): { sql: string; params: Record<string, string | number> } {
  const { from, where, newestFirst, params } = dealQuerySql(query);
  const last = (path: string) =>
    `(SELECT json_extract(t.data, '$.entry.${path}') FROM timeline t WHERE t.id = d.last_progress_id)`;
  return {
    sql: `SELECT d.id, d.customer, d.title, d.industry, d.company_size, d.status, d.amount,
        CASE WHEN d.status = 'won' THEN ${last('amount')} END AS won_amount, d.expected_close_date, d.source,
        d.contact_name, d.owner_id, d.reported_at, d.closed_at,
        CASE WHEN d.status = 'lost' THEN ${last('lossReason')} END AS loss_reason,
        CASE WHEN d.status = 'lost' THEN ${last('lossDetail')} END AS loss_detail, d.advice_given
      FROM ${from} WHERE ${where} ${newestFirst} LIMIT @exportLimit`,
    params: { ...params, exportLimit: EXPORT_MAX_ROWS },
  };
}
