import { bench, describe } from 'vitest';
import { openStore } from '../src/store/index.js';
import { buildDetailsModal } from '../src/views/details-modal.js';
import { buildHome } from '../src/views/home.js';
import { userText } from '../src/views/text.js';
import { createDealProcess } from '../src/workflow/deal-process.js';
import { DEFAULT_OPTION_LISTS } from '../src/workflow/options.js';
import type { Actor, DealReport, Roles } from '../src/workflow/types.js';

/**
 * What a person's tap costs on the event loop (better-sqlite3 is synchronous, so every millisecond is
 * added to every concurrent ack; the budget is ~50 ms), against a baseline measured in the same run:
 * fetching one deal by its primary key. Each case prints its mean, and vitest prints how many times
 * slower than the baseline it is. Data: 20,000 deals over 50 reps, a deal with 500 timeline entries.
 */

const DEALS = 20_000;
const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: ['U0LEAD1'], adminIds: ['U0LEAD1'] };
const reps = Array.from({ length: 50 }, (_, i) => `U0REP${String(i).padStart(3, '0')}`);
const store = openStore(':memory:');
let clock = Date.parse('2026-01-05T00:00:00Z');
const dealProcess = createDealProcess({
  repo: store.deals,
  roles,
  timeZone: 'Asia/Tokyo',
  now: () => {
    clock += 60_000;
    return new Date(clock);
  },
  onEffects: () => undefined,
});
const actor = (userId: string): Actor => ({ userId, teamId: 'T0TEAM', isBot: false, isGuest: false });
const report = (i: number): DealReport => ({
  customer: `株式会社サンプル${i}`,
  title: `基幹システム更改 第${i}期`,
  industry: '製造業',
  companySize: '300〜999名',
  amount: 10_000_000 + i,
  expectedCloseDate: '2026-12-31',
  source: '展示会',
  contactName: '山田 部長',
  description: '老朽化した基幹システムの更改。'.repeat(10),
  ownerId: reps[i % reps.length]!,
});
const entry = (content: string, status: 'negotiating' | 'won' | 'lost' = 'negotiating') => ({
  status,
  activityType: '往訪',
  activityDate: '2026-01-05',
  amount: null,
  content,
  nextAction: null,
  nextActionDue: null,
  lossReason: status === 'lost' ? '価格' : null,
  lossDetail: null,
});

for (let i = 0; i < DEALS; i += 1) {
  const { deal } = dealProcess.reportDeal({
    actor: actor(reps[i % reps.length]!),
    report: report(i),
    idempotencyKey: `seed-${i}`,
  });
  if (i % 3 === 1)
    dealProcess.recordProgress({
      actor: actor(deal.ownerId),
      dealId: deal.id,
      entry: entry('受注', 'won'),
      idempotencyKey: `won-${i}`,
    });
}
for (let i = 0; i < 500; i += 1) {
  dealProcess.recordProgress({
    actor: actor(reps[0]!),
    dealId: 1,
    entry: entry(`進捗 ${i} `.repeat(40)),
    idempotencyKey: `long-${i}`,
  });
}
store.db.exec(`UPDATE outbox SET state = 'done'`);

let counter = 0;
const rep = reps[7]!;

describe('a tap, on 20,000 deals', () => {
  bench('baseline: one deal by id', () => {
    store.queries.getDeal(1 + (counter++ % DEALS));
  });

  bench('submit a report (transaction with effects)', () => {
    counter += 1;
    dealProcess.reportDeal({ actor: actor(rep), report: report(counter), idempotencyKey: `bench-report-${counter}` });
  });

  bench('record progress (商談中)', () => {
    counter += 1;
    dealProcess.recordProgress({
      actor: actor(reps[2]!),
      dealId: 3,
      entry: entry('見積提出'),
      idempotencyKey: `bench-p-${counter}`,
    });
  });

  bench('render a rep’s App Home (queries + view)', () => {
    buildHome({
      userId: rep,
      isLeader: false,
      today: '2026-01-05',
      timeZone: 'Asia/Tokyo',
      tasks: store.queries.openTasksOf(rep, 16),
      adviceWaiting: store.queries.openAdviceTasks(16),
      ownDeals: store.queries.openDealsOwnedBy(rep, 16),
      pipeline: store.queries.pipeline('2026-01-01T00:00:00Z'),
    });
  });

  bench('escape and cut a 40,000-character comment full of & and <', () => {
    userText('<&>株'.repeat(10_000), 2_500);
  });

  bench('open the 詳細 of a deal with 500 entries', () => {
    const deal = store.queries.getDeal(1)!;
    buildDetailsModal(deal, store.queries.timeline(1), {
      timeZone: 'Asia/Tokyo',
      maySeeLossReason: true,
      lists: DEFAULT_OPTION_LISTS,
    });
  });
});
