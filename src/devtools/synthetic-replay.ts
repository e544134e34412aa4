/**
 * The synthetic dataset's steps written into the tables as the bot would have written them: deals,
 * timeline entries, tasks, task DMs, handled requests and the outbox each step leaves behind.
 */
import { orderingKeyOf } from '../store/deal-repository.js';
import type { SyntheticWriter } from '../store/synthetic-data.js';
import { API_REPORTER } from '../workflow/system-commands.js';
import type { Effect, TimelineData } from '../workflow/types.js';
import type { Random } from './random.js';
import { DAY, type PlannedDeal, type PlannedTask, type Step } from './synthetic-deals.js';
import { effectsOf } from './synthetic-effects.js';

export const CHANNEL = 'C0SALES';
/** Effects younger than this at `until` are still pending delivery. */
const PENDING_WINDOW_MS = 60_000;
const FAILURE_RATE = 3e-5;
const FAILURE_REASONS = ['channel_not_found', 'not_in_channel', 'account_inactive', 'user_not_found', 'is_archived'];

export const iso = (ms: number): string => new Date(ms).toISOString();
const slackTs = (ms: number, seq: number): string =>
  `${Math.floor(ms / 1000)}.${String(seq % 1_000_000).padStart(6, '0')}`;

/** Replays steps into the tables: ids are handed out here, in the order the steps happen. */
export function createHistory(
  writer: SyntheticWriter,
  random: Random,
  settings: {
    users: { leaders: readonly string[]; people: readonly string[] };
    until: number;
    outboxPerDeal: number;
    deliveredFrom: number;
  },
) {
  const { users, until, outboxPerDeal, deliveredFrom } = settings;
  const ids = { timeline: 0, task: 0, outbox: 0, message: 0, view: 0 };
  const outbox = { done: 0, failed: 0, pending: 0, trimmed: 0 };
  let handled = 0;
  let dealsCreated = 0;
  const { leaders, people } = users;

  const viewId = () => `V${(++ids.view).toString(36).toUpperCase().padStart(9, '0')}`;

  function markHandled(key: string, dealId: number, at: string): void {
    writer.handled(key, dealId, at);
    handled += 1;
  }

  function writeDeal(deal: PlannedDeal): void {
    const owner = deal.report.ownerId;
    const reported = deal.reportedAt !== null;
    writer.deal({
      ...deal.report,
      id: deal.id,
      status: deal.status,
      reporterId: deal.apiStarted ? API_REPORTER : random.chance(0.05) ? random.pick(leaders) : owner,
      externalId: deal.apiStarted ? `crm-${String(deal.id).padStart(8, '0')}` : null,
      createdAt: iso(deal.createdAt),
      reportedAt: reported ? iso(deal.reportedAt as number) : null,
      closedAt: deal.closedAt === null ? null : iso(deal.closedAt),
      adviceGiven: deal.adviceGiven,
      cardChannel: reported ? CHANNEL : null,
      cardTs: reported ? slackTs((deal.reportedAt as number) + 2_000, deal.id) : null,
      lastProgressId: null,
    });
  }

  /** The DM that asks a person for a task, sent at `atMs`. */
  function taskDm(dealId: number, kind: PlannedTask['kind'], userId: string, atMs: number): void {
    writer.taskMessage(dealId, kind, userId, `D${userId}`, slackTs(atMs, ++ids.message));
  }

  function writeTask(task: PlannedTask, dealId: number): void {
    task.id = ++ids.task;
    writer.task({
      id: task.id,
      deal_id: dealId,
      kind: task.kind,
      assignee_id: task.assigneeId,
      state: task.state,
      due_on: task.dueOn,
      created_at: iso(task.createdAt),
      completed_by: task.completedBy,
      completed_at: task.completedAt === null ? null : iso(task.completedAt),
      reminded_on: task.remindedOn,
    });
  }

  function appendTimeline(dealId: number, authorId: string, at: string, data: TimelineData): number {
    const id = ++ids.timeline;
    const message = 'message' in data ? data.message : null;
    const json = JSON.stringify(data);
    writer.timeline({
      id,
      dealId,
      kind: data.kind,
      authorId,
      at,
      data: json,
      messageChannel: message?.channel ?? null,
      messageTs: message?.ts ?? null,
    });
    return id;
  }

  function enqueue(effects: readonly Effect[], atMs: number): void {
    const at = iso(atMs);
    const pending = atMs > until - PENDING_WINDOW_MS;
    const finished = iso(atMs + 300 + random.int(2_700));
    for (const effect of effects) {
      const failed = !pending && random.chance(FAILURE_RATE);
      const state = pending ? 'pending' : failed ? 'failed' : 'done';
      ids.outbox += 1;
      if (state === 'done' && atMs < deliveredFrom) {
        outbox.trimmed += 1;
        continue;
      }
      writer.outbox({
        id: ids.outbox,
        orderingKey: orderingKeyOf(effect),
        kind: effect.kind,
        payload: JSON.stringify(effect),
        state,
        attempts: pending ? 0 : failed ? 150 : 1,
        nextAttemptAt: at,
        lastError: pending ? null : failed ? random.pick(FAILURE_REASONS) : 'ambiguous:in_flight',
        createdAt: at,
        finishedAt: pending ? null : failed ? iso(atMs + DAY) : finished,
      });
      outbox[state] += 1;
      if (failed) {
        const notices = leaders.map((userId) => ({
          kind: 'report_delivery_failure' as const,
          failedEffectId: ids.outbox,
          userId,
        }));
        enqueue([...notices, ...leaders.map((userId) => ({ kind: 'publish_home' as const, userId }))], atMs);
      }
    }
  }

  /** People open their App Home too: each opening refreshes it. */
  function homeOpenings(atMs: number): void {
    const owed = dealsCreated * outboxPerDeal - (outbox.done + outbox.failed + outbox.pending + outbox.trimmed);
    if (owed <= 0) return;
    const count = Math.min(Math.ceil(owed / 200), 20);
    enqueue(
      Array.from({ length: count }, () => ({ kind: 'publish_home' as const, userId: random.pick(people) })),
      atMs,
    );
  }

  function write(deal: PlannedDeal, step: Step, at: string): number {
    const dealId = deal.id;
    switch (step.kind) {
      case 'start': {
        writeDeal(deal);
        const reportTask = deal.initialTasks.find((task) => task.kind === 'report');
        if (reportTask) writeTask(reportTask, dealId);
        taskDm(dealId, 'report', deal.report.ownerId, step.at + 1_000);
        return 0;
      }
      case 'report': {
        if (!deal.apiStarted) writeDeal(deal);
        const entry = appendTimeline(dealId, deal.report.ownerId, at, { kind: 'report', report: deal.report });
        for (const task of deal.initialTasks) if (task.kind !== 'report') writeTask(task, dealId);
        for (const userId of leaders) taskDm(dealId, 'advice', userId, step.at + 3_000);
        taskDm(dealId, 'progress', deal.report.ownerId, step.at + 3_000);
        markHandled(`report:${viewId()}`, dealId, at);
        return entry;
      }
      case 'advice': {
        const entry = appendTimeline(dealId, step.by, at, { kind: 'advice', text: step.text });
        markHandled(`advice:${viewId()}`, dealId, at);
        return entry;
      }
      case 'progress': {
        const entry = appendTimeline(dealId, deal.report.ownerId, at, { kind: 'progress', entry: step.entry });
        if (step.opens) writeTask(step.opens, dealId);
        if (step.last) writer.lastProgress(dealId, entry);
        markHandled(`progress:${viewId()}`, dealId, at);
        return entry;
      }
      case 'comment': {
        step.comment.ts = slackTs(step.at, ++ids.message);
        const message = { channel: CHANNEL, ts: step.comment.ts };
        markHandled(`comment:${CHANNEL}:${message.ts}`, dealId, at);
        return appendTimeline(dealId, step.by, at, { kind: 'comment', text: step.text, message });
      }
      case 'comment_edited': {
        const message = { channel: CHANNEL, ts: step.comment.ts };
        markHandled(`comment_edit:${CHANNEL}:${message.ts}:${slackTs(step.at, ++ids.message)}`, dealId, at);
        return appendTimeline(dealId, step.by, at, { kind: 'comment_edited', text: step.text, message });
      }
      case 'comment_deleted': {
        const message = { channel: CHANNEL, ts: step.comment.ts };
        markHandled(`comment_delete:${CHANNEL}:${message.ts}`, dealId, at);
        return appendTimeline(dealId, step.by, at, { kind: 'comment_deleted', message });
      }
      case 'remind':
        return 0;
    }
  }

  return {
    created(): void {
      dealsCreated += 1;
    },
    run(deal: PlannedDeal, step: Step): void {
      const entryId = write(deal, step, iso(step.at));
      enqueue(effectsOf(step, deal, leaders, entryId), step.at);
      homeOpenings(step.at);
    },
    counts: () => ({ timeline: ids.timeline, tasks: ids.task, outbox: { ...outbox }, handledRequests: handled }),
  };
}
