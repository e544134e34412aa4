/**
 * Writes a synthetic dataset that looks like years of a large sales organisation using anken: deals
 * created evenly over the years and each lived out step by step, all steps of all deals replayed in
 * time order so that every id grows with time as the bot's own would.
 */
import { type Db, schemaIsCurrent } from '../store/db.js';
import { orderingKeyOf } from '../store/deal-repository.js';
import { createSearchIndex, queueAllDealsForIndex } from '../store/search-index.js';
import { createSyntheticWriter, finishBulkLoad, type SyntheticWriter, startBulkLoad } from '../store/synthetic-data.js';
import { API_REPORTER } from '../workflow/system-commands.js';
import type { Effect, TimelineData } from '../workflow/types.js';
import { createRandom, type Random } from './random.js';
import { DAY, type PlannedDeal, type PlannedTask, planDeal, type Step } from './synthetic-deals.js';
import { effectsOf } from './synthetic-effects.js';
import { createTexts } from './synthetic-texts.js';

export interface SyntheticOptions {
  deals: number;
  /** Same seed, same dataset. */
  seed?: number;
  reps?: number;
  leaders?: number;
  years?: number;
  /** The dataset's "now" (ISO 8601): the newest activity is just before it. */
  until?: string;
  /** Delivered outbox rows per deal, on average (App Home refreshes make up what the commands don't). */
  outboxPerDeal?: number;
  /**
   * Delivered outbox rows are written only for this many days before `until`, as a bot whose retention
   * job has been running keeps them (failed and pending ones always). Unset: every year's.
   */
  deliveredDays?: number;
  /** Timeline entries of one long-running deal (the oldest, id 1); 0 for none. */
  heavyDealEntries?: number;
  onProgress?: (dealsWritten: number) => void;
  /** Deals still to be indexed for search, after each batch. */
  onIndexProgress?: (dealsLeft: number) => void;
}

export interface SyntheticSummary {
  deals: number;
  timeline: number;
  tasks: number;
  /** `trimmed`: delivered rows older than `deliveredDays`, not written (their ids are skipped). */
  outbox: { done: number; failed: number; pending: number; trimmed: number };
  handledRequests: number;
  heavyDealId: number | null;
  reps: string[];
  leaders: string[];
  teamId: string;
  channel: string;
  from: string;
  until: string;
}

export const SYNTHETIC_DEFAULTS = {
  deals: 1_000_000,
  seed: 1,
  reps: 200,
  leaders: 4,
  years: 5,
  until: '2026-11-30T00:00:00.000Z',
  outboxPerDeal: 43,
  heavyDealEntries: 5_000,
} as const;

const TEAM = 'T0ANKEN';
const SEARCH_INDEX_BATCH = 5_000;
const CHANNEL = 'C0SALES';
/** Effects younger than this at `until` are still pending delivery. */
const PENDING_WINDOW_MS = 60_000;
const FAILURE_RATE = 3e-5;
const FAILURE_REASONS = ['channel_not_found', 'not_in_channel', 'account_inactive', 'user_not_found', 'is_archived'];
const DEALS_PER_TRANSACTION = 2_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const slackTs = (ms: number, seq: number): string =>
  `${Math.floor(ms / 1000)}.${String(seq % 1_000_000).padStart(6, '0')}`;
const userIds = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);

interface Active {
  deal: PlannedDeal;
  next: number;
}

/** A min-heap of deals by the time of their next step. */
function createAgenda() {
  const heap: Active[] = [];
  const at = (i: number) => (heap[i] as Active).deal.steps[(heap[i] as Active).next]?.at ?? Infinity;
  const swap = (i: number, j: number) => {
    const t = heap[i] as Active;
    heap[i] = heap[j] as Active;
    heap[j] = t;
  };
  function down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && at(l) < at(m)) m = l;
      if (r < heap.length && at(r) < at(m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  }
  return {
    push(item: Active): void {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && at(i) < at((i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    },
    nextAt: () => (heap.length === 0 ? Infinity : at(0)),
    /** The deal whose step is next; re-queued by the caller after `next` moved on. */
    take(): Active {
      const top = heap[0] as Active;
      const last = heap.pop() as Active;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
      return top;
    },
  };
}

export function generateSyntheticData(db: Db, options: SyntheticOptions): SyntheticSummary {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  const random = createRandom(o.seed);
  const texts = createTexts(random);
  const reps = userIds('U0REP', o.reps);
  const leaders = userIds('U0LEAD', o.leaders);
  const until = Date.parse(o.until);
  const from = until - Math.round(o.years * 365.25) * DAY;
  const repWeights = reps.map(() => 0.3 + random.next() * 1.7);
  const writer = createSyntheticWriter(db);
  const history = createHistory(writer, random, {
    users: { leaders, people: [...reps, ...leaders] },
    until,
    outboxPerDeal: o.outboxPerDeal,
    deliveredFrom: o.deliveredDays === undefined ? from : until - o.deliveredDays * DAY,
  });

  const createdAt = new Float64Array(o.deals);
  for (let i = 0; i < o.deals; i += 1) createdAt[i] = from + Math.floor(random.next() * (until - from - DAY));
  createdAt.sort();

  startBulkLoad(db);
  const agenda = createAgenda();
  const runUntil = (time: number) => {
    while (agenda.nextAt() <= time) {
      const active = agenda.take();
      history.run(active.deal, active.deal.steps[active.next] as Step);
      active.next += 1;
      if (active.next < active.deal.steps.length) agenda.push(active);
    }
  };
  db.transaction(() => {
    for (const id of [...reps, ...leaders]) writer.user(id, TEAM, iso(until));
  })();
  for (let start = 0; start < o.deals; start += DEALS_PER_TRANSACTION) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + DEALS_PER_TRANSACTION, o.deals); i += 1) {
        const at = createdAt[i] as number;
        runUntil(at);
        const heavyEntries = i === 0 ? o.heavyDealEntries : 0;
        const deal = planDeal({ random, texts, reps, repWeights, leaders, until, heavyEntries }, i + 1, at);
        history.created();
        if (deal.steps.length > 0) agenda.push({ deal, next: 0 });
      }
    })();
    o.onProgress?.(Math.min(start + DEALS_PER_TRANSACTION, o.deals));
  }
  db.transaction(() => runUntil(until))();
  // The search index follows the deals and their timeline as the bot would have kept it. A file at an
  // older schema (a migration's test) keeps them queued: the index of that version is not this one.
  queueAllDealsForIndex(db);
  if (schemaIsCurrent(db)) {
    const index = createSearchIndex(db);
    while (index.indexBacklog(SEARCH_INDEX_BATCH) > 0) o.onIndexProgress?.(index.backlogSize());
  }
  finishBulkLoad(db);
  return {
    deals: o.deals,
    ...history.counts(),
    heavyDealId: o.heavyDealEntries > 0 && o.deals > 0 ? 1 : null,
    reps,
    leaders,
    teamId: TEAM,
    channel: CHANNEL,
    from: iso(from),
    until: iso(until),
  };
}

/** Replays steps into the tables: ids are handed out here, in the order the steps happen. */
function createHistory(
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
        writer.taskMessage(
          dealId,
          'report',
          deal.report.ownerId,
          `D${deal.report.ownerId}`,
          slackTs(step.at + 1_000, ++ids.message),
        );
        return 0;
      }
      case 'report': {
        if (!deal.apiStarted) writeDeal(deal);
        const entry = appendTimeline(dealId, deal.report.ownerId, at, { kind: 'report', report: deal.report });
        for (const task of deal.initialTasks) if (task.kind !== 'report') writeTask(task, dealId);
        for (const userId of leaders) {
          writer.taskMessage(dealId, 'advice', userId, `D${userId}`, slackTs(step.at + 3_000, ++ids.message));
        }
        writer.taskMessage(
          dealId,
          'progress',
          deal.report.ownerId,
          `D${deal.report.ownerId}`,
          slackTs(step.at + 3_000, ++ids.message),
        );
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
