/**
 * 保留 (snooze) through Slack: the owner or a leader snoozes a 商談中 deal with a date and a reason from
 * the reminder DM, the card's ⋯ menu or 詳細; the thread says so; nobody is reminded until the date;
 * on the date the owner gets one DM (caught up after downtime) and the deal is live again; 解除 and any
 * entry end it early; bad input is refused inline and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, inputActionId, SNOOZE_BLOCK } from '../../src/ids.js';
import { menuValue } from '../../src/views/deal-card.js';
import type { FakeMessage, FakeView } from '../support/fake-slack.js';
import {
  findButton,
  hasButton,
  pressStaleButton,
  progressValues,
  readable,
  reportAndAdvise,
  submit,
  tapButton,
} from '../support/flows.js';
import { type Harness, LEADER, MEMBER, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

/** Monday 2030-04-08 10:00 in Tokyo. */
const MONDAY = '2030-04-08T01:00:00Z';
const REASON = '先方の予算確定待ち';
let h: Harness;

afterEach(async () => {
  await h?.close();
});

function snoozeValues(until: string | null, reason: string | null) {
  return {
    [SNOOZE_BLOCK.until]: { [inputActionId(SNOOZE_BLOCK.until)]: { type: 'datepicker', selected_date: until } },
    [SNOOZE_BLOCK.reason]: { [inputActionId(SNOOZE_BLOCK.reason)]: { type: 'plain_text_input', value: reason } },
  };
}

/** Runs the daily job at 10:00 in Tokyo on `date`; returns the DMs the rep and a leader got from it. */
async function chaseOn(date: string) {
  h.clock.set(`${date}T01:00:00Z`);
  const before = { rep: h.fake.dmMessagesTo(REP).length, leader: h.fake.dmMessagesTo(LEADER).length };
  await h.runJob('reminders');
  return { rep: h.fake.dmMessagesTo(REP).slice(before.rep), leader: h.fake.dmMessagesTo(LEADER).slice(before.leader) };
}

async function leaderHome(): Promise<FakeView> {
  await h.sender.event({ event: { type: 'app_home_opened', user: LEADER, channel: 'D0HOME', tab: 'home' } });
  await h.settle();
  return h.fake.homeOf(LEADER)!;
}

const card = (): FakeMessage => h.fake.messagesIn(SALES_CHANNEL)[0]!;
const threadText = () => h.fake.repliesTo(SALES_CHANNEL, card().ts).map(readable).join('\n');
const snoozeOf = (dealId: number) => h.store.deals.followUp(dealId).snoozedUntil;

function tapInModal(userId: string, view: FakeView, actionId: string) {
  return h.sender.blockAction({
    userId,
    actionId,
    value: findButton(view.blocks, actionId).value,
    triggerId: h.fake.issueTriggerId({ userId, viewId: view.id }),
    container: { type: 'view', view_id: view.id },
    view,
  });
}

/** The view the last views.push put on top. */
function lastPushed(): FakeView {
  const pushed = h.fake.okCallsTo('views.push').at(-1)?.response as { view: { id: string } } | undefined;
  const view = pushed && h.fake.viewById(pushed.view.id);
  if (!view) throw new Error('nothing was pushed');
  return view;
}

describe('snoozing a deal', () => {
  it('from the reminder DM: the thread says until when and why, no reminders until the date, then one DM and the deal is live again', async () => {
    h = await startHarness({ now: () => new Date(MONDAY) });
    const dealId = await reportAndAdvise(h, REP, LEADER);

    // Tuesday 16 April the progress task (due 15 April) is overdue: the rep's reminder offers 保留にする.
    const reminded = await chaseOn('2030-04-16');
    expect(reminded.rep).toHaveLength(1);
    const opened = await tapButton(h, REP, reminded.rep[0]!, ACTION.openSnooze);
    expect(opened.view?.callback_id).toBe(CALLBACK.snoozeModal);
    expect(readable(opened.view)).toContain('90 日先 (2030/07/15) まで');
    const done = await submit(h, REP, opened.view!, snoozeValues('2030-05-20', REASON));
    expect(readable((done.body as { view?: unknown }).view)).toContain('2030/05/20 まで保留にしました');
    await h.settle();

    expect(threadText()).toContain(`2030/05/20 まで保留にしました*\n理由: ${REASON}`);
    expect(readable(card())).toContain('⏸ 2030/05/20 まで保留');
    const home = await leaderHome();
    let text = readable(home);
    expect(text).toContain('保留中の案件 (1)');
    expect(text).toContain(`2030/05/20 まで ・ ${REASON}`);
    expect(text).toContain('止まっている案件 (0)');
    expect(home.blocks.length).toBeLessThanOrEqual(100);

    // Nobody is reminded while it is snoozed: neither of the stall nor of the overdue task.
    for (const day of ['2030-04-17', '2030-05-17']) {
      expect(await chaseOn(day)).toEqual({ rep: [], leader: [] });
    }

    // The bot is down over Monday 20 May; on Tuesday the missed run is caught up: one DM, snooze over.
    await h.restart();
    h.clock.set('2030-05-21T01:30:00Z');
    const before = h.fake.dmMessagesTo(REP).length;
    expect(await h.anken.catchUpMissedJobs()).toEqual(['reminders']);
    await h.settle();
    const woken = h.fake.dmMessagesTo(REP).slice(before);
    expect(woken).toHaveLength(1);
    expect(readable(woken[0])).toContain('保留の期限になりました');
    expect(readable(woken[0])).toContain(`2030/05/20 まで保留 ・ 理由: ${REASON}`);
    expect(findButton(woken[0]!.blocks, ACTION.openProgress).value).toBe(String(dealId));
    expect(snoozeOf(dealId)).toBeNull();
    expect(readable(card())).not.toContain('まで保留');
    text = readable(await leaderHome());
    expect(text).not.toContain('保留中の案件');
    expect(text).toContain('止まっている案件 (1)');

    // At most once: the same day again sends nothing; the next business day the chase resumes.
    expect(await chaseOn('2030-05-21')).toEqual({ rep: [], leader: [] });
    const next = await chaseOn('2030-05-22');
    expect(next.rep).toHaveLength(1);
    expect(readable(next.rep[0])).toContain('進捗の記録をお願いします');
  });

  it('from the card menu and 詳細: a leader sees it, changes it, ends it (解除); an entry ends a snooze too', async () => {
    h = await startHarness({ now: () => new Date(MONDAY) });
    const dealId = await reportAndAdvise(h, REP, LEADER);

    // The rep snoozes from the card's ⋯ menu.
    const menu = await h.sender.blockAction({
      userId: REP,
      actionId: ACTION.cardMenu,
      value: '',
      action: {
        selected_option: {
          text: { type: 'plain_text', text: '保留にする' },
          value: menuValue(ACTION.openSnooze, dealId),
        },
      },
      triggerId: h.fake.issueTriggerId({ userId: REP }),
      message: card(),
    });
    expect(menu.status).toBe(200);
    const modal = h.fake.openViews.at(-1)!;
    expect(modal.callback_id).toBe(CALLBACK.snoozeModal);
    await submit(h, REP, modal, snoozeValues('2030-04-30', REASON));
    await h.settle();
    expect(snoozeOf(dealId)).toBe('2030-04-30');

    // A leader's 詳細 shows the snooze with 保留を変更, 保留を解除 and 担当を変更; a member's shows no buttons.
    const details = (await pressStaleButton(h, LEADER, ACTION.openDetails, String(dealId))).view!;
    expect(readable(details)).toContain(`⏸ 2030/04/30 まで保留中 ・ ${REASON}`);
    for (const action of [ACTION.openSnooze, ACTION.endSnooze, ACTION.openReassign]) {
      expect(hasButton(details.blocks, action)).toBe(true);
    }
    const memberDetails = (await pressStaleButton(h, MEMBER, ACTION.openDetails, String(dealId))).view!;
    expect(hasButton(memberDetails.blocks, ACTION.openSnooze)).toBe(false);

    // 保留を変更 opens on top of 詳細, prefilled.
    await tapInModal(LEADER, details, ACTION.openSnooze);
    const change = lastPushed();
    expect(change.callback_id).toBe(CALLBACK.snoozeModal);
    expect(JSON.stringify(change.blocks)).toContain('"initial_date":"2030-04-30"');
    await submit(h, LEADER, change, snoozeValues('2030-05-10', '決裁会議の日程待ち'));
    await h.settle();
    expect(snoozeOf(dealId)).toBe('2030-05-10');
    expect(threadText()).toContain('2030/05/10 まで保留にしました*\n理由: 決裁会議の日程待ち');

    // 解除 from 詳細: live again at once; the thread hears who ended it. 担当を変更 opens on top too.
    const fresh = (await pressStaleButton(h, LEADER, ACTION.openDetails, String(dealId))).view!;
    await tapInModal(LEADER, fresh, ACTION.endSnooze);
    await h.settle();
    expect(readable(lastPushed())).toContain('保留を解除しました');
    expect(snoozeOf(dealId)).toBeNull();
    expect(threadText()).toContain(`保留を解除しました (<@${LEADER}>)`);
    expect(readable(card())).not.toContain('まで保留');
    await tapInModal(LEADER, fresh, ACTION.openReassign);
    expect(lastPushed().callback_id).toBe(CALLBACK.reassignModal);

    // Snoozed again, then any entry ends it.
    const again = await pressStaleButton(h, REP, ACTION.openSnooze, String(dealId));
    await submit(h, REP, again.view!, snoozeValues('2030-05-10', REASON));
    const progress = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
    await submit(
      h,
      REP,
      progress.view!,
      progressValues({ status: 'negotiating', content: '予算の見通しを確認' }, '2030-04-08'),
    );
    await h.settle();
    expect(snoozeOf(dealId)).toBeNull();
    expect(readable(await leaderHome())).not.toContain('保留中の案件');
  });

  it('refuses bad input inline and stores nothing', async () => {
    h = await startHarness({ now: () => new Date(MONDAY) });
    const dealId = await reportAndAdvise(h, REP, LEADER);
    const replies = h.fake.repliesTo(SALES_CHANNEL, card().ts).length;
    const view = (await pressStaleButton(h, REP, ACTION.openSnooze, String(dealId))).view!;

    const errorsOf = async (userId: string, values: ReturnType<typeof snoozeValues>) =>
      ((await submit(h, userId, view, values)).body as { errors?: Record<string, string> }).errors;
    expect(await errorsOf(REP, snoozeValues('2030-04-08', REASON))).toEqual({
      [SNOOZE_BLOCK.until]: '明日以降の日付を選んでください。',
    });
    expect(await errorsOf(REP, snoozeValues('2030-07-08', REASON))).toEqual({
      [SNOOZE_BLOCK.until]: '保留できるのは 90 日先 (2030/07/07) までです。',
    });
    expect(await errorsOf(REP, snoozeValues('2030-05-20', '   '))).toEqual({
      [SNOOZE_BLOCK.reason]: '保留の理由を入力してください。',
    });
    expect(await errorsOf(REP, snoozeValues('2030-05-20', 'あ'.repeat(201)))).toEqual({
      [SNOOZE_BLOCK.reason]: '保留の理由は200文字以内にしてください (いま201文字)。',
    });
    expect(await errorsOf(MEMBER, snoozeValues('2030-05-20', REASON))).toEqual({
      [SNOOZE_BLOCK.until]: '保留にできるのは担当営業と営業リーダだけです。',
    });
    // A member cannot even open it.
    expect(readable((await pressStaleButton(h, MEMBER, ACTION.openSnooze, String(dealId))).view)).toContain(
      '担当営業と営業リーダだけ',
    );

    // Won meanwhile: the modal still open is refused beside the date.
    const progress = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
    await submit(h, REP, progress.view!, progressValues({ status: 'won', content: '受注しました' }, '2030-04-08'));
    await h.settle();
    const repliesAfterWin = h.fake.repliesTo(SALES_CHANNEL, card().ts).length;
    expect(await errorsOf(REP, snoozeValues('2030-05-20', REASON))).toEqual({
      [SNOOZE_BLOCK.until]: 'この案件は商談中ではありません。',
    });
    await h.settle();

    expect(snoozeOf(dealId)).toBeNull();
    expect(h.store.queries.timeline(dealId).some((entry) => entry.kind === 'snoozed')).toBe(false);
    expect(repliesAfterWin - replies).toBe(1);
    expect(h.fake.repliesTo(SALES_CHANNEL, card().ts)).toHaveLength(repliesAfterWin);
  });
});
