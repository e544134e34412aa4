import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import {
  createDealProcess,
  DEFAULT_PROGRESS_INTERVAL_DAYS,
  type DealProcess,
} from '../../src/workflow/deal-process.js';
import { DomainError, type DomainErrorCode } from '../../src/workflow/errors.js';
import { assertAllowed, type DealAction, maySeeLossReason } from '../../src/workflow/permissions.js';
import { API_REPORTER, createSystemCommands, type SystemCommands } from '../../src/workflow/system-commands.js';
import type { Actor, Deal, DealReport, Effect, ProgressEntry, Roles } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

const TEAM = 'T0ANKEN';
const REP = 'U0REP01';
const REP2 = 'U0REP02';
const LEADER = 'U0LEAD1';
const LEADER2 = 'U0LEAD2';
const ADMIN = 'U0ADMIN';
const MEMBER = 'U0MEMB1';
const CHANNEL = 'C0SALES';

const roles: Roles = { workspaceTeamId: TEAM, leaderIds: [LEADER, LEADER2], adminIds: [ADMIN] };

/** 2026-04-01 01:00 in Tokyo, still 2026-03-31 in UTC: dates must follow the team's time zone. */
const NOW = new Date('2026-03-31T16:00:00.000Z');
const TODAY = '2026-04-01';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

function actor(userId: string, overrides: Partial<Actor> = {}): Actor {
  return { userId, teamId: TEAM, isBot: false, isGuest: false, ...overrides };
}

function report(overrides: Partial<DealReport> = {}): DealReport {
  return sampleReport({ ownerId: REP, ...overrides });
}

function entry(overrides: Partial<ProgressEntry> = {}): ProgressEntry {
  return sampleProgress({ activityDate: TODAY, nextActionDue: '2026-04-10', ...overrides });
}

let store: Store;
let process: DealProcess;
let system: SystemCommands;
let clock: Date;
let committed: number;
let keys: number;

beforeEach(() => {
  store = openStore(':memory:');
  clock = NOW;
  committed = 0;
  keys = 0;
  const deps = {
    repo: store.deals,
    roles,
    timeZone: 'Asia/Tokyo',
    now: () => clock,
    onEffects: () => {
      committed += 1;
    },
  };
  process = createDealProcess(deps);
  system = createSystemCommands(deps);
});

afterEach(() => {
  store.close();
});

const key = () => `V${++keys}`;

/** What the dispatcher would do: deliver (here: mark done) everything pending. */
function deliverAll(): void {
  for (;;) {
    const due = store.outbox.due(FAR_FUTURE, 1_000);
    if (due.length === 0) return;
    for (const item of due) store.outbox.markDone(item.id, clock.toISOString());
  }
}

/** The effects `work` enqueued, in the order they were written. */
function effectsOf(work: () => unknown): Effect[] {
  const before = outboxEnd();
  work();
  return effectsSince(before);
}

async function effectsOfAsync(work: () => Promise<unknown>): Promise<Effect[]> {
  const before = outboxEnd();
  await work();
  return effectsSince(before);
}

function outboxEnd(): number {
  deliverAll();
  return store.db.prepare('SELECT COALESCE(MAX(id), 0) FROM outbox').pluck().get() as number;
}

function effectsSince(id: number): Effect[] {
  return (store.db.prepare('SELECT payload FROM outbox WHERE id > ? ORDER BY id').pluck().all(id) as string[]).map(
    (payload) => JSON.parse(payload) as Effect,
  );
}

function stored(dealId: number): Deal {
  const deal = store.queries.getDeal(dealId);
  if (!deal) throw new Error(`deal ${dealId} not stored`);
  return deal;
}

function newDeal(reporter = REP, overrides: Partial<DealReport> = {}): Deal {
  return process.reportDeal({ actor: actor(reporter), report: report(overrides), idempotencyKey: key() }).deal;
}

function draftDeal(ownerId = REP): Deal {
  return system.startDeal({ report: report({ ownerId }), externalId: `crm-${++keys}` }).deal;
}

function progress(dealId: number, by: string, overrides: Partial<ProgressEntry> = {}) {
  return process.recordProgress({ actor: actor(by), dealId, entry: entry(overrides), idempotencyKey: key() });
}

function advise(dealId: number, by = LEADER, text = '導入支援で勝負を。') {
  return process.adviseDeal({ actor: actor(by), dealId, text, idempotencyKey: key() });
}

function domainCode(work: () => unknown): DomainErrorCode | 'allowed' {
  try {
    work();
    return 'allowed';
  } catch (error) {
    return codeOf(error);
  }
}

async function domainCodeAsync(work: () => Promise<unknown>): Promise<DomainErrorCode | 'allowed'> {
  try {
    await work();
    return 'allowed';
  } catch (error) {
    return codeOf(error);
  }
}

function codeOf(error: unknown): DomainErrorCode {
  if (error instanceof DomainError) return error.code;
  throw error;
}

function timelineKinds(dealId: number): string[] {
  return store.queries.timeline(dealId).map((e) => e.kind);
}

const home = (userId: string): Effect => ({ kind: 'publish_home', userId });
const taskMessage = (dealId: number, taskKind: 'report' | 'advice' | 'progress', userId: string): Effect => ({
  kind: 'sync_task_message',
  dealId,
  taskKind,
  userId,
});

describe('reportDeal: 1. 案件発生報告', () => {
  it('stores a new deal, opens the advice and progress tasks, and shares it', () => {
    let outcome: ReturnType<DealProcess['reportDeal']> | undefined;
    const effects = effectsOf(() => {
      outcome = process.reportDeal({ actor: actor(REP), report: report(), idempotencyKey: 'V1' });
    });
    const deal = outcome!.deal;
    expect(outcome!.duplicate).toBe(false);
    expect(stored(deal.id)).toEqual({
      ...report(),
      id: deal.id,
      status: 'negotiating',
      reporterId: REP,
      externalId: null,
      createdAt: NOW.toISOString(),
      reportedAt: NOW.toISOString(),
      closedAt: null,
      adviceGiven: false,
      cardChannel: null,
      cardTs: null,
      lastProgressId: null,
    });
    expect(store.queries.timeline(deal.id)).toEqual([
      {
        id: expect.any(Number),
        dealId: deal.id,
        authorId: REP,
        at: NOW.toISOString(),
        kind: 'report',
        report: report(),
      },
    ]);
    expect(store.deals.getOpenTask(deal.id, 'advice')).toMatchObject({
      assigneeId: null,
      dueOn: '2026-04-03',
      createdAt: NOW.toISOString(),
    });
    expect(store.deals.getOpenTask(deal.id, 'progress')).toMatchObject({ assigneeId: REP, dueOn: '2026-04-08' });
    expect(effects).toEqual([
      { kind: 'post_card', dealId: deal.id },
      taskMessage(deal.id, 'advice', LEADER),
      taskMessage(deal.id, 'advice', LEADER2),
      taskMessage(deal.id, 'progress', REP),
      home(REP),
      home(LEADER),
      home(LEADER2),
    ]);
    expect(committed).toBe(1);
  });

  it('gives the deal to the rep the report names, and tells the reporter too', () => {
    let deal: Deal | undefined;
    const effects = effectsOf(() => {
      deal = newDeal(REP, { ownerId: REP2 });
    });
    expect(stored(deal!.id)).toMatchObject({ ownerId: REP2, reporterId: REP });
    expect(store.deals.getOpenTask(deal!.id, 'progress')?.assigneeId).toBe(REP2);
    expect(effects).toContainEqual(taskMessage(deal!.id, 'progress', REP2));
    expect(effects.filter((e) => e.kind === 'publish_home')).toEqual([
      home(REP2),
      home(REP),
      home(LEADER),
      home(LEADER2),
    ]);
  });

  it('creates one deal for the same submission sent twice', () => {
    const first = process.reportDeal({ actor: actor(REP), report: report(), idempotencyKey: 'V-double' });
    const effects = effectsOf(() => {
      const second = process.reportDeal({ actor: actor(REP), report: report(), idempotencyKey: 'V-double' });
      expect(second).toEqual({ deal: first.deal, duplicate: true });
    });
    expect(effects).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) FROM deals').pluck().get()).toBe(1);
    expect(timelineKinds(first.deal.id)).toEqual(['report']);
    // A different submission is a different deal.
    expect(newDeal().id).not.toBe(first.deal.id);
  });

  it("completes a draft another system started: the rep's report task is done and the deal is shared", () => {
    const draft = draftDeal(REP);
    expect(store.deals.getOpenTask(draft.id, 'report')).toMatchObject({ assigneeId: REP, dueOn: '2026-04-02' });
    clock = new Date('2026-04-01T03:00:00.000Z');
    const completed = report({ customer: '株式会社サンプル (正式名称)', amount: 15_000_000 });
    let outcome: ReturnType<DealProcess['reportDeal']> | undefined;
    const effects = effectsOf(() => {
      outcome = process.reportDeal({
        actor: actor(REP),
        report: completed,
        draftDealId: draft.id,
        idempotencyKey: 'V9',
      });
    });

    expect(outcome).toMatchObject({ duplicate: false, deal: { id: draft.id } });
    expect(stored(draft.id)).toMatchObject({
      ...completed,
      status: 'negotiating',
      reporterId: API_REPORTER,
      externalId: draft.externalId,
      createdAt: draft.createdAt,
      reportedAt: clock.toISOString(),
    });
    expect(store.deals.getOpenTask(draft.id, 'report')).toBeNull();
    expect(store.deals.getLatestTask(draft.id, 'report')).toMatchObject({
      state: 'done',
      completedBy: REP,
      completedAt: clock.toISOString(),
    });
    expect(store.deals.getOpenTask(draft.id, 'advice')).not.toBeNull();
    expect(store.deals.getOpenTask(draft.id, 'progress')).not.toBeNull();
    expect(timelineKinds(draft.id)).toEqual(['report']);
    expect(effects).toEqual([
      { kind: 'post_card', dealId: draft.id },
      taskMessage(draft.id, 'report', REP),
      taskMessage(draft.id, 'advice', LEADER),
      taskMessage(draft.id, 'advice', LEADER2),
      taskMessage(draft.id, 'progress', REP),
      home(REP),
      home(LEADER),
      home(LEADER2),
    ]);
  });

  it('refuses to complete a draft twice, but a repeated submission is only a duplicate', () => {
    const draft = draftDeal(REP);
    process.reportDeal({ actor: actor(REP), report: report(), draftDealId: draft.id, idempotencyKey: 'V1' });
    expect(
      process.reportDeal({ actor: actor(REP), report: report(), draftDealId: draft.id, idempotencyKey: 'V1' })
        .duplicate,
    ).toBe(true);
    const effects = effectsOf(() => {
      expect(
        domainCode(() =>
          process.reportDeal({ actor: actor(REP), report: report(), draftDealId: draft.id, idempotencyKey: 'V2' }),
        ),
      ).toBe('already_reported');
    });
    expect(effects).toEqual([]);
    expect(timelineKinds(draft.id)).toEqual(['report']);
  });

  it('refuses a draft that does not exist', () => {
    expect(
      domainCode(() =>
        process.reportDeal({ actor: actor(REP), report: report(), draftDealId: 404, idempotencyKey: key() }),
      ),
    ).toBe('not_found');
  });
});

describe('adviseDeal: 1a. 助言や戦略の指示', () => {
  it("posts the leader's advice in the thread, closes the task for every leader and marks the card", () => {
    const deal = newDeal();
    const adviceTask = store.deals.getOpenTask(deal.id, 'advice')!;
    clock = new Date('2026-04-01T05:00:00.000Z');
    let outcome: ReturnType<DealProcess['adviseDeal']> | undefined;
    const effects = effectsOf(() => {
      outcome = advise(deal.id, LEADER2, '価格より導入支援で勝負を。');
    });

    expect(outcome!.deal.adviceGiven).toBe(true);
    expect(stored(deal.id).adviceGiven).toBe(true);
    const advice = store.queries.timeline(deal.id).at(-1)!;
    expect(advice).toMatchObject({ kind: 'advice', text: '価格より導入支援で勝負を。', authorId: LEADER2 });
    expect(store.queries.task(adviceTask.id)).toMatchObject({
      state: 'done',
      completedBy: LEADER2,
      completedAt: clock.toISOString(),
    });
    expect(effects).toEqual([
      { kind: 'post_thread_reply', dealId: deal.id, entryId: advice.id, broadcast: false },
      { kind: 'update_card', dealId: deal.id },
      taskMessage(deal.id, 'advice', LEADER),
      taskMessage(deal.id, 'advice', LEADER2),
      home(LEADER),
      home(LEADER2),
      home(REP),
    ]);
  });

  it('takes advice from leaders only', () => {
    const deal = newDeal();
    for (const userId of [REP, REP2, ADMIN, MEMBER]) {
      expect(domainCode(() => advise(deal.id, userId))).toBe('not_leader');
    }
    expect(stored(deal.id).adviceGiven).toBe(false);
    expect(store.deals.getOpenTask(deal.id, 'advice')).not.toBeNull();
  });

  it('refuses a second advice: the first answer completes the task for all leaders', () => {
    const deal = newDeal();
    advise(deal.id, LEADER);
    const effects = effectsOf(() => {
      expect(domainCode(() => advise(deal.id, LEADER2))).toBe('already_advised');
    });
    expect(effects).toEqual([]);
    expect(timelineKinds(deal.id)).toEqual(['report', 'advice']);
  });

  it('treats the same advice submitted twice as one', () => {
    const deal = newDeal();
    const first = process.adviseDeal({ actor: actor(LEADER), dealId: deal.id, text: 'A', idempotencyKey: 'V-adv' });
    const second = process.adviseDeal({ actor: actor(LEADER), dealId: deal.id, text: 'A', idempotencyKey: 'V-adv' });
    expect(second).toEqual({ deal: stored(first.deal.id), duplicate: true });
    expect(timelineKinds(deal.id)).toEqual(['report', 'advice']);
  });

  it('refuses advice on a draft that has not been reported, and on a deal that does not exist', () => {
    const draft = draftDeal();
    expect(domainCode(() => advise(draft.id))).toBe('not_reported');
    expect(domainCode(() => advise(404))).toBe('not_found');
    expect(timelineKinds(draft.id)).toEqual([]);
  });

  it('refuses advice once the deal is closed', () => {
    const deal = newDeal();
    progress(deal.id, REP, { status: 'lost', lossReason: '価格' });
    expect(domainCode(() => advise(deal.id))).not.toBe('allowed');
    expect(stored(deal.id).adviceGiven).toBe(false);
  });
});

describe('recordProgress: 2. 見積もり提出や往訪の記録', () => {
  it('商談中: shares the entry in the thread and assigns the same task again, due at 次のアクション期日', () => {
    const deal = newDeal();
    const before = store.deals.getOpenTask(deal.id, 'progress')!;
    let outcome: ReturnType<typeof progress> | undefined;
    const effects = effectsOf(() => {
      outcome = progress(deal.id, REP, { nextActionDue: '2026-04-10' });
    });
    const recorded = store.queries.timeline(deal.id).at(-1)!;
    expect(recorded).toMatchObject({ kind: 'progress', entry: entry({ nextActionDue: '2026-04-10' }), authorId: REP });
    expect(outcome!.deal).toMatchObject({ status: 'negotiating', lastProgressId: recorded.id, closedAt: null });
    expect(stored(deal.id)).toEqual(outcome!.deal);
    expect(store.queries.task(before.id)).toMatchObject({ state: 'done', completedBy: REP });
    const next = store.deals.getOpenTask(deal.id, 'progress')!;
    expect(next.id).not.toBe(before.id);
    expect(next).toMatchObject({ assigneeId: REP, dueOn: '2026-04-10' });
    expect(effects).toEqual([
      { kind: 'post_thread_reply', dealId: deal.id, entryId: recorded.id, broadcast: false },
      { kind: 'update_card', dealId: deal.id },
      taskMessage(deal.id, 'progress', REP),
      home(REP),
    ]);
  });

  it(`商談中 without 次のアクション期日: the next task falls due ${DEFAULT_PROGRESS_INTERVAL_DAYS} days later`, () => {
    const deal = newDeal();
    progress(deal.id, REP, { nextAction: null, nextActionDue: null });
    expect(store.deals.getOpenTask(deal.id, 'progress')?.dueOn).toBe('2026-04-08');
  });

  it('lets a leader record progress on the rep’s deal; the task stays with the rep', () => {
    const deal = newDeal();
    const effects = effectsOf(() => progress(deal.id, LEADER));
    expect(store.deals.getOpenTask(deal.id, 'progress')?.assigneeId).toBe(REP);
    expect(store.queries.timeline(deal.id).at(-1)?.authorId).toBe(LEADER);
    expect(effects.filter((e) => e.kind === 'publish_home')).toEqual([home(REP), home(LEADER)]);
  });

  it('takes progress from the owner and the leaders only', () => {
    const deal = newDeal();
    for (const userId of [REP2, ADMIN, MEMBER]) {
      expect(domainCode(() => progress(deal.id, userId))).toBe('not_owner_or_leader');
    }
    expect(timelineKinds(deal.id)).toEqual(['report']);
  });

  it('受注: closes the deal, cancels the open advice request and announces to the whole channel', () => {
    const deal = newDeal();
    const adviceTask = store.deals.getOpenTask(deal.id, 'advice')!;
    const progressTask = store.deals.getOpenTask(deal.id, 'progress')!;
    clock = new Date('2026-04-02T08:00:00.000Z');
    let outcome: ReturnType<typeof progress> | undefined;
    const effects = effectsOf(() => {
      outcome = progress(deal.id, REP, { status: 'won', amount: 15_000_000, nextAction: null, nextActionDue: null });
    });
    const won = store.queries.timeline(deal.id).at(-1)!;
    expect(stored(deal.id)).toMatchObject({ status: 'won', closedAt: clock.toISOString(), lastProgressId: won.id });
    expect(outcome!.deal.status).toBe('won');
    expect(store.queries.task(progressTask.id)).toMatchObject({ state: 'done', completedBy: REP });
    expect(store.queries.task(adviceTask.id)).toMatchObject({ state: 'cancelled', completedBy: null });
    expect(store.deals.getOpenTask(deal.id, 'progress')).toBeNull();
    expect(store.deals.getOpenTask(deal.id, 'advice')).toBeNull();
    expect(effects).toEqual([
      { kind: 'update_card', dealId: deal.id },
      { kind: 'post_thread_reply', dealId: deal.id, entryId: won.id, broadcast: true },
      taskMessage(deal.id, 'progress', REP),
      taskMessage(deal.id, 'advice', LEADER),
      taskMessage(deal.id, 'advice', LEADER2),
      home(REP),
      home(LEADER),
      home(LEADER2),
    ]);
  });

  it('失注: closes the deal, reports the reason to each leader privately and tells the channel only that it closed', () => {
    const deal = newDeal();
    advise(deal.id, LEADER);
    let outcome: ReturnType<typeof progress> | undefined;
    const effects = effectsOf(() => {
      outcome = progress(deal.id, LEADER2, { status: 'lost', lossReason: '競合に敗退', lossDetail: 'A社が値引き' });
    });
    const lost = store.queries.timeline(deal.id).at(-1)!;
    expect(outcome!.deal).toMatchObject({ status: 'lost', closedAt: NOW.toISOString() });
    expect(effects).toEqual([
      { kind: 'update_card', dealId: deal.id },
      { kind: 'post_closed_notice', dealId: deal.id },
      { kind: 'send_loss_report', dealId: deal.id, entryId: lost.id, userId: LEADER },
      { kind: 'send_loss_report', dealId: deal.id, entryId: lost.id, userId: LEADER2 },
      taskMessage(deal.id, 'progress', REP),
      home(REP),
      home(LEADER2),
      home(LEADER),
    ]);
    // The loss is never a thread reply.
    expect(effects.some((e) => e.kind === 'post_thread_reply')).toBe(false);
  });

  it.each(['won', 'lost'] as const)('refuses any further progress once %s', (status) => {
    const deal = newDeal();
    progress(deal.id, REP, { status, lossReason: status === 'lost' ? '価格' : null });
    for (const next of ['negotiating', 'won', 'lost'] as const) {
      const effects = effectsOf(() => {
        expect(domainCode(() => progress(deal.id, REP, { status: next }))).toBe('closed');
        expect(domainCode(() => progress(deal.id, LEADER, { status: next }))).toBe('closed');
      });
      expect(effects).toEqual([]);
    }
    expect(stored(deal.id).status).toBe(status);
    expect(timelineKinds(deal.id)).toEqual(['report', 'progress']);
  });

  it('refuses progress on a draft and on a deal that does not exist', () => {
    const draft = draftDeal();
    expect(domainCode(() => progress(draft.id, REP))).toBe('not_reported');
    expect(domainCode(() => progress(404, REP))).toBe('not_found');
  });

  it('records the same submission once, however often it arrives', () => {
    const deal = newDeal();
    const command = { actor: actor(REP), dealId: deal.id, entry: entry(), idempotencyKey: 'V-p' };
    const first = process.recordProgress(command);
    const effects = effectsOf(() => {
      expect(process.recordProgress(command)).toEqual({ deal: first.deal, duplicate: true });
      expect(process.recordProgress({ ...command, entry: entry({ status: 'won' }) }).duplicate).toBe(true);
    });
    expect(effects).toEqual([]);
    expect(timelineKinds(deal.id)).toEqual(['report', 'progress']);
    expect(stored(deal.id).status).toBe('negotiating');
  });

  it('leaves no trace of a refused command: nothing stored, nothing enqueued, no dispatch', () => {
    const deal = newDeal();
    const before = committed;
    const effects = effectsOf(() => {
      expect(domainCode(() => progress(deal.id, REP2))).toBe('not_owner_or_leader');
      expect(domainCode(() => advise(deal.id, REP))).toBe('not_leader');
    });
    expect(effects).toEqual([]);
    expect(committed).toBe(before);
    expect(stored(deal.id)).toEqual(deal);
    // The refused key was not remembered: the same submission by the right person still works.
    expect(
      domainCode(() =>
        process.recordProgress({ actor: actor(REP2), dealId: deal.id, entry: entry(), idempotencyKey: 'V-x' }),
      ),
    ).toBe('not_owner_or_leader');
    expect(
      process.recordProgress({ actor: actor(REP), dealId: deal.id, entry: entry(), idempotencyKey: 'V-x' }).duplicate,
    ).toBe(false);
  });
});

describe('the 掲示板: thread comments, edits and deletions', () => {
  const thread = { channel: CHANNEL, ts: '1775000000.000100' };
  const reply = (ts: string) => ({ channel: CHANNEL, ts });

  function dealWithCard(): Deal {
    const deal = newDeal();
    store.queries.setCard(deal.id, thread);
    return stored(deal.id);
  }

  it("keeps a reply in a deal's thread on its timeline, once per (channel, ts), and enqueues nothing", async () => {
    const deal = dealWithCard();
    const message = reply('1775000000.000200');
    const effects = await effectsOfAsync(async () => {
      const first = await process.recordComment({ actor: actor(MEMBER), thread, message, text: 'いい案件ですね' });
      expect(first).toBe(deal.id);
      // Slack retries the event, or resends it under a new event_id.
      const again = await process.recordComment({ actor: actor(MEMBER), thread, message, text: 'いい案件ですね' });
      expect(again).toBe(deal.id);
    });
    expect(effects).toEqual([]);
    expect(store.queries.timeline(deal.id).at(-1)).toMatchObject({
      kind: 'comment',
      text: 'いい案件ですね',
      message,
      authorId: MEMBER,
    });
    expect(timelineKinds(deal.id)).toEqual(['report', 'comment']);

    // The same ts in another channel is another message.
    const elsewhere = { channel: 'C0OTHER', ts: message.ts };
    const otherThread = { channel: 'C0OTHER', ts: thread.ts };
    expect(
      await process.recordComment({ actor: actor(MEMBER), thread: otherThread, message: elsewhere, text: 'x' }),
    ).toBeNull();
  });

  it('ignores a thread that is no deal’s', async () => {
    dealWithCard();
    const effects = await effectsOfAsync(async () => {
      expect(
        await process.recordComment({
          actor: actor(MEMBER),
          thread: { channel: CHANNEL, ts: '1775000000.999999' },
          message: reply('1775000001.000000'),
          text: '雑談',
        }),
      ).toBeNull();
    });
    expect(effects).toEqual([]);
    expect(store.db.prepare(`SELECT COUNT(*) FROM timeline WHERE kind = 'comment'`).pluck().get()).toBe(0);
  });

  it('keeps every edit (once per edit) and the deletion, under the original author', async () => {
    const deal = dealWithCard();
    const message = reply('1775000000.000300');
    await process.recordComment({ actor: actor(MEMBER), thread, message, text: '初稿' });

    expect(await process.editComment(message, '第2稿', '1775000010.000000')).toBe(true);
    expect(await process.editComment(message, '第2稿', '1775000010.000000')).toBe(true);
    expect(await process.editComment(message, '第3稿', '1775000020.000000')).toBe(true);
    expect(await process.deleteComment(message)).toBe(true);
    expect(await process.deleteComment(message)).toBe(true);

    const timeline = store.queries.timeline(deal.id);
    expect(timeline.map((e) => e.kind)).toEqual([
      'report',
      'comment',
      'comment_edited',
      'comment_edited',
      'comment_deleted',
    ]);
    expect(timeline.slice(1).every((e) => e.authorId === MEMBER)).toBe(true);
    expect(timeline.slice(2, 4).map((e) => (e.kind === 'comment_edited' ? e.text : ''))).toEqual(['第2稿', '第3稿']);
    // The original is never overwritten.
    expect(timeline[1]).toMatchObject({ kind: 'comment', text: '初稿' });
  });

  it('ignores edits and deletions of messages that are not kept comments', async () => {
    dealWithCard();
    expect(await process.editComment(reply('1775000000.000400'), 'x', '1775000011.000000')).toBe(false);
    expect(await process.deleteComment(reply('1775000000.000400'))).toBe(false);
    expect(await process.editComment(thread, 'the card itself', '1775000011.000000')).toBe(false);
    expect(store.db.prepare('SELECT COUNT(*) FROM timeline').pluck().get()).toBe(1);
  });

  it.each([
    ['a guest', actor('U0GUEST', { isGuest: true }), 'guest'],
    ['a bot', actor('B0BOT', { isBot: true }), 'bot'],
    ['a Slack Connect user', actor('U0OTHER', { teamId: 'T0OTHER' }), 'foreign_workspace'],
  ] as const)('does not keep a reply from %s', async (_who, author, code) => {
    const deal = dealWithCard();
    expect(
      await domainCodeAsync(() =>
        process.recordComment({ actor: author, thread, message: reply('1775000000.000500'), text: '<!channel>' }),
      ),
    ).toBe(code);
    expect(timelineKinds(deal.id)).toEqual(['report']);
  });
});

describe('refreshHome', () => {
  it('asks for one fresh home tab per person, however often it is opened', () => {
    deliverAll();
    const effects = effectsOf(() => {
      system.refreshHome(REP);
      system.refreshHome(REP);
      system.refreshHome(LEADER);
    });
    expect(effects).toEqual([home(REP), home(LEADER)]);
    expect(committed).toBe(3);
  });
});

describe('webhooks to other systems', () => {
  it('adds one signed event per target for each change of a deal, in its own queue', () => {
    const hookStore = openStore(':memory:');
    const hooks = ['https://billing.example/hook', 'https://erp.example/hook'];
    let n = 0;
    const hooked = createDealProcess({
      repo: hookStore.deals,
      roles,
      timeZone: 'Asia/Tokyo',
      now: () => NOW,
      onEffects: () => {},
      webhookUrls: hooks,
      newEventId: () => `evt-${++n}`,
    });
    const { deal } = hooked.reportDeal({ actor: actor(REP), report: report(), idempotencyKey: 'V1' });
    hooked.adviseDeal({ actor: actor(LEADER), dealId: deal.id, text: '助言', idempotencyKey: 'V2' });
    hooked.recordProgress({ actor: actor(REP), dealId: deal.id, entry: entry(), idempotencyKey: 'V3' });
    hooked.recordProgress({
      actor: actor(REP),
      dealId: deal.id,
      entry: entry({ status: 'won' }),
      idempotencyKey: 'V4',
    });
    const rows = hookStore.db
      .prepare(`SELECT ordering_key, payload FROM outbox WHERE kind = 'send_webhook' ORDER BY id`)
      .all() as { ordering_key: string; payload: string }[];
    hookStore.close();

    const events = rows.map((row) => JSON.parse(row.payload) as Extract<Effect, { kind: 'send_webhook' }>);
    expect(events.map((e) => [e.url, e.event.type, e.event.status])).toEqual([
      [hooks[0], 'deal.reported', 'negotiating'],
      [hooks[1], 'deal.reported', 'negotiating'],
      [hooks[0], 'deal.advised', 'negotiating'],
      [hooks[1], 'deal.advised', 'negotiating'],
      [hooks[0], 'deal.progressed', 'negotiating'],
      [hooks[1], 'deal.progressed', 'negotiating'],
      [hooks[0], 'deal.won', 'won'],
      [hooks[1], 'deal.won', 'won'],
    ]);
    expect(rows.map((row) => row.ordering_key)).toEqual(events.map((e) => `webhook:${e.url}:${deal.id}`));
    // One event id per change, shared by its targets.
    expect(events.map((e) => e.event.id)).toEqual([
      'evt-1',
      'evt-1',
      'evt-2',
      'evt-2',
      'evt-3',
      'evt-3',
      'evt-4',
      'evt-4',
    ]);
    expect(events[0]?.event).toMatchObject({
      previousStatus: null,
      actor: { slackUserId: REP },
      deal: { id: deal.id },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Who may do what (src/workflow/permissions.ts).

describe('permissions: role × action', () => {
  const ownersDeal: Deal = {
    ...report({ ownerId: REP }),
    id: 1,
    status: 'negotiating',
    reporterId: REP,
    externalId: null,
    createdAt: NOW.toISOString(),
    reportedAt: NOW.toISOString(),
    closedAt: null,
    adviceGiven: false,
    cardChannel: CHANNEL,
    cardTs: '1.1',
    lastProgressId: null,
  };
  const ownersDraft: Deal = { ...ownersDeal, status: 'draft', reportedAt: null, reporterId: API_REPORTER };

  const people: Record<string, Actor> = {
    owner: actor(REP),
    'other rep': actor(REP2),
    leader: actor(LEADER),
    'admin (not a leader)': actor(ADMIN),
    guest: actor('U0GUEST', { isGuest: true }),
    bot: actor('B0BOT', { isBot: true }),
    'Slack Connect user': actor('U0OTHER', { teamId: 'T0OTHER' }),
  };

  type Check = { action: DealAction; deal?: Deal };
  const actions: Record<string, Check> = {
    'report (new deal)': { action: 'report' },
    "report (completing the owner's draft)": { action: 'report', deal: ownersDraft },
    record_progress: { action: 'record_progress', deal: ownersDeal },
    advise: { action: 'advise', deal: ownersDeal },
    view_details: { action: 'view_details', deal: ownersDeal },
    comment: { action: 'comment', deal: ownersDeal },
  };

  const ok = 'allowed' as const;
  const expected: Record<string, Record<string, DomainErrorCode | 'allowed'>> = {
    owner: {
      'report (new deal)': ok,
      "report (completing the owner's draft)": ok,
      record_progress: ok,
      advise: 'not_leader',
      view_details: ok,
      comment: ok,
    },
    'other rep': {
      'report (new deal)': ok,
      "report (completing the owner's draft)": 'not_owner_or_leader',
      record_progress: 'not_owner_or_leader',
      advise: 'not_leader',
      view_details: ok,
      comment: ok,
    },
    leader: {
      'report (new deal)': ok,
      "report (completing the owner's draft)": ok,
      record_progress: ok,
      advise: ok,
      view_details: ok,
      comment: ok,
    },
    'admin (not a leader)': {
      'report (new deal)': ok,
      "report (completing the owner's draft)": 'not_owner_or_leader',
      record_progress: 'not_owner_or_leader',
      advise: 'not_leader',
      view_details: ok,
      comment: ok,
    },
    guest: Object.fromEntries(Object.keys(actions).map((a) => [a, 'guest'])),
    bot: Object.fromEntries(Object.keys(actions).map((a) => [a, 'bot'])),
    'Slack Connect user': Object.fromEntries(Object.keys(actions).map((a) => [a, 'foreign_workspace'])),
  };

  const cases = Object.entries(people).flatMap(([role, who]) =>
    Object.entries(actions).map(([name, check]) => [role, name, who, check, expected[role]![name]!] as const),
  );

  it.each(cases)('%s × %s', (_role, _name, who, check, outcome) => {
    expect(domainCode(() => assertAllowed(who, check.action, roles, check.deal))).toBe(outcome);
  });

  it('refuses with a message the person can read', () => {
    try {
      assertAllowed(people.guest!, 'comment', roles, ownersDeal);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toBe('ゲストアカウントではこの操作を行えません。');
    }
  });

  it('judges a Slack Connect guest or bot as from another workspace first', () => {
    expect(domainCode(() => assertAllowed(actor('U0X', { teamId: 'T0OTHER', isGuest: true }), 'comment', roles))).toBe(
      'foreign_workspace',
    );
    expect(domainCode(() => assertAllowed(actor('U0X', { teamId: 'T0OTHER', isBot: true }), 'comment', roles))).toBe(
      'foreign_workspace',
    );
  });

  it('enforces the same matrix in the workflow commands, not only in the handlers', async () => {
    for (const [role, who] of Object.entries(people)) {
      const draft = draftDeal(REP);
      const deal = newDeal(REP);
      const thread = { channel: CHANNEL, ts: `1775000000.${String(deal.id).padStart(6, '0')}` };
      store.queries.setCard(deal.id, thread);
      const outcomes = {
        'report (new deal)': domainCode(() =>
          process.reportDeal({ actor: who, report: report(), idempotencyKey: key() }),
        ),
        "report (completing the owner's draft)": domainCode(() =>
          process.reportDeal({ actor: who, report: report(), draftDealId: draft.id, idempotencyKey: key() }),
        ),
        record_progress: domainCode(() =>
          process.recordProgress({ actor: who, dealId: deal.id, entry: entry(), idempotencyKey: key() }),
        ),
        advise: domainCode(() => process.adviseDeal({ actor: who, dealId: deal.id, text: 'x', idempotencyKey: key() })),
        comment: await domainCodeAsync(() =>
          process.recordComment({ actor: who, thread, message: { channel: CHANNEL, ts: `${thread.ts}1` }, text: 'x' }),
        ),
      };
      const { view_details: _view, ...commands } = expected[role]!;
      expect(outcomes, role).toEqual(commands);
    }
  });

  it('shows the loss reason to the owner and the leaders only', () => {
    expect(maySeeLossReason(roles, ownersDeal, REP)).toBe(true);
    expect(maySeeLossReason(roles, ownersDeal, LEADER)).toBe(true);
    expect(maySeeLossReason(roles, ownersDeal, LEADER2)).toBe(true);
    expect(maySeeLossReason(roles, ownersDeal, REP2)).toBe(false);
    expect(maySeeLossReason(roles, ownersDeal, ADMIN)).toBe(false);
    expect(maySeeLossReason(roles, ownersDeal, MEMBER)).toBe(false);
  });
});
