import { describe, expect, it } from 'vitest';
import {
  businessDaysBefore,
  businessDaysBetween,
  businessHoursBefore,
  holidayName,
  isBusinessDay,
} from '../../src/workflow/business-days.js';

const ZONE = 'Asia/Tokyo';

describe('business days in Japan', () => {
  it('skips weekends and public holidays, substitute holidays included', () => {
    expect(isBusinessDay('2026-11-27')).toBe(true); // Friday
    expect(isBusinessDay('2026-11-28')).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-29')).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-23')).toBe(false); // 勤労感謝の日 (Monday)
    expect(isBusinessDay('2030-05-06')).toBe(false); // こどもの日 振替休日
    expect(holidayName('2027-01-01')).toBe('元日');
    expect(holidayName('2026-11-24')).toBeNull();
  });

  it('counts business days between two dates across Golden Week', () => {
    // 2030: 4/29 (Mon) 昭和の日, 5/3–5/6 holidays; 4/30, 5/1, 5/2 and 5/7 are business days.
    expect(businessDaysBetween('2030-04-26', '2030-05-07')).toBe(4);
    expect(businessDaysBetween('2030-05-07', '2030-05-07')).toBe(0);
    expect(businessDaysBetween('2030-05-08', '2030-05-07')).toBe(0);
  });

  it('finds the business day N business days back', () => {
    expect(businessDaysBefore('2030-05-07', 1)).toBe('2030-05-02');
    expect(businessDaysBefore('2030-05-07', 4)).toBe('2030-04-26');
    // From a Sunday, one business day back is the Friday.
    expect(businessDaysBefore('2026-11-29', 1)).toBe('2026-11-27');
  });

  it('counts business hours, leaving out weekends and holidays, in the team time zone', () => {
    // Monday 2026-11-30 12:00 JST: 24 business hours back is Friday 11-27 12:00 JST.
    expect(businessHoursBefore(new Date('2026-11-30T03:00:00Z'), 24, ZONE)).toBe('2026-11-27T03:00:00.000Z');
    // Tuesday 11-24 09:00 JST, after the Monday holiday: Friday 09:00 JST.
    expect(businessHoursBefore(new Date('2026-11-24T00:00:00Z'), 24, ZONE)).toBe('2026-11-20T00:00:00.000Z');
    // Within one business day.
    expect(businessHoursBefore(new Date('2026-11-26T09:00:00Z'), 6, ZONE)).toBe('2026-11-26T03:00:00.000Z');
    // On a Sunday nothing of the weekend counts: Friday 18:00 JST minus nothing more.
    expect(businessHoursBefore(new Date('2026-11-29T09:00:00Z'), 6, ZONE)).toBe('2026-11-27T09:00:00.000Z');
  });
});
