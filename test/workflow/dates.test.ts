import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDate, startOfMonth, todayIn } from '../../src/workflow/dates.js';

describe('dates in the team time zone', () => {
  it('reads today in Tokyo, which runs ahead of UTC', () => {
    expect(todayIn('Asia/Tokyo', new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(todayIn('Asia/Tokyo', new Date('2026-11-30T14:59:00Z'))).toBe('2026-11-30');
  });

  it('finds the instant the month began in Tokyo', () => {
    expect(startOfMonth(new Date('2026-12-10T03:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-30T15:00:00.000Z');
    expect(startOfMonth(new Date('2026-11-30T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-30T15:00:00.000Z');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026/12/01')).toBe(false);
  });
});
