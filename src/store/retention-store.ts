import type { Db } from './db.js';

export type RetentionStore = ReturnType<typeof createRetentionStore>;

/** A batch's result: rows deleted, and where the next batch starts (null: nothing old is left). */
export interface RetentionBatch {
  deleted: number;
  next: number | null;
}

/**
 * Read-only queries, run on another connection (a worker thread) just before a batch, that read what the
 * batch will change: the next `limit` rows after `after` (parameters: after, limit), and for handled
 * requests also their entries in the key's index. The batch then finds those pages in the page cache.
 */
export const RETENTION_READ_AHEAD = {
  outbox:
    'SELECT COUNT(*) AS n, SUM(LENGTH(payload)) AS bytes FROM (SELECT payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?)',
  handled: `SELECT COUNT(*) AS n FROM handled_requests
    WHERE key IN (SELECT key FROM handled_requests WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
} as const;

export type RetentionTable = keyof typeof RETENTION_READ_AHEAD;

/**
 * Deletes what the bot no longer needs, a bounded number of rows at a time. Both tables grow in time
 * order (ids are handed out as rows are written), so a batch reads the next `limit` rows by id (no
 * index needed) and stops at the first row written after the cutoff.
 */
export function createRetentionStore(db: Db) {
  const statements = {
    outboxWindow: db.prepare(
      `SELECT MAX(id) AS upper, MIN(created_at) AS first FROM
         (SELECT id, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?)`,
    ),
    // Only delivered rows go: failed ones wait for an admin to send them again, pending ones for delivery.
    deleteOutbox: db.prepare(
      `DELETE FROM outbox WHERE id > @after AND id <= @upper AND state = 'done' AND finished_at < @cutoff
         AND id NOT IN (SELECT value FROM json_each(@keep))`,
    ),
    // A notice of a failure not yet delivered reads the failed row it is about, whatever became of it.
    referencedByUndelivered: db.prepare(
      `SELECT json_extract(payload, '$.failedEffectId') AS id FROM outbox
       WHERE state IN ('pending', 'failed') AND kind = 'report_delivery_failure'`,
    ),
    handledWindow: db.prepare(
      `SELECT MAX(rowid) AS upper, MIN(at) AS first FROM
         (SELECT rowid, at FROM handled_requests WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
    ),
    deleteHandled: db.prepare('DELETE FROM handled_requests WHERE rowid > ? AND rowid <= ? AND at < ?'),
    freePages: db.prepare('PRAGMA freelist_count'),
  };

  function window(statement: typeof statements.outboxWindow, after: number, limit: number, cutoff: string) {
    const row = statement.get(after, limit) as { upper: number | null; first: string | null };
    return row.upper === null || row.first === null || row.first >= cutoff ? null : row.upper;
  }

  return {
    /** Ids of delivered rows that an undelivered row still reads: kept whatever their age. */
    stillReferenced(): number[] {
      return (statements.referencedByUndelivered.all() as { id: number | null }[])
        .map((row) => row.id)
        .filter((id): id is number => typeof id === 'number');
    },
    /** Deletes delivered outbox rows finished before `cutoff` among the `limit` rows after id `after`. */
    deleteDeliveredBefore(cutoff: string, after: number, limit: number, keep: readonly number[]): RetentionBatch {
      const upper = window(statements.outboxWindow, after, limit, cutoff);
      if (upper === null) return { deleted: 0, next: null };
      const { changes } = statements.deleteOutbox.run({ after, upper, cutoff, keep: JSON.stringify(keep) });
      return { deleted: changes, next: upper };
    },
    /**
     * Deletes handled-request records older than `cutoff`. They only catch a request seen again (Slack's
     * retries within minutes, a double tap); the retention period is at least a day.
     */
    deleteHandledBefore(cutoff: string, after: number, limit: number): RetentionBatch {
      const upper = window(statements.handledWindow, after, limit, cutoff);
      if (upper === null) return { deleted: 0, next: null };
      return { deleted: statements.deleteHandled.run(after, upper, cutoff).changes, next: upper };
    },
    freePages(): number {
      return statements.freePages.pluck().get() as number;
    },
    /** Returns up to `pages` free pages to the file system (incremental auto-vacuum). */
    returnFreePages(pages: number): void {
      db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    },
  };
}
