import type { AnalysisCounts, MonthRange } from '../workflow/analysis.js';
import { startOfDay } from '../workflow/dates.js';
import type { DealQuery } from '../workflow/deal-search.js';
import type { Db } from './db.js';
import { dealQuerySql } from './deal-query-sql.js';
import { keepMonthsIn } from './local-months.js';

export interface NamedQuery {
  name: keyof AnalysisCounts;
  sql: string;
  params: Record<string, string>;
}

/** The instants the first month begins and the month after the last begins, in the team's time zone. */
export function monthBounds(months: MonthRange, timeZone: string): { since: string; until: string } {
  const [year, month] = months.to.split('-').map(Number) as [number, number];
  const after = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  return { since: startOfDay(`${months.from}-01`, timeZone), until: startOfDay(after, timeZone) };
}

const CLOSED = `d.status IN ('won', 'lost') AND d.closed_at IS NOT NULL`;
const ADVISED = `(SELECT MIN(t.at) FROM timeline t WHERE t.deal_id = d.id AND t.kind = 'advice')`;
const days = (from: string, to: string) => `CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`;
const OUTCOME_SUMS = `SUM(d.status = 'won') AS won, SUM(d.status = 'lost') AS lost,
  SUM(CASE WHEN d.status = 'won' THEN COALESCE(d.amount, 0) ELSE 0 END) AS wonAmount`;

/**
 * The analysis's groups computed from the deals and their timeline themselves: for filters the
 * counters do not keep (業種 with a rep, a keyword …). Heavy at scale, so they run in a worker.
 */
export function analysisQueries(query: DealQuery, months: MonthRange, timeZone: string): NamedQuery[] {
  const closed = dealQuerySql({ ...query, periodColumn: 'closed_at', ...monthBounds(months, timeZone) });
  const open = dealQuerySql({ ...query, status: null, since: null, until: null });
  const inClosed = `FROM ${closed.from} WHERE ${closed.where} AND ${CLOSED}`;
  return [
    {
      name: 'outcomes',
      sql: `SELECT COALESCE(d.industry, '') AS industry, COALESCE(d.company_size, '') AS companySize, ${OUTCOME_SUMS}
        ${inClosed} GROUP BY 1, 2`,
      params: closed.params,
    },
    {
      name: 'reps',
      sql: `SELECT d.owner_id AS ownerId, ${OUTCOME_SUMS} ${inClosed} GROUP BY 1`,
      params: closed.params,
    },
    {
      name: 'lossReasons',
      sql: `SELECT COALESCE((SELECT json_extract(t.data, '$.entry.lossReason') FROM timeline t WHERE t.id = d.last_progress_id), '')
        AS reason, COUNT(*) AS deals ${inClosed} AND d.status = 'lost' GROUP BY 1`,
      params: closed.params,
    },
    {
      name: 'durations',
      sql: `SELECT days, SUM(step = 'total') AS total, SUM(step = 'advice') AS advice,
          SUM(step = 'negotiation') AS negotiation FROM (
          SELECT 'total' AS step, ${days('d.reported_at', 'd.closed_at')} AS days ${inClosed} AND d.reported_at IS NOT NULL
          UNION ALL SELECT 'advice', ${days('d.reported_at', ADVISED)} ${inClosed} AND ${ADVISED} IS NOT NULL
          UNION ALL SELECT 'negotiation', ${days(`COALESCE(${ADVISED}, d.reported_at)`, 'd.closed_at')} ${inClosed}
            AND d.reported_at IS NOT NULL
        ) GROUP BY days`,
      params: closed.params,
    },
    {
      name: 'pipeline',
      sql: `SELECT COALESCE(substr(d.expected_close_date, 1, 7), '') AS month, COUNT(*) AS deals,
        SUM(COALESCE(d.amount, 0)) AS amount FROM ${open.from} WHERE ${open.where} AND d.status = 'negotiating' GROUP BY 1`,
      params: open.params,
    },
  ];
}

/** Runs named queries on a connection (the worker's read-only one, or the main one in tests). */
export function runAnalysisQueries(db: Db, queries: readonly NamedQuery[]): AnalysisCounts {
  return Object.fromEntries(queries.map((q) => [q.name, db.prepare(q.sql).all(q.params)])) as unknown as AnalysisCounts;
}

export type DealStats = ReturnType<typeof createDealStats>;

const COUNTED_SUMS = 'SUM(c.won) AS won, SUM(c.lost) AS lost, SUM(c.won_amount) AS wonAmount';
const ANY_CLOSED = 'SUM(c.won) <> 0 OR SUM(c.lost) <> 0';

/**
 * What the analysis reads from the counters the triggers keep (see stats-groups-migration.ts). CROSS
 * JOIN keeps the groups outside: walked in key order, each group's months are one range of the
 * counters' key, and the GROUP BY needs no sort.
 */
export const COUNTER_READS = {
  outcomes: `SELECT s.industry, s.company_size AS companySize, ${COUNTED_SUMS}
    FROM stats_segments s CROSS JOIN stats_outcomes c ON c.industry = s.industry AND c.company_size = s.company_size
      AND c.month BETWEEN @from AND @to
    GROUP BY s.industry, s.company_size HAVING ${ANY_CLOSED}`,
  reps: `SELECT o.owner_id AS ownerId, ${COUNTED_SUMS}
    FROM stats_owners o CROSS JOIN stats_reps c ON c.owner_id = o.owner_id AND c.month BETWEEN @from AND @to
    GROUP BY o.owner_id HAVING ${ANY_CLOSED}`,
  lossReasons: `SELECT reason, SUM(deals) AS deals FROM stats_loss_reasons WHERE month BETWEEN @from AND @to
    GROUP BY 1 HAVING SUM(deals) <> 0`,
  durations: `SELECT days, SUM(total) AS total, SUM(advice) AS advice, SUM(negotiation) AS negotiation
    FROM stats_durations WHERE month BETWEEN @from AND @to GROUP BY days`,
  pipeline: 'SELECT month, deals, amount FROM stats_pipeline WHERE deals <> 0',
} as const;

/** The analysis from the counters: a few thousand rows at a million deals. */
export function createDealStats(db: Db) {
  const statements = {
    outcomes: db.prepare(COUNTER_READS.outcomes),
    reps: db.prepare(COUNTER_READS.reps),
    lossReasons: db.prepare(COUNTER_READS.lossReasons),
    durations: db.prepare(COUNTER_READS.durations),
    pipeline: db.prepare(COUNTER_READS.pipeline),
  };
  return {
    /** Counts closes in the months of `timeZone` from now on (recounting every deal if it changed). */
    keepMonthsIn: (timeZone: string) => keepMonthsIn(db, timeZone),
    counts(months: MonthRange): AnalysisCounts {
      return {
        outcomes: statements.outcomes.all(months) as AnalysisCounts['outcomes'],
        reps: statements.reps.all(months) as AnalysisCounts['reps'],
        lossReasons: statements.lossReasons.all(months) as AnalysisCounts['lossReasons'],
        durations: statements.durations.all(months) as AnalysisCounts['durations'],
        pipeline: statements.pipeline.all() as AnalysisCounts['pipeline'],
      };
    },
  };
}
