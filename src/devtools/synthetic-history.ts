/**
 * Writes a synthetic dataset that looks like years of a large sales organisation using anken: deals
 * created evenly over the years and each lived out step by step, all steps of all deals replayed in
 * time order so that every id grows with time as the bot's own would.
 */
import { type Db, schemaIsCurrent } from '../store/db.js';
import { hasSearchIndex, queueEveryDeal } from '../store/search-file.js';
import { createSearchIndex, queueAllDealsForIndex } from '../store/search-index.js';
import { createSyntheticWriter, finishBulkLoad, startBulkLoad } from '../store/synthetic-data.js';
import { createRandom } from './random.js';
import { DAY, type PlannedDeal, planDeal, type Step } from './synthetic-deals.js';
import { CHANNEL, createHistory, iso } from './synthetic-replay.js';
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
const DEALS_PER_TRANSACTION = 2_000;

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
  // older schema (a migration's test), or opened without its index, keeps them queued for the bot.
  if (schemaIsCurrent(db) && hasSearchIndex(db)) {
    queueAllDealsForIndex(db);
    const index = createSearchIndex(db);
    for (let left = 1; left > 0; ) {
      left = index.indexBacklog(SEARCH_INDEX_BATCH);
      while (index.applyPending(SEARCH_INDEX_BATCH) > 0);
      o.onIndexProgress?.(left);
    }
  } else queueEveryDeal(db);
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
