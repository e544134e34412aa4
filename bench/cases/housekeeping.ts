import { join } from 'node:path';
import { type BackupResult, backupDatabase } from '../../src/jobs/backup.js';
import { type RetentionResult, runDailyRetention } from '../../src/jobs/retention.js';
import type { BenchCase } from '../support/runner.js';

/** The daily jobs, run as the bot runs them, while the event loop's delay is measured. */
export const housekeepingCases: BenchCase[] = [
  {
    name: 'retention: one daily run (delete in batches, return free pages)',
    iterations: 1,
    run: (ctx) => runDailyRetention({ store: ctx.store, retentionDays: 30, logger: console }, ctx.now()),
    describe(result) {
      const r = result as RetentionResult;
      return `${r.outboxDeleted} outbox + ${r.handledDeleted} handled rows, ${r.pagesReturned} pages back, ${r.batches} batches: p95 ${r.batchP95Ms.toFixed(1)} ms, longest ${r.longestBatchMs.toFixed(1)} ms (${r.longestBatchCpuMs.toFixed(1)} ms of CPU)`;
    },
  },
  {
    name: 'backup (worker thread)',
    iterations: 1,
    run: (ctx) =>
      backupDatabase({ databasePath: ctx.store.db.name, dir: join(ctx.tempDir, 'backups'), keep: 1 }, ctx.now()),
    describe(result) {
      const r = result as BackupResult;
      return `${((r.pages * 4096) / 2 ** 30).toFixed(2)} GiB copied by thread ${r.threadId}`;
    },
  },
];
