import type { PipelineSummary, RecentTimeline, TaskWithDeal } from '../workflow/read-models.js';
import type { Deal, ProgressEntry, SlackMessageRef, Task, TaskKind, TimelineEntry } from '../workflow/types.js';
import type { Db } from './db.js';
import { type DealRow, type TaskRow, type TimelineRow, toDeal, toTask, toTimelineEntry } from './rows.js';

export type DealQueries = ReturnType<typeof createDealQueries>;

/** Reads for views and delivery, plus the Slack references delivery records. */
export function createDealQueries(db: Db) {
  const statements = {
    getDeal: db.prepare('SELECT * FROM deals WHERE id = ?'),
    timeline: db.prepare('SELECT * FROM timeline WHERE deal_id = ? ORDER BY id'),
    // 詳細 reads the newest items (TIMELINE_ITEM_KINDS) and what follows them, never a whole long timeline.
    nthNewestItem: db.prepare(
      `SELECT id FROM timeline WHERE deal_id = ? AND kind IN ('report', 'advice', 'progress', 'comment', 'handover', 'snoozed', 'snooze_lifted') ORDER BY id DESC LIMIT 1 OFFSET ?`,
    ),
    timelineFrom: db.prepare('SELECT * FROM timeline WHERE deal_id = ? AND id >= ? ORDER BY id'),
    // Both counts come from indexes alone: every entry of the deal, less its few edits and deletions.
    countEntries: db.prepare('SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ?'),
    countCommentChanges: db.prepare(
      `SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ? AND kind IN ('comment_edited', 'comment_deleted')`,
    ),
    progressBefore: db.prepare(
      `SELECT * FROM timeline WHERE deal_id = ? AND kind = 'progress' AND id < ? ORDER BY id DESC LIMIT 1`,
    ),
    timelineEntry: db.prepare('SELECT * FROM timeline WHERE id = ?'),
    task: db.prepare('SELECT * FROM tasks WHERE id = ?'),
    latestTask: db.prepare('SELECT * FROM tasks WHERE deal_id = ? AND kind = ? ORDER BY id DESC LIMIT 1'),
    setCard: db.prepare('UPDATE deals SET card_channel = ?, card_ts = ? WHERE id = ?'),
    taskMessage: db.prepare('SELECT channel, ts FROM task_messages WHERE deal_id = ? AND kind = ? AND user_id = ?'),
    saveTaskMessage: db.prepare(
      `INSERT INTO task_messages (deal_id, kind, user_id, channel, ts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (deal_id, kind, user_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts`,
    ),
    openTasksOf: db.prepare(
      `SELECT t.* FROM tasks t WHERE t.state = 'open' AND t.assignee_id = ? ORDER BY t.due_on, t.id LIMIT ?`,
    ),
    openAdviceTasks: db.prepare(
      `SELECT t.* FROM tasks t INDEXED BY tasks_advice_waiting
       WHERE t.state = 'open' AND t.kind = 'advice' AND t.assignee_id IS NULL
       ORDER BY t.due_on, t.id LIMIT ?`,
    ),
    countOpenTasksOf: db.prepare(`SELECT COUNT(*) AS n FROM tasks WHERE state = 'open' AND assignee_id = ?`),
    countOpenAdviceTasks: db.prepare(
      // Named: by the index on assignees, every task without one (there are thousands) is read for its kind.
      `SELECT COUNT(*) AS n FROM tasks INDEXED BY tasks_advice_waiting
       WHERE state = 'open' AND kind = 'advice' AND assignee_id IS NULL`,
    ),
    countOpenDealsOwnedBy: db.prepare(
      `SELECT COUNT(*) AS n FROM deals WHERE owner_id = ? AND status IN ('draft', 'negotiating')`,
    ),
    openDealsOwnedBy: db.prepare(
      `SELECT * FROM deals WHERE owner_id = ? AND status IN ('draft', 'negotiating') ORDER BY id DESC LIMIT ?`,
    ),
    // Three range reads on deals_pipeline (a covering index) instead of one scan of every deal.
    openPipeline: db.prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM deals WHERE status = 'negotiating'`,
    ),
    closedSince: db.prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM deals WHERE status = ? AND closed_at >= ?',
    ),
  };

  function getDeal(id: number): Deal | null {
    const row = statements.getDeal.get(id) as DealRow | undefined;
    return row ? toDeal(row) : null;
  }

  function withDeals(rows: TaskRow[]): TaskWithDeal[] {
    return rows.flatMap((row) => {
      const deal = getDeal(row.deal_id);
      return deal ? [{ task: toTask(row), deal }] : [];
    });
  }

  return {
    getDeal,
    /** The whole timeline, oldest first (reads every entry: not for a request on a long deal). */
    timeline(dealId: number): TimelineEntry[] {
      return (statements.timeline.all(dealId) as TimelineRow[]).map(toTimelineEntry);
    },
    /** The newest `items` items of the timeline, the entries that follow them, and the count of all items. */
    recentTimeline(dealId: number, items: number): RecentTimeline {
      const oldest = statements.nthNewestItem.get(dealId, Math.max(items - 1, 0)) as { id: number } | undefined;
      const entries = (statements.timelineFrom.all(dealId, oldest?.id ?? 0) as TimelineRow[]).map(toTimelineEntry);
      const count = (statement: { get(id: number): unknown }) => (statement.get(dealId) as { n: number }).n;
      return { entries, itemCount: count(statements.countEntries) - count(statements.countCommentChanges) };
    },
    /** The progress entry recorded last before entry `entryId` (the activity before a loss). */
    progressBefore(dealId: number, entryId: number): ProgressEntry | null {
      const row = statements.progressBefore.get(dealId, entryId) as TimelineRow | undefined;
      const entry = row ? toTimelineEntry(row) : null;
      return entry?.kind === 'progress' ? entry.entry : null;
    },
    timelineEntry(id: number): TimelineEntry | null {
      const row = statements.timelineEntry.get(id) as TimelineRow | undefined;
      return row ? toTimelineEntry(row) : null;
    },
    task(id: number): Task | null {
      const row = statements.task.get(id) as TaskRow | undefined;
      return row ? toTask(row) : null;
    },
    latestTask(dealId: number, kind: TaskKind): Task | null {
      const row = statements.latestTask.get(dealId, kind) as TaskRow | undefined;
      return row ? toTask(row) : null;
    },
    setCard(dealId: number, card: SlackMessageRef): void {
      statements.setCard.run(card.channel, card.ts, dealId);
    },
    taskMessage(dealId: number, kind: TaskKind, userId: string): SlackMessageRef | null {
      return (statements.taskMessage.get(dealId, kind, userId) as SlackMessageRef | undefined) ?? null;
    },
    saveTaskMessage(dealId: number, kind: TaskKind, userId: string, message: SlackMessageRef): void {
      statements.saveTaskMessage.run(dealId, kind, userId, message.channel, message.ts);
    },
    openTasksOf(userId: string, limit: number): TaskWithDeal[] {
      return withDeals(statements.openTasksOf.all(userId, limit) as TaskRow[]);
    },
    openAdviceTasks(limit: number): TaskWithDeal[] {
      return withDeals(statements.openAdviceTasks.all(limit) as TaskRow[]);
    },
    openDealsOwnedBy(userId: string, limit: number): Deal[] {
      return (statements.openDealsOwnedBy.all(userId, limit) as DealRow[]).map(toDeal);
    },
    /** How many rows a person's own lists on the home tab hold in all. */
    openCountsOf(userId: string): { tasks: number; ownDeals: number } {
      return {
        tasks: (statements.countOpenTasksOf.get(userId) as { n: number }).n,
        ownDeals: (statements.countOpenDealsOwnedBy.get(userId) as { n: number }).n,
      };
    },
    /** How many deals wait for a leader's advice. */
    openAdviceCount(): number {
      return (statements.countOpenAdviceTasks.get() as { n: number }).n;
    },
    pipeline(since: string): PipelineSummary {
      type Total = { n: number; amount: number };
      const open = statements.openPipeline.get() as Total;
      const won = statements.closedSince.get('won', since) as Total;
      const lost = statements.closedSince.get('lost', since) as Total;
      return {
        negotiating: open.n,
        negotiatingAmount: open.amount,
        wonThisMonth: won.n,
        wonAmountThisMonth: won.amount,
        lostThisMonth: lost.n,
      };
    },
  };
}
