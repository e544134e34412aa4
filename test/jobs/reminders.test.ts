/**
 * The daily reminders job: every open task past its due date is reminded once a day, by DM, to the
 * person who has to act, with the button that does it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import { remindOverdueTasks } from '../../src/jobs/reminders.js';
import { openStore, type Store } from '../../src/store/index.js';
import { addDays, todayIn } from '../../src/workflow/dates.js';
import { createSystemCommands } from '../../src/workflow/system-commands.js';
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
import { sampleReport } from '../support/samples.js';

const ZONE = 'Asia/Tokyo';
const DAY = 24 * 60 * 60 * 1_000;
/** Monday 8 April 2030, 10:00 in Tokyo: the deal is reported then. */
const REPORTED_AT = new Date('2030-04-08T01:00:00Z');
const REPORTED_ON = '2030-04-08';

let fakeNow = REPORTED_AT;
let h: Harness;

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
  afterEach(async () => {
    await h?.close();
  });

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
    await expect(job?.run(later(9))).resolves.toEqual({ woken: 0, chased: 1, reminded: 0 });
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

    // Only once the new task is past its own due date is the rep reminded of it (Tuesday 30 April, after
    // the weekend and 昭和の日, when no reminders go out).
    fakeNow = later(22);
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
      expect(readable(reminders[0])).toContain('助言の依頼 (2030/04/08 10:00) から時間が経っています');
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

describe('every overdue task is reminded', () => {
  const JOB_DAY = new Date('2030-04-08T01:00:00Z');
  let store: Store;

  afterEach(() => store.close());

  /** `count` deals of `REP`, each with an open progress task overdue since a different day. */
  function overdueTasks(count: number): number[] {
    const taskIds: number[] = [];
    store.deals.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        const deal = store.deals.insertDeal({
          ...sampleReport({ ownerId: REP }),
          status: 'negotiating',
          reporterId: REP,
          externalId: null,
          createdAt: '2030-01-01T00:00:00.000Z',
          reportedAt: '2030-01-01T00:00:00.000Z',
        });
        const dueOn = addDays('2030-03-01', i % 30);
        taskIds.push(
          store.deals.openTask({ dealId: deal.id, kind: 'progress', assigneeId: REP, dueOn, createdAt: dueOn }).id,
        );
      }
    });
    return taskIds;
  }

  /** The task ids of the reminders in the outbox, in the order they were queued. */
  function remindedTaskIds(): number[] {
    const rows = store.db.prepare(`SELECT payload FROM outbox WHERE kind = 'send_reminder' ORDER BY id`).all() as {
      payload: string;
    }[];
    return rows.map((row) => (JSON.parse(row.payload) as { taskId: number }).taskId);
  }

  function jobDeps(log: string[] = []) {
    const system = createSystemCommands({
      repo: store.deals,
      roles: { workspaceTeamId: 'T0ANKEN', leaderIds: [LEADER, LEADER2], adminIds: [LEADER] },
      timeZone: ZONE,
      now: () => JOB_DAY,
      onEffects: () => {
        log.push('commit');
        setImmediate(() => log.push('turn'));
      },
    });
    return { system, timeZone: ZONE };
  }

  it('reminds each one once a day, however many there are: none waits behind the oldest', async () => {
    store = openStore(':memory:');
    // More than a day's worth used to be (the 500 oldest due, every day).
    const taskIds = overdueTasks(620);

    await expect(remindOverdueTasks(jobDeps(), JOB_DAY)).resolves.toEqual({ reminded: 620 });
    expect(remindedTaskIds().sort((a, b) => a - b)).toEqual(taskIds);

    // The next day, each is reminded once more.
    await expect(remindOverdueTasks(jobDeps(), new Date(JOB_DAY.getTime() + DAY))).resolves.toEqual({ reminded: 620 });
    const counts = new Map<number, number>();
    for (const id of remindedTaskIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...new Set(counts.values())]).toEqual([2]);
  });

  it('reminds in batches, one transaction each, letting other work run in between', async () => {
    store = openStore(':memory:');
    overdueTasks(7);
    const log: string[] = [];

    await expect(remindOverdueTasks({ ...jobDeps(log), batchSize: 3 }, JOB_DAY)).resolves.toEqual({ reminded: 7 });
    expect(log).toEqual(['commit', 'turn', 'commit', 'turn', 'commit']);
  });

  it('starts with the tasks least recently reminded, so a run cut short is made up by the next', async () => {
    store = openStore(':memory:');
    const taskIds = overdueTasks(5);
    const yesterday = new Date(JOB_DAY.getTime() - DAY);
    const system = jobDeps().system;
    // Yesterday's run reached only the first two before it stopped.
    system.remindOverdueTasks(todayIn(ZONE, yesterday), 2);
    const yesterdays = remindedTaskIds();
    expect(yesterdays).toHaveLength(2);

    // Today the three it missed come first.
    system.remindOverdueTasks(todayIn(ZONE, JOB_DAY), 3);
    const todays = remindedTaskIds().slice(2);
    expect(todays.sort((a, b) => a - b)).toEqual(taskIds.filter((id) => !yesterdays.includes(id)));
  });
});
