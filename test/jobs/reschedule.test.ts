/** A schedule changed in Slack is picked up by the running scheduler, without a restart. */
import type { Logger } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { type Job, scheduleJobs } from '../../src/jobs/schedule.js';
import { pollUntil } from '../support/driving.js';

function recordingLogger(lines: string[]): Logger {
  const record = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  return {
    debug: record,
    info: record,
    warn: record,
    error: record,
    setLevel: () => undefined,
    getLevel: () => 'info' as never,
    setName: () => undefined,
  } as Logger;
}

describe('scheduleJobs', () => {
  it('moves a job to its new schedule and ignores one that does not parse', async () => {
    let expression = '0 10 * * 1-5';
    const job: Job = { name: 'reminders', schedule: () => expression, run: async () => undefined };
    const lines: string[] = [];
    const runner = { jobs: [job], runJob: async () => undefined, catchUpMissedJobs: async () => [] };
    const stop = scheduleJobs(runner, 'Asia/Tokyo', recordingLogger(lines), { recheckMs: 10 });
    try {
      expression = 'not a schedule';
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toEqual([]);
      expression = '0 9 * * 1-5';
      await pollUntil('the job is rescheduled', () => (lines.length > 0 ? lines : undefined), {
        timeoutMs: 2_000,
        intervalMs: 10,
      });
      expect(lines).toEqual(['anken: job reminders now runs at 0 9 * * 1-5']);
    } finally {
      await stop();
    }
  });
});
