import type { DealQuery } from '../workflow/deal-search.js';
import { dealQuerySql } from './deal-query-sql.js';

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
