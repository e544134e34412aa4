/** Calendar dates (YYYY-MM-DD) as the sales team lives them, in their time zone. */

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const minuteFormats = new Map<string, Intl.DateTimeFormat>();

function cached(formats: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = formats.get(timeZone);
  if (!format) {
    format = make();
    formats.set(timeZone, format);
  }
  return format;
}

export function todayIn(timeZone: string, now: Date): string {
  return cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** True for a real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The instant this month began in `timeZone`, as an ISO string (for 今月 totals). */
export function startOfMonth(now: Date, timeZone: string): string {
  return startOfDay(`${todayIn(timeZone, now).slice(0, 8)}01`, timeZone);
}

/** The instant `date` (YYYY-MM-DD) began in `timeZone`, as an ISO string. */
export function startOfDay(date: string, timeZone: string): string {
  const midnightAsUtc = Date.parse(`${date}T00:00:00Z`);
  const offsetMs = wallClockAsUtc(new Date(midnightAsUtc), timeZone) - midnightAsUtc;
  return new Date(midnightAsUtc - offsetMs).toISOString();
}

/** The wall-clock time `instant` shows in `timeZone`, read as if it were UTC. */
export function wallClockAsUtc(instant: Date, timeZone: string): number {
  const format = cached(
    minuteFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  );
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '00';
  return Date.parse(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00Z`);
}
