import type { Deal } from '../workflow/types.js';
import type { Db } from './db.js';
import { dealParams, type TaskRow } from './rows.js';

/** A timeline row as stored (`data` is the entry's JSON). */
export interface SyntheticTimelineRow {
  id: number;
  dealId: number;
  kind: string;
  authorId: string;
  at: string;
  data: string;
  messageChannel: string | null;
  messageTs: string | null;
}

export interface SyntheticOutboxRow {
  id: number;
  orderingKey: string;
  kind: string;
  payload: string;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type SyntheticTaskRow = TaskRow & { reminded_on: string | null };

export type SyntheticWriter = ReturnType<typeof createSyntheticWriter>;

/**
 * Bulk writes of a synthetic dataset, one method per table (ids are given: the generator assigns them
 * in time order, as the bot would). Tables that follow another (a search index, counters) are written
 * from the method of the table they follow, so the dataset stays what the bot itself would have stored.
 */
export function createSyntheticWriter(db: Db) {
  const statements = {
    deal: db.prepare(
      `INSERT INTO deals (id, status, customer, title, industry, company_size, amount, expected_close_date, source,
         contact_name, description, owner_id, reporter_id, external_id, created_at, reported_at, closed_at,
         advice_given, card_channel, card_ts, last_progress_id)
       VALUES (@id, @status, @customer, @title, @industry, @company_size, @amount, @expected_close_date, @source,
         @contact_name, @description, @owner_id, @reporter_id, @external_id, @created_at, @reported_at, @closed_at,
         @advice_given, @card_channel, @card_ts, @last_progress_id)`,
    ),
    lastProgress: db.prepare('UPDATE deals SET last_progress_id = ? WHERE id = ?'),
    timeline: db.prepare(
      `INSERT INTO timeline (id, deal_id, kind, author_id, at, data, message_channel, message_ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    task: db.prepare(
      `INSERT INTO tasks (id, deal_id, kind, assignee_id, state, due_on, created_at, completed_by, completed_at,
         reminded_on)
       VALUES (@id, @deal_id, @kind, @assignee_id, @state, @due_on, @created_at, @completed_by, @completed_at,
         @reminded_on)`,
    ),
    taskMessage: db.prepare('INSERT INTO task_messages (deal_id, kind, user_id, channel, ts) VALUES (?, ?, ?, ?, ?)'),
    handled: db.prepare('INSERT INTO handled_requests (key, deal_id, at) VALUES (?, ?, ?)'),
    outbox: db.prepare(
      `INSERT INTO outbox (id, ordering_key, kind, payload, state, attempts, next_attempt_at, last_error, created_at,
         finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    user: db.prepare(
      `INSERT INTO users (id, team_id, is_bot, is_guest, deleted, fetched_at) VALUES (?, ?, 0, 0, 0, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
  };

  return {
    deal(deal: Deal): void {
      statements.deal.run({ id: deal.id, ...dealParams(deal) });
    },
    lastProgress(dealId: number, entryId: number): void {
      statements.lastProgress.run(entryId, dealId);
    },
    timeline(row: SyntheticTimelineRow): void {
      statements.timeline.run(
        row.id,
        row.dealId,
        row.kind,
        row.authorId,
        row.at,
        row.data,
        row.messageChannel,
        row.messageTs,
      );
    },
    task(row: SyntheticTaskRow): void {
      statements.task.run(row);
    },
    taskMessage(dealId: number, kind: string, userId: string, channel: string, ts: string): void {
      statements.taskMessage.run(dealId, kind, userId, channel, ts);
    },
    handled(key: string, dealId: number, at: string): void {
      statements.handled.run(key, dealId, at);
    },
    outbox(row: SyntheticOutboxRow): void {
      statements.outbox.run(
        row.id,
        row.orderingKey,
        row.kind,
        row.payload,
        row.state,
        row.attempts,
        row.nextAttemptAt,
        row.lastError,
        row.createdAt,
        row.finishedAt,
      );
    },
    user(id: string, teamId: string, fetchedAt: string): void {
      statements.user.run(id, teamId, fetchedAt);
    },
  };
}

/**
 * Settings for one bulk load into a fresh file: the rollback journal in memory and no syncs (a load cut
 * short is thrown away, not repaired), a large page cache. `finishBulkLoad` puts the bot's settings back.
 */
export function startBulkLoad(db: Db): void {
  // From WAL, SQLite goes to a rollback journal first; OFF is not available in this build.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
}

export function finishBulkLoad(db: Db): void {
  db.pragma('cache_size = -2000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

/** Rows per table, for the generator's report. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = ['deals', 'timeline', 'tasks', 'task_messages', 'handled_requests', 'outbox', 'users'];
  return Object.fromEntries(
    tables.map((table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n]),
  );
}
