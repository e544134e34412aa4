import { analysisMonths, countsInWorker } from '../../src/delivery/analysis-report.js';
import { BACKLOG_BATCH } from '../../src/jobs/search-backlog.js';
import { exportQuerySql } from '../../src/store/deal-export.js';
import { dealQuerySql } from '../../src/store/deal-query-sql.js';
import { createDealRepository } from '../../src/store/deal-repository.js';
import { analysisQueries } from '../../src/store/deal-stats.js';
import type { SearchIndex } from '../../src/store/search-index.js';
import { type CsvFile, exportCsv } from '../../src/workers/csv-export.js';
import { summariseAnalysis } from '../../src/workflow/analysis.js';
import { COMPANY_SIZES, INDUSTRIES, STATUS_LABELS } from '../../src/workflow/catalog.js';
import { createDealProcess } from '../../src/workflow/deal-process.js';
import { type DealFilters, NO_FILTERS, type SearchPage, toDealQuery } from '../../src/workflow/deal-search.js';
import type { BenchCase, BenchContext } from '../support/runner.js';

const search = (ctx: BenchContext, filters: Partial<DealFilters>) =>
  ctx.store.search.search(toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo'), 0, 10);

const found = (result: unknown) => {
  const page = result as SearchPage;
  const kind = {
    exact: '',
    moreThanCap: '> ',
    amongRecent: `among deals reported since ${page.countedFrom?.slice(0, 10)}: `,
  };
  return `${kind[page.totalIs]}${page.total} found, ${page.deals.length} shown`;
};

/** What an exact total would cost: the count without the window or the cap (see deal-search.ts). */
function exactTotal(ctx: BenchContext, filters: Partial<DealFilters>): number {
  const { from, where, params } = dealQuerySql(toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo'));
  return (ctx.store.db.prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`).get(params) as { n: number }).n;
}

/** A word few deals hold: one deal's customer name. */
function rareWord(ctx: BenchContext, i: number): string {
  return ctx.store.queries.getDeal(ctx.anyDealId(i))?.customer ?? '東和物産';
}

const SWEEP_WORDS = [
  '保守',
  '物流',
  '価格',
  '更改',
  '見積書を提出',
  'AX-1154',
  'デモ',
  '稟議',
  'の',
  '瀬戸',
  '拠点',
  '1154',
];
const SWEEP_PERIODS = [
  ['2022-01-01', '2022-01-31'],
  ['2023-06-01', '2023-12-31'],
  ['2021-01-01', '2026-12-31'],
  ['2025-01-01', null],
  [null, '2022-06-30'],
] as const;

/**
 * Filters, 期間 and words as people combine them, the same ones every run: about half the filters
 * each, a period in one search of two, up to two words (a customer's name among them).
 */
function mixedFilters(ctx: BenchContext, i: number): Partial<DealFilters> {
  let state = (i * 7_919 + 1) % 2_147_483_647;
  const next = () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const deal = ctx.store.queries.getDeal(ctx.anyDealId(i));
  const filters: Partial<DealFilters> = {};
  if (next() < 0.4) filters.industry = pick(INDUSTRIES);
  if (next() < 0.3) filters.companySize = pick(COMPANY_SIZES);
  if (next() < 0.3) filters.status = pick(['negotiating', 'won', 'lost'] as const);
  if (next() < 0.2 && deal) filters.ownerId = deal.ownerId;
  if (next() < 0.5) {
    const [from, to] = pick(SWEEP_PERIODS);
    Object.assign(filters, { from, to, periodBasis: next() < 0.3 ? 'closed' : 'reported' });
  }
  const words = [...SWEEP_WORDS, deal?.customer ?? '東和物産'];
  filters.keywords = Array.from({ length: Math.floor(next() * 3) }, () => pick(words)).join(' ');
  return filters;
}

const WITHOUT_INDEX: SearchIndex = {
  dealTextsChanged() {},
  entryAdded() {},
  indexBacklog: () => 0,
  backlogSize: () => 0,
  applyPending: () => 0,
  settleApplied: () => 0,
  pendingSize: () => 0,
};

/** The same workflow writing through a repository that keeps no search index: what the index adds. */
function processWithoutIndex(ctx: BenchContext) {
  const deps = {
    repo: createDealRepository(ctx.store.db, WITHOUT_INDEX),
    roles: ctx.roles,
    timeZone: 'Asia/Tokyo',
    now: ctx.now,
    onEffects: () => {},
  };
  return createDealProcess(deps);
}

let bare: ReturnType<typeof processWithoutIndex> | undefined;

interface Comment {
  indexed: boolean;
  /** On the deal with 5,000 entries, instead of one of the many with a few. */
  heavy: boolean;
  /** The measured comment, or the other kind's written just before it. */
  lane: 'measured' | 'beside';
}

/** The card a comment replies to (Slack's event names it; reading it is not the bot's work). */
function cardOf(ctx: BenchContext, i: number, { heavy }: Comment) {
  const dealId = heavy ? (ctx.dataset.heavyDealId ?? 1) : ctx.anyDealId(i);
  const deal = ctx.store.queries.getDeal(dealId);
  return deal?.cardChannel && deal.cardTs ? { channel: deal.cardChannel, ts: deal.cardTs } : null;
}

function comment(ctx: BenchContext, i: number, kind: Comment, card = cardOf(ctx, i, kind)) {
  if (!card) return null;
  bare ??= processWithoutIndex(ctx);
  const process = kind.indexed ? ctx.process : bare;
  const run = 1_900_000_000 + ctx.dataset.benchRuns * 1_000 + i;
  const lane = `${kind.indexed ? 1 : 2}${kind.heavy ? 1 : 0}${kind.lane === 'measured' ? 1 : 2}`;
  return process.recordComment({
    actor: ctx.actor('U0MEMB1'),
    thread: card,
    message: { channel: card.channel, ts: `${run}.${lane}` },
    text: '先方の物流部長とは面識あります。保守の条件を確認しておきます。',
  });
}

/**
 * A thread comment, with the search index kept or without it. Before each (not measured) a comment of
 * the other kind is written on the same deal, so both cases measure a comment on a deal just written to,
 * amid the same mix of writes: run one after the other on deals of their own, the second met a WAL and
 * a page cache the first had left.
 */
function commentCase(name: string, indexed: boolean, heavy: boolean, iterations?: number): BenchCase {
  const kind = { indexed, heavy, lane: 'measured' } as const;
  return {
    name,
    iterations,
    prepare: async (ctx, i) => {
      await comment(ctx, i, { indexed: !indexed, heavy, lane: 'beside' });
      return cardOf(ctx, i, kind);
    },
    run: (ctx, i, card) => comment(ctx, i, kind, card as ReturnType<typeof cardOf>),
  };
}

function progress(ctx: BenchContext, i: number, indexed: boolean) {
  const deal = ctx.takeOpenDeal();
  bare ??= processWithoutIndex(ctx);
  return (indexed ? ctx.process : bare).recordProgress({
    actor: ctx.actor(deal.ownerId),
    dealId: deal.id,
    entry: {
      status: 'negotiating',
      activityType: '往訪',
      activityDate: ctx.now().toISOString().slice(0, 10),
      amount: null,
      content: '見積書を提出。価格について再検討の依頼あり。',
      nextAction: '見積の再提出',
      nextActionDue: null,
      lossReason: null,
      lossDetail: null,
    },
    idempotencyKey: `bench-search-progress-${ctx.dataset.benchRuns}-${indexed}-${i}`,
  });
}

const PENDING_TEXTS = 200;

/** 検索, 分析 and the CSV export, and what keeping the search index costs a write. */
export const searchCases: BenchCase[] = [
  {
    name: 'search: filters only (業種 + 会社規模 + 受注)',
    run: (ctx) => search(ctx, { industry: '製造業', companySize: '300〜999名', status: 'won' }),
    describe: found,
  },
  {
    name: 'search: filters + a 2-character word (製造業, 物流)',
    run: (ctx) => search(ctx, { industry: '製造業', keywords: '物流' }),
    describe: found,
  },
  {
    name: 'search: a rare word (one customer name)',
    run: (ctx, i) => search(ctx, { keywords: rareWord(ctx, i) }),
    describe: found,
  },
  { name: 'search: a common word (保守)', run: (ctx) => search(ctx, { keywords: '保守' }), describe: found },
  {
    // The worst a search meets in the bot: texts written in the last quarter second, not yet moved.
    name: `search: filters + a 2-character word, ${PENDING_TEXTS} texts pending (製造業, 物流)`,
    before: async (ctx) => {
      await ctx.pendingMover.stop();
      // Nobody copies them now: the texts stay pending for the whole case.
      ctx.store.movePendingHere(false);
      for (let i = 0; i < PENDING_TEXTS; i += 1)
        comment(ctx, 100_000 + i, { indexed: true, heavy: false, lane: 'measured' });
    },
    after: (ctx) => ctx.restartPendingMover(),
    run: (ctx) => search(ctx, { industry: '製造業', keywords: '物流' }),
    describe: (page) => `${found(page)}; ${PENDING_TEXTS} texts pending`,
  },
  {
    name: 'search: a common long word (見積書を提出)',
    run: (ctx) => search(ctx, { keywords: '見積書を提出' }),
    describe: found,
  },
  {
    name: 'search: two common words (保守 更改)',
    run: (ctx) => search(ctx, { keywords: '保守 更改' }),
    describe: found,
  },
  {
    name: 'search: a product code (AX-1154, in thousands of deals)',
    run: (ctx) => search(ctx, { keywords: 'AX-1154' }),
    describe: found,
  },
  {
    name: 'search: filters + 期間 long ago (製造業, 2023-06)',
    run: (ctx) => search(ctx, { industry: '製造業', from: '2023-06-01', to: '2023-06-30' }),
    describe: found,
  },
  {
    name: 'search: a common word + 期間 long ago (物流, 2023-06)',
    run: (ctx) => search(ctx, { keywords: '物流', from: '2023-06-01', to: '2023-06-30' }),
    describe: found,
  },
  {
    name: 'search: a product code + 期間 (AX-1154, 2023)',
    run: (ctx) => search(ctx, { keywords: 'AX-1154', from: '2023-01-01', to: '2023-12-31' }),
    describe: found,
  },
  {
    // The slowest of these is what the event loop must bear from any search a person can make.
    name: 'search: 400 mixed searches (filters, 期間 and words as people combine them)',
    iterations: 400,
    run: (ctx, i) => search(ctx, mixedFilters(ctx, i)),
    describe: found,
  },
  {
    name: 'search: a customer name and a common word (… 保守)',
    run: (ctx, i) => search(ctx, { keywords: `${rareWord(ctx, i)} 保守` }),
    describe: found,
  },
  {
    name: 'for comparison: an exact total of a common word (保守, every deal holding it read)',
    iterations: 5,
    run: (ctx) => exactTotal(ctx, { keywords: '保守' }),
    describe: (n) => `${n} deals`,
  },
  {
    name: 'for comparison: an exact total of filters + a 2-character word (製造業, 物流)',
    iterations: 5,
    run: (ctx) => exactTotal(ctx, { industry: '製造業', keywords: '物流' }),
    describe: (n) => `${n} deals`,
  },
  {
    name: 'search: a one-character word (の)',
    iterations: 50,
    run: (ctx) => search(ctx, { keywords: 'の' }),
    describe: found,
  },
  {
    // Deals already indexed are queued again: indexing writes the same rows, so the index stays as it was.
    name: `search backlog: one batch of ${BACKLOG_BATCH} texts (the background job's step)`,
    iterations: 50,
    run: (ctx, i) => {
      if (ctx.store.searchIndex.backlogSize() === 0) {
        const queue = ctx.store.db.prepare('INSERT OR IGNORE INTO deal_search_backlog (deal_id) VALUES (?)');
        for (let n = 0; n < 50; n += 1) queue.run(ctx.anyDealId(i * 50 + n));
      }
      return ctx.store.searchIndex.indexBacklog(BACKLOG_BATCH);
    },
    describe: (left) => `${left} deals left queued`,
  },
  {
    name: 'analysis: last 12 months from the counters',
    run: (ctx) => {
      const months = analysisMonths(NO_FILTERS, ctx.now().toISOString().slice(0, 10));
      return summariseAnalysis(ctx.store.stats.counts(months), months);
    },
  },
  {
    name: 'analysis: one rep, 12 months, from the deals (worker thread)',
    iterations: 3,
    run: async (ctx, i) => {
      const filters = { ...NO_FILTERS, ownerId: ctx.dataset.reps[i % ctx.dataset.reps.length] as string };
      const months = analysisMonths(filters, ctx.now().toISOString().slice(0, 10));
      const queries = analysisQueries(toDealQuery(filters, 'Asia/Tokyo'), months, 'Asia/Tokyo');
      return summariseAnalysis(await countsInWorker(ctx.store.db.name, queries), months);
    },
  },
  {
    name: 'CSV export of 100,000 deals (worker thread)',
    iterations: 1,
    run: (ctx) => {
      const { sql, params } = exportQuerySql(toDealQuery(NO_FILTERS, 'Asia/Tokyo'));
      const none = {};
      return exportCsv({
        databasePath: ctx.store.db.name,
        sql,
        params,
        timeZone: 'Asia/Tokyo',
        labels: { industry: none, companySize: none, source: none, lossReason: none, status: { ...STATUS_LABELS } },
      });
    },
    describe: (result) => {
      const csv = result as CsvFile;
      return `${csv.rows} rows, ${(csv.bytes.length / 2 ** 20).toFixed(1)} MiB`;
    },
  },
  // Many: each comment is a fraction of a ms, and a checkpoint or a collection in a short case moves its median.
  commentCase('thread comment (commit, search index kept)', true, false, 1_000),
  commentCase('thread comment (commit, without the search index)', false, false, 1_000),
  commentCase('thread comment on the deal with 5,000 entries (commit, search index kept)', true, true, 200),
  commentCase('thread comment on the deal with 5,000 entries (commit, without the search index)', false, true, 200),
  {
    name: 'record progress 商談中 (commit, search index kept)',
    iterations: 100,
    run: (ctx, i) => progress(ctx, i, true),
  },
  {
    name: 'record progress 商談中 (commit, without the search index)',
    iterations: 100,
    run: (ctx, i) => progress(ctx, i, false),
  },
];
