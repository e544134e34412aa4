/**
 * open_deals, the narrow table the pipeline and the stall rules read, is kept by triggers: after any
 * change it must equal what the source tables say.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createDealProcess } from '../../src/workflow/deal-process.js';
import { createSystemCommands } from '../../src/workflow/system-commands.js';
import type { Actor } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

const LEADER = 'U0LEAD1';
const actor = (userId: string): Actor => ({ userId, teamId: 'T0TEAM', isBot: false, isGuest: false });
let store: Store;

afterEach(() => store?.close());

/** The same facts, read the slow way from the source tables. */
function factsFromSources() {
  return store.db
    .prepare(
      `SELECT d.id AS dealId, d.owner_id AS ownerId, d.customer, d.title, d.amount,
         a.created_at AS adviceAskedAt, p.due_on AS progressDueOn,
         COALESCE(t.at, d.reported_at, d.created_at) AS lastEntryAt,
         f.snoozed_until AS snoozedUntil, f.snooze_reason AS snoozeReason
       FROM deals d
       LEFT JOIN tasks a ON a.deal_id = d.id AND a.kind = 'advice' AND a.state = 'open'
       LEFT JOIN tasks p ON p.deal_id = d.id AND p.kind = 'progress' AND p.state = 'open'
       LEFT JOIN timeline t ON t.id = d.last_progress_id
       LEFT JOIN deal_follow_ups f ON f.deal_id = d.id
       WHERE d.status = 'negotiating' ORDER BY d.id`,
    )
    .all();
}

const sorted = () => store.pipeline.openDealFacts().sort((a, b) => a.dealId - b.dealId);

describe('the open deals table', () => {
  it('follows reports, drafts, advice, progress, closing, snoozes and owner changes', () => {
    store = openStore(':memory:');
    let clock = Date.parse('2030-04-08T01:00:00Z');
    const deps = {
      repo: store.deals,
      roles: { workspaceTeamId: 'T0TEAM', leaderIds: [LEADER], adminIds: [LEADER] },
      timeZone: 'Asia/Tokyo',
      now: () => {
        clock += 60_000;
        return new Date(clock);
      },
      onEffects: () => undefined,
    };
    const process = createDealProcess(deps);
    const system = createSystemCommands(deps);
    const report = (key: string, ownerId = 'U0REP01') =>
      process.reportDeal({ actor: actor(ownerId), report: sampleReport({ ownerId }), idempotencyKey: key }).deal;

    const a = report('a');
    const b = report('b', 'U0REP02');
    const draft = system.startDeal({ report: sampleReport(), externalId: 'ext-1' }).deal;
    expect(sorted()).toEqual(factsFromSources());
    expect(sorted().map((facts) => facts.dealId)).toEqual([a.id, b.id]);

    process.adviseDeal({ actor: actor(LEADER), dealId: a.id, text: '助言', idempotencyKey: 'adv' });
    process.recordProgress({
      actor: actor('U0REP01'),
      dealId: a.id,
      entry: sampleProgress({ nextActionDue: '2030-04-20' }),
      idempotencyKey: 'p1',
    });
    process.reportDeal({
      actor: actor('U0REP01'),
      report: sampleReport(),
      draftDealId: draft.id,
      idempotencyKey: 'draft',
    });
    store.deals.saveFollowUp(b.id, {
      ...store.deals.followUp(b.id),
      snoozedUntil: '2030-05-01',
      snoozeReason: '予算待ち',
    });
    store.deals.saveDeal({ ...store.deals.getDeal(b.id)!, ownerId: 'U0REP03' });
    expect(sorted()).toEqual(factsFromSources());
    expect(store.pipeline.dealFacts(a.id)).toMatchObject({ adviceAskedAt: null, progressDueOn: '2030-04-20' });
    expect(store.pipeline.dealFacts(b.id)).toMatchObject({ ownerId: 'U0REP03', snoozeReason: '予算待ち' });

    process.recordProgress({
      actor: actor('U0REP01'),
      dealId: a.id,
      entry: sampleProgress({ status: 'won' }),
      idempotencyKey: 'won',
    });
    expect(sorted()).toEqual(factsFromSources());
    expect(store.pipeline.dealFacts(a.id)).toBeNull();
  });
});
