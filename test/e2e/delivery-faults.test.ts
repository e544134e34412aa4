import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import type { FakeMessage } from '../support/fake-slack.js';
import {
  adviceValues,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  teamToday,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function report(customer = '株式会社サンプル') {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({ customer }, REP));
}

async function advise(dealId: number, text: string) {
  const { view } = await pressStaleButton(h, LEADER, ACTION.openAdvice, String(dealId));
  await submit(h, LEADER, view!, adviceValues(text));
}

async function progress(dealId: number, content: string, status: 'negotiating' | 'won' = 'negotiating') {
  const { view } = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
  await submit(h, REP, view!, progressValues({ content, status }, teamToday()));
}

function outboxStates(): Record<string, number> {
  const rows = h.store.db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{
    state: string;
    n: number;
  }>;
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

/** Every message in the fake, each outbox id counted once per stored message. */
function postsPerOutboxId(): Map<number, number> {
  const counts = new Map<number, number>();
  const all: FakeMessage[] = [];
  for (const card of h.fake.messagesIn(SALES_CHANNEL)) all.push(...h.fake.repliesTo(SALES_CHANNEL, card.ts), card);
  for (const user of [REP, LEADER, LEADER2]) all.push(...h.fake.dmMessagesTo(user));
  for (const message of all) {
    const id = (message.metadata?.event_payload as { outbox_id?: number } | undefined)?.outbox_id;
    if (typeof id === 'number') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('no notification lost', () => {
  it('delivers every card, reply, DM and update through 429s, 5xx, transient errors and dropped connections', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfter: 1 });
    h.fake.failNext('chat.postMessage', { kind: 'http', status: 503 });
    h.fake.failNext('chat.postMessage', { kind: 'error', error: 'internal_error' });
    h.fake.failNext('chat.postMessage', { kind: 'drop' });
    h.fake.failNext('conversations.open', { kind: 'http', status: 500 });
    h.fake.failNext('views.publish', { kind: 'drop' });
    await report();
    await h.settle();
    h.fake.failNext('chat.update', { kind: 'ratelimited', retryAfter: 1 });
    h.fake.failNext('chat.postMessage', { kind: 'drop-after-commit' });
    await advise(1, '決裁者に早めに会いましょう');
    await progress(1, '見積を提出しました');
    await h.settle();

    const card = h.fake.messagesIn(SALES_CHANNEL);
    expect(card).toHaveLength(1);
    const replies = h.fake.repliesTo(SALES_CHANNEL, card[0]!.ts);
    expect(replies.map((reply) => readable(reply))).toEqual([
      expect.stringContaining('決裁者に早めに会いましょう'),
      expect.stringContaining('見積を提出しました'),
    ]);
    expect(readable(h.fake.message(SALES_CHANNEL, card[0]!.ts))).toContain('助言: 済み');
    expect(h.fake.dmMessagesTo(REP)).toHaveLength(1);
    expect(h.fake.dmMessagesTo(LEADER)).toHaveLength(1);
    expect(h.fake.homeOf(REP)).toBeDefined();
    expect(outboxStates()).toEqual({ done: expect.any(Number) });
    // The message that reached Slack although the bot never saw the answer was not posted again.
    expect([...postsPerOutboxId().values()].every((count) => count === 1)).toBe(true);
  });

  it('never posts a thread reply before its card, even when the card is held back', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'http', status: 500 }, 2);
    await report();
    await advise(1, '先に部長へ挨拶を');
    await h.settle();
    const postCalls = h.fake.okCallsTo('chat.postMessage').map((call) => call.args);
    const cardIndex = postCalls.findIndex((args) => args.channel === SALES_CHANNEL && !args.thread_ts);
    const replyIndex = postCalls.findIndex((args) => args.channel === SALES_CHANNEL && args.thread_ts);
    expect(cardIndex).toBeGreaterThanOrEqual(0);
    expect(replyIndex).toBeGreaterThan(cardIndex);
  });

  it('keeps each deal in order while another deal is rate limited', async () => {
    await report('一社目');
    await report('二社目');
    await h.settle();
    h.fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfter: 1 }, 3);
    for (const step of ['一回目', '二回目', '三回目']) {
      await progress(1, `一社目 ${step}`);
      await progress(2, `二社目 ${step}`);
    }
    await h.settle();
    for (const [index, name] of ['一社目', '二社目'].entries()) {
      const card = h.fake.messagesIn(SALES_CHANNEL)[index]!;
      const texts = h.fake.repliesTo(SALES_CHANNEL, card.ts).map((reply) => readable(reply));
      expect(texts).toEqual(['一回目', '二回目', '三回目'].map((step) => expect.stringContaining(`${name} ${step}`)));
    }
  });
});

describe('errors that will never succeed', () => {
  it('are recorded, shown to admins, not retried forever, and the bot keeps working', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    await report('届かない案件');
    await h.settle();
    const failed = h.store.outbox.recentFailures(10);
    expect(failed.map((item) => [item.effect.kind, item.lastError])).toContainEqual(['post_card', 'not_in_channel']);
    expect(h.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === SALES_CHANNEL)).toHaveLength(1);

    // Admins (the leaders by default) hear of it by DM and on their App Home, with what to do.
    for (const admin of [LEADER, LEADER2]) {
      const notice = h.fake.dmMessagesTo(admin).find((message) => readable(message).includes('配信できませんでした'));
      expect(readable(notice)).toContain('/invite @anken');
      expect(readable(h.fake.homeOf(admin))).toContain('配信できなかった通知');
    }
    // Effects that need the missing card fail too, instead of waiting for ever.
    await progress(1, 'カードが無い案件の進捗');
    await h.settle();
    expect(outboxStates().pending ?? 0).toBe(0);

    // The next deal goes through.
    await report('次の案件');
    await h.settle();
    expect(h.fake.messagesIn(SALES_CHANNEL).map((card) => readable(card))).toEqual([
      expect.stringContaining('次の案件'),
    ]);
  });

  it('can be sent again by an admin once the cause is fixed, and only by an admin', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    await report('招待忘れの案件');
    await advise(1, 'カードが無くても助言');
    await h.settle();
    const failed = h.store.outbox.recentFailures(10).find((item) => item.effect.kind === 'post_card')!;

    const refused = await pressStaleButton(h, REP, ACTION.retryDelivery, String(failed.id));
    expect(readable(refused.view)).toContain('管理者だけ');
    const retried = await pressStaleButton(h, LEADER, ACTION.retryDelivery, String(failed.id));
    expect(readable(retried.view)).toContain('再送を受け付けました');
    await h.settle();
    const cards = h.fake.messagesIn(SALES_CHANNEL);
    expect(cards.map((card) => readable(card))).toEqual([expect.stringContaining('招待忘れの案件')]);
    // The advice that failed for want of the card is delivered with it.
    expect(readable(h.fake.repliesTo(SALES_CHANNEL, cards[0]!.ts)[0])).toContain('カードが無くても助言');
    expect(h.store.outbox.recentFailures(10).filter((item) => item.effect.kind !== 'report_delivery_failure')).toEqual(
      [],
    );
    const again = await pressStaleButton(h, LEADER, ACTION.retryDelivery, String(failed.id));
    expect(readable(again.view)).toContain('すでに再送');
    expect(readable(h.fake.homeOf(LEADER))).not.toContain('配信できなかった通知');
  });

  it('refuses an invalid block payload from ever being retried', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'error', error: 'invalid_blocks' });
    await report();
    await h.settle();
    const attempts = h.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === SALES_CHANNEL);
    expect(attempts).toHaveLength(1);
    expect(h.store.outbox.recentFailures(5)[0]?.lastError).toBe('invalid_blocks');
  });
});
