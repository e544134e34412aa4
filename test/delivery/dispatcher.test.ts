import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/delivery/dispatcher.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createDealProcess, type DealProcess } from '../../src/workflow/deal-process.js';
import type { Effect, Roles } from '../../src/workflow/types.js';
import { SAMPLE_OWNER, sampleReport } from '../support/samples.js';
import { silentLogger } from '../support/silent-logger.js';

const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: ['U0LEAD1'], adminIds: ['U0LEAD1'] };

/** One turn of the event loop: what setImmediate runs has run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

let store: Store;
let dispatcher: Dispatcher;
let process: DealProcess;
let started: Effect['kind'][];

beforeEach(async () => {
  store = openStore(':memory:');
  started = [];
  dispatcher = createDispatcher({
    outbox: store.outbox,
    deliver: async ({ item }) => {
      started.push(item.effect.kind);
      return undefined;
    },
    logger: silentLogger,
    now: () => new Date(),
  });
  process = createDealProcess({
    repo: store.deals,
    roles,
    timeZone: 'Asia/Tokyo',
    now: () => new Date(),
    onEffects: () => dispatcher.kick(),
  });
  dispatcher.start();
  await nextTurn();
});

afterEach(async () => {
  await dispatcher.stop();
  store.close();
});

describe('deliveries wait for the request that caused them', () => {
  it('starts no delivery inside the command that committed the effects, and starts them on the next turn', async () => {
    process.reportDeal({
      actor: { userId: SAMPLE_OWNER, teamId: 'T0TEAM', isBot: false, isGuest: false },
      report: sampleReport(),
      idempotencyKey: 'V1',
    });
    // The request is answered in the same turn as its commit: nothing may have been rendered for Slack yet.
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toContain('post_card');
    await dispatcher.idle();
  });

  it('starts nothing once stopped, even when kicked in the same turn as the stop', async () => {
    dispatcher.kick();
    await dispatcher.stop();
    process.reportDeal({
      actor: { userId: SAMPLE_OWNER, teamId: 'T0TEAM', isBot: false, isGuest: false },
      report: sampleReport(),
      idempotencyKey: 'V2',
    });
    await nextTurn();
    expect(started).toEqual([]);
    expect(store.outbox.pendingCount()).toBeGreaterThan(0);
  });
});
