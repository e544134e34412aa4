import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import {
  adviceValues,
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
import {
  FOREIGN,
  FOREIGN_TEAM,
  GUEST,
  type Harness,
  LEADER,
  MEMBER,
  REP,
  REP2,
  SALES_CHANNEL,
  startHarness,
} from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

function dealCount(): number {
  return (h.store.db.prepare('SELECT COUNT(*) AS n FROM deals').get() as { n: number }).n;
}

function timelineCount(): number {
  return (h.store.db.prepare('SELECT COUNT(*) AS n FROM timeline').get() as { n: number }).n;
}

async function reportedDeal() {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({}, REP));
  await h.settle();
  return h.fake.messagesIn(SALES_CHANNEL)[0]!;
}

describe('requests are authentic', () => {
  it('refuses forged and stale signatures with 401 and changes nothing', async () => {
    const trigger = h.fake.issueTriggerId({ userId: REP });
    const forged = await h.sender.slashCommand(
      { command: '/案件', userId: REP, triggerId: trigger },
      { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
    );
    const stale = await h.sender.slashCommand(
      { command: '/案件', userId: REP, triggerId: trigger },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    expect(dealCount()).toBe(0);
  });
});

describe('starting a report', () => {
  it('opens the same modal from /案件, /anken, the shortcut and the home tab', async () => {
    const viaJapanese = await runCommand(h, REP, '/案件');
    const viaAscii = await runCommand(h, REP, '/anken');
    const before = h.fake.okCallsTo('views.open').length;
    await h.sender.shortcut({
      callbackId: CALLBACK.reportShortcut,
      userId: REP,
      triggerId: h.fake.issueTriggerId({ userId: REP }),
    });
    const viaHome = await tapHomeButton(h, REP, ACTION.openNewReport, 'new');
    expect(viaJapanese.view?.callback_id).toBe(CALLBACK.reportModal);
    expect(viaAscii.view?.callback_id).toBe(CALLBACK.reportModal);
    expect(h.fake.okCallsTo('views.open')).toHaveLength(before + 2);
    expect(viaHome.view?.callback_id).toBe(CALLBACK.reportModal);
    // The rep is the default 担当営業.
    expect(JSON.stringify(viaAscii.view?.blocks)).toContain(`"initial_user":"${REP}"`);
  });

  it('answers only the command names it is configured with', async () => {
    await h.close();
    h = await startHarness({ env: { ANKEN_COMMANDS: '/anken' } });
    const ascii = await runCommand(h, REP, '/anken');
    expect(ascii.view?.callback_id).toBe(CALLBACK.reportModal);
    const japanese = await runCommand(h, REP, '/案件');
    expect(japanese.view).toBeNull();
  });

  it('shows help for /案件 help', async () => {
    const { response, view } = await runCommand(h, REP, '/案件');
    expect(view).not.toBeNull();
    const help = await h.sender.slashCommand({
      command: '/anken',
      text: 'help',
      userId: REP,
      triggerId: h.fake.issueTriggerId(),
    });
    expect(response.status).toBe(200);
    expect(help.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/案件') });
  });

  it.each([
    ['a guest', GUEST, undefined, 'ゲスト'],
    ['a Slack Connect user', FOREIGN, FOREIGN_TEAM, '社内のメンバーだけ'],
  ])('refuses %s with a short message', async (_who, userId, teamId, message) => {
    const { response, view } = await runCommand(h, userId, '/案件', teamId);
    expect(view).toBeNull();
    // Slack hears back at once; the refusal follows through the command's response_url, seen by them alone.
    expect(response.status).toBe(200);
    expect(h.fake.responseUrlPosts.map((post) => post.body)).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining(message) }),
    ]);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['an amount in dollars', { amount: '100ドル' }, 'report_amount', '1,200万'],
    ['a negative amount', { amount: '-1200万' }, 'report_amount', 'マイナス'],
    ['a fraction of a yen', { amount: '1.5' }, 'report_amount', '1円未満'],
    ['an empty customer', { customer: '   ' }, 'report_customer', '顧客名を入力'],
    ['an over-long title', { title: 'あ'.repeat(101) }, 'report_title', '100文字以内'],
    ['an impossible date', { expectedCloseDate: '2026-02-30' }, 'report_expected_close', '実在する日付'],
    ['an unknown industry', { industry: '宇宙産業' }, 'report_industry', '選択肢'],
    ['no owner', { owner: null }, 'report_owner', '担当営業'],
  ])('refuses %s inline', async (_what, input, blockId, message) => {
    const { view } = await runCommand(h, REP);
    const response = await submit(h, REP, view!, reportValues(input, REP));
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: { [blockId]: expect.stringContaining(message) },
    });
    await h.settle();
    expect(dealCount()).toBe(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('creates one deal when the same modal is submitted twice', async () => {
    const { view } = await runCommand(h, REP);
    const first = await submit(h, REP, view!, reportValues({}, REP));
    const second = await submit(h, REP, view!, reportValues({}, REP));
    await h.settle();
    expect(first.body).toMatchObject({ response_action: 'update' });
    expect(second.body).toMatchObject({ response_action: 'update' });
    expect(dealCount()).toBe(1);
    expect(h.fake.messagesIn(SALES_CHANNEL)).toHaveLength(1);
  });

  it('refuses a tampered button value or private_metadata', async () => {
    const card = await reportedDeal();
    for (const value of ['999', 'abc', '1; DROP TABLE deals', '']) {
      const tapped = await pressStaleButton(h, REP, ACTION.openProgress, value);
      expect(readable(tapped.view)).toContain('案件が見つかりません');
    }
    const { view } = await tapButton(h, REP, card, ACTION.openProgress);
    const before = timelineCount();
    for (const metadata of ['{"dealId":999}', 'not json', '{"dealId":"1"}', '']) {
      const response = await submit(h, REP, { ...view!, private_metadata: metadata }, progressValues({}, teamToday()));
      expect(readable((response.body as { view: unknown }).view)).toContain('案件が見つかりません');
    }
    expect(timelineCount()).toBe(before);
  });

  it('refuses a 失注 without a reason and a future 活動日, inline', async () => {
    const card = await reportedDeal();
    const { view } = await tapButton(h, REP, card, ACTION.openProgress);
    const response = await submit(
      h,
      REP,
      view!,
      progressValues({ status: 'lost', activityDate: '2099-01-01', content: '' }, teamToday()),
    );
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: {
        progress_loss_reason: expect.stringContaining('失注理由'),
        progress_activity_date: expect.stringContaining('未来'),
        progress_content: expect.stringContaining('内容を入力'),
      },
    });
    expect(h.store.queries.getDeal(1)?.status).toBe('negotiating');
  });
});

describe('who may do what', () => {
  it('lets only the owner and leaders record progress', async () => {
    const card = await reportedDeal();
    for (const [userId, teamId] of [
      [REP2, undefined],
      [MEMBER, undefined],
      [GUEST, undefined],
      [FOREIGN, FOREIGN_TEAM],
    ] as const) {
      const tapped = await tapButton(h, userId, card, ACTION.openProgress, teamId);
      expect(tapped.view?.callback_id).not.toBe(CALLBACK.progressModal);
      expect(readable(tapped.view)).not.toBe('');
    }
    // Even a forged submission of the modal is refused.
    const { view } = await tapButton(h, REP, card, ACTION.openProgress);
    const forged = await submit(h, REP2, view!, progressValues({ content: '横取り' }, teamToday()));
    expect(readable((forged.body as { view: unknown }).view)).toContain('担当営業と営業リーダだけ');
    // A leader may record progress on the rep's deal.
    const leaderTap = await tapButton(h, LEADER, card, ACTION.openProgress);
    expect(leaderTap.view?.callback_id).toBe(CALLBACK.progressModal);
    await submit(h, LEADER, leaderTap.view!, progressValues({ content: 'リーダが同行訪問' }, teamToday()));
    await h.settle();
    expect(readable(h.fake.repliesTo(SALES_CHANNEL, card.ts).at(-1))).toContain('リーダが同行訪問');
    expect(h.store.queries.timeline(1).filter((entry) => entry.kind === 'progress')).toHaveLength(1);
  });

  it('lets only leaders advise', async () => {
    await reportedDeal();
    const tapped = await pressStaleButton(h, REP, ACTION.openAdvice, '1');
    expect(readable(tapped.view)).toContain('営業リーダだけ');
    const leaderTap = await pressStaleButton(h, LEADER, ACTION.openAdvice, '1');
    const forged = await submit(h, REP, leaderTap.view!, adviceValues('自分で自分に助言'));
    expect(readable((forged.body as { view: unknown }).view)).toContain('営業リーダだけ');
    await h.settle();
    expect(h.store.queries.getDeal(1)?.adviceGiven).toBe(false);
    expect(h.fake.repliesTo(SALES_CHANNEL, h.fake.messagesIn(SALES_CHANNEL)[0]!.ts)).toHaveLength(0);
  });
});

describe('the 掲示板', () => {
  function reply(card: { ts: string }, user: string, text: string, extra: Record<string, unknown> = {}) {
    const message = h.fake.addUserMessage(SALES_CHANNEL, { user, text, threadTs: card.ts });
    return {
      message,
      event: {
        type: 'message',
        channel: SALES_CHANNEL,
        user,
        text,
        ts: message.ts,
        thread_ts: card.ts,
        channel_type: 'channel',
        ...extra,
      },
    };
  }

  const comments = () => h.store.queries.timeline(1).filter((entry) => entry.kind === 'comment');

  it('keeps each reply once, even when Slack retries or resends it', async () => {
    const card = await reportedDeal();
    const { event } = reply(card, MEMBER, '競合はA社です');
    const first = await h.sender.event({ event, eventId: 'Ev001' });
    const retry = await h.sender.event({ event, eventId: 'Ev001', retryNum: 1, retryReason: 'http_timeout' });
    const resent = await h.sender.event({ event, eventId: 'Ev002' });
    expect([first.status, retry.status, resent.status]).toEqual([200, 200, 200]);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]).toMatchObject({ text: '競合はA社です', authorId: MEMBER });
  });

  it('follows deletions, and ignores bots, other workspaces and other threads', async () => {
    const card = await reportedDeal();
    const kept = reply(card, MEMBER, '見積の前提を確認したい');
    await h.sender.event({ event: kept.event });
    await h.sender.event({
      event: {
        type: 'message',
        subtype: 'message_deleted',
        channel: SALES_CHANNEL,
        hidden: true,
        deleted_ts: kept.message.ts,
        ts: '1800000000.000002',
        previous_message: {
          type: 'message',
          user: MEMBER,
          text: kept.message.text,
          ts: kept.message.ts,
          thread_ts: card.ts,
        },
      },
    });
    await h.sender.event({ event: { ...reply(card, MEMBER, 'bot').event, bot_id: 'B0OTHER', subtype: 'bot_message' } });
    await h.sender.event({ event: { ...reply(card, FOREIGN, '社外から').event, user_team: FOREIGN_TEAM } });
    await h.sender.event({
      event: {
        type: 'message',
        channel: SALES_CHANNEL,
        user: MEMBER,
        text: '無関係',
        ts: '1799999999.000001',
        thread_ts: '1799999998.000001',
      },
    });
    expect(comments()).toHaveLength(1);
    expect(h.store.queries.timeline(1).some((entry) => entry.kind === 'comment_deleted')).toBe(true);
    const details = await tapButton(h, MEMBER, card, ACTION.openDetails);
    expect(readable(details.view)).toContain('削除されたコメント');
    expect(readable(details.view)).not.toContain('見積の前提を確認したい');
  });
});

describe('App Home', () => {
  it('is published when opened, with the person’s tasks and deals', async () => {
    await reportedDeal();
    h.fake.reset();
    await h.sender.event({ event: { type: 'app_home_opened', user: REP2, channel: 'D0REP2', tab: 'home' } });
    await h.settle();
    expect(h.fake.okCallsTo('views.publish').map((call) => call.args.user_id)).toEqual([REP2]);
    expect(readable(h.fake.homeOf(REP2))).toContain('いま対応が必要なタスクはありません');
    expect(readable(h.fake.homeOf(REP))).toContain('あなたの案件 (1)');
    expect(readable(h.fake.homeOf(LEADER))).toContain('助言待ちの案件 (1)');
  });
});
