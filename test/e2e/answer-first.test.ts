/**
 * Slack gets its answer before the bot calls Slack back: a tap that opens a modal, /案件 and a thread
 * reply are answered without waiting for views.open, users.info or any delivery. Slack's calls are held
 * in the fake for longer than the answer can take, so the order is plain to see.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import { buttonTap, threadReplyEvent } from '../support/fake-requests.js';
import { reportValues, runCommand, submit } from '../support/flows.js';
import { type Harness, MEMBER, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

/** Long enough that an answer waiting for a held call could not come first; two of them fit in a trigger's 3 s. */
const HELD_MS = 1_200;

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function dealCard() {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({}, REP));
  await h.settle();
  return h.fake.messagesIn(SALES_CHANNEL)[0]!;
}

const openedModals = () =>
  h.fake.okCallsTo('views.open').map((call) => (call.args.view as { callback_id?: string }).callback_id);

describe('the answer comes first', () => {
  it('answers the first /案件 of a person before users.info and views.open return, then opens the modal', async () => {
    h.fake.failNext('users.info', { kind: 'delay', ms: HELD_MS });
    h.fake.failNext('views.open', { kind: 'delay', ms: HELD_MS });
    const response = await h.answerOnly.slashCommand({
      command: '/案件',
      userId: REP,
      triggerId: h.fake.issueTriggerId({ userId: REP }),
    });
    expect(response.status).toBe(200);
    expect(h.fake.callsTo('users.info')).toHaveLength(0);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);

    await h.anken.afterAck.idle();
    expect(openedModals()).toEqual([CALLBACK.reportModal]);
  });

  it('answers a tap on 進捗を記録 before views.open returns, then opens the modal', async () => {
    const card = await dealCard();
    h.fake.failNext('views.open', { kind: 'delay', ms: HELD_MS });
    const response = await h.answerOnly.blockAction(
      buttonTap(card, ACTION.openProgress, REP, h.fake.issueTriggerId({ userId: REP })),
    );
    expect(response.status).toBe(200);
    expect(openedModals()).toEqual([CALLBACK.reportModal]);

    await h.anken.afterAck.idle();
    expect(openedModals()).toEqual([CALLBACK.reportModal, CALLBACK.progressModal]);
  });

  it('answers a thread reply only once it is on the timeline, however long users.info takes', async () => {
    const card = await dealCard();
    h.fake.failNext('users.info', { kind: 'delay', ms: HELD_MS });
    const reply = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '同行します', threadTs: card.ts });
    const response = await h.answerOnly.event({ event: threadReplyEvent(reply) });
    expect(response.status).toBe(200);
    const stored = h.store.db.prepare(`SELECT COUNT(*) AS n FROM timeline WHERE kind = 'comment'`).get() as {
      n: number;
    };
    expect(stored.n).toBe(1);
  });
});
