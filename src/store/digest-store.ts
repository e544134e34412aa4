import type { DigestRepository, PeriodActivity, WeeklyDigest } from '../workflow/digest.js';
import type { Db } from './db.js';

type Total = { count: number; amount: number };

const CLOSED_IN = 'd.closed_at >= @since AND d.closed_at < @until';
const days = (from: string, to: string) => `CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`;

/** What a period's deals did: each reads a range of an index by @since and @until (and @status). */
export const PERIOD_ACTIVITY_SQL = {
  reported: `SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount FROM deals
    WHERE reported_at >= @since AND reported_at < @until`,
  closed: `SELECT COUNT(*) AS count, COALESCE(SUM(d.amount), 0) AS amount FROM deals d
    WHERE ${CLOSED_IN} AND d.status = @status`,
  lossReasons: `SELECT COALESCE(f.loss_reason, '') AS reason, COUNT(*) AS deals
    FROM deals d LEFT JOIN deal_stat_facts f ON f.deal_id = d.id
    WHERE ${CLOSED_IN} AND d.status = 'lost' GROUP BY 1`,
  // The steps as the analysis counts them (stats-migration.ts): report → advice → close.
  durations: `WITH closed AS (
      SELECT d.reported_at AS reported, f.advised_at AS advised, d.closed_at AS closed
      FROM deals d LEFT JOIN deal_stat_facts f ON f.deal_id = d.id
      WHERE ${CLOSED_IN} AND d.status IN ('won', 'lost') AND d.reported_at IS NOT NULL)
    SELECT step, days, COUNT(*) AS deals FROM (
      SELECT 'total' AS step, ${days('reported', 'closed')} AS days FROM closed
      UNION ALL SELECT 'advice', ${days('reported', 'advised')} FROM closed WHERE advised IS NOT NULL
      UNION ALL SELECT 'negotiation', ${days('COALESCE(advised, reported)', 'closed')} FROM closed
    ) GROUP BY 1, 2`,
};

/** The weekly digests sent (weekly_digests) and what a period's deals did. */
export function createDigestStore(db: Db): DigestRepository {
  const statements = {
    reported: db.prepare(PERIOD_ACTIVITY_SQL.reported),
    closed: db.prepare(PERIOD_ACTIVITY_SQL.closed),
    lossReasons: db.prepare(PERIOD_ACTIVITY_SQL.lossReasons),
    durations: db.prepare(PERIOD_ACTIVITY_SQL.durations),
    has: db.prepare('SELECT 1 FROM weekly_digests WHERE week = ?'),
    get: db.prepare('SELECT data FROM weekly_digests WHERE week = ?'),
    put: db.prepare('INSERT INTO weekly_digests (week, data, created_at) VALUES (?, ?, ?)'),
  };

  return {
    activity(since: string, until: string): PeriodActivity {
      const range = { since, until };
      return {
        newDeals: statements.reported.get(range) as Total,
        won: statements.closed.get({ ...range, status: 'won' }) as Total,
        lost: statements.closed.get({ ...range, status: 'lost' }) as Total,
        lossReasons: statements.lossReasons.all(range) as PeriodActivity['lossReasons'],
        durations: statements.durations.all(range) as PeriodActivity['durations'],
      };
    },
    hasDigest(week: string): boolean {
      return statements.has.get(week) !== undefined;
    },
    saveDigest(digest: WeeklyDigest, at: string): void {
      statements.put.run(digest.period.week, JSON.stringify(digest), at);
    },
    digest(week: string): WeeklyDigest | null {
      const row = statements.get.get(week) as { data: string } | undefined;
      return row ? (JSON.parse(row.data) as WeeklyDigest) : null;
    },
  };
}
