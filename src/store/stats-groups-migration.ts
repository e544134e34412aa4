import { LOCAL_MONTH } from './local-months.js';
import { CLOSED, COUNT_PIPELINE, countLossReason, STEP_DAYS } from './stats-migration.js';

/**
 * The analysis counters, one row per group and month (a migration step: never edit; change them with
 * a new step).
 *
 * Reading a period sums each group's months (deal-stats.ts). Keyed month first, that sum sorted every
 * row of the period into its group; keyed group first, a group's months lie together and the groups
 * are walked in key order from a small table of every group ever counted, so nothing is sorted. 受注
 * and 失注 sit side by side in one row, and so do the three steps' counts of a number of days: half
 * the rows or fewer. What a deal contributes is unchanged (stats-migration.ts); the rows are carried
 * over from the counters as they were, nothing is recounted.
 */

const WON = `(NEW.status = 'won')`;
const OUTCOME = `NEW.sign * ${WON}, NEW.sign * (NEW.status = 'lost'), NEW.sign * ${WON} * COALESCE(NEW.amount, 0)`;
const ADD_OUTCOME = `ON CONFLICT DO UPDATE SET won = won + excluded.won, lost = lost + excluded.lost,
      won_amount = won_amount + excluded.won_amount`;
const SEGMENT = `COALESCE(NEW.industry, ''), COALESCE(NEW.company_size, '')`;
const STEPS = ['total', 'advice', 'negotiation'] as const;

const countDays = (month: string, step: (typeof STEPS)[number]) => `INSERT INTO stats_durations (month, days, ${step})
      SELECT ${month}, ${STEP_DAYS[step].days}, NEW.sign WHERE ${CLOSED} AND ${STEP_DAYS[step].when}
      ON CONFLICT DO UPDATE SET ${step} = ${step} + excluded.${step};`;

/** What a deal contributes, as in stats-migration.ts, to the counters keyed group first. */
function groupedApplyTrigger(month: string): string {
  return `CREATE TRIGGER stats_change_apply INSTEAD OF INSERT ON stats_change BEGIN
    INSERT INTO stats_segments (industry, company_size) SELECT ${SEGMENT} WHERE ${CLOSED} ON CONFLICT DO NOTHING;
    INSERT INTO stats_outcomes (industry, company_size, month, won, lost, won_amount)
      SELECT ${SEGMENT}, ${month}, ${OUTCOME} WHERE ${CLOSED} ${ADD_OUTCOME};
    INSERT INTO stats_owners (owner_id) SELECT NEW.owner_id WHERE ${CLOSED} ON CONFLICT DO NOTHING;
    INSERT INTO stats_reps (owner_id, month, won, lost, won_amount)
      SELECT NEW.owner_id, ${month}, ${OUTCOME} WHERE ${CLOSED} ${ADD_OUTCOME};
    ${countLossReason(month)}
    ${STEPS.map((step) => countDays(month, step)).join('\n    ')}
    ${COUNT_PIPELINE}
  END;`;
}

const sumOf = (status: string, column: string) => `SUM(CASE WHEN status = '${status}' THEN ${column} ELSE 0 END)`;
const OUTCOME_COLUMNS = `won INTEGER NOT NULL, lost INTEGER NOT NULL, won_amount INTEGER NOT NULL`;
const OUTCOME_SUMS = `${sumOf('won', 'deals')}, ${sumOf('lost', 'deals')}, ${sumOf('won', 'amount')}`;

export const statsGroupsMigration = `
  DROP TRIGGER stats_change_apply;

  CREATE TABLE stats_outcomes_by_segment (
    industry TEXT NOT NULL, company_size TEXT NOT NULL, month TEXT NOT NULL, ${OUTCOME_COLUMNS},
    PRIMARY KEY (industry, company_size, month)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO stats_outcomes_by_segment (industry, company_size, month, won, lost, won_amount)
    SELECT industry, company_size, month, ${OUTCOME_SUMS} FROM stats_outcomes GROUP BY industry, company_size, month;
  DROP TABLE stats_outcomes;
  ALTER TABLE stats_outcomes_by_segment RENAME TO stats_outcomes;
  CREATE TABLE stats_segments (
    industry TEXT NOT NULL, company_size TEXT NOT NULL, PRIMARY KEY (industry, company_size)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO stats_segments (industry, company_size) SELECT DISTINCT industry, company_size FROM stats_outcomes;

  CREATE TABLE stats_reps_by_owner (
    owner_id TEXT NOT NULL, month TEXT NOT NULL, ${OUTCOME_COLUMNS}, PRIMARY KEY (owner_id, month)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO stats_reps_by_owner (owner_id, month, won, lost, won_amount)
    SELECT owner_id, month, ${OUTCOME_SUMS} FROM stats_reps GROUP BY owner_id, month;
  DROP TABLE stats_reps;
  ALTER TABLE stats_reps_by_owner RENAME TO stats_reps;
  CREATE TABLE stats_owners (owner_id TEXT NOT NULL PRIMARY KEY) STRICT, WITHOUT ROWID;
  INSERT INTO stats_owners (owner_id) SELECT DISTINCT owner_id FROM stats_reps;

  CREATE TABLE stats_durations_by_days (
    month TEXT NOT NULL, days INTEGER NOT NULL,
    total INTEGER NOT NULL DEFAULT 0, advice INTEGER NOT NULL DEFAULT 0, negotiation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, days)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO stats_durations_by_days (month, days, total, advice, negotiation)
    SELECT month, days, ${STEPS.map((step) => `SUM(CASE WHEN step = '${step}' THEN deals ELSE 0 END)`).join(', ')}
    FROM stats_durations GROUP BY month, days;
  DROP TABLE stats_durations;
  ALTER TABLE stats_durations_by_days RENAME TO stats_durations;

  ${groupedApplyTrigger(LOCAL_MONTH)}
`;
