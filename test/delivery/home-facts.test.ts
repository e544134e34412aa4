import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedHomeCache, type SharedHomeCache } from '../../src/delivery/home-facts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createDealProcess, type DealProcess } from '../../src/workflow/deal-process.js';
import type { Actor, Roles } from '../../src/workflow/types.js';
import { SAMPLE_OWNER, sampleProgress, sampleReport } from '../support/samples.js';

const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: ['U0LEAD1'], adminIds: ['U0LEAD1'] };
const rep: Actor = { userId: SAMPLE_OWNER, teamId: 'T0TEAM', isBot: false, isGuest: false };
const MONTH = '2026-11-01T00:00:00.000Z';

let store: Store;
let cache: SharedHomeCache;
let process: DealProcess;

beforeEach(() => {
  store = openStore(':memory:');
  cache = createSharedHomeCache(store);
  process = createDealProcess({
    repo: store.deals,
    roles,
    timeZone: 'Asia/Tokyo',
    now: () => new Date('2026-11-26T01:00:00Z'),
    onEffects: () => cache.changed(),
  });
});

afterEach(() => {
  store.close();
});

describe('what every App Home shows alike', () => {
  it('is read once per change: every home published before the next change gets the same facts', () => {
    process.reportDeal({ actor: rep, report: sampleReport({ amount: 5_000_000 }), idempotencyKey: 'V1' });
    const forOwner = cache.get(MONTH);
    const forLeader = cache.get(MONTH);
    expect(forLeader).toBe(forOwner);
    expect(forOwner.pipeline).toMatchObject({ negotiating: 1, negotiatingAmount: 5_000_000, wonThisMonth: 0 });
    expect(forOwner.adviceWaitingCount).toBe(1);
  });

  it('is read again after every change, so no home shows the totals from before it', () => {
    const { deal } = process.reportDeal({
      actor: rep,
      report: sampleReport({ amount: 5_000_000 }),
      idempotencyKey: 'V1',
    });
    const before = cache.get(MONTH);
    process.recordProgress({
      actor: rep,
      dealId: deal.id,
      entry: sampleProgress({ status: 'won', amount: 6_000_000, activityDate: '2026-11-26' }),
      idempotencyKey: 'V2',
    });
    const after = cache.get(MONTH);
    expect(after).not.toBe(before);
    expect(after.pipeline).toMatchObject({ negotiating: 0, negotiatingAmount: 0, wonThisMonth: 1 });
  });

  it('is read again for another month', () => {
    process.reportDeal({ actor: rep, report: sampleReport(), idempotencyKey: 'V1' });
    expect(cache.get('2026-12-01T00:00:00.000Z')).not.toBe(cache.get(MONTH));
  });
});

describe("the leaders' pipeline board", () => {
  const rules = { adviceStaleHours: 24, staleDays: 10, timeZone: 'Asia/Tokyo' };
  // Thursday 2026-11-26 10:00 in Tokyo: advice asked then is stalled from Friday 10:00.
  const thursday = new Date('2026-11-26T01:00:00Z');
  // Judged at the start of the minute: still moving during 10:00, stalled from 10:01.
  const fridayBefore = new Date('2026-11-27T01:00:59Z');
  const fridayAt = new Date('2026-11-27T01:01:00Z');

  it('is worked out once for every leader until the next change', async () => {
    process.reportDeal({ actor: rep, report: sampleReport({ amount: 5_000_000 }), idempotencyKey: 'V1' });
    const first = cache.board(thursday, rules);
    expect(cache.board(thursday, rules)).toBe(first);
    expect((await first).adviceWaiting).toEqual({ count: 1, amount: 5_000_000 });

    process.reportDeal({ actor: rep, report: sampleReport({ amount: 1_000_000 }), idempotencyKey: 'V2' });
    const after = cache.board(thursday, rules);
    expect(after).not.toBe(first);
    expect((await after).adviceWaiting).toEqual({ count: 2, amount: 6_000_000 });
  });

  it('is judged again each minute, and with other rules', async () => {
    process.reportDeal({ actor: rep, report: sampleReport(), idempotencyKey: 'V1' });
    expect((await cache.board(fridayBefore, rules)).stalledTotal).toBe(0);
    const stalled = await cache.board(fridayAt, rules);
    expect(stalled.stalledTotal).toBe(1);
    // Names are read for the listed deals only, and they are there.
    expect(stalled.stalled[0]?.facts).toMatchObject({ customer: sampleReport().customer, title: sampleReport().title });
    expect((await cache.board(fridayAt, { ...rules, adviceStaleHours: 48 })).stalledTotal).toBe(0);
  });

  it('judges every open deal in batches, giving the event loop a turn between them', async () => {
    const amounts = [1, 2, 3, 4, 5].map((n) => n * 1_000_000);
    for (const amount of amounts) {
      process.reportDeal({ actor: rep, report: sampleReport({ amount }), idempotencyKey: `B${amount}` });
    }
    const batched = createSharedHomeCache(store, 2);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const board = await batched.board(fridayAt, rules);
    counting = false;

    expect(board.adviceWaiting).toEqual({ count: 5, amount: 15_000_000 });
    expect(board.stalledTotal).toBe(5);
    expect(board.stalled.map((item) => item.facts.amount)).toEqual(amounts);
    // Five deals in batches of two: three reads, with the event loop's turns between them.
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
