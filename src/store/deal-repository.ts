import type { DealRepository, NewDeal, Settled } from '../workflow/ports.js';
import type { Deal, Effect, SlackMessageRef, Task, TaskKind, TimelineData, TimelineEntry } from '../workflow/types.js';
import { type Db, statementCache } from './db.js';
import { createFollowUpStore } from './follow-ups.js';
import { createPipelineQueries } from './pipeline-queries.js';
import { type DealRow, dealParams, type TaskRow, type TimelineRow, toDeal, toTask, toTimelineEntry } from './rows.js';
import type { SearchIndex } from './search-index.js';

const dealColumns = `status, customer, title, industry, company_size, amount, expected_close_date, source,
  contact_name, description, owner_id, reporter_id, external_id, created_at, reported_at, closed_at,
  advice_given, card_channel, card_ts, last_progress_id`;
const dealValues = dealColumns
  .split(',')
  .map((column) => `@${column.trim()}`)
  .join(', ');

/**
 * Effects of one deal are delivered in order. A person's home tab, an admin's notices and each webhook
 * target have queues of their own, so a receiver that is down never holds back the deal's messages.
 */
export function orderingKeyOf(effect: Effect): string {
  switch (effect.kind) {
    case 'publish_home':
      return `home:${effect.userId}`;
    case 'report_delivery_failure':
      return `admin:${effect.userId}`;
    case 'send_digest':
      return `digest:${effect.userId}`;
    case 'send_webhook':
      return `webhook:${effect.url}:${effect.dealId}`;
    default:
      return `deal:${effect.dealId}`;
  }
}

interface DealTexts {
  customer: string;
  title: string;
  description: string | null;
}

const textsDiffer = (before: DealTexts, deal: Deal) =>
  before.customer !== deal.customer || before.title !== deal.title || before.description !== deal.description;

type DealParams = ReturnType<typeof dealParams>;

function changedColumns(before: DealRow, params: DealParams): Array<keyof DealParams> {
  return (Object.keys(params) as Array<keyof DealParams>).filter(
    (column) => (before as unknown as Record<string, unknown>)[column] !== params[column],
  );
}

/** Every write puts its text on `search`'s pending list in the write's own transaction (search-index.ts). */
export function createDealRepository(db: Db, search: SearchIndex): DealRepository {
  const statements = {
    insertDeal: db.prepare(`INSERT INTO deals (${dealColumns}) VALUES (${dealValues}) RETURNING *`),
    getDeal: db.prepare('SELECT * FROM deals WHERE id = ?'),
    dealIdByCard: db.prepare('SELECT id FROM deals WHERE card_channel = ? AND card_ts = ?').pluck(),
    getDealByExternalId: db.prepare('SELECT * FROM deals WHERE external_id = ?'),
    // attempts > 0: an effect never tried has posted nothing anyone could reply to.
    cardPostUnrecorded: db.prepare(
      `SELECT 1 FROM outbox WHERE state = 'pending' AND kind = 'post_card' AND attempts > 0 AND created_at <= ? LIMIT 1`,
    ),
    // Two ranges of two partial indexes, so a batch reads only the rows it returns (not the tasks
    // reminded today, which tasks_open_by_due would step over batch after batch).
    overdueNeverReminded: db.prepare(
      `SELECT * FROM tasks INDEXED BY tasks_overdue_never_reminded
         WHERE state = 'open' AND reminded_on IS NULL AND due_on < @today
         ORDER BY due_on, id LIMIT @limit`,
    ),
    overdueRemindedBefore: db.prepare(
      `SELECT * FROM tasks WHERE state = 'open' AND reminded_on < @today ORDER BY reminded_on, due_on, id LIMIT @limit`,
    ),
    markReminded: db.prepare('UPDATE tasks SET reminded_on = ? WHERE id = ?'),
    findHandled: db.prepare('SELECT deal_id FROM handled_requests WHERE key = ?'),
    markHandled: db.prepare('INSERT INTO handled_requests (key, deal_id, at) VALUES (?, ?, ?)'),
    // An entry's place in its deal follows the newest's (counted once for entries from before places).
    appendTimeline: db.prepare(
      `INSERT INTO timeline (deal_id, kind, author_id, at, data, message_channel, message_ts, place)
       VALUES (@dealId, @kind, @authorId, @at, @data, @channel, @ts,
         COALESCE((SELECT t.place FROM timeline t WHERE t.deal_id = @dealId ORDER BY t.id DESC LIMIT 1),
           (SELECT COUNT(*) FROM timeline t WHERE t.deal_id = @dealId)) + 1)
       RETURNING id, place`,
    ),
    findComment: db.prepare(
      `SELECT * FROM timeline WHERE message_channel = ? AND message_ts = ? AND kind = 'comment' ORDER BY id LIMIT 1`,
    ),
    openTask: db.prepare(
      `INSERT INTO tasks (deal_id, kind, assignee_id, state, due_on, created_at)
       VALUES (?, ?, ?, 'open', ?, ?) RETURNING *`,
    ),
    getOpenTask: db.prepare(`SELECT * FROM tasks WHERE deal_id = ? AND kind = ? AND state = 'open'`),
    getLatestTask: db.prepare('SELECT * FROM tasks WHERE deal_id = ? AND kind = ? ORDER BY id DESC LIMIT 1'),
    reassignTask: db.prepare(`UPDATE tasks SET assignee_id = ? WHERE id = ? AND state = 'open'`),
    closeTask: db.prepare(
      `UPDATE tasks SET state = ?, completed_by = ?, completed_at = ? WHERE id = ? AND state = 'open'`,
    ),
    pendingHomeExists: db.prepare(
      `SELECT 1 FROM outbox WHERE ordering_key = ? AND state = 'pending' AND attempts = 0 LIMIT 1`,
    ),
    // The effects of the same deal that failed after it (a reply whose card was missing) go again too.
    requeueFailed: db.prepare(
      `UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, next_attempt_at = @at, finished_at = NULL
       WHERE state = 'failed' AND id >= @id
         AND ordering_key = (SELECT ordering_key FROM outbox WHERE id = @id AND state = 'failed')`,
    ),
    enqueue: db.prepare(
      `INSERT INTO outbox (ordering_key, kind, payload, state, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'pending', ?, ?)`,
    ),
  };

  function enqueueOne(effect: Effect, at: string): void {
    const key = orderingKeyOf(effect);
    // A home tab shows the newest state when published, so one pending refresh per person is enough.
    if (effect.kind === 'publish_home' && statements.pendingHomeExists.get(key)) return;
    statements.enqueue.run(key, effect.kind, JSON.stringify(effect), at, at);
  }

  // Only the columns that changed are written: SQLite rewrites the entry of every index on a column
  // the UPDATE names, changed or not (eight indexes on deals: a page each, in the commit).
  const statement = statementCache(db);
  const updateStatement = (columns: readonly string[]) =>
    statement(`UPDATE deals SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);

  const followUps = createFollowUpStore(db);
  const pipeline = createPipelineQueries(db);
  // Made once: db.transaction() builds four wrapped functions each time it is called. Inside a
  // transaction the same function runs its work in a savepoint.
  const inTransaction = db.transaction(<T>(work: () => T): T => work());

  function settle<T>(work: () => T): Settled<T> {
    try {
      return { ok: true, value: inTransaction(work) as T };
    } catch (error) {
      // A full disk or an I/O error ends the whole transaction, not just the savepoint: nothing stays.
      if (!db.inTransaction) throw error;
      return { ok: false, error };
    }
  }

  return {
    // Deferred, not IMMEDIATE: BEGIN IMMEDIATE takes the write lock of every attached file, the search
    // index's too, which its worker holds while FTS5 merges (db.ts). The bot's thread is the only writer
    // of its database, so the lock a deferred transaction takes at its first write is always there.
    transaction: <T>(work: () => T): T => inTransaction(work) as T,
    transactionOfEach: <T>(works: ReadonlyArray<() => T>) => inTransaction(() => works.map(settle)) as Settled<T>[],
    followUp: followUps.followUp,
    saveFollowUp: followUps.saveFollowUp,
    dealFacts: pipeline.dealFacts,
    openDealStatesAfter: pipeline.openDealStatesAfter,
    openDealFactsAfter: pipeline.openDealFactsAfter,
    snoozesDue: pipeline.snoozesDue,
    findHandled(key) {
      const row = statements.findHandled.get(key) as { deal_id: number } | undefined;
      return row ? { dealId: row.deal_id } : null;
    },
    markHandled(key, dealId, at) {
      statements.markHandled.run(key, dealId, at);
    },
    insertDeal(deal: NewDeal): Deal {
      const row = statements.insertDeal.get(
        dealParams({
          ...deal,
          closedAt: null,
          adviceGiven: false,
          cardChannel: null,
          cardTs: null,
          lastProgressId: null,
        }),
      ) as DealRow;
      const created = toDeal(row);
      search.dealTextsChanged(created);
      return created;
    },
    saveDeal(deal) {
      const before = statements.getDeal.get(deal.id) as DealRow | undefined;
      const params = dealParams(deal);
      const changed = before ? changedColumns(before, params) : Object.keys(params);
      if (changed.length > 0) updateStatement(changed).run({ ...params, id: deal.id });
      if (!before || textsDiffer(before, deal)) search.dealTextsChanged(deal);
    },
    getDeal(id) {
      const row = statements.getDeal.get(id) as DealRow | undefined;
      return row ? toDeal(row) : null;
    },
    dealIdByCard(message: SlackMessageRef) {
      return (statements.dealIdByCard.get(message.channel, message.ts) as number | undefined) ?? null;
    },
    getDealByExternalId(externalId) {
      const row = statements.getDealByExternalId.get(externalId) as DealRow | undefined;
      return row ? toDeal(row) : null;
    },
    cardPostUnrecorded(queuedBy) {
      return statements.cardPostUnrecorded.get(queuedBy) !== undefined;
    },
    overdueTasks(today, limit) {
      const never = statements.overdueNeverReminded.all({ today, limit }) as TaskRow[];
      const remaining = limit - never.length;
      // A task is reminded only once overdue and its due date never moves: reminded before today is overdue today.
      const earlier =
        remaining > 0 ? (statements.overdueRemindedBefore.all({ today, limit: remaining }) as TaskRow[]) : [];
      return [...never, ...earlier].map(toTask);
    },
    markReminded(taskId, on) {
      statements.markReminded.run(on, taskId);
    },
    appendTimeline(dealId, authorId, at, data: TimelineData) {
      const message = 'message' in data ? data.message : null;
      const { id, place } = statements.appendTimeline.get({
        dealId,
        kind: data.kind,
        authorId,
        at,
        data: JSON.stringify(data),
        channel: message?.channel ?? null,
        ts: message?.ts ?? null,
      }) as { id: number; place: number };
      const entry = { ...data, id, dealId, authorId, at } as TimelineEntry;
      search.entryAdded(entry, place);
      return entry;
    },
    findComment(message) {
      const row = statements.findComment.get(message.channel, message.ts) as TimelineRow | undefined;
      return row ? toTimelineEntry(row) : null;
    },
    openTask(task) {
      const row = statements.openTask.get(
        task.dealId,
        task.kind,
        task.assigneeId,
        task.dueOn,
        task.createdAt,
      ) as TaskRow;
      return toTask(row);
    },
    getOpenTask(dealId: number, kind: TaskKind): Task | null {
      const row = statements.getOpenTask.get(dealId, kind) as TaskRow | undefined;
      return row ? toTask(row) : null;
    },
    getLatestTask(dealId, kind) {
      const row = statements.getLatestTask.get(dealId, kind) as TaskRow | undefined;
      return row ? toTask(row) : null;
    },
    reassignTask(taskId, assigneeId) {
      statements.reassignTask.run(assigneeId, taskId);
    },
    closeTask(taskId, state, by, at) {
      statements.closeTask.run(state, by, at, taskId);
    },
    enqueue(effects, at) {
      for (const effect of effects) enqueueOne(effect, at);
    },
    requeueFailed(effectId, at) {
      return statements.requeueFailed.run({ at, id: effectId }).changes > 0;
    },
  };
}
