/**
 * The leaders' App Home shows the pipeline: steps with counts and amounts, this month, each rep, and
 * the stalled deals oldest first with 詳細 and 催促する. Reps see their own stalled deals first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import {
  adviceValues,
  findButton,
  hasButton,
  pressStaleButton,
  readable,
  reportValues,
  runCommand,
  submit,
  tapHomeButton,
} from '../support/flows.js';
import { type Harness, LEADER, MEMBER, REP, REP2, startHarness } from '../support/harness.js';

/** Monday 2030-04-08 10:00 in Tokyo. */
const MONDAY = '2030-04-08T01:00:00Z';
let h: Harness;

afterEach(async () => {
  await h?.close();
});

async function reportAs(userId: string, customer: string, amount: string): Promise<number> {
  const { view } = await runCommand(h, userId);
  const response = await submit(
    h,
    userId,
    view!,
    reportValues({ customer, title: '基幹システム更改', amount }, userId),
  );
  await h.settle();
  return Number(/案件 #(\d+)/.exec(readable((response.body as { view?: unknown }).view))?.[1]);
}

async function advise(dealId: number): Promise<void> {
  const { view } = await pressStaleButton(h, LEADER, ACTION.openAdvice, String(dealId));
  await submit(h, LEADER, view!, adviceValues('決裁者に早めに会いましょう'));
  await h.settle();
}

async function homeOf(userId: string) {
  await h.sender.event({ event: { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' } });
  await h.settle();
  const home = h.fake.homeOf(userId);
  if (!home) throw new Error(`no home for ${userId}`);
  return home;
}

describe("the leaders' pipeline", () => {
  it('shows each step with counts and amounts, this month, each rep, and the stalled deals oldest first', async () => {
    h = await startHarness({ now: () => new Date(MONDAY) });
    const first = await reportAs(REP, '株式会社いちばん', '1200万');
    h.clock.set('2030-04-08T03:00:00Z');
    const second = await reportAs(REP2, '株式会社にばん', '800万');

    let text = readable(await homeOf(LEADER));
    expect(text).toContain('パイプライン');
    expect(text).toMatch(/助言待ち\*\n2 件 ・ 2,000万円/);
    expect(text).toMatch(/商談中 \(期日内\)\*\n2 件 ・ 2,000万円/);
    expect(text).toContain('止まっている案件 (0)');

    // Tuesday 11:00: 24 business hours have passed for the first deal's advice only.
    h.clock.set('2030-04-09T02:00:00Z');
    text = readable(await homeOf(LEADER));
    expect(text).toContain('止まっている案件 (1)');
    expect(text).toContain('株式会社いちばん / 基幹システム更改*\n<@U0REP01> ・ 助言待ち');

    // Advice given; Tuesday 16 April (after Monday's due date of the progress task): the first is overdue.
    await advise(first);
    h.clock.set('2030-04-16T01:00:00Z');
    const home = await homeOf(LEADER);
    text = readable(home);
    expect(text).toMatch(/商談中 \(期日超過\)\*\n2 件 ・ 2,000万円/);
    expect(text).toContain('止まっている案件 (2)');
    // Oldest first: the second deal's advice has waited since 8 April 12:00, the first's due date was 15 April.
    expect(text.indexOf('株式会社にばん')).toBeLessThan(
      text.indexOf('株式会社いちばん / 基幹システム更改*\n<@U0REP01> ・ 期日超過'),
    );
    expect(text).toContain('期日超過 (期日 2030/04/15) ・ 1 営業日');
    expect(text).toContain('<@U0REP01> 進行中 1 件 ・ 期限超過 1 件 ・ 最終記録 8 日前');
    expect(text).toMatch(/今月: 受注 0 件 \(0円\) ・ 失注 0 件/);
    expect(findButton(home.blocks, ACTION.nudgeOwner).value).toBe(String(second));
    expect(home.blocks.length).toBeLessThanOrEqual(100);

    // 詳細 from the pipeline opens the deal.
    const details = await tapHomeButton(h, LEADER, ACTION.openDetails, String(first));
    expect(details.view?.callback_id).toBe(CALLBACK.detailsModal);

    // The rep sees their own stalled deal first, with the button to record progress; not the pipeline.
    const repHome = await homeOf(REP);
    const repText = readable(repHome);
    expect(repText).not.toContain('担当者別');
    expect(repText.indexOf('止まっているあなたの案件 (1)')).toBeGreaterThan(-1);
    expect(repText.indexOf('止まっているあなたの案件 (1)')).toBeLessThan(repText.indexOf('あなたのタスク'));
    expect(findButton(repHome.blocks, ACTION.openProgress).value).toBe(String(first));
    expect(hasButton(repHome.blocks, ACTION.nudgeOwner)).toBe(false);
    // REP2's deal is stalled on the leaders' advice, not on REP2.
    expect(readable(await homeOf(REP2))).not.toContain('止まっているあなたの案件');
  });

  it('催促する sends the owner a DM with the button to act, once a leader taps it; others are refused', async () => {
    h = await startHarness({ now: () => new Date(MONDAY) });
    const dealId = await reportAs(REP, '株式会社いちばん', '1200万');
    h.clock.set('2030-04-16T01:00:00Z');
    await homeOf(LEADER);

    const before = h.fake.dmMessagesTo(REP).length;
    const tapped = await tapHomeButton(h, LEADER, ACTION.nudgeOwner, String(dealId));
    await h.settle();
    expect(readable(tapped.view)).toContain('催促しました');
    const [nudge, ...more] = h.fake.dmMessagesTo(REP).slice(before);
    expect(more).toEqual([]);
    const nudgeText = readable(nudge);
    expect(nudgeText).toContain('進捗の記録をお願いします');
    expect(nudgeText).toContain('<@U0LEAD1> さんから催促がありました');
    expect(nudgeText).toContain('次のアクションの期日 2030/04/15 を過ぎています');
    expect(findButton(nudge!.blocks, ACTION.openProgress).value).toBe(String(dealId));

    const refused = await tapHomeButton(h, MEMBER, ACTION.nudgeOwner, String(dealId));
    await h.settle();
    expect(readable(refused.view)).toContain('営業リーダだけ');
    expect(h.fake.dmMessagesTo(REP).slice(before)).toHaveLength(1);
  });
});
