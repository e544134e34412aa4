import type { FollowUp } from '../workflow/ports.js';
import type { Db } from './db.js';

interface FollowUpRow {
  snoozed_until: string | null;
  snooze_reason: string | null;
  snoozed_by: string | null;
  chased_on: string | null;
  chase_count: number;
  escalated_on: string | null;
}

const fresh: FollowUp = {
  snoozedUntil: null,
  snoozeReason: null,
  snoozedBy: null,
  chasedOn: null,
  chaseCount: 0,
  escalatedOn: null,
};

/** deal_follow_ups: one row per deal that was ever snoozed or chased. */
export function createFollowUpStore(db: Db) {
  const get = db.prepare('SELECT * FROM deal_follow_ups WHERE deal_id = ?');
  const put = db.prepare(
    `INSERT INTO deal_follow_ups (deal_id, snoozed_until, snooze_reason, snoozed_by, chased_on, chase_count, escalated_on)
     VALUES (@dealId, @snoozedUntil, @snoozeReason, @snoozedBy, @chasedOn, @chaseCount, @escalatedOn)
     ON CONFLICT (deal_id) DO UPDATE SET snoozed_until = excluded.snoozed_until, snooze_reason = excluded.snooze_reason,
       snoozed_by = excluded.snoozed_by, chased_on = excluded.chased_on, chase_count = excluded.chase_count,
       escalated_on = excluded.escalated_on`,
  );
  return {
    followUp(dealId: number): FollowUp {
      const row = get.get(dealId) as FollowUpRow | undefined;
      if (!row) return { ...fresh };
      return {
        snoozedUntil: row.snoozed_until,
        snoozeReason: row.snooze_reason,
        snoozedBy: row.snoozed_by,
        chasedOn: row.chased_on,
        chaseCount: row.chase_count,
        escalatedOn: row.escalated_on,
      };
    },
    saveFollowUp(dealId: number, followUp: FollowUp): void {
      put.run({ dealId, ...followUp });
    },
  };
}
