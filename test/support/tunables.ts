import type { Tunables } from '../../src/workflow/tunables.js';

/** The thresholds and schedules the README documents as defaults, for tests and benches that build settings. */
export const DEFAULT_TUNABLES: Tunables = {
  reminderSchedule: '0 10 * * 1-5',
  progressIntervalDays: 7,
  adviceStaleHours: 24,
  staleDays: 10,
  escalateAfter: 3,
  digestSchedule: '0 9 * * 1',
};
