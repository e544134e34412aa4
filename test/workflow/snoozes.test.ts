import { describe, expect, it } from 'vitest';
import { latestSnoozeDate, snoozeDateProblem } from '../../src/workflow/snoozes.js';

describe('the date a snooze ends on', () => {
  const today = '2030-04-08';

  it('is after today and at most 90 calendar days ahead, across months', () => {
    expect(latestSnoozeDate(today)).toBe('2030-07-07');
    expect(snoozeDateProblem('2030-04-09', today)).toBeNull();
    expect(snoozeDateProblem('2030-07-07', today)).toBeNull();
  });

  it.each([
    ['today', '2030-04-08', '明日以降の日付を選んでください。'],
    ['a past date', '2029-12-31', '明日以降の日付を選んでください。'],
    ['91 days ahead', '2030-07-08', '保留できるのは 90 日先 (2030/07/07) までです。'],
  ])('refuses %s', (_name, until, message) => {
    expect(snoozeDateProblem(until, today)).toBe(message);
  });
});
