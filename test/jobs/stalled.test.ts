/**
 * Stalled work is chased on business days: one reminder a day per deal to whoever must act, never on a
 * weekend or holiday, never twice a day even across a restart, and the leaders are told once after
 * ESCALATE_AFTER reminders. The clock is moved by the test; the job is run on demand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import {
  findButton,
  type ProgressInput,
  pressStaleButton,
  progressValues,
  readable,
  reportAndAdvise,
  reportValues,
  runCommand,
  submit,
  tapButton,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, REP, startHarness } from '../support/harness.js';

/** Monday 2030-04-08 10:00 in Tokyo. */
const MONDAY = '2030-04-08T01:00:00Z';
let h: Harness;

afterEach(async () => {
  await h?.close();
});

/** 10:00 in Tokyo on `date`. */
function tenOClock(date: string): string {
  return `${date}T01:00:00Z`;
}

async function recordProgress(dealId: number, input: ProgressInput): Promise<void> {
  const { view } = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
  await submit(h, REP, view!, progressValues(input, h.clock.now().toISOString().slice(0, 10)));
  await h.settle();
}

/** Runs the daily chase at 10:00 on `date`; returns the DMs each person got from it. */
async function chaseOn(date: string) {
  h.clock.set(tenOClock(date));
  const before = Object.fromEntries([REP, LEADER, LEADER2].map((u) => [u, h.fake.dmMessagesTo(u).length]));
  await h.runJob('reminders');
  const sent = (user: string) => h.fake.dmMessagesTo(user).slice(before[user]);
  return { rep: sent(REP), leader: sent(LEADER), leader2: sent(LEADER2) };
}

describe('chasing stalled work', () => {
  it('reminds the owner of a deal with no entry for STALE_DAYS business days, once a day, and escalates once', async () => {
    h = await startHarness({ now: () => new Date(MONDAY), env: { ESCALATE_AFTER: '2' } });
    const dealId = await reportAndAdvise(h, REP, LEADER);
    // An entry on Monday 8 April with a far 期日: only the missing entries can stall it.
    await recordProgress(dealId, { status: 'negotiating', content: '初回訪問', nextActionDue: '2030-06-28' });

    // Friday 19 April is the 9th business day after: not yet stalled.
    expect(await chaseOn('2030-04-19')).toEqual({ rep: [], leader: [], leader2: [] });

    // Monday 22 April, the 10th: the rep gets one reminder with the button to record.
    let sent = await chaseOn('2030-04-22');
    expect(sent.rep).toHaveLength(1);
    expect(sent.leader).toEqual([]);
    const text = readable(sent.rep[0]);
    expect(text).toContain('進捗の記録をお願いします');
    expect(text).toContain('最後の記録 (2030/04/08');
    const tapped = await tapButton(h, REP, sent.rep[0]!, ACTION.openProgress);
    expect(tapped.view?.callback_id).toBe(CALLBACK.progressModal);

    // The same day again, and again after a restart: nothing more.
    expect((await chaseOn('2030-04-22')).rep).toEqual([]);
    await h.restart();
    expect((await chaseOn('2030-04-22')).rep).toEqual([]);

    // The next day: the second reminder, and the leaders are told once (ESCALATE_AFTER=2).
    sent = await chaseOn('2030-04-23');
    expect(sent.rep).toHaveLength(1);
    for (const dms of [sent.leader, sent.leader2]) {
      expect(dms).toHaveLength(1);
      const escalation = readable(dms[0]);
      expect(escalation).toContain('止まったままの案件があります');
      expect(escalation).toContain('<@U0REP01>');
      expect(escalation).toContain('リマインド 2 回');
      expect(findButton(dms[0]!.blocks, ACTION.nudgeOwner).value).toBe(String(dealId));
      expect(findButton(dms[0]!.blocks, ACTION.openDetails).value).toBe(String(dealId));
    }
    sent = await chaseOn('2030-04-24');
    expect(sent.rep).toHaveLength(1);
    expect(sent.leader).toEqual([]);

    // Saturday, and Monday 29 April (昭和の日): no reminders at all.
    expect(await chaseOn('2030-04-27')).toEqual({ rep: [], leader: [], leader2: [] });
    expect(await chaseOn('2030-04-29')).toEqual({ rep: [], leader: [], leader2: [] });

    // An entry moves the deal: no more reminders, and the count starts again.
    h.clock.set(tenOClock('2030-04-30'));
    await recordProgress(dealId, { status: 'negotiating', content: '見積提出', nextActionDue: '2030-06-28' });
    expect((await chaseOn('2030-05-01')).rep).toEqual([]);
    expect(h.store.deals.followUp(dealId)).toMatchObject({ chaseCount: 0, escalatedOn: null });
  });

  it('asks the leaders, not the owner, when advice has waited ADVICE_STALE_HOURS business hours', async () => {
    h = await startHarness({ now: () => new Date(MONDAY), env: { ADVICE_STALE_HOURS: '8' } });
    const { view } = await runCommand(h, REP);
    await submit(h, REP, view!, reportValues({ customer: '株式会社サンプル' }, REP));
    await h.settle();

    // Monday 17:00: 7 business hours. Tuesday 10:00: 24 hours, past 8.
    h.clock.set('2030-04-08T08:00:00Z');
    await h.runJob('reminders');
    const early = h.fake.dmMessagesTo(LEADER).filter((m) => readable(m).includes('⏰'));
    expect(early).toEqual([]);
    const sent = await chaseOn('2030-04-09');
    expect(sent.rep).toEqual([]);
    for (const dms of [sent.leader, sent.leader2]) {
      expect(dms).toHaveLength(1);
      expect(readable(dms[0])).toContain('助言・戦略の指示をお願いします');
      expect(findButton(dms[0]!.blocks, ACTION.openAdvice)).toBeTruthy();
    }
  });
});
