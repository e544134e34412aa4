/**
 * The daily chase at scale: the order is worked out once, a batch of open deals per turn of the event
 * loop, and the stalled deals are then chased batch by batch, oldest stall first; each deal once a day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chaseStalledWork } from '../../src/jobs/stalled.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createFollowUps } from '../../src/workflow/follow-ups.js';
import { createSystemCommands } from '../../src/workflow/system-commands.js';
import { createUnitOfWork } from '../../src/workflow/unit-of-work.js';
import { sampleReport } from '../support/samples.js';

const ZONE = 'Asia/Tokyo';
/** Monday 2030-04-08 10:00 in Tokyo. */
const MONDAY = new Date('2030-04-08T01:00:00Z');
const REP = 'U0REP1';
let store: Store;
afterEach(() => store?.close());

/** Open deals last written on the given days: the older the day, the older the stall. */
function dealsLastWrittenOn(days: readonly string[]): number[] {
  return days.map((day, index) =>
    store.deals.transaction(() => {
      const report = sampleReport({ customer: `顧客${index}` });
      return store.deals.insertDeal({
        ...report,
        ownerId: REP,
        status: 'negotiating',
        reporterId: REP,
        externalId: null,
        createdAt: `${day}T00:00:00.000Z`,
        reportedAt: `${day}T00:00:00.000Z`,
      }).id;
    }),
  );
}

function chaseDeps(commits: string[]) {
  const workflow = {
    repo: store.deals,
    roles: { workspaceTeamId: 'T0ANKEN', leaderIds: ['U0LEAD1'], adminIds: [] },
    timeZone: ZONE,
    now: () => MONDAY,
    onEffects: () => {
      commits.push('commit');
      setImmediate(() => commits.push('turn'));
    },
  };
  const unit = createUnitOfWork(workflow);
  const stallRules = () => ({ adviceStaleHours: 24, staleDays: 10, timeZone: ZONE });
  return {
    system: createSystemCommands(workflow, unit),
    followUps: createFollowUps({ ...workflow, stallRules, escalateAfter: () => 3 }, unit),
    timeZone: ZONE,
    batchSize: 3,
  };
}

/** The deals reminded of their stall, in the order the reminders were queued. */
function remindedDeals(): number[] {
  return (
    store.db.prepare(`SELECT payload FROM outbox WHERE kind = 'send_stall_reminder' ORDER BY id`).all() as Array<{
      payload: string;
    }>
  ).map((row) => (JSON.parse(row.payload) as { dealId: number }).dealId);
}

describe('the daily chase of stalled deals', () => {
  it('chases every stalled deal once, oldest stall first, in batches with turns of the event loop between', async () => {
    store = openStore(':memory:');
    const days = ['2030-01-20', '2029-12-01', '2030-03-01', '2029-11-15', '2030-02-10', '2030-01-05', '2030-04-05'];
    const ids = dealsLastWrittenOn(days);
    const commits: string[] = [];

    const result = await chaseStalledWork(chaseDeps(commits), MONDAY);

    // The last was written on Friday: not stalled. The other six by their last entry, oldest first.
    const stalled = ids.slice(0, 6).sort((a, b) => (days[a - 1]! < days[b - 1]! ? -1 : 1));
    expect(result.chased).toBe(6);
    expect(remindedDeals()).toEqual(stalled);
    // Batches of three, each its own transaction, with other work let in between.
    expect(commits.filter((step) => step === 'commit').length).toBeGreaterThanOrEqual(2);
    expect(commits.indexOf('turn')).toBeLessThan(commits.lastIndexOf('commit'));

    // The same day again (a restart, a catch-up): nobody is reminded twice.
    const again = await chaseStalledWork(chaseDeps([]), MONDAY);
    expect(again.chased).toBe(0);
    expect(remindedDeals()).toHaveLength(6);
  });
});
