import { bench, describe } from 'vitest';
import { createSharedHomeCache } from '../src/delivery/home-facts.js';
import { createHomeRenderer } from '../src/delivery/home-render.js';
import { openStore } from '../src/store/index.js';
import { createDealProcess } from '../src/workflow/deal-process.js';
import { createSettingsSource } from '../src/workflow/settings.js';
import type { Actor, Roles } from '../src/workflow/types.js';
import { DEFAULT_TUNABLES } from '../test/support/tunables.js';

/**
 * The leaders' App Home with thousands of open deals (budget: well under 50 ms on the event loop),
 * against a primary-key read measured in the same run, rendered as the dispatcher renders it: the
 * first leader after a change reads and judges every open deal, the others share that board. Data: 5,000 deals 商談中 over 50 reps, a third
 * of them with an entry, advice given on half, spread over two months so every step has deals.
 */

const OPEN_DEALS = 5_000;
const ZONE = 'Asia/Tokyo';
const rules = { adviceStaleHours: 24, staleDays: 10, timeZone: ZONE };
const leaders = ['U0LEAD1', 'U0LEAD2', 'U0LEAD3', 'U0LEAD4'];
const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: leaders, adminIds: ['U0LEAD1'] };
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
const sharedHome = createSharedHomeCache(store);
const renderHome = createHomeRenderer({
  store,
  sharedHome,
  roles,
  settings: createSettingsSource(
    {
      leaderIds: leaders,
      adminIds: ['U0LEAD1'],
      salesChannelId: 'C0SALES',
      tunables: { ...DEFAULT_TUNABLES, adviceStaleHours: rules.adviceStaleHours, staleDays: rules.staleDays },
    },
    () => store.settings.stored(),
  ),
  timeZone: ZONE,
  now: () => renderAt,
  stallRules: () => rules,
});
let counter = 0;

describe(`the leaders' App Home, ${OPEN_DEALS} open deals`, () => {
  bench('baseline: one deal by id', () => {
    store.queries.getDeal(1 + (counter++ % OPEN_DEALS));
  });

  bench('read the open deals’ facts (query only)', () => {
    store.pipeline.openDealFacts();
  });

  bench('a leader’s App Home, the first after a change (reads and judges every open deal)', async () => {
    sharedHome.changed();
    await renderHome(leaders[counter++ % leaders.length]!);
  });

  bench('a leader’s App Home, each further leader (the board is shared)', async () => {
    await renderHome(leaders[counter++ % leaders.length]!);
  });
});
