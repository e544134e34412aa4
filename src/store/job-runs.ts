import type { Db } from './db.js';

export type JobRuns = ReturnType<typeof createJobRuns>;

/** When each scheduled job last ran, so a run missed while the bot was down is caught up at start. */
export function createJobRuns(db: Db) {
  const get = db.prepare('SELECT last_run_at FROM job_runs WHERE name = ?');
  const put = db.prepare(
    `INSERT INTO job_runs (name, last_run_at) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at`,
  );
  return {
    lastRun(name: string): string | null {
      return (get.get(name) as { last_run_at: string } | undefined)?.last_run_at ?? null;
    },
    recordRun(name: string, at: string): void {
      put.run(name, at);
    },
  };
}
