/**
 * The message shortcut 「案件として登録」: the report modal prefilled with the message and a link back to
 * it; refused for guests, bots and people of other workspaces; submitting it reports the deal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACK, REPORT_BLOCK } from '../../src/ids.js';
import type { FakeMessage, FakeView } from '../support/fake-slack.js';
import { readable, reportValues, submit } from '../support/flows.js';
import {
  FOREIGN,
  FOREIGN_TEAM,
  GUEST,
  type Harness,
  LEADER,
  MEMBER,
  REP,
  SALES_CHANNEL,
  startHarness,
} from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.fake.addChannel('C0GENERAL', { isMember: true, name: 'general' });
});

afterEach(async () => {
  await h.close();
});

function postedMessage(text: string, channel = 'C0GENERAL', user = MEMBER): FakeMessage {
  return h.fake.addUserMessage(channel, { user, text });
}

/** Runs the shortcut on `message`; returns the modal it opened (the report, or a notice), if any. */
async function runShortcut(
  userId: string,
  message: FakeMessage,
  options: { teamId?: string; channelId?: string } = {},
): Promise<{ status: number; view: FakeView | null }> {
  const before = h.fake.okCallsTo('views.open').length;
  const { history: _history, ...payloadMessage } = message;
  const response = await h.sender.messageShortcut({
    callbackId: CALLBACK.reportFromMessage,
    userId,
    triggerId: h.fake.issueTriggerId({ userId }),
    channelId: options.channelId ?? message.channel,
    message: payloadMessage,
    ...(options.teamId ? { teamId: options.teamId } : {}),
  });
  const opened = h.fake.okCallsTo('views.open');
  if (opened.length === before) return { status: response.status, view: null };
  const id = (opened.at(-1)?.response as { view?: { id?: string } } | null)?.view?.id;
  return { status: response.status, view: (id && h.fake.viewById(id)) || null };
}

function description(view: FakeView | null): string | undefined {
  const block = view?.blocks.find((candidate) => candidate.block_id === REPORT_BLOCK.description);
  return (block?.element as { initial_value?: string } | undefined)?.initial_value;
}

function permalinkOf(message: FakeMessage): string {
  return `https://test-team.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
}

describe('「案件として登録」 on a message', () => {
  it('opens the report modal prefilled with the message and a link back to it', async () => {
    const message = postedMessage('株式会社サンプルから基幹システム更改の相談がありました。\n予算は1,200万円ほど。');
    const { status, view } = await runShortcut(REP, message);
    expect(status).toBe(200);
    expect(view?.callback_id).toBe(CALLBACK.reportModal);
    expect(description(view)).toBe(
      `株式会社サンプルから基幹システム更改の相談がありました。\n予算は1,200万円ほど。\n\n元のメッセージ: ${permalinkOf(message)}`,
    );
    expect(h.fake.okCallsTo('chat.getPermalink')).toHaveLength(1);
    // The person who ran the shortcut is the default 担当営業; the rest is theirs to fill in.
    expect(JSON.stringify(view?.blocks)).toContain(`"initial_user":"${REP}"`);
    expect(JSON.parse(view!.private_metadata)).toEqual({});
  });

  it('turns Slack markup into what people read', async () => {
    const message = postedMessage(
      '<@U0LEAD1> さんの紹介 &amp; <https://example.co.jp/rfp|RFP> は <#C0GENERAL|general> に。<!here> 見積 &lt;至急&gt;',
    );
    const { view } = await runShortcut(REP, message);
    expect(description(view)).toBe(
      `@U0LEAD1 さんの紹介 & RFP (https://example.co.jp/rfp) は #general に。@here 見積 <至急>\n\n元のメッセージ: ${permalinkOf(message)}`,
    );
  });

  it('cuts a long message to fit 案件概要 (2,000 characters) and keeps the link', async () => {
    const message = postedMessage('長'.repeat(5_000));
    const { view } = await runShortcut(REP, message);
    const text = description(view) ?? '';
    expect([...text].length).toBeLessThanOrEqual(2_000);
    expect(text).toContain('…');
    expect(text.endsWith(`元のメッセージ: ${permalinkOf(message)}`)).toBe(true);
  });

  it('opens the modal without the link when the permalink cannot be had', async () => {
    const message = postedMessage('展示会で名刺交換した株式会社テストから問い合わせ');
    h.fake.failNext('chat.getPermalink', { kind: 'error', error: 'channel_not_found' });
    const failed = await runShortcut(REP, message);
    expect(failed.view?.callback_id).toBe(CALLBACK.reportModal);
    expect(description(failed.view)).toBe('展示会で名刺交換した株式会社テストから問い合わせ');

    // A slow answer is not waited for: the trigger_id would expire first.
    h.fake.failNext('chat.getPermalink', { kind: 'delay', ms: 2_500 });
    const slow = await runShortcut(REP, message);
    expect(slow.view?.callback_id).toBe(CALLBACK.reportModal);
    expect(description(slow.view)).toBe('展示会で名刺交換した株式会社テストから問い合わせ');
  });

  it('works on a message without text', async () => {
    const message = postedMessage('');
    const { view } = await runShortcut(REP, { ...message, text: '' });
    expect(description(view)).toBe(`元のメッセージ: ${permalinkOf(message)}`);
  });

  it.each([
    ['a guest', GUEST, undefined, 'ゲスト'],
    ['a Slack Connect user', FOREIGN, FOREIGN_TEAM, '社内のメンバーだけ'],
    ['a bot', 'U0BOT01', undefined, 'ボット'],
  ])('refuses %s with a notice', async (_who, userId, teamId, notice) => {
    h.fake.addUser({ id: 'U0BOT01', name: 'workflow-bot', isBot: true });
    const message = postedMessage('案件になりそうな話');
    const { view } = await runShortcut(userId, message, teamId ? { teamId } : {});
    expect(view?.callback_id).not.toBe(CALLBACK.reportModal);
    expect(readable(view)).toContain(notice);
  });

  it('reports the deal when the modal is submitted', async () => {
    const message = postedMessage('株式会社サンプルの情シス部長から、基幹システム更改の相談');
    const { view } = await runShortcut(REP, message);
    const response = await submit(
      h,
      REP,
      view!,
      reportValues(
        { customer: '株式会社サンプル', title: '基幹システム更改', amount: '1200万', description: description(view) },
        REP,
      ),
    );
    expect(response.body).toMatchObject({ response_action: 'update' });
    await h.settle();
    const deal = h.store.queries.getDeal(1);
    expect(deal).toMatchObject({ status: 'negotiating', ownerId: REP, reporterId: REP, amount: 12_000_000 });
    expect(deal?.description).toContain(permalinkOf(message));
    const card = h.fake.messagesIn(SALES_CHANNEL).at(-1);
    expect(readable(card)).toContain('株式会社サンプル');
    expect(readable(h.fake.dmMessagesTo(LEADER).at(-1))).toContain('助言・戦略の指示をお願いします');
  });
});
