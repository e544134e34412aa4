import type { Logger } from '@slack/bolt';
import cron from 'node-cron';

export interface Job {
  name: string;
  /** node-cron expression, read in `timeZone`. */
  schedule: string;
  run: (now: Date) => Promise<unknown>;
}

/** Registers every job with node-cron in one place; each run is awaited and its errors logged. */
export function scheduleJobs(jobs: readonly Job[], timeZone: string, logger: Logger): () => Promise<void> {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async (context) => {
        try {
          const result = await job.run(context.date);
          logger.info(`anken: job ${job.name} done`, result);
        } catch (error) {
          logger.error(`anken: job ${job.name} failed`, error);
        }
      },
      { name: job.name, timezone: timeZone, noOverlap: true },
    ),
  );
  return async () => {
    for (const task of tasks) await task.destroy();
  };
}
