/**
 * What only Socket Mode has: the connection to Slack (apps.connections.open through SLACK_API_URL,
 * refreshes, failures while refreshing) and answers that travel as envelope acks. The deal process
 * itself runs over both modes in the other e2e files.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_BLOCK } from '../../src/ids.js';
import { threadReplyEvent } from '../support/fake-requests.js';
import type { DisconnectReason, FakeSocketMode } from '../support/fake-socket-mode.js';
import { reportValues, runCommand, submit } from '../support/flows.js';
import { type Harness, MEMBER, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;
let socket: FakeSocketMode;

beforeEach(async () => {
  h = await startHarness({ mode: 'socket' });
  socket = h.socket!;
});

afterEach(async () => {
  await h.close();
});

async function reportDeal() {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({}, REP));
  await h.settle();
  return h.fake.messagesIn(SALES_CHANNEL)[0]!;
}

/** Waits until a new connection has said hello, then checks that the bot serves a person again. */
async function expectServedAfterReconnect(connectionsBefore: number) {
  await socket.waitForConnections(connectionsBefore + 1);
  const { response, view } = await runCommand(h, REP);
  expect(response.status).toBe(200);
  expect(view).not.toBeNull();
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('the connection', () => {
  it('is opened through SLACK_API_URL with the app token, and every other call goes there with the bot token', async () => {
    await reportDeal();
    const opened = h.fake.callsTo('apps.connections.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.response).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:/) });
    // The fake refuses a bot token on apps.connections.open and an app token everywhere else.
    expect(h.fake.calls.filter((call) => call.response?.ok !== true)).toEqual([]);
    expect(h.fake.okCallsTo('views.open')).toHaveLength(1);
    expect(h.fake.okCallsTo('chat.postMessage').length).toBeGreaterThan(0);
    expect(socket.openCount()).toBe(1);
  });

  it.each<DisconnectReason>(['refresh_requested', 'warning', 'link_disabled'])(
    'is replaced when Slack sends disconnect (%s): the new one says hello before the old one closes',
    async (reason) => {
      socket.disconnect(reason);
      await expectServedAfterReconnect(1);
      await waitUntil(() => socket.openCount() === 1);
      expect(h.fake.callsTo('apps.connections.open')).toHaveLength(2);
      expect(socket.connections[0]?.closedAt).toBeGreaterThanOrEqual(socket.connections[1]!.helloAt);
      expect(socket.gaps()).toEqual([0]);
    },
  );

  it('is opened again when it drops without a word', async () => {
    socket.dropConnections();
    await expectServedAfterReconnect(1);
  });

  it('survives a refresh whose apps.connections.open fails (500, then a dropped connection): tried again with backoff', async () => {
    h.fake.failNext('apps.connections.open', { kind: 'http', status: 500 });
    h.fake.failNext('apps.connections.open', { kind: 'drop' });
    socket.disconnect('refresh_requested');
    await expectServedAfterReconnect(1);
    const attempts = h.fake.callsTo('apps.connections.open').slice(1);
    expect(attempts.map((call) => call.fault ?? 'ok')).toEqual(['http', 'drop', 'ok']);
    // Backoff: the third try waited longer after the second failure than the second after the first.
    const [first, second, third] = attempts.map((call) => call.at) as [number, number, number];
    expect(third - second).toBeGreaterThan(second - first);
  });

  it('gives up a new connection that never says hello and opens another, while the old one still serves', async () => {
    socket.withholdHello();
    socket.disconnect('refresh_requested', 5_000);
    await expectServedAfterReconnect(1);
    expect(socket.silent).toHaveLength(1);
    expect(socket.silent[0]?.closedAt).not.toBeNull();
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(3);
    // The old connection served until the third one said hello: never a moment without one.
    await waitUntil(() => socket.openCount() === 1);
    expect(socket.gaps()).toEqual([0]);
  });

  it('keeps the bot up when a message cannot be read (an events_api envelope without its event)', async () => {
    const rateLimited = { type: 'app_rate_limited', team_id: 'T0TEAM', minute_rate_limited: 1518467820 };
    const envelope = socket.send('events_api', rateLimited)!;
    expect(await socket.ackOf(envelope, 300)).toBeNull();
    await expectServedAfterReconnect(0);
  });

  it('closes on stop: the socket is closed from the bot side', async () => {
    await h.anken.stop();
    await waitUntil(() => socket.openCount() === 0);
    expect(socket.connections[0]?.closedAt).not.toBeNull();
    await h.anken.start();
  });
});

describe('answers in envelope acks', () => {
  it('a view submission with a bad input gets its inline errors in the ack, and nothing is stored', async () => {
    const { view } = await runCommand(h, REP);
    const response = await submit(h, REP, view!, reportValues({ customer: null, amount: '千円くらい' }, REP));
    const ack = socket.acks.at(-1);
    expect(ack?.payload).toMatchObject({
      response_action: 'errors',
      errors: { [REPORT_BLOCK.customer]: expect.any(String), [REPORT_BLOCK.amount]: expect.any(String) },
    });
    expect(response.body).toEqual(ack?.payload);
    expect(h.store.queries.getDeal(1)).toBeNull();
  });

  it('an events_api envelope sent again (retry_attempt 1) is acked again and stored once', async () => {
    const card = await reportDeal();
    const reply = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '資料を送りました', threadTs: card.ts });
    const first = await h.sender.event({ event: threadReplyEvent(reply), eventId: 'Ev0SOCKET1' });
    const envelope = socket.envelopes.at(-1)!;
    const again = socket.resend(envelope)!;
    expect(again.retry_attempt).toBe(1);
    expect(await socket.ackOf(again)).not.toBeNull();
    await h.anken.idle();
    expect(first.status).toBe(200);
    const comments = h.store.queries.timeline(1).filter((entry) => entry.kind === 'comment');
    expect(comments).toMatchObject([{ text: '資料を送りました' }]);
  });
});
