import { setImmediate as nextTurn } from 'node:timers/promises';
import { isBusinessDay } from '../workflow/business-days.js';
import { todayIn } from '../workflow/dates.js';
import type { FollowUps } from '../workflow/follow-ups.js';
import { REMINDER_BATCH, type RemindersDeps, remindOverdueTasks } from './reminders.js';

export interface ChaseDeps extends RemindersDeps {
  followUps: Pick<FollowUps, 'chaseStalledDeals'>;
}

/**
 * The daily chase, on business days only: stalled deals first (one reminder a deal, escalation after
 * enough of them), then the overdue tasks they did not cover. Batch after batch, yielding in between.
 * What was sent is stored with the day in the same transaction, so a second run that day (a restart,
 * a catch-up) sends nothing again.
 */
export async function chaseStalledWork(
  deps: ChaseDeps,
  now: Date,
): Promise<{ chased: number; reminded: number; skipped?: 'not_a_business_day' }> {
  const day = todayIn(deps.timeZone, now);
  if (!isBusinessDay(day)) return { chased: 0, reminded: 0, skipped: 'not_a_business_day' };
  const batchSize = deps.batchSize ?? REMINDER_BATCH;
  let chased = 0;
  for (;;) {
    const count = deps.followUps.chaseStalledDeals(now, batchSize);
    chased += count;
    if (count < batchSize) break;
    await nextTurn();
  }
  const { reminded } = await remindOverdueTasks(deps, now);
  return { chased, reminded };
}
