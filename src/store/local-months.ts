import { startOfDay } from '../workflow/dates.js';
import type { Db } from './db.js';
import { changeApplyTrigger } from './stats-migration.js';

/**
 * The analysis counts a close in the calendar month of the team's time zone (ANKEN_TIMEZONE): a deal
 * closed at 2026-04-01 00:30 in Tokyo is April's, though it is still March in UTC. SQLite knows no
 * time zones, so local_months holds the instant each month begins there (1970–2199), and the counters'
 * trigger looks the month of a close up in it. A different zone rewrites the table and the counters.
 */

const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
const MONTHS = (LAST_YEAR - FIRST_YEAR + 1) * 12;

/** The month a close counts in; an instant before the table's range keeps its UTC month. */
export const LOCAL_MONTH = `COALESCE((SELECT month FROM local_months WHERE starts_at <= NEW.closed_at
  ORDER BY starts_at DESC LIMIT 1), substr(NEW.closed_at, 1, 7))`;

const REBUILD_COUNTERS = `
  DELETE FROM stats_outcomes;
  DELETE FROM stats_reps;
  DELETE FROM stats_loss_reasons;
  DELETE FROM stats_durations;
  DELETE FROM stats_pipeline;
  INSERT INTO stats_change (sign, id, status, industry, company_size, owner_id, amount, expected_close_date,
    reported_at, closed_at)
  SELECT 1, id, status, industry, company_size, owner_id, amount, expected_close_date, reported_at, closed_at FROM deals;`;

/** The migration step: Asia/Tokyo (the default zone; UTC+9 all year), then the counters again. */
export const localMonthsMigration = `
  CREATE TABLE local_months (
    starts_at TEXT PRIMARY KEY,
    month TEXT NOT NULL,
    time_zone TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${MONTHS - 1})
  INSERT INTO local_months (starts_at, month, time_zone)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', date('${FIRST_YEAR}-01-01', '+' || i || ' months'), '-540 minutes'),
    strftime('%Y-%m', date('${FIRST_YEAR}-01-01', '+' || i || ' months')), 'Asia/Tokyo'
  FROM n;
  DROP TRIGGER stats_change_apply;
  ${changeApplyTrigger(LOCAL_MONTH)}
  ${REBUILD_COUNTERS}
`;

function monthStarts(timeZone: string): Array<{ startsAt: string; month: string }> {
  return Array.from({ length: MONTHS }, (_, i) => {
    const month = `${FIRST_YEAR + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    return { startsAt: startOfDay(`${month}-01`, timeZone), month };
  });
}

/**
 * Keeps the counters' months in `timeZone`. Returns true when it had to change zone, which recounts
 * every deal (start-up only; about a second per 100,000 deals).
 */
export function keepMonthsIn(db: Db, timeZone: string): boolean {
  const current = db.prepare('SELECT time_zone FROM local_months LIMIT 1').pluck().get() as string | undefined;
  if (current === timeZone) return false;
  const insert = db.prepare('INSERT INTO local_months (starts_at, month, time_zone) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM local_months');
    for (const { startsAt, month } of monthStarts(timeZone)) insert.run(startsAt, month, timeZone);
    db.exec(REBUILD_COUNTERS);
  })();
  return true;
}
