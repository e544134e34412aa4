/**
 * The analysis counters (a migration step: never edit; change them with a new step).
 *
 * Every change to a deal — insert, update (a close, a reopen, an edited 業種 …) or delete — takes the
 * deal's old contribution out of the counters and puts its new one in, inside the same statement and
 * so the same transaction. One copy of "what a deal contributes" lives in the INSTEAD OF trigger of the
 * view stats_change; the deal triggers and the backfill of existing deals both insert into that view.
 * Months are UTC calendar months (YYYY-MM) of closed_at (a later step counts them in the team's time
 * zone: local-months.ts); the pipeline is keyed by 受注予定 month, a calendar date as entered.
 * deal_stat_facts keeps what the counters need from the timeline (when advice came, why it was lost),
 * so a deal's contribution can be taken out again even after its timeline is gone; a new fact takes the
 * deal's contribution out and puts it back, so the order in which a deal and its entries are written
 * (the bot's, or a bulk load's) does not matter.
 */

const CHANGE_COLUMNS = [
  'id',
  'status',
  'industry',
  'company_size',
  'owner_id',
  'amount',
  'expected_close_date',
  'reported_at',
  'closed_at',
] as const;

function changeFrom(row: 'NEW' | 'OLD', sign: 1 | -1): string {
  return `INSERT INTO stats_change (sign, ${CHANGE_COLUMNS.join(', ')})
    VALUES (${sign}, ${CHANGE_COLUMNS.map((column) => `${row}.${column}`).join(', ')});`;
}

/** The stored deal's contribution, taken out (-1) or put back (1): around a change of its facts. */
function changeOfDeal(dealId: string, sign: 1 | -1): string {
  return `INSERT INTO stats_change (sign, ${CHANGE_COLUMNS.join(', ')})
    SELECT ${sign}, ${CHANGE_COLUMNS.join(', ')} FROM deals WHERE id = ${dealId};`;
}

const ADD = 'ON CONFLICT DO UPDATE SET deals = deals + excluded.deals';
const ADD_AMOUNT = `${ADD}, amount = amount + excluded.amount`;
export const CLOSED = `NEW.status IN ('won', 'lost') AND NEW.closed_at IS NOT NULL`;
const UTC_MONTH = 'substr(NEW.closed_at, 1, 7)';
const AMOUNT = 'NEW.sign * COALESCE(NEW.amount, 0)';
const ADVISED = '(SELECT advised_at FROM deal_stat_facts WHERE deal_id = NEW.id)';
const days = (from: string, to: string) => `CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`;

// The pieces below are shared with a later step (stats-groups-migration.ts); released steps run them
// on every new file, so their text stays as it is.

/** For each step: the whole days it took a closed deal, and when the deal has that step at all. */
export const STEP_DAYS = {
  total: { days: days('NEW.reported_at', 'NEW.closed_at'), when: 'NEW.reported_at IS NOT NULL' },
  advice: { days: days('NEW.reported_at', ADVISED), when: `NEW.reported_at IS NOT NULL AND ${ADVISED} IS NOT NULL` },
  negotiation: {
    days: days(`COALESCE(${ADVISED}, NEW.reported_at)`, 'NEW.closed_at'),
    when: 'NEW.reported_at IS NOT NULL',
  },
} as const;

export const countLossReason = (month: string) => `INSERT INTO stats_loss_reasons (month, reason, deals)
      SELECT ${month}, COALESCE((SELECT loss_reason FROM deal_stat_facts WHERE deal_id = NEW.id), ''), NEW.sign
      WHERE ${CLOSED} AND NEW.status = 'lost' ${ADD};`;

export const COUNT_PIPELINE = `INSERT INTO stats_pipeline (month, deals, amount)
      SELECT COALESCE(substr(NEW.expected_close_date, 1, 7), ''), NEW.sign, ${AMOUNT}
      WHERE NEW.status = 'negotiating' ${ADD_AMOUNT};`;

const countDays = (
  month: string,
  step: keyof typeof STEP_DAYS,
) => `INSERT INTO stats_durations (month, step, days, deals)
      SELECT ${month}, '${step}', ${STEP_DAYS[step].days}, NEW.sign
      WHERE ${CLOSED} AND ${STEP_DAYS[step].when} ${ADD};`;

/** The one copy of what a deal contributes to the counters, with the month its close counts in. */
export function changeApplyTrigger(month: string): string {
  return `CREATE TRIGGER stats_change_apply INSTEAD OF INSERT ON stats_change BEGIN
    INSERT INTO stats_outcomes (month, industry, company_size, status, deals, amount)
      SELECT ${month}, COALESCE(NEW.industry, ''), COALESCE(NEW.company_size, ''), NEW.status, NEW.sign, ${AMOUNT}
      WHERE ${CLOSED} ${ADD_AMOUNT};
    INSERT INTO stats_reps (month, owner_id, status, deals, amount)
      SELECT ${month}, NEW.owner_id, NEW.status, NEW.sign, ${AMOUNT} WHERE ${CLOSED} ${ADD_AMOUNT};
    ${countLossReason(month)}
    ${countDays(month, 'total')}
    ${countDays(month, 'advice')}
    ${countDays(month, 'negotiation')}
    ${COUNT_PIPELINE}
  END;`;
}

export const statsMigration = `
  CREATE TABLE stats_outcomes (
    month TEXT NOT NULL, industry TEXT NOT NULL, company_size TEXT NOT NULL, status TEXT NOT NULL,
    deals INTEGER NOT NULL, amount INTEGER NOT NULL,
    PRIMARY KEY (month, industry, company_size, status)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_reps (
    month TEXT NOT NULL, owner_id TEXT NOT NULL, status TEXT NOT NULL, deals INTEGER NOT NULL, amount INTEGER NOT NULL,
    PRIMARY KEY (month, owner_id, status)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_loss_reasons (
    month TEXT NOT NULL, reason TEXT NOT NULL, deals INTEGER NOT NULL,
    PRIMARY KEY (month, reason)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_durations (
    month TEXT NOT NULL, step TEXT NOT NULL, days INTEGER NOT NULL, deals INTEGER NOT NULL,
    PRIMARY KEY (month, step, days)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_pipeline (
    month TEXT NOT NULL PRIMARY KEY, deals INTEGER NOT NULL, amount INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE deal_stat_facts (
    deal_id INTEGER PRIMARY KEY, advised_at TEXT, loss_reason TEXT
  ) STRICT;

  CREATE VIEW stats_change AS SELECT 0 AS sign, ${CHANGE_COLUMNS.join(', ')} FROM deals WHERE 0;
  ${changeApplyTrigger(UTC_MONTH)}

  CREATE TRIGGER deals_stats_insert AFTER INSERT ON deals BEGIN
    ${changeFrom('NEW', 1)}
  END;
  CREATE TRIGGER deals_stats_update AFTER UPDATE ON deals
  WHEN ${CHANGE_COLUMNS.slice(1)
    .map((column) => `OLD.${column} IS NOT NEW.${column}`)
    .join(' OR ')}
  BEGIN
    ${changeFrom('OLD', -1)}
    ${changeFrom('NEW', 1)}
  END;
  CREATE TRIGGER deals_stats_delete AFTER DELETE ON deals BEGIN
    ${changeFrom('OLD', -1)}
    DELETE FROM deal_stat_facts WHERE deal_id = OLD.id;
  END;
  CREATE TRIGGER timeline_stats_advice AFTER INSERT ON timeline WHEN NEW.kind = 'advice' BEGIN
    ${changeOfDeal('NEW.deal_id', -1)}
    INSERT INTO deal_stat_facts (deal_id, advised_at) VALUES (NEW.deal_id, NEW.at)
      ON CONFLICT DO UPDATE SET advised_at = COALESCE(advised_at, excluded.advised_at);
    ${changeOfDeal('NEW.deal_id', 1)}
  END;
  CREATE TRIGGER timeline_stats_loss AFTER INSERT ON timeline
  WHEN NEW.kind = 'progress' AND json_extract(NEW.data, '$.entry.status') = 'lost' BEGIN
    ${changeOfDeal('NEW.deal_id', -1)}
    INSERT INTO deal_stat_facts (deal_id, loss_reason) VALUES (NEW.deal_id, json_extract(NEW.data, '$.entry.lossReason'))
      ON CONFLICT DO UPDATE SET loss_reason = excluded.loss_reason;
    ${changeOfDeal('NEW.deal_id', 1)}
  END;

  INSERT INTO deal_stat_facts (deal_id, advised_at)
    SELECT deal_id, MIN(at) FROM timeline WHERE kind = 'advice' GROUP BY deal_id;
  INSERT INTO deal_stat_facts (deal_id, loss_reason)
    SELECT d.id, json_extract(t.data, '$.entry.lossReason') FROM deals d JOIN timeline t ON t.id = d.last_progress_id
    WHERE d.status = 'lost' AND true
    ON CONFLICT DO UPDATE SET loss_reason = excluded.loss_reason;
  INSERT INTO stats_change (sign, ${CHANGE_COLUMNS.join(', ')}) SELECT 1, ${CHANGE_COLUMNS.join(', ')} FROM deals;
`;
