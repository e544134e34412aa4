import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import { threadReplyEvent } from '../support/fake-requests.js';
import {
  adviceValues,
  parsedTexts,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  teamToday,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, MEMBER, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  const { view } = await runCommand(h, REP);
  await submit(
    h,
    REP,
    view!,
    reportValues({ customer: '<!channel> 株式会社 <@U0LEAD1> & <https://evil.example|押して>' }, REP),
  );
  await h.settle();
});

afterEach(async () => {
  await h.close();
});

const card = () => h.fake.messagesIn(SALES_CHANNEL)[0]!;

describe('each change happens once', () => {
  it('two leaders answering the same advice request at the same moment: one advice, one refusal', async () => {
    const first = await pressStaleButton(h, LEADER, ACTION.openAdvice, '1');
    const second = await pressStaleButton(h, LEADER2, ACTION.openAdvice, '1');
    const [a, b] = await Promise.all([
      submit(h, LEADER, first.view!, adviceValues('リーダ1の助言')),
      submit(h, LEADER2, second.view!, adviceValues('リーダ2の助言')),
    ]);
    await h.settle();
    const seen = [readable((a.body as { view: unknown }).view), readable((b.body as { view: unknown }).view)];
    expect(seen.filter((text) => text.includes('助言を投稿しました'))).toHaveLength(1);
    expect(seen.filter((text) => text.includes('すでに助言'))).toHaveLength(1);
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'advice')).toHaveLength(1);
    expect(h.fake.repliesTo(SALES_CHANNEL, card().ts)).toHaveLength(1);
  });

  it('a progress modal submitted twice (a double tap on a phone) records one entry', async () => {
    const { view } = await pressStaleButton(h, REP, ACTION.openProgress, '1');
    const values = progressValues({ content: '二度押し' }, teamToday());
    const responses = await Promise.all([submit(h, REP, view!, values), submit(h, REP, view!, values)]);
    await h.settle();
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'progress')).toHaveLength(1);
    expect(h.fake.repliesTo(SALES_CHANNEL, card().ts)).toHaveLength(1);
  });

  it('a thread reply is committed before Slack hears "received": a failed write answers 500 so Slack retries', async () => {
    const message = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '大事なコメント', threadTs: card().ts });
    const event = {
      type: 'message',
      channel: SALES_CHANNEL,
      user: MEMBER,
      text: message.text,
      ts: message.ts,
      thread_ts: card().ts,
    };
    h.store.db.pragma('query_only = ON');
    const failed = await h.sender.event({ event, eventId: 'Ev0CRASH' });
    h.store.db.pragma('query_only = OFF');
    expect(failed.status).toBe(500);
    const retried = await h.sender.event({ event, eventId: 'Ev0CRASH', retryNum: 1, retryReason: 'http_error' });
    expect(retried.status).toBe(200);
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'comment')).toMatchObject([
      { text: '大事なコメント' },
    ]);
  });
  it('a burst of thread replies: each answered once stored; one that fails is answered 500 alone and kept on the retry', async () => {
    const replies = Array.from({ length: 8 }, (_, n) =>
      h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: `同時の返信${n}`, threadTs: card().ts }),
    );
    const failing = replies[5]!;
    // A real SQLite error in the last write of that reply, after its timeline row was written.
    h.store.db.exec(`CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON handled_requests
      WHEN NEW.key = 'comment:${SALES_CHANNEL}:${failing.ts}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const answers = await Promise.all(
      replies.map((reply, n) => h.sender.event({ event: threadReplyEvent(reply), eventId: `Ev0BURST${n}` })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 500, 200, 200]);
    const comments = () =>
      h.store.queries.timeline(1).flatMap((entry) => (entry.kind === 'comment' ? [entry.text] : []));
    expect(comments()).toHaveLength(7);
    expect(comments()).not.toContain(failing.text);

    h.store.db.exec('DROP TRIGGER refuse_one');
    // Slack retries the one left unanswered, and (as it may) sends another again under a new event_id.
    const retried = await h.sender.event({ event: threadReplyEvent(failing), eventId: 'Ev0BURST5', retryNum: 1 });
    const resent = await h.sender.event({ event: threadReplyEvent(replies[0]!), eventId: 'Ev0BURST0b' });
    expect([retried.status, resent.status]).toEqual([200, 200]);
    expect(comments().sort()).toEqual(replies.map((reply) => reply.text).sort());
  });
});

describe('a reply to a card the bot is still recording', () => {
  /** A fresh bot whose first card reaches Slack, but whose answer is lost and the look-up held back. */
  async function cardShownButNotRecorded() {
    await h.close();
    h = await startHarness();
    h.fake.failNext('chat.postMessage', { kind: 'drop-after-commit' });
    h.fake.failNext('conversations.history', { kind: 'ratelimited', retryAfter: 2 });
    const { view } = await runCommand(h, REP);
    await submit(h, REP, view!, reportValues({}, REP));
    await waitFor(() => h.fake.callsTo('conversations.history').length > 0);
    expect(h.store.queries.getDeal(1)?.cardTs).toBeNull();
    return h.fake.messagesIn(SALES_CHANNEL)[0]!;
  }

  it('is refused with 500 so that Slack sends it again, then kept', async () => {
    const shown = await cardShownButNotRecorded();

    const reply = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '早速ですが', threadTs: shown.ts });
    const event = threadReplyEvent(reply);
    const early = await h.sender.event({ event, eventId: 'Ev0EARLY' });
    expect(early.status).toBe(500);

    await h.settle();
    expect(h.store.queries.getDeal(1)?.cardTs).toBe(shown.ts);
    const retried = await h.sender.event({ event, eventId: 'Ev0EARLY', retryNum: 1, retryReason: 'http_error' });
    expect(retried.status).toBe(200);
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'comment')).toMatchObject([
      { text: '早速ですが' },
    ]);
    expect(h.fake.messagesIn(SALES_CHANNEL)).toHaveLength(1);
  });

  it('holds back no other thread: each is answered at once, without looking anyone up or writing', async () => {
    const shown = await cardShownButNotRecorded();
    h.fake.addChannel('C0RANDOM');
    const elsewhere = h.fake.addUserMessage('C0RANDOM', { user: MEMBER, text: 'ランチどこにしますか' });
    const chat = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '今週の数字です' });
    const replies = [
      // Another channel.
      { channel: 'C0RANDOM', thread_ts: elsewhere.ts, parent_user_id: MEMBER },
      // A thread a person started in the sales channel.
      { channel: SALES_CHANNEL, thread_ts: chat.ts, parent_user_id: MEMBER },
      // A thread of the sales channel started long before the card was queued (no parent_user_id given).
      { channel: SALES_CHANNEL, thread_ts: '1500000000.000100' },
    ];
    const lookUps = h.fake.callsTo('users.info').length;
    for (const [index, thread] of replies.entries()) {
      const reply = { type: 'message', user: MEMBER, text: 'なるほど', ts: `1900000000.00000${index}`, ...thread };
      // Any write (even opening a write transaction) would fail and answer 500.
      h.store.db.pragma('query_only = ON');
      const answer = await h.sender.event({ event: reply, eventId: `Ev0OTHER${index}` }).finally(() => {
        h.store.db.pragma('query_only = OFF');
      });
      expect(answer.status, JSON.stringify(thread)).toBe(200);
    }
    expect(h.fake.callsTo('users.info')).toHaveLength(lookUps);

    // A reply to the card itself still waits for it.
    const reply = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: '早速ですが', threadTs: shown.ts });
    const early = await h.sender.event({ event: threadReplyEvent(reply) });
    expect(early.status).toBe(500);
    await h.settle();
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'comment')).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('thread comments are kept as people wrote them', () => {
  it('an edit with & < > is stored unescaped, like a new comment, and shown escaped once in 詳細', async () => {
    const comment = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: 'A &amp; B', threadTs: card().ts });
    await h.sender.event({ event: threadReplyEvent(comment) });
    const edited = { user: MEMBER, ts: '1800000000.000001' };
    await h.sender.event({
      event: {
        type: 'message',
        subtype: 'message_changed',
        channel: SALES_CHANNEL,
        hidden: true,
        ts: edited.ts,
        message: { ...threadReplyEvent(comment), text: 'A &amp; B &lt;C&gt;', edited },
      },
    });
    const texts = h.store.queries
      .timeline(1)
      .flatMap((entry) => (entry.kind === 'comment' || entry.kind === 'comment_edited' ? [entry.text] : []));
    expect(texts).toEqual(['A & B', 'A & B <C>']);
    const details = await pressStaleButton(h, MEMBER, ACTION.openDetails, '1');
    expect(parsedTexts(details.view)).toContain('A &amp; B &lt;C&gt; _(編集済み)_');
    expect(parsedTexts(details.view)).not.toContain('&amp;amp;');
  });
});

describe('nothing leaks', () => {
  it('user text never pings the channel, mentions people or forges links', async () => {
    const { view } = await pressStaleButton(h, REP, ACTION.openProgress, '1');
    await submit(
      h,
      REP,
      view!,
      progressValues({ content: '<!here> 至急 <@U0LEAD2> <https://evil.example|見積書>' }, teamToday()),
    );
    await h.settle();
    const everything = [
      ...h.fake.messagesIn(SALES_CHANNEL),
      ...h.fake.repliesTo(SALES_CHANNEL, card().ts),
      ...[REP, LEADER, LEADER2].flatMap((user) => h.fake.dmMessagesTo(user)),
    ]
      .map((message) => parsedTexts(h.fake.message(message.channel, message.ts)))
      .join('\n');
    expect(everything).toContain('&lt;!channel&gt;');
    for (const forged of ['<!channel>', '<!here>', '<@U0LEAD2>', '<https://evil.example', '<@U0LEAD1> &']) {
      expect(everything).not.toContain(forged);
    }
    // The bot's own mentions still work.
    expect(everything).toContain(`<@${REP}>`);
    const details = await pressStaleButton(h, MEMBER, ACTION.openDetails, '1');
    expect(parsedTexts(details.view)).not.toContain('<!here>');
    expect(parsedTexts(details.view)).toContain('&lt;!here&gt;');
    expect(parsedTexts(h.fake.homeOf(REP))).not.toContain('<!channel>');
  });
});
