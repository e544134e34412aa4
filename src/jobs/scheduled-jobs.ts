import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Store } from '../store/index.js';
import { keepSearchIndexTidy } from '../workers/search-pair-counts.js';
import { backupDatabase } from './backup.js';
import { type DigestJobDeps, sendWeeklyDigest } from './digest.js';
import { runDailyRetention } from './retention.js';
import type { Job } from './schedule.js';
import { type ChaseDeps, chaseStalledWork } from './stalled.js';

export interface ScheduledJobsDeps {
  config: Config;
  store: Store;
  chase: ChaseDeps;
  /** The reminders' schedule is a setting admins change in Slack, so it is read at each tick. */
  reminderSchedule: () => string;
  digest: DigestJobDeps;
  /** Also a setting admins change in Slack. */
  digestSchedule: () => string;
  logger: Pick<Logger, 'warn'>;
}

/** Every cron job of the bot, for node-cron to call and for tests to run on demand. */
export function scheduledJobs(deps: ScheduledJobsDeps): Job[] {
  const { config, store } = deps;
  return [
    { name: 'reminders', schedule: deps.reminderSchedule, run: (date) => chaseStalledWork(deps.chase, date) },
    { name: 'digest', schedule: deps.digestSchedule, run: (date) => sendWeeklyDigest(deps.digest, date) },
    {
      name: 'backup',
      schedule: () => config.backupSchedule,
      run: (date) =>
        backupDatabase({ databasePath: store.db.name, dir: config.backupDir, keep: config.backupKeep }, date),
    },
    {
      name: 'retention',
      schedule: () => config.retentionSchedule,
      run: (date) => runDailyRetention({ store, retentionDays: config.retentionDays, logger: deps.logger }, date),
    },
    {
      name: 'search-pairs',
      schedule: () => SEARCH_PAIRS_SCHEDULE,
      run: () => tidySearchIndexOf(store),
    },
  ];
}

/** When the search index is merged and its pairs counted again (after the night's backup and retention). */
export const SEARCH_PAIRS_SCHEDULE = '30 4 * * *';

/**
 * The search index's upkeep (search-pair-counts.ts in the store): its segments merged into one, and the
 * counts a rare word's search plans by. An in-memory database has no index file.
 */
export function tidySearchIndexOf(store: Store): Promise<{ pairs: number } | null> {
  return store.db.memory ? Promise.resolve(null) : keepSearchIndexTidy(store.db.name);
}
