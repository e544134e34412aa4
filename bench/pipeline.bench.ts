import { bench, describe } from 'vitest';
import { openStore } from '../src/store/index.js';
import { buildHome } from '../src/views/home.js';
import { PIPELINE_STALLED_LIMIT } from '../src/views/home-pipeline.js';
import { createDealProcess } from '../src/workflow/deal-process.js';
import { buildPipelineBoard } from '../src/workflow/pipeline-board.js';
import { stallCutoffs } from '../src/workflow/stalled.js';
import type { Actor, Roles } from '../src/workflow/types.js';

/**
 * The leaders' App Home with thousands of open deals (budget: well under 50 ms on the event loop),
 * against a primary-key read measured in the same run. Data: 5,000 deals 商談中 over 50 reps, a third
 * of them with an entry, advice given on half, spread over two months so every step has deals.
 */

const OPEN_DEALS = 5_000;
const ZONE = 'Asia/Tokyo';
const rules = { adviceStaleHours: 24, staleDays: 10, timeZone: ZONE };
const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: ['U0LEAD1'], adminIds: ['U0LEAD1'] };
const reps = Array.from({ length: 50 }, (_, i) => `U0REP${String(i).padStart(3, '0')}`);
const store = openStore(':memory:');
let clock = Date.parse('2030-03-01T00:00:00Z');
const now = () => new Date(clock);
const dealProcess = createDealProcess({ repo: store.deals, roles, timeZone: ZONE, now, onEffects: () => undefined });
const actor = (userId: string): Actor => ({ userId, teamId: 'T0TEAM', isBot: false, isGuest: false });

for (let i = 0; i < OPEN_DEALS; i += 1) {
  clock += 20 * 60_000;
  const owner = reps[i % reps.length]!;
  const { deal } = dealProcess.reportDeal({
    actor: actor(owner),
    report: {
      customer: `株式会社サンプル${i}`,
      title: `基幹システム更改 第${i}期`,
      industry: '製造業',
      companySize: '300〜999名',
      amount: 10_000_000 + i,
      expectedCloseDate: '2030-12-31',
      source: '展示会',
      contactName: null,
      description: null,
      ownerId: owner,
    },
    idempotencyKey: `seed-${i}`,
  });
  if (i % 2 === 0)
    dealProcess.adviseDeal({ actor: actor('U0LEAD1'), dealId: deal.id, text: '助言', idempotencyKey: `a-${i}` });
  if (i % 3 === 0) {
    dealProcess.recordProgress({
      actor: actor(owner),
      dealId: deal.id,
      entry: {
        status: 'negotiating',
        activityType: '往訪',
        activityDate: '2030-03-01',
        amount: null,
        content: '面談',
        nextAction: null,
        nextActionDue: null,
        lossReason: null,
        lossDetail: null,
      },
      idempotencyKey: `p-${i}`,
    });
  }
}
store.db.exec(`UPDATE outbox SET state = 'done'`);
const renderAt = new Date('2030-04-30T01:00:00Z');
let counter = 0;

describe(`the leaders' App Home, ${OPEN_DEALS} open deals`, () => {
  bench('baseline: one deal by id', () => {
    store.queries.getDeal(1 + (counter++ % OPEN_DEALS));
  });

  bench('read the open deals’ facts (query only)', () => {
    store.pipeline.openDealFacts();
  });

  bench('render a leader’s App Home with the pipeline (queries + rules + view)', () => {
    const cutoffs = stallCutoffs(renderAt, rules);
    const own = store.pipeline.openDealFactsOwnedBy('U0LEAD1');
    buildHome({
      userId: 'U0LEAD1',
      isLeader: true,
      today: cutoffs.today,
      timeZone: ZONE,
      tasks: store.queries.openTasksOf('U0LEAD1', 16),
      adviceWaiting: store.queries.openAdviceTasks(16),
      ownDeals: store.queries.openDealsOwnedBy('U0LEAD1', 16),
      pipeline: store.queries.pipeline('2030-03-31T15:00:00Z'),
      ownStalled: buildPipelineBoard(own, cutoffs, ZONE, own.length).stalled,
      board: buildPipelineBoard(store.pipeline.openDealFacts(), cutoffs, ZONE, PIPELINE_STALLED_LIMIT),
    });
  });
});
