import { type DealQuery, SEARCH_COUNT_CAP, type SearchPage } from '../workflow/deal-search.js';
import { isIndexedWord } from '../workflow/search-terms.js';
import type { statementCache } from './db.js';
import type { DealChecks } from './deal-checks.js';
import {
  dealQuerySql,
  hasFilters,
  hasPeriod,
  periodSql,
  type Sql,
  type WordSources,
  wordHits,
} from './deal-query-sql.js';

/**
 * How a query without a word the index holds reads its deals, newest first:
 * - `dated`: the newest of its period (or, with 業種 or 会社規模 but not both with 状況, the newest
 *   reported) from the index of that date, which holds every filter's column (periodSql). A filter
 *   index would be read in full for a rare combination, each deal's row with it.
 * - an index of one filter, read in order: a rep's deals (a few thousand at most), or one 業種's or one
 *   会社規模's (the count stops at 1,001).
 * - `index`: by status or by all of 業種, 会社規模 and 状況 (deals_by_status, deals_by_segment), or all deals.
 */
function filterPlan(query: DealQuery): 'dated' | 'index' | `deals_by_${'owner_id' | 'industry' | 'size'}` {
  const { industry, companySize, status, ownerId } = query;
  if (hasPeriod(query)) return 'dated';
  if (ownerId !== null) return 'deals_by_owner_id';
  if (industry === null && companySize === null) return 'index';
  if (status === null && (industry === null || companySize === null)) {
    return industry !== null ? 'deals_by_industry' : 'deals_by_size';
  }
  return industry !== null && companySize !== null && status !== null ? 'index' : 'dated';
}

/** Whether a query's deals are read newest first by a date (periodSql). */
export const isDatedSelection = (query: DealQuery) => !query.words.some(isIndexedWord) && filterPlan(query) === 'dated';

/** How far a count looked when it stopped before the end: the date it counted from. */
export type Held = Pick<SearchPage, 'countedFrom' | 'countedBy'> | null;

/** Whether a dated selection reads its deals by their closing date: with a 期間 of closing dates. */
export const byClosingDate = (query: DealQuery) => hasPeriod(query) && query.periodColumn === 'closed_at';

/** The count line's date for deals read by a date. */
export function heldAt(query: DealQuery, date: string): NonNullable<Held> {
  return byClosingDate(query) ? { countedFrom: date, countedBy: 'closed' } : { countedFrom: date };
}

export interface SelectionWindows {
  /** With words, the count looks at the newest this many deals holding the first word. */
  count: number;
  /** …and this many with filters too. */
  filteredCount: number;
  /** A dated selection looks at the newest this many deals. */
  period: number;
}

/** The deals a search selects by its filters and first word, as SQL, and their bounded count. */
export function createSearchSelection(
  statement: ReturnType<typeof statementCache>,
  checks: DealChecks,
  window: SelectionWindows,
) {
  const firstWordWindow = (sources: WordSources) =>
    statement(
      `SELECT n, (SELECT reported_at FROM deals WHERE id = first) AS oldest
       FROM (SELECT COUNT(*) AS n, MIN(h.id) AS first FROM ${wordHits('word0', sources, window.count)} h)`,
    );

  /** The deals a query selects by its filters and indexed words (`wordWindow`: among the newest of the first word's). */
  function sql(query: DealQuery, sources: WordSources, wordWindow?: number, idsOnly = false): Sql {
    if (isDatedSelection(query)) {
      // Without 期間, by the date reported (a closing date only exists for closed deals).
      const dated = hasPeriod(query) ? query : { ...query, periodColumn: 'reported_at' as const };
      return periodSql(dated, { idsOnly, window: window.period });
    }
    const selected = dealQuerySql(query, sources, wordWindow, { idsOnly });
    const plan = filterPlan(query);
    const byIndex = !query.words.some(isIndexedWord) && plan !== 'index';
    return byIndex ? { ...selected, from: `deals d INDEXED BY ${plan}` } : selected;
  }

  /** A count that stops past the cap; when it did not, whether the first word held more deals. */
  function boundedCount(sources: WordSources, counting: Sql): { counted: number; held: Held } {
    const counted = statement(
      `SELECT COUNT(*) FROM (SELECT 1 FROM ${counting.from} WHERE ${counting.where} LIMIT @cap)`,
    )
      .pluck()
      .get({ ...counting.params, cap: SEARCH_COUNT_CAP + 1 }) as number;
    if (counted > SEARCH_COUNT_CAP || counting.params.word0 === undefined) return { counted, held: null };
    const first = firstWordWindow(sources).get(counting.params) as { n: number; oldest: string | null };
    return { counted, held: first.n >= window.count ? { countedFrom: first.oldest } : null };
  }

  /**
   * Filters few deals pass, over a window (a word's newest deals, a period's): the count reads its whole
   * window anyway, and says in the same read how far it looked.
   */
  function windowCount(query: DealQuery, counting: Sql, dated: boolean): { counted: number; held: Held } {
    const oldestOf = dated ? 'MIN(w.period_date)' : 'MIN(m.id)';
    const { looked, counted, oldest } = statement(
      `SELECT COUNT(*) AS looked, SUM(${counting.where}) AS counted, ${oldestOf} AS oldest FROM ${counting.from}`,
    ).get(counting.params) as { looked: number; counted: number | null; oldest: number | string | null };
    const full = looked >= (dated ? window.period : window.filteredCount) && (counted ?? 0) <= SEARCH_COUNT_CAP;
    if (!full || oldest === null) return { counted: counted ?? 0, held: null };
    return {
      counted: counted ?? 0,
      held: typeof oldest === 'number' ? { countedFrom: checks.reportedAt(oldest) } : heldAt(query, oldest),
    };
  }

  return {
    sql,
    /** How many deals a query selects, up to the cap and within its window, and how far it looked. */
    count(query: DealQuery, sources: WordSources): { counted: number; held: Held } {
      const dated = isDatedSelection(query);
      const firstWord = query.words.some(isIndexedWord);
      const counting = sql(query, sources, hasFilters(query) ? window.filteredCount : window.count, true);
      return dated || (firstWord && hasFilters(query))
        ? windowCount(query, counting, dated)
        : boundedCount(sources, counting);
    },
  };
}
