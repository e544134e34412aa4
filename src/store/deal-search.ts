import type Database from 'better-sqlite3';
import { COUNT_WORD_WINDOW, type DealQuery, SEARCH_COUNT_CAP, type SearchPage } from '../workflow/deal-search.js';
import type { Deal } from '../workflow/types.js';
import type { Db } from './db.js';
import { type DealRow, toDeal } from './rows.js';

interface Sql {
  from: string;
  where: string;
  /** Newest first; with words, in the FTS5 table's own rowid order, so a page stops after its rows. */
  newestFirst: string;
  /** The deal id column to page by. */
  id: string;
  params: Record<string, string>;
}

/**
 * FROM and WHERE of the deals a query selects, newest first. With words, the FTS5 index drives (its
 * rowids are deal ids, read in descending order) and each hit is checked against the filters by key.
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
  const where = conditions.join(' AND ');
  if (query.match === null) return { from: 'deals d', where, newestFirst: 'd.id DESC', id: 'd.id', params };
  params.match = query.match;
  return {
    from: `(SELECT rowid AS id FROM deal_search WHERE deal_search MATCH @match ORDER BY rowid DESC${
      wordWindow === undefined ? '' : ` LIMIT ${wordWindow}`
    }) m
      JOIN deals d ON d.id = m.id`,
    where,
    newestFirst: 'm.id DESC',
    id: 'm.id',
    params,
  };
}

export type DealSearch = ReturnType<typeof createDealSearch>;

/** Search over deals: a page of the newest matches and their (capped) count. */
export function createDealSearch(db: Db) {
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
  const wordHits = db.prepare(
    'SELECT COUNT(*) AS n FROM (SELECT 1 FROM deal_search WHERE deal_search MATCH @match LIMIT @window)',
  );

  return {
    search(query: DealQuery, offset: number, limit: number): SearchPage {
      const { from, where, newestFirst, params } = dealQuerySql(query);
      const rows = statement(
        `SELECT d.* FROM ${from} WHERE ${where} ORDER BY ${newestFirst} LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit, offset }) as DealRow[];
      // With words, the count looks only at the newest COUNT_WORD_WINDOW deals that hold them: bounded work.
      const counting = dealQuerySql(query, COUNT_WORD_WINDOW);
      const counted = (
        statement(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${counting.from} WHERE ${counting.where} LIMIT @cap)`).get({
          ...params,
          cap: SEARCH_COUNT_CAP + 1,
        }) as { n: number }
      ).n;
      const windowFull =
        query.match !== null &&
        (wordHits.get({ match: query.match, window: COUNT_WORD_WINDOW }) as { n: number }).n >= COUNT_WORD_WINDOW;
      const unindexed = query.match === null ? 0 : (backlog.get() as { n: number }).n;
      return {
        deals: rows.map(toDeal),
        total: Math.min(counted, SEARCH_COUNT_CAP),
        totalIsCapped: counted > SEARCH_COUNT_CAP || windowFull,
        offset,
        unindexed,
      };
    },
    /** Every matching deal, newest first, a page at a time (for the CSV export's worker). */
    *each(query: DealQuery, pageSize = 1_000): Generator<Deal> {
      const { from, where, newestFirst, id, params } = dealQuerySql(query);
      const page = statement(
        `SELECT d.* FROM ${from} WHERE ${where} AND ${id} < @before ORDER BY ${newestFirst} LIMIT @limit`,
      );
      let before = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = page.all({ ...params, before, limit: pageSize }) as DealRow[];
        for (const row of rows) yield toDeal(row);
        const last = rows.at(-1);
        if (!last || rows.length < pageSize) return;
        before = last.id;
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
      FROM ${from} WHERE ${where} ORDER BY ${newestFirst} LIMIT @exportLimit`,
    params: { ...params, exportLimit: EXPORT_MAX_ROWS },
  };
}
