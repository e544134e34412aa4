/**
 * The daily reminders job: every open task past its due date is reminded once a day, by DM, to the
 * person who has to act, with the button that does it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import { addDays, todayIn } from '../../src/workflow/dates.js';
import type { FakeMessage } from '../support/fake-slack.js';
import {
  adviceValues,
  findButton,
  hasButton,
  type ProgressInput,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  tapButton,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, REP, startHarness } from '../support/harness.js';

const ZONE = 'Asia/Tokyo';
const DAY = 24 * 60 * 60 * 1_000;
/** Monday 8 April 2030, 10:00 in Tokyo: the deal is reported then. */
const REPORTED_AT = new Date('2030-04-08T01:00:00Z');
const REPORTED_ON = '2030-04-08';

let fakeNow = REPORTED_AT;
let h: Harness;

afterEach(async () => {
  await h?.close();
});

async function startAt(now: Date): Promise<void> {
  fakeNow = now;
  h = await startHarness({ now: () => fakeNow });
}

function later(days: number, hours = 0): Date {
  return new Date(REPORTED_AT.getTime() + days * DAY + hours * 60 * 60 * 1_000);
}

async function runReminders(): Promise<void> {
  const job = h.anken.jobs.find((candidate) => candidate.name === 'reminders');
  if (!job) throw new Error('no reminders job');
  await job.run(fakeNow);
  await h.settle();
}

async function reportDeal(): Promise<number> {
  const { view } = await runCommand(h, REP);
  if (!view) throw new Error('report modal did not open');
  const response = await submit(
    h,
    REP,
    view,
    reportValues({ customer: '株式会社サンプル', title: '基幹システム更改' }, REP),
  );
  await h.settle();
  const id = /案件 #(\d+)/.exec(readable((response.body as { view?: unknown }).view))?.[1];
  if (!id) throw new Error('the report was not accepted');
  return Number(id);
}

async function advise(leader: string, dealId: number): Promise<void> {
  const { view } = await pressStaleButton(h, leader, ACTION.openAdvice, String(dealId));
  if (!view) throw new Error('advice modal did not open');
  await submit(h, leader, view, adviceValues('決裁者に早めに会いましょう'));
  await h.settle();
}

async function recordProgress(dealId: number, input: ProgressInput): Promise<void> {
  const { view } = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
  if (!view) throw new Error('progress modal did not open');
  await submit(h, REP, view, progressValues(input, todayIn(ZONE, fakeNow)));
  await h.settle();
}

/** How many DM messages each person has, to compare before and after a run. */
function dmCounts(): Record<string, number> {
  return Object.fromEntries([REP, LEADER, LEADER2].map((user) => [user, h.fake.dmMessagesTo(user).length]));
}

function newDms(user: string, before: Record<string, number>): FakeMessage[] {
  return h.fake.dmMessagesTo(user).slice(before[user] ?? 0);
}

describe('reminders of overdue tasks', () => {
  it('reminds the rep of an overdue progress task once a day, with the button to record progress', async () => {
    await startAt(REPORTED_AT);
    const dealId = await reportDeal();
    await advise(LEADER, dealId);
    // The progress task falls due 7 days after the report.
    expect(h.store.queries.latestTask(dealId, 'progress')).toMatchObject({
      state: 'open',
      dueOn: addDays(REPORTED_ON, 7),
    });

    // On its due date it is not overdue yet.
    fakeNow = later(7);
    let before = dmCounts();
    await runReminders();
    expect(dmCounts()).toEqual(before);

    // The day after, the rep gets one reminder; the leaders, whose advice is done, get none.
    fakeNow = later(8);
    before = dmCounts();
    await runReminders();
    const [reminder, ...more] = newDms(REP, before);
    expect(more).toEqual([]);
    expect(newDms(LEADER, before)).toEqual([]);
    expect(newDms(LEADER2, before)).toEqual([]);
    const text = readable(reminder);
    expect(text).toContain('進捗の記録をお願いします');
    expect(text).toContain('株式会社サンプル');
    expect(text).toContain('期日 2030/04/15 を過ぎています');
    expect(findButton(reminder!.blocks, ACTION.openProgress).value).toBe(String(dealId));
    expect(hasButton(reminder!.blocks, ACTION.openAdvice)).toBe(false);
    // The button opens the progress form of that deal.
    const tapped = await tapButton(h, REP, reminder!, ACTION.openProgress);
    expect(tapped.view?.callback_id).toBe(CALLBACK.progressModal);

    // Running again the same day (the job may run more than once) sends nothing more.
    fakeNow = later(8, 6);
    before = dmCounts();
    await runReminders();
    expect(dmCounts()).toEqual(before);

    // The next day it reminds again.
    fakeNow = later(9);
    before = dmCounts();
    await runReminders();
    expect(newDms(REP, before)).toHaveLength(1);
    expect(readable(newDms(REP, before)[0])).toContain('進捗の記録をお願いします');
    expect(newDms(LEADER, before)).toEqual([]);
  });

  it('reminds by the day the job is run for, a function of the time it is given', async () => {
    await startAt(REPORTED_AT);
    const dealId = await reportDeal();
    await advise(LEADER, dealId);

    // The bot's own clock still reads the report day; the job is run for nine days later.
    const before = dmCounts();
    const job = h.anken.jobs.find((candidate) => candidate.name === 'reminders');
    await expect(job?.run(later(9))).resolves.toEqual({ reminded: 1 });
    await h.settle();
    expect(newDms(REP, before)).toHaveLength(1);
    expect(readable(newDms(REP, before)[0])).toContain('期日 2030/04/15 を過ぎています');
  });

  it('does not remind a task that is done', async () => {
    await startAt(REPORTED_AT);
    const dealId = await reportDeal();
    await advise(LEADER2, dealId);

    // Eight days on, the rep records 商談中 before the job runs: that task is done, the next is due later.
    fakeNow = later(8);
    await recordProgress(dealId, {
      status: 'negotiating',
      content: '見積書を提出。',
      nextAction: '回答の確認',
      nextActionDue: '2030-04-26',
    });
    expect(h.store.queries.latestTask(dealId, 'progress')).toMatchObject({ state: 'open', dueOn: '2030-04-26' });
    let before = dmCounts();
    await runReminders();
    expect(dmCounts()).toEqual(before);

    // Only once the new task is past its own due date is the rep reminded of it.
    fakeNow = later(19);
    before = dmCounts();
    await runReminders();
    expect(newDms(REP, before)).toHaveLength(1);
    expect(readable(newDms(REP, before)[0])).toContain('期日 2030/04/26 を過ぎています');

    // A won deal has no open task: nobody is reminded, however late.
    await recordProgress(dealId, { status: 'won', content: '正式発注をいただきました。' });
    fakeNow = later(40);
    before = dmCounts();
    await runReminders();
    expect(dmCounts()).toEqual(before);
  });

  it('reminds every leader of overdue advice, until one of them gives it', async () => {
    await startAt(REPORTED_AT);
    const dealId = await reportDeal();
    // Advice falls due 2 days after the report; progress only after 7.
    expect(h.store.queries.latestTask(dealId, 'advice')).toMatchObject({
      state: 'open',
      dueOn: addDays(REPORTED_ON, 2),
    });

    fakeNow = later(3);
    let before = dmCounts();
    await runReminders();
    for (const leader of [LEADER, LEADER2]) {
      const reminders = newDms(leader, before);
      expect(reminders, `${leader} should be reminded once`).toHaveLength(1);
      expect(readable(reminders[0])).toContain('助言・戦略の指示をお願いします');
      expect(readable(reminders[0])).toContain('期日 2030/04/10 を過ぎています');
      expect(findButton(reminders[0]!.blocks, ACTION.openAdvice).value).toBe(String(dealId));
    }
    expect(newDms(REP, before)).toEqual([]);
    const tapped = await tapButton(h, LEADER2, newDms(LEADER2, before)[0]!, ACTION.openAdvice);
    expect(tapped.view?.callback_id).toBe(CALLBACK.adviceModal);

    // One leader answers; the next day no leader is reminded any more.
    await advise(LEADER, dealId);
    fakeNow = later(4);
    before = dmCounts();
    await runReminders();
    expect(dmCounts()).toEqual(before);
  });
});
