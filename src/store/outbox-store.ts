import type { FailedOutboxItem, OutboxItem } from '../workflow/read-models.js';
import type { Effect } from '../workflow/types.js';
import type { Db } from './db.js';

interface OutboxRow {
  id: number;
  payload: string;
  attempts: number;
  created_at: string;
  last_error: string | null;
  finished_at: string | null;
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    effect: JSON.parse(row.payload) as Effect,
    attempts: row.attempts,
    createdAt: row.created_at,
    lastError: row.last_error,
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/** The dispatcher's view of the outbox: what is due, and what became of each delivery. */
export function createOutboxStore(db: Db) {
  const statements = {
    // Only the head of each queue (the oldest pending effect of an ordering key) is ever due.
    due: db.prepare(
      `SELECT o.id, o.payload, o.attempts, o.created_at, o.last_error FROM outbox o
       WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' GROUP BY p.ordering_key)
         AND o.next_attempt_at <= ?
       ORDER BY o.id LIMIT ?`,
    ),
    nextAttemptAfter: db.prepare(
      `SELECT MIN(o.next_attempt_at) AS at FROM outbox o
       WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' GROUP BY p.ordering_key)
         AND o.next_attempt_at > ?`,
    ),
    inFlight: db.prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`),
    done: db.prepare(`UPDATE outbox SET state = 'done', finished_at = ? WHERE id = ?`),
    retry: db.prepare(`UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`),
    failed: db.prepare(`UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? WHERE id = ?`),
    pendingCount: db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'`),
    get: db.prepare('SELECT id, payload, attempts, created_at, last_error, finished_at FROM outbox WHERE id = ?'),
    recentFailures: db.prepare(
      `SELECT id, payload, attempts, created_at, last_error, finished_at FROM outbox
       WHERE state = 'failed' ORDER BY id DESC LIMIT ?`,
    ),
  };

  return {
    /** The oldest pending effect of each ordering key, when it is due. */
    due(now: string, limit: number): OutboxItem[] {
      return (statements.due.all(now, limit) as OutboxRow[]).map(toItem);
    },
    /** When the next queue head waiting for a retry falls due (heads due now are started, not waited for). */
    nextAttemptAfter(now: string): string | null {
      return (statements.nextAttemptAfter.get(now) as { at: string | null }).at;
    },
    /** Noted before calling Slack, so a crash mid-call is known to be ambiguous on restart. */
    markInFlight(id: number, note: string): void {
      statements.inFlight.run(note, id);
    },
    markDone(id: number, at: string, record?: () => void): void {
      // Deferred: see DealRepository.transaction.
      db.transaction(() => {
        record?.();
        statements.done.run(at, id);
      })();
    },
    markRetry(id: number, nextAttemptAt: string, error: string): void {
      statements.retry.run(nextAttemptAt, error, id);
    },
    markFailed(id: number, error: string, at: string): void {
      statements.failed.run(error, at, id);
    },
    pendingCount(): number {
      return (statements.pendingCount.get() as { n: number }).n;
    },
    getFailure(id: number): FailedOutboxItem | null {
      const row = statements.get.get(id) as OutboxRow | undefined;
      return row ? { ...toItem(row), finishedAt: row.finished_at ?? '' } : null;
    },
    recentFailures(limit: number): FailedOutboxItem[] {
      return (statements.recentFailures.all(limit) as OutboxRow[]).map((row) => ({
        ...toItem(row),
        finishedAt: row.finished_at ?? '',
      }));
    },
  };
}
