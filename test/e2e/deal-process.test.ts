import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import {
  adviceValues,
  hasButton,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  tapButton,
  tapHomeButton,
  teamToday,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, MEMBER, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function reportDeal(reporter = REP, input = {}) {
  const { view } = await runCommand(h, reporter);
  if (!view) throw new Error('report modal did not open');
  const response = await submit(h, reporter, view, reportValues(input, reporter));
  await h.settle();
  const card = h.fake.messagesIn(SALES_CHANNEL).at(-1);
  if (!card) throw new Error('no deal card posted');
  return { response, card, view };
}

function dealRow(id = 1) {
  const deal = h.store.queries.getDeal(id);
  if (!deal) throw new Error(`deal ${id} not stored`);
  return deal;
}

function latestDm(userId: string) {
  return h.fake.dmMessagesTo(userId).at(-1);
}

async function recordProgress(userId: string, input: Parameters<typeof progressValues>[0]) {
  const card = h.fake.messagesIn(SALES_CHANNEL)[0];
  if (!card) throw new Error('no card');
  const { view } = await tapButton(h, userId, h.fake.message(SALES_CHANNEL, card.ts) ?? card, ACTION.openProgress);
  if (!view) throw new Error('progress modal did not open');
  const response = await submit(h, userId, view, progressValues(input, teamToday()));
  await h.settle();
  return response;
}

describe('the deal process, from 案件発生報告 to 受注', () => {
  it('shares the deal, gets advice, loops on 商談中 and announces the win', async () => {
    // 1. 案件発生報告
    const { view } = await runCommand(h, REP, '/案件');
    expect(view?.callback_id).toBe(CALLBACK.reportModal);
    const reported = await submit(
      h,
      REP,
      view!,
      reportValues(
        {
          customer: '株式会社サンプル',
          title: '基幹システム更改',
          industry: '製造業',
          companySize: '300〜999名',
          amount: '1,200万',
          expectedCloseDate: '2027-03-31',
          source: '展示会',
          contactName: '山田 部長',
          description: '老朽化した基幹システムの更改。競合は2社。',
        },
        REP,
      ),
    );
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ response_action: 'update' });
    expect(readable((reported.body as { view: { blocks: unknown } }).view)).toContain('案件 #1');
    await h.settle();

    const deal = dealRow();
    expect(deal).toMatchObject({
      status: 'negotiating',
      customer: '株式会社サンプル',
      amount: 12_000_000,
      industry: '製造業',
      ownerId: REP,
      reporterId: REP,
      cardChannel: SALES_CHANNEL,
    });

    // The card in the sales channel: the thread's parent, with the key items and two buttons.
    const cards = h.fake.messagesIn(SALES_CHANNEL);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card.ts).toBe(deal.cardTs);
    expect(readable(card)).toContain('株式会社サンプル');
    expect(readable(card)).toContain('1,200万円');
    expect(readable(card)).toContain('商談中');
    expect(hasButton(card.blocks, ACTION.openProgress)).toBe(true);
    expect(hasButton(card.blocks, ACTION.openDetails)).toBe(true);

    // 1a. Each leader is asked by DM; the rep has one live task message.
    for (const leader of [LEADER, LEADER2]) {
      const dm = latestDm(leader);
      expect(readable(dm)).toContain('助言・戦略の指示をお願いします');
      expect(hasButton(dm?.blocks, ACTION.openAdvice)).toBe(true);
    }
    const repTask = latestDm(REP);
    expect(readable(repTask)).toContain('進捗を記録してください');
    expect(h.fake.dmMessagesTo(REP)).toHaveLength(1);

    // The rep's App Home lists the task.
    expect(readable(h.fake.homeOf(REP))).toContain('進捗の記録');
    expect(readable(h.fake.homeOf(LEADER))).toContain('助言待ちの案件 (1)');

    // A leader advises: the advice goes to the thread, mentioning the rep.
    const adviceTap = await tapButton(h, LEADER, latestDm(LEADER)!, ACTION.openAdvice);
    expect(adviceTap.view?.callback_id).toBe(CALLBACK.adviceModal);
    const advised = await submit(h, LEADER, adviceTap.view!, adviceValues('まず情報システム部の課題を深掘りしよう。'));
    expect(advised.body).toMatchObject({ response_action: 'update' });
    await h.settle();
    const adviceReply = h.fake.repliesTo(SALES_CHANNEL, card.ts).find((m) => m.ts !== card.ts);
    expect(readable(adviceReply)).toContain(`<@${REP}>`);
    expect(readable(adviceReply)).toContain('情報システム部の課題を深掘り');
    // The other leader's DM now says who answered, and has no button left.
    const otherLeaderDm = h.fake.message(h.fake.dmChannelOf(LEADER2)!, latestDm(LEADER2)!.ts);
    expect(readable(otherLeaderDm)).toContain(`<@${LEADER}> さんが助言・戦略の指示を入力しました`);
    expect(hasButton(otherLeaderDm?.blocks, ACTION.openAdvice)).toBe(false);
    expect(dealRow().adviceGiven).toBe(true);

    // A second leader who still has the old button is told it is done.
    const late = await pressStaleButton(h, LEADER2, ACTION.openAdvice, '1');
    expect(readable(late.view)).toContain('すでに助言');

    // Members talk in the thread: every reply is kept, edits and deletions followed.
    const comment = h.fake.addUserMessage(SALES_CHANNEL, {
      user: MEMBER,
      text: '先方の情シス部長とは面識あります',
      threadTs: card.ts,
    });
    await h.sender.event({
      event: {
        type: 'message',
        channel: SALES_CHANNEL,
        user: MEMBER,
        text: comment.text,
        ts: comment.ts,
        thread_ts: card.ts,
        channel_type: 'channel',
      },
    });
    await h.sender.event({
      event: {
        type: 'message',
        subtype: 'message_changed',
        channel: SALES_CHANNEL,
        hidden: true,
        ts: '1800000000.000001',
        message: {
          type: 'message',
          user: MEMBER,
          text: '先方の情シス部長とは旧知の仲です',
          ts: comment.ts,
          thread_ts: card.ts,
          edited: { user: MEMBER, ts: '1800000000.000001' },
        },
      },
    });

    // 2. 商談中: shared in the thread, card updated, the same task message reassigned.
    const negotiating = await recordProgress(REP, {
      status: 'negotiating',
      activityType: '見積提出',
      amount: '1100万',
      content: '見積書を提出。来週に回答予定。',
      nextAction: '回答の確認',
      nextActionDue: '2099-01-10',
    });
    expect(negotiating.body).toMatchObject({ response_action: 'update' });
    const replies = h.fake.repliesTo(SALES_CHANNEL, card.ts);
    expect(readable(replies.at(-1))).toContain('見積書を提出');
    expect(readable(replies.at(-1))).toContain('1,100万円');
    expect(readable(h.fake.message(SALES_CHANNEL, card.ts))).toContain('見積提出');
    expect(h.fake.dmMessagesTo(REP)).toHaveLength(1);
    expect(readable(h.fake.message(h.fake.dmChannelOf(REP)!, repTask!.ts))).toContain('期日: 2099/01/10');
    expect(h.store.queries.latestTask(1, 'progress')).toMatchObject({
      state: 'open',
      dueOn: '2099-01-10',
      assigneeId: REP,
    });

    // Someone who is neither owner nor leader cannot record progress.
    const refused = await tapButton(h, MEMBER, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openProgress);
    expect(readable(refused.view)).toContain('担当営業と営業リーダだけ');

    // 受注: announced to the whole channel, card shows 受注, the process ends.
    const won = await recordProgress(REP, {
      status: 'won',
      amount: '1150万',
      content: '正式発注をいただきました。',
    });
    expect(readable((won.body as { view: unknown }).view)).toContain('受注');
    const announcement = h.fake.repliesTo(SALES_CHANNEL, card.ts).at(-1);
    expect(announcement?.reply_broadcast).toBe(true);
    expect(readable(announcement)).toContain('受注しました');
    expect(readable(announcement)).toContain('1,150万円');
    const finalCard = h.fake.message(SALES_CHANNEL, card.ts);
    expect(readable(finalCard)).toContain('受注');
    expect(hasButton(finalCard?.blocks, ACTION.openProgress)).toBe(false);
    expect(dealRow()).toMatchObject({ status: 'won' });
    expect(dealRow().closedAt).not.toBeNull();
    expect(h.store.queries.latestTask(1, 'progress')?.state).toBe('done');

    // A closed deal refuses more progress, with a clear message.
    const closedTap = await tapHomeButton(h, REP, ACTION.openProgress, '1');
    expect(readable(closedTap.view)).toContain('すでにクローズ');

    // 詳細: the whole timeline in order.
    const details = await tapButton(h, MEMBER, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openDetails);
    const shown = readable(details.view);
    const order = ['案件発生報告', '助言・戦略の指示', '旧知の仲', '見積書を提出', '正式発注'].map((part) =>
      shown.indexOf(part),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(shown).toContain('(編集済み)');

    // After a restart on the same database, everything is still there and nothing is posted twice.
    const postsBefore = h.fake.okCallsTo('chat.postMessage').length;
    await h.restart();
    await h.settle();
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(dealRow()).toMatchObject({ status: 'won', cardTs: card.ts });
    const afterRestart = await tapButton(h, REP, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openDetails);
    expect(readable(afterRestart.view)).toContain('正式発注');
  });
});

describe('the deal process, to 失注', () => {
  it('requires a reason, tells only the leaders why, and shows the channel only that it closed', async () => {
    const { card } = await reportDeal(REP, { customer: '東和物産', title: '物流倉庫の自動化' });
    await recordProgress(REP, { status: 'negotiating', activityType: '往訪', content: '現場を見学。' });

    // A loss without a reason is refused inline, and nothing changes.
    const { view } = await tapButton(h, REP, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openProgress);
    const noReason = await submit(
      h,
      REP,
      view!,
      progressValues({ status: 'lost', content: '他社に決まりました' }, teamToday()),
    );
    expect(noReason.body).toMatchObject({
      response_action: 'errors',
      errors: { progress_loss_reason: expect.stringContaining('失注理由') },
    });
    expect(dealRow().status).toBe('negotiating');

    const reason = '価格で競合に負けた (先方予算 800万)';
    const lost = await submit(
      h,
      REP,
      view!,
      progressValues(
        { status: 'lost', content: '他社に決まりました', lossReason: '価格', lossDetail: reason },
        teamToday(),
      ),
    );
    expect(lost.body).toMatchObject({ response_action: 'update' });
    await h.settle();
    expect(dealRow().status).toBe('lost');

    // Leaders get a private report with the reason and the last activity.
    for (const leader of [LEADER, LEADER2]) {
      const report = readable(latestDm(leader));
      expect(report).toContain('失注報告');
      expect(report).toContain(reason.replace('(', '(').slice(0, 8));
      expect(report).toContain('現場を見学');
    }

    // The channel sees only that the deal closed: the reason appears nowhere in it.
    const channelText = [...h.fake.messagesIn(SALES_CHANNEL), ...h.fake.repliesTo(SALES_CHANNEL, card.ts)]
      .map((message) => readable(h.fake.message(SALES_CHANNEL, message.ts)))
      .join('\n');
    expect(channelText).toContain('クローズしました');
    expect(channelText).not.toContain('競合に負けた');
    expect(channelText).not.toContain('他社に決まりました');
    expect(channelText).not.toContain('失注');
    expect(h.fake.repliesTo(SALES_CHANNEL, card.ts).some((reply) => reply.reply_broadcast)).toBe(false);

    // A member's details show the close without the reason; a leader's show it.
    const memberView = await tapButton(h, MEMBER, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openDetails);
    expect(readable(memberView.view)).toContain('クローズ');
    expect(readable(memberView.view)).not.toContain('競合に負けた');
    const leaderView = await tapButton(h, LEADER, h.fake.message(SALES_CHANNEL, card.ts)!, ACTION.openDetails);
    expect(readable(leaderView.view)).toContain('競合に負けた');

    // The advice request is withdrawn; the rep's task says it is finished.
    expect(readable(h.fake.message(h.fake.dmChannelOf(LEADER)!, h.fake.dmMessagesTo(LEADER)[0]!.ts))).toContain(
      '取り下げ',
    );
    expect(readable(h.fake.message(h.fake.dmChannelOf(REP)!, h.fake.dmMessagesTo(REP)[0]!.ts))).toContain('失注で完了');

    // Survives a restart.
    await h.restart();
    expect(dealRow()).toMatchObject({ status: 'lost' });
    const again = await pressStaleButton(h, REP, ACTION.openProgress, '1');
    expect(readable(again.view)).toContain('すでにクローズ');
  });
});
