import { buildDetailsModal, DETAILS_MAX_ITEMS } from '../../src/views/details-modal.js';
import { buildHome } from '../../src/views/home.js';
import { userText } from '../../src/views/text.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import type { ProgressEntry } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../../test/support/samples.js';
import type { BenchCase, BenchContext } from '../support/runner.js';

const repOf = (ctx: BenchContext, i: number) => ctx.dataset.reps[i % ctx.dataset.reps.length] as string;

/** Records an entry on a 商談中 deal no other call has touched, as its owner. */
function recordOnOpenDeal(ctx: BenchContext, i: number, status: ProgressEntry['status']) {
  const deal = ctx.takeOpenDeal();
  return ctx.process.recordProgress({
    actor: ctx.actor(deal.ownerId),
    dealId: deal.id,
    entry: sampleProgress({
      status,
      activityDate: ctx.now().toISOString().slice(0, 10),
      content: status === 'won' ? '正式発注をいただきました。' : '見積書を提出。価格について再検討の依頼あり。',
      nextActionDue: null,
    }),
    idempotencyKey: `bench-${status}-${ctx.dataset.benchRuns}-${i}`,
  });
}

function renderHome(ctx: BenchContext, userId: string, isLeader: boolean) {
  const { queries } = ctx.store;
  return buildHome({
    userId,
    isLeader,
    today: ctx.now().toISOString().slice(0, 10),
    timeZone: 'Asia/Tokyo',
    tasks: queries.openTasksOf(userId, 16),
    adviceWaiting: isLeader ? queries.openAdviceTasks(16) : [],
    ownDeals: queries.openDealsOwnedBy(userId, 16),
    totals: { ...queries.openCountsOf(userId), adviceWaiting: queries.openAdviceCount() },
    pipeline: queries.pipeline(`${ctx.now().toISOString().slice(0, 7)}-01T00:00:00Z`),
  });
}

/** The baseline every ratio is against: one deal by its primary key. */
export const baseline: BenchCase = {
  name: 'baseline: one deal by id',
  iterations: 2_000,
  run: (ctx, i) => ctx.store.queries.getDeal(ctx.anyDealId(i)),
};

/** What a person's tap costs on the main thread. */
export const coreCases: BenchCase[] = [
  {
    // The machine's own noise: how late the event loop is when nothing runs (other processes, GC).
    name: 'idle: the event loop doing nothing for a second',
    iterations: 1,
    run: () => new Promise((resolve) => setTimeout(resolve, 1_000)),
  },
  {
    name: '詳細 of the deal with 5,000 entries',
    iterations: 50,
    run(ctx) {
      const id = ctx.dataset.heavyDealId ?? 1;
      const deal = ctx.store.queries.getDeal(id);
      if (!deal) throw new Error(`deal ${id} is missing`);
      return buildDetailsModal(deal, ctx.store.queries.recentTimeline(id, DETAILS_MAX_ITEMS), {
        timeZone: 'Asia/Tokyo',
        maySeeLossReason: true,
        lists: DEFAULT_OPTION_LISTS,
      });
    },
  },
  {
    name: 'for comparison: read the whole timeline of that deal',
    iterations: 20,
    run: (ctx) => ctx.store.queries.timeline(ctx.dataset.heavyDealId ?? 1),
  },
  {
    name: 'submit a report (commit: deal, timeline, tasks, outbox)',
    iterations: 100,
    run: (ctx, i) =>
      ctx.process.reportDeal({
        actor: ctx.actor(repOf(ctx, i)),
        report: sampleReport({ customer: `株式会社ベンチ${i}`, ownerId: repOf(ctx, i) }),
        idempotencyKey: `bench-report-${ctx.dataset.benchRuns}-${i}`,
      }),
  },
  {
    name: 'record progress 商談中 (commit)',
    iterations: 100,
    run: (ctx, i) => recordOnOpenDeal(ctx, i, 'negotiating'),
  },
  {
    name: 'close as 受注 (commit)',
    iterations: 100,
    run: (ctx, i) => recordOnOpenDeal(ctx, i, 'won'),
  },
  {
    name: 'render a rep’s App Home (queries + view)',
    run: (ctx, i) => renderHome(ctx, repOf(ctx, i), false),
  },
  {
    name: 'render a leader’s App Home (queries + view)',
    run: (ctx, i) => renderHome(ctx, ctx.dataset.leaders[i % ctx.dataset.leaders.length] as string, true),
  },
  {
    name: 'escape and cut a 40,000-character comment full of & and <',
    run: () => userText('<&>株'.repeat(10_000), 2_500),
  },
];
