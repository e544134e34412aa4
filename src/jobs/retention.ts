import type { Logger } from '@slack/bolt';
import { convertToIncrementalVacuum, usesIncrementalVacuum, type VacuumConversion } from '../store/auto-vacuum.js';
import type { Db } from '../store/db.js';
import type { RetentionBatch, RetentionStore } from '../store/retention-store.js';

export interface RetentionDeps {
  retention: RetentionStore;
  retentionDays: number;
  /** Whether free pages can be handed back step by step (the file uses incremental auto-vacuum). */
  incrementalVacuum: boolean;
  /** Milliseconds, for sizing batches (performance.now in the bot). */
  elapsed?: () => number;
  /** Yields to the event loop between batches (setImmediate in the bot). */
  yieldToLoop?: () => Promise<void>;
}

export interface RetentionResult {
  cutoff: string;
  outboxDeleted: number;
  handledDeleted: number;
  pagesReturned: number;
  batches: number;
  /** How long the batches held the event loop, in ms: 95th percentile and longest. */
  batchP95Ms: number;
  longestBatchMs: number;
  /** The CPU time of the longest batch, in ms: its cost without the waits of a busy machine. */
  longestBatchCpuMs: number;
}

/** Each batch aims at this much of the event loop (the budget is 10 ms); its size follows what it cost. */
const TARGET_MS = 4;
const ROWS = { first: 500, min: 50, max: 20_000 };
// Returning a page moves one from the end of the file and rewrites what points to it: on a large file each
// costs a read that is rarely cached (0.1–0.3 ms), so page batches start small and stay small.
const PAGES = { first: 16, min: 4, max: 64 };

const yieldByDefault = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The daily retention: delivered outbox rows and handled-request records older than the retention
 * period are deleted, then the freed pages are returned to the file system. Everything runs in small
 * batches with a turn of the event loop between them, so Slack's requests are answered meanwhile.
 */
export async function applyRetention(deps: RetentionDeps, now: Date): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000).toISOString();
  const elapsed = deps.elapsed ?? (() => performance.now());
  const pause = deps.yieldToLoop ?? yieldByDefault;
  const result: RetentionResult = {
    cutoff,
    outboxDeleted: 0,
    handledDeleted: 0,
    pagesReturned: 0,
    batches: 0,
    batchP95Ms: 0,
    longestBatchMs: 0,
    longestBatchCpuMs: 0,
  };
  const batchMs: number[] = [];

  /** Runs `step` with a size that keeps each run near TARGET_MS; false from `step` ends the loop. */
  async function inBatches(limits: typeof ROWS, step: (size: number) => boolean): Promise<void> {
    let size = limits.first;
    for (;;) {
      const started = elapsed();
      const cpu = process.cpuUsage();
      const more = step(size);
      const took = elapsed() - started;
      const used = process.cpuUsage(cpu);
      result.longestBatchCpuMs = Math.max(result.longestBatchCpuMs, (used.user + used.system) / 1_000);
      batchMs.push(took);
      if (!more) return;
      const scaled = took > 0 ? Math.round((size * TARGET_MS) / took) : size * 2;
      // Grows at most twofold a batch, shrinks at once after a slow one.
      size = Math.min(limits.max, Math.max(limits.min, Math.min(scaled, size * 2)));
      await pause();
    }
  }

  const keep = deps.retention.stillReferenced();
  const sweep = async (remove: (after: number, size: number) => RetentionBatch, count: (n: number) => void) => {
    let after = 0;
    await inBatches(ROWS, (size) => {
      const batch = remove(after, size);
      count(batch.deleted);
      if (batch.next === null) return false;
      after = batch.next;
      return true;
    });
  };
  await sweep(
    (after, size) => deps.retention.deleteDeliveredBefore(cutoff, after, size, keep),
    (n) => {
      result.outboxDeleted += n;
    },
  );
  await sweep(
    (after, size) => deps.retention.deleteHandledBefore(cutoff, after, size),
    (n) => {
      result.handledDeleted += n;
    },
  );
  if (deps.incrementalVacuum) {
    await inBatches(PAGES, (pages) => {
      const before = deps.retention.freePages();
      if (before === 0) return false;
      deps.retention.returnFreePages(pages);
      const returned = before - deps.retention.freePages();
      result.pagesReturned += returned;
      return returned > 0;
    });
  }
  const sorted = batchMs.sort((a, b) => a - b);
  result.batches = sorted.length;
  result.batchP95Ms = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  result.longestBatchMs = sorted.at(-1) ?? 0;
  return result;
}

export interface StorageUpgradeDeps {
  db: Db;
  retention: RetentionStore;
  retentionDays: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  freeBytes?: (dir: string) => number;
}

/**
 * At start-up, before Slack is served: a file made before incremental auto-vacuum first loses what
 * retention would delete (so the rewrite copies only what stays), then is converted once.
 */
export async function upgradeStorage(deps: StorageUpgradeDeps, now: Date): Promise<VacuumConversion> {
  if (usesIncrementalVacuum(deps.db) || deps.db.memory) return { converted: false, reason: 'already' };
  deps.logger.info(
    'anken: このデータベースを一度だけ整理します (古い配信記録の削除と VACUUM)。しばらくお待ちください。',
  );
  const deleted = await applyRetention(
    { ...deps, incrementalVacuum: false, yieldToLoop: () => Promise.resolve() },
    now,
  );
  const conversion = convertToIncrementalVacuum(deps.db, deps.freeBytes);
  if (conversion.converted) {
    deps.logger.info('anken: database converted to incremental auto-vacuum', { ...deleted, ...conversion });
  } else if (conversion.reason === 'disk_space') {
    deps.logger.warn(
      `anken: ディスクの空きが足りないため、データベースの縮小を見送りました (必要 ${gib(conversion.neededBytes)} GiB、空き ${gib(conversion.freeBytes)} GiB)。空きを作って再起動すると縮小されます。`,
    );
  }
  return conversion;
}

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
