import { setImmediate as nextTurn } from 'node:timers/promises';
import { todayIn } from '../workflow/dates.js';
import type { SystemCommands } from '../workflow/system-commands.js';

/** Tasks reminded in one transaction: small enough that a batch never holds the event loop for long. */
export const REMINDER_BATCH = 100;

export interface RemindersDeps {
  system: Pick<SystemCommands, 'remindOverdueTasks'>;
  timeZone: string;
  batchSize?: number;
}

/**
 * The daily reminders: every open task past its due date is reminded, once on the team's day `now`
 * falls on. Batch after batch, least recently reminded first, yielding to requests in between, so a
 * run interrupted half-way starts next time with the tasks it did not reach.
 */
export async function remindOverdueTasks(deps: RemindersDeps, now: Date): Promise<{ reminded: number }> {
  const day = todayIn(deps.timeZone, now);
  const batchSize = deps.batchSize ?? REMINDER_BATCH;
  let reminded = 0;
  for (;;) {
    const count = deps.system.remindOverdueTasks(day, batchSize);
    reminded += count;
    if (count < batchSize) return { reminded };
    await nextTurn();
  }
}
