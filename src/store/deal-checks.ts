import type { DealQuery } from '../workflow/deal-search.js';
import type { Db, statementCache } from './db.js';
import { filterSql, hasFilters } from './deal-query-sql.js';

export type DealChecks = ReturnType<typeof createDealChecks>;

/** Ids whose drafts are read at once, for deals checked one by one (a probe per deal costs 4 µs). */
const DRAFT_RANGE = 20_000;

/**
 * What a search asks of the deals its words found: whether they pass the filters, and when one was
 * reported. Without filters only drafts are left out, found from the index by status: each deal's row
 * would be a page of its own to read at a million deals.
 */
export function createDealChecks(db: Db, statement: ReturnType<typeof statementCache>) {
  // Drafts are few (deals another system started, until their reps complete them).
  const draftsBetween = db
    .prepare("SELECT id FROM deals INDEXED BY deals_by_status WHERE status = 'draft' AND id BETWEEN ? AND ?")
    .pluck();
  /** Whether deals are drafts, asked newest first: their drafts read DRAFT_RANGE ids at a time (few, if any). */
  const notDraftNewestFirst = () => {
    const drafts = new Set<number>();
    let readFrom = Number.MAX_SAFE_INTEGER;
    return (dealId: number) => {
      if (dealId < readFrom) {
        const from = Math.max(0, dealId - DRAFT_RANGE);
        for (const id of draftsBetween.all(from, readFrom) as number[]) drafts.add(id);
        readFrom = from;
      }
      return !drafts.has(dealId);
    };
  };
  const reported = db.prepare('SELECT reported_at FROM deals WHERE id = ?').pluck();

  return {
    /** Of these deals, the ones that pass the query's filters. */
    passing(query: DealQuery, dealIds: readonly number[]): Set<number> {
      if (dealIds.length === 0) return new Set();
      if (!hasFilters(query)) {
        const drafts = new Set(draftsBetween.all(Math.min(...dealIds), Math.max(...dealIds)) as number[]);
        return new Set(dealIds.filter((id) => !drafts.has(id)));
      }
      const { conditions, params } = filterSql(query);
      // The ids lead (CROSS JOIN): a filter's index, a 期間 of years say, would read far more.
      const sql = `SELECT d.id FROM json_each(@ids) j CROSS JOIN deals d ON d.id = j.value WHERE ${conditions.join(' AND ')}`;
      return new Set(
        statement(sql)
          .pluck()
          .all({ ...params, ids: JSON.stringify(dealIds) }) as number[],
      );
    },
    /**
     * Whether a deal passes the query's filters, one deal at a time, for deals found one by one newest
     * first: without filters the drafts are read a range of ids at a time.
     */
    passes(query: DealQuery): (dealId: number) => boolean {
      if (!hasFilters(query)) return notDraftNewestFirst();
      const { conditions, params } = filterSql(query);
      const check = statement(`SELECT 1 FROM deals d WHERE d.id = @id AND ${conditions.join(' AND ')}`).pluck();
      return (dealId) => check.get({ ...params, id: dealId }) === 1;
    },
    reportedAt: (dealId: number) => (reported.get(dealId) as string | undefined) ?? null,
  };
}
