import { todayIn } from '../workflow/dates.js';
import type { SystemCommands } from '../workflow/system-commands.js';

export interface RemindersDeps {
  system: Pick<SystemCommands, 'remindOverdueTasks'>;
  timeZone: string;
}

/** The daily reminders: each open task past its due date is reminded, once on the team's day `now` falls on. */
export async function remindOverdueTasks(deps: RemindersDeps, now: Date): Promise<{ reminded: number }> {
  const reminded = deps.system.remindOverdueTasks(todayIn(deps.timeZone, now));
  return { reminded };
}
