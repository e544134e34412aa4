import type { Logger } from '@slack/bolt';
import { convertToIncrementalVacuum, usesIncrementalVacuum, type VacuumConversion } from '../store/auto-vacuum.js';
import type { Db } from '../store/db.js';
import type { Store } from '../store/index.js';
import {
  RETENTION_READ_AHEAD,
  type RetentionBatch,
  type RetentionStore,
  type RetentionTable,
} from '../store/retention-store.js';
import { type ReadAhead, startReadAhead } from '../workers/read-ahead.js';

export interface RetentionDeps {
  retention: RetentionStore;
  retentionDays: number;
  /** Whether free pages can be handed back step by step (the file uses incremental auto-vacuum). */
  incrementalVacuum: boolean;
  /** Milliseconds, for sizing batches (performance.now in the bot). */
  elapsed?: () => number;
  /** Yields to the event loop between batches (setImmediate in the bot). */
  yieldToLoop?: () => Promise<void>;
  /**
   * Reads what each batch will change off the event loop first, so the batch finds it in the page cache:
   * rows unread for a month are on disk, and each read a batch makes itself holds the event loop.
   */
  readAhead?: RetentionReadAhead;
}

export interface RetentionReadAhead {
  /** Before the first batch: the pages that every batch may rewrite (the file's pointer map). */
  start(): Promise<unknown>;
  /** The `size` rows after `after`, which the next batch reads and deletes. */
  rows(table: RetentionTable, after: number, size: number): Promise<unknown>;
  /** The file's last `pages` pages and what points to them, which the next vacuum step moves. */
  tail(pages: number): Promise<unknown>;
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
  /**
   * The most CPU time one batch took, in ms: its cost without the waits of a busy machine. Counted for
   * the whole process; the read-ahead worker is idle while a batch runs.
   */
  longestBatchCpuMs: number;
}

/** Each batch aims at this much of the event loop (the budget is 10 ms); its size follows what it cost. */
const TARGET_MS = 2.5;
// A batch's cost is not only its rows: where the deletions empty leaf pages, the b-tree is rebalanced and
// every moved child's pointer-map entry rewritten (370 pages written in one batch at 1M deals), which
// the previous batch's cost does not predict. At most 2,000 rows keeps such a batch near 5 ms.
export const ROW_BATCH = { first: 500, min: 50, max: 2_000 };
// Returning a page moves one from the end of the file and rewrites what points to it. Read from disk on
// the event loop each cost 0.1–0.3 ms; read ahead by the worker, a step of 64 costs about 1 ms at 1M deals.
export const PAGE_BATCH = { first: 16, min: 4, max: 64 };

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
  async function inBatches(
    limits: typeof ROW_BATCH,
    step: (size: number) => boolean,
    before?: (size: number) => Promise<unknown>,
  ): Promise<void> {
    let size = limits.first;
    for (;;) {
      await before?.(size);
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

  const { readAhead } = deps;
  await readAhead?.start();
  const keep = deps.retention.stillReferenced();
  const sweep = async (
    table: RetentionTable,
    remove: (after: number, size: number) => RetentionBatch,
    count: (n: number) => void,
  ) => {
    let after = 0;
    await inBatches(
      ROW_BATCH,
      (size) => {
        const batch = remove(after, size);
        count(batch.deleted);
        if (batch.next === null) return false;
        after = batch.next;
        return true;
      },
      readAhead && ((size) => readAhead.rows(table, after, size)),
    );
  };
  await sweep(
    'outbox',
    (after, size) => deps.retention.deleteDeliveredBefore(cutoff, after, size, keep),
    (n) => {
      result.outboxDeleted += n;
    },
  );
  await sweep(
    'handled',
    (after, size) => deps.retention.deleteHandledBefore(cutoff, after, size),
    (n) => {
      result.handledDeleted += n;
    },
  );
  if (deps.incrementalVacuum) {
    await inBatches(
      PAGE_BATCH,
      (pages) => {
        const before = deps.retention.freePages();
        if (before === 0) return false;
        deps.retention.returnFreePages(pages);
        // Other writes may free pages meanwhile (the bot's own between two batches, such as the search
        // index's pending texts taken off, or another connection's), so the count can even grow: the
        // loop goes on while any page is free.
        const left = deps.retention.freePages();
        result.pagesReturned += Math.max(0, before - left);
        return left > 0;
      },
      readAhead && ((pages) => readAhead.tail(pages)),
    );
  }
  const sorted = batchMs.sort((a, b) => a - b);
  result.batches = sorted.length;
  result.batchP95Ms = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  result.longestBatchMs = sorted.at(-1) ?? 0;
  return result;
}

/**
 * The daily run as the bot schedules it: what each batch changes is read ahead in a worker thread with
 * its own read-only connection (not for an in-memory database, which has no disk to wait for).
 */
export async function runDailyRetention(
  deps: { store: Store; retentionDays: number; logger: Pick<Logger, 'warn'> },
  now: Date,
): Promise<RetentionResult> {
  const { db } = deps.store;
  const reader = db.memory
    ? null
    : startReadAhead({ path: db.name, queries: RETENTION_READ_AHEAD, logger: deps.logger });
  try {
    return await applyRetention(
      {
        retention: deps.store.retention,
        retentionDays: deps.retentionDays,
        incrementalVacuum: usesIncrementalVacuum(db),
        readAhead: reader ? retentionReadAhead(reader) : undefined,
      },
      now,
    );
  } finally {
    await reader?.stop();
  }
}

export function retentionReadAhead(reader: ReadAhead): RetentionReadAhead {
  return {
    start: () => reader.read({ pointerMap: true }),
    rows: (table, after, size) => reader.read({ query: table, params: [after, size] }),
    tail: (pages) => reader.read({ tail: pages }),
  };
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
