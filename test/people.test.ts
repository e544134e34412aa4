import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPeople, type People } from '../src/people.js';
import { openStore, type Store } from '../src/store/index.js';
import { pollUntil } from './support/driving.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { silentLogger } from './support/silent-logger.js';

const HOUR = 60 * 60 * 1_000;

let fake: FakeSlack;
let store: Store;
let people: People;
let clock: number;

beforeEach(async () => {
  fake = await startFakeSlack();
  store = openStore(':memory:');
  clock = Date.parse('2026-11-26T01:00:00Z');
  const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  people = createPeople({ client, cache: store.users, logger: silentLogger, now: () => new Date(clock) });
});

afterEach(async () => {
  store.close();
  await fake.close();
});

describe('who is asking', () => {
  it('asks Slack once about someone new, however many of their requests arrive at once', async () => {
    fake.addUser({ id: 'U0NEW', isRestricted: true });
    const actors = await Promise.all(Array.from({ length: 5 }, () => people.actor('U0NEW', fake.teamId)));
    expect(actors.every((actor) => actor.isGuest)).toBe(true);
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('judges a known person by what it knows, however old, and asks Slack again after the answer', async () => {
    fake.addUser({ id: 'U0REP01' });
    expect((await people.actor('U0REP01', fake.teamId)).isGuest).toBe(false);
    clock += 1 * HOUR;
    await people.actor('U0REP01', fake.teamId);
    expect(fake.callsTo('users.info')).toHaveLength(1);

    // Made a guest in Slack; half a day later the old facts still judge this request, without waiting.
    fake.addUser({ id: 'U0REP01', isRestricted: true });
    clock += 12 * HOUR;
    expect((await people.actor('U0REP01', fake.teamId)).isGuest).toBe(false);
    await pollUntil('the facts fetched again', () => store.users.get('U0REP01')?.isGuest, {
      timeoutMs: 2_000,
      intervalMs: 10,
    });
    expect((await people.actor('U0REP01', fake.teamId)).isGuest).toBe(true);
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });
});
