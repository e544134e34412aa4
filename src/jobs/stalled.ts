import { setImmediate as nextTurn } from 'node:timers/promises';
import { isBusinessDay } from '../workflow/business-days.js';
import { todayIn } from '../workflow/dates.js';
import type { FollowUps } from '../workflow/follow-ups.js';
import { REMINDER_BATCH, type RemindersDeps, remindOverdueTasks } from './reminders.js';

export interface ChaseDeps extends RemindersDeps {
  followUps: Pick<FollowUps, 'chaseOrder' | 'chaseDeals' | 'wakeSnoozedDeals'>;
}

/** Runs `step` batch after batch (yielding to requests in between) until a batch comes back short. */
async function inBatches(batchSize: number, step: (limit: number) => number): Promise<number> {
  let done = 0;
  for (;;) {
    const count = step(batchSize);
    done += count;
    if (count < batchSize) return done;
    await nextTurn();
  }
}

/**
 * The daily chase, on business days only: snoozes whose date has come end first (the owner's DM is
 * that day's reminder), then stalled deals (one reminder a deal, escalation after
 * enough of them), then the overdue tasks they did not cover. Batch after batch, yielding in between.
 * What was sent is stored with the day in the same transaction, so a second run that day (a restart,
 * a catch-up) sends nothing again.
 */
export async function chaseStalledWork(
  deps: ChaseDeps,
  now: Date,
): Promise<{ woken: number; chased: number; reminded: number; skipped?: 'not_a_business_day' }> {
  const day = todayIn(deps.timeZone, now);
  if (!isBusinessDay(day)) return { woken: 0, chased: 0, reminded: 0, skipped: 'not_a_business_day' };
  const batchSize = deps.batchSize ?? REMINDER_BATCH;
  const woken = await inBatches(batchSize, (limit) => deps.followUps.wakeSnoozedDeals(now, limit));
  const order = await deps.followUps.chaseOrder(now);
  let chased = 0;
  for (let from = 0; from < order.length; from += batchSize) {
    if (from > 0) await nextTurn();
    chased += deps.followUps.chaseDeals(now, order.slice(from, from + batchSize));
  }
  const { reminded } = await remindOverdueTasks(deps, now);
  return { woken, chased, reminded };
}
