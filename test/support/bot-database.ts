/**
 * Reading the database a stopped (or killed) bot left behind, for the drivers that run the built bot
 * (the crash test and the soak).
 */
import Database from 'better-sqlite3';

export interface OutboxRow {
  id: number;
  kind: string;
  payload: string;
  state: string;
}

export interface DealRow {
  id: number;
  status: string;
  customer: string;
}

export interface HandledRequestRow {
  key: string;
  dealId: number;
}

export interface TimelineRow {
  dealId: number;
  kind: string;
  data: string;
}

export interface TaskMessageRow {
  dealId: number;
  kind: string;
  userId: string;
  channel: string;
  ts: string;
}

export interface CardRow {
  id: number;
  channel: string;
  ts: string;
}

export interface BotDatabase {
  /** Every effect, by id. */
  outbox: OutboxRow[];
  /** Every deal, by id. */
  deals: DealRow[];
  handledRequests: HandledRequestRow[];
  /** Every timeline entry, by id. */
  timeline: TimelineRow[];
  taskMessages: TaskMessageRow[];
  /** Where each deal's card is. */
  cards: CardRow[];
}

/** Outbox kinds whose delivery posts a message of its own (a task message posts only on its first sync). */
export const POSTING_KINDS: ReadonlySet<string> = new Set([
  'post_card',
  'post_thread_reply',
  'post_closed_notice',
  'send_loss_report',
]);

function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function readBotDatabase(path: string): BotDatabase {
  return readOnly(path, (db) => ({
    outbox: db.prepare('SELECT id, kind, payload, state FROM outbox ORDER BY id').all() as OutboxRow[],
    deals: db.prepare('SELECT id, status, customer FROM deals ORDER BY id').all() as DealRow[],
    handledRequests: db.prepare('SELECT key, deal_id AS dealId FROM handled_requests').all() as HandledRequestRow[],
    timeline: db.prepare('SELECT deal_id AS dealId, kind, data FROM timeline ORDER BY id').all() as TimelineRow[],
    taskMessages: db
      .prepare('SELECT deal_id AS dealId, kind, user_id AS userId, channel, ts FROM task_messages')
      .all() as TaskMessageRow[],
    cards: db.prepare('SELECT id, card_channel AS channel, card_ts AS ts FROM deals').all() as CardRow[],
  }));
}

/** Whether the bot has stored (committed) the request with this idempotency key. */
export function requestHandled(path: string, key: string): boolean {
  return readOnly(path, (db) => db.prepare('SELECT 1 FROM handled_requests WHERE key = ?').get(key) !== undefined);
}
