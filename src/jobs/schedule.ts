import type { Logger } from '@slack/bolt';
import cron, { type ScheduledTask } from 'node-cron';
import type { JobRuns } from '../store/job-runs.js';

export interface Job {
  name: string;
  /** node-cron expression, read in `timeZone`; asked again every minute, since admins may change it in Slack. */
  schedule: () => string;
  run: (now: Date) => Promise<unknown>;
}

export interface JobRunner {
  jobs: readonly Job[];
  /** Runs one job now (on its schedule, on demand in tests, or to catch up) and records the run. */
  runJob(name: string): Promise<unknown>;
  /** Runs once each job whose scheduled time passed since its last run (the bot was down then). */
  catchUpMissedJobs(): Promise<string[]>;
}

const MINUTE_MS = 60_000;
/** How far back a missed run is looked for: a weekly schedule's whole period. */
const CATCH_UP_WINDOW_MS = 8 * 24 * 60 * MINUTE_MS;

export function createJobRunner(deps: {
  jobs: readonly Job[];
  runs: JobRuns;
  timeZone: string;
  now: () => Date;
}): JobRunner {
  const { jobs, runs } = deps;

  async function runJob(name: string): Promise<unknown> {
    const job = jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`unknown job: ${name}`);
    const at = deps.now();
    const result = await job.run(at);
    runs.recordRun(job.name, at.toISOString());
    return result;
  }

  async function catchUpMissedJobs(): Promise<string[]> {
    const now = deps.now();
    const caughtUp: string[] = [];
    for (const job of jobs) {
      const lastRun = runs.lastRun(job.name);
      // A first start has missed nothing: from now on its runs are counted.
      if (lastRun === null) runs.recordRun(job.name, now.toISOString());
      else if (wasDueBetween(job, deps.timeZone, Date.parse(lastRun), now.getTime())) {
        await runJob(job.name);
        caughtUp.push(job.name);
      }
    }
    return caughtUp;
  }

  return { jobs, runJob, catchUpMissedJobs };
}

/** True when the job's schedule fell on a minute after `fromMs` and up to `toMs`. */
export function wasDueBetween(job: Job, timeZone: string, fromMs: number, toMs: number): boolean {
  const matcher = cron.createTask(job.schedule(), () => undefined, { timezone: timeZone });
  try {
    const start = Math.max(fromMs, toMs - CATCH_UP_WINDOW_MS);
    for (let minute = Math.floor(start / MINUTE_MS + 1) * MINUTE_MS; minute <= toMs; minute += MINUTE_MS) {
      if (matcher.match(new Date(minute))) return true;
    }
    return false;
  } finally {
    void matcher.destroy();
  }
}

export interface ScheduleOptions {
  /** How often a changed schedule is picked up (default one minute). */
  recheckMs?: number;
}

/** Registers every job with node-cron in one place; each run is awaited and its errors logged. */
export function scheduleJobs(
  runner: JobRunner,
  timeZone: string,
  logger: Logger,
  options: ScheduleOptions = {},
): () => Promise<void> {
  function start(job: Job, expression: string): ScheduledTask {
    return cron.schedule(
      expression,
      async () => {
        try {
          const result = await runner.runJob(job.name);
          logger.info(`anken: job ${job.name} done`, result);
        } catch (error) {
          logger.error(`anken: job ${job.name} failed`, error);
        }
      },
      { name: job.name, timezone: timeZone, noOverlap: true },
    );
  }

  const running = runner.jobs.map((job) => {
    const expression = job.schedule();
    return { job, expression, task: start(job, expression) };
  });

  const recheck = setInterval(async () => {
    for (const entry of running) {
      try {
        const expression = entry.job.schedule();
        if (expression === entry.expression || !cron.validate(expression)) continue;
        await entry.task.destroy();
        entry.task = start(entry.job, expression);
        entry.expression = expression;
        logger.info(`anken: job ${entry.job.name} now runs at ${expression}`);
      } catch (error) {
        logger.error(`anken: could not reschedule job ${entry.job.name}`, error);
      }
    }
  }, options.recheckMs ?? 60_000);
  recheck.unref();

  return async () => {
    clearInterval(recheck);
    for (const entry of running) await entry.task.destroy();
  };
}
