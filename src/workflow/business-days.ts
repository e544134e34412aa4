/**
 * Business days: not Saturday, not Sunday, not a Japanese public holiday. Holidays come from
 * @holiday-jp/holiday_jp (the Cabinet Office's list, substitute and citizens' holidays included).
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { addDays, startOfDay, todayIn, wallClockAsUtc } from './dates.js';

const HOUR_MS = 60 * 60 * 1_000;
const DAY_MS = 24 * HOUR_MS;
const holidays: Readonly<Record<string, unknown>> = holidayJp.holidays;

/** `date` is YYYY-MM-DD. */
export function isBusinessDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !(date in holidays);
}

/** The holiday's name (元日, 振替休日 …) or null. */
export function holidayName(date: string): string | null {
  const holiday = holidayJp.holidays[date as keyof typeof holidayJp.holidays] as { name: string } | undefined;
  return holiday?.name ?? null;
}

/** How many business days lie after `from` up to and including `to` (0 when `to` is not after `from`). */
export function businessDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (isBusinessDay(day)) count += 1;
  }
  return count;
}

/** The business day `days` business days before `date` (`date` itself need not be one). */
export function businessDaysBefore(date: string, days: number): string {
  let day = date;
  for (let left = days; left > 0; ) {
    day = addDays(day, -1);
    if (isBusinessDay(day)) left -= 1;
  }
  return day;
}

/**
 * The instant that lies `hours` business hours before `now`: time on weekends and holidays does not
 * count, so 24 business hours from Friday noon end on Monday noon.
 */
export function businessHoursBefore(now: Date, hours: number, timeZone: string): string {
  let leftMs = hours * HOUR_MS;
  let day = todayIn(timeZone, now);
  // Milliseconds into `day` that have passed, on the team's wall clock.
  let elapsedInDay = wallClockAsUtc(now, timeZone) - Date.parse(`${day}T00:00:00Z`);
  for (;;) {
    if (isBusinessDay(day)) {
      if (elapsedInDay >= leftMs) {
        return new Date(Date.parse(startOfDay(day, timeZone)) + elapsedInDay - leftMs).toISOString();
      }
      leftMs -= elapsedInDay;
    }
    day = addDays(day, -1);
    elapsedInDay = DAY_MS;
  }
}
