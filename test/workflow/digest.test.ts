import { describe, expect, it } from 'vitest';
import { digestPeriod } from '../../src/workflow/digest.js';

describe('the week a digest covers', () => {
  it('is the seven days before the day it is made, in the team time zone', () => {
    // Monday 00:30 in Tokyo is still Sunday in UTC.
    expect(digestPeriod(new Date('2030-04-07T15:30:00Z'), 'Asia/Tokyo')).toEqual({
      week: '2030-04-08',
      from: '2030-04-01',
      to: '2030-04-07',
      since: '2030-03-31T15:00:00.000Z',
      until: '2030-04-07T15:00:00.000Z',
    });
    expect(digestPeriod(new Date('2030-04-07T15:30:00Z'), 'UTC').week).toBe('2030-04-01');
  });

  it('is one a week: any day of a week names the same Monday', () => {
    const weeks = ['2030-04-08', '2030-04-10', '2030-04-14'].map(
      (day) => digestPeriod(new Date(`${day}T03:00:00Z`), 'Asia/Tokyo').week,
    );
    expect(weeks).toEqual(['2030-04-08', '2030-04-08', '2030-04-08']);
    expect(digestPeriod(new Date('2030-04-15T03:00:00Z'), 'Asia/Tokyo').week).toBe('2030-04-15');
  });
});
