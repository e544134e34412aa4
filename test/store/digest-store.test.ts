/** What a week's deals did, read by index ranges, with the week's edges where the team's days end. */
import { afterEach, describe, expect, it } from 'vitest';
import { PERIOD_ACTIVITY_SQL } from '../../src/store/digest-store.js';
import { openStore, type Store } from '../../src/store/index.js';
import { digestPeriod } from '../../src/workflow/digest.js';
import type { NewDeal } from '../../src/workflow/ports.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

let store: Store;

afterEach(() => store?.close());

/** A deal reported and closed at the given instants (closed: not closed when null). */
function closedDeal(reportedAt: string, closedAt: string | null, status: 'won' | 'lost', amount = 1_000_000): void {
  const deal: NewDeal = {
    ...sampleReport({ amount }),
    status: 'negotiating',
    reporterId: 'U0REP01',
    externalId: null,
    createdAt: reportedAt,
    reportedAt,
  };
  const inserted = store.deals.insertDeal(deal);
  if (closedAt === null) return;
  const entry = store.deals.appendTimeline(inserted.id, 'U0REP01', closedAt, {
    kind: 'progress',
    entry: sampleProgress({ status, lossReason: status === 'lost' ? '価格' : null }),
  });
  store.deals.saveDeal({ ...inserted, status, closedAt, lastProgressId: entry.id });
}

describe('a week of deals', () => {
  it('counts the seven Tokyo days before the digest, midnight to midnight', () => {
    store = openStore(':memory:');
    // Monday 2030-04-08 09:00 in Tokyo; the week is 1–7 April in Tokyo, 31 March 15:00Z to 7 April 15:00Z.
    const period = digestPeriod(new Date('2030-04-08T00:00:00Z'), 'Asia/Tokyo');
    closedDeal('2030-03-31T14:59:59.999Z', '2030-04-02T00:00:00.000Z', 'won', 5_000_000);
    closedDeal('2030-03-31T15:00:00.000Z', '2030-04-07T14:59:59.999Z', 'lost');
    closedDeal('2030-04-03T00:00:00.000Z', '2030-04-07T15:00:00.000Z', 'won');
    closedDeal('2030-04-07T15:00:00.000Z', null, 'won');

    const activity = store.digests.activity(period.since, period.until);
    expect(activity.newDeals).toEqual({ count: 2, amount: 2_000_000 });
    expect(activity.won).toEqual({ count: 1, amount: 5_000_000 });
    expect(activity.lost).toEqual({ count: 1, amount: 1_000_000 });
    expect(activity.lossReasons).toEqual([{ reason: '価格', deals: 1 }]);
    // Whole days, as the analysis counts them; nobody advised, so all of it was 商談中.
    expect(activity.durations).toEqual(
      expect.arrayContaining([
        { step: 'total', days: 1, deals: 1 },
        { step: 'total', days: 6, deals: 1 },
        { step: 'negotiation', days: 6, deals: 1 },
      ]),
    );
    expect(activity.durations.filter((row) => row.step === 'advice')).toEqual([]);
  });

  it.each(Object.entries(PERIOD_ACTIVITY_SQL))('%s reads an index range, not every deal', (_name, sql) => {
    store = openStore(':memory:');
    const steps = (
      store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ since: 'a', until: 'b', status: 'won' }) as Array<{
        detail: string;
      }>
    ).map((row) => row.detail);
    const dealScans = steps.filter((step) => /^SCAN (deals|d)\b/.test(step) && !/USING (COVERING )?INDEX/.test(step));
    expect(dealScans, steps.join('\n')).toEqual([]);
    expect(steps.join('\n')).toMatch(/deals_by_(reported|closed)|deals_pipeline/);
  });
});
