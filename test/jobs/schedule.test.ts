/**
 * Jobs run on demand at the test clock's time, and a run that fell due while the bot was down is made
 * up once after start-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { wasDueBetween } from '../../src/jobs/schedule.js';
import { type Harness, startHarness } from '../support/harness.js';

const ZONE = 'Asia/Tokyo';
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('catching up missed jobs', () => {
  it('finds a scheduled minute between two instants, in the team time zone', () => {
    const weekly = { name: 'digest', schedule: () => '0 9 * * 1', run: async () => undefined };
    // Monday 2030-04-08 09:00 JST is 00:00 UTC.
    const before = Date.parse('2030-04-07T23:59:00Z');
    expect(wasDueBetween(weekly, ZONE, before, Date.parse('2030-04-08T00:00:00Z'))).toBe(true);
    expect(wasDueBetween(weekly, ZONE, before, Date.parse('2030-04-07T23:59:59Z'))).toBe(false);
    // A run at the scheduled minute itself is not missed again.
    expect(wasDueBetween(weekly, ZONE, Date.parse('2030-04-08T00:00:00Z'), Date.parse('2030-04-14T00:00:00Z'))).toBe(
      false,
    );
  });

  it('runs a job once after start-up when its time passed while the bot was down', async () => {
    // Monday 2030-04-08 09:00 JST; reminders are due at 10:00 on weekdays.
    h = await startHarness({ now: () => new Date('2030-04-08T00:00:00Z') });
    expect(await h.anken.catchUpMissedJobs()).toEqual([]);
    expect(h.store.jobRuns.lastRun('reminders')).toBe('2030-04-08T00:00:00.000Z');

    h.clock.set('2030-04-08T00:30:00Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toEqual([]);

    // Down from 09:30 to 10:30: the 10:00 run is made up once, and only once.
    h.clock.set('2030-04-08T01:30:00Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toEqual(['reminders']);
    expect(h.store.jobRuns.lastRun('reminders')).toBe('2030-04-08T01:30:00.000Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toEqual([]);
  });

  it('records a run made on demand, so it is not made up again', async () => {
    h = await startHarness({ now: () => new Date('2030-04-08T00:00:00Z') });
    await h.anken.catchUpMissedJobs();
    h.clock.set('2030-04-08T01:00:00Z');
    await h.runJob('reminders');
    h.clock.set('2030-04-08T02:00:00Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toEqual([]);
  });
});
