import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, WAL_SIZE_LIMIT_BYTES } from '../../src/store/db.js';
import { openStore, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';
import { buildDetailsModal, DETAILS_MAX_ITEMS } from '../../src/views/details-modal.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import type { NewDeal } from '../../src/workflow/ports.js';
import { TIMELINE_ITEM_KINDS } from '../../src/workflow/read-models.js';
import type { Deal, Effect, ProgressEntry, TimelineData, TimelineEntry } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

const REP = 'U0REP01';
const REP2 = 'U0REP02';
const LEADER = 'U0LEAD1';
const T0 = '2026-11-27T01:00:00.000Z';
const LATER = '2026-11-27T02:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

function newDeal(overrides: Partial<NewDeal> = {}): NewDeal {
  return {
    ...sampleReport({
      customer: '株式会社𠮷野家 🍣',
      description: '老朽化した基幹システムの更改。\n競合は2社。',
      ownerId: REP,
    }),
    status: 'negotiating',
    reporterId: REP,
    externalId: null,
    createdAt: T0,
    reportedAt: T0,
    ...overrides,
  };
}

const progress: ProgressEntry = sampleProgress({
  activityDate: '2026-11-26',
  amount: 999_999_999_999,
  content: '部長と面談 & <見積> 🎉 𠮷',
});

let dir: string;
const opened: Store[] = [];

function open(path = ':memory:'): Store {
  const store = openStore(path);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anken-store-'));
});

afterEach(() => {
  for (const store of opened.splice(0)) if (store.db.open) store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Outbox rows as stored, in id order. */
function outboxRows(store: Store) {
  return store.db
    .prepare(
      'SELECT id, ordering_key, kind, payload, state, attempts, next_attempt_at, last_error FROM outbox ORDER BY id',
    )
    .all() as {
    id: number;
    ordering_key: string;
    kind: string;
    payload: string;
    state: string;
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
  }[];
}

describe('opening the database', () => {
  it('migrates a new file, in WAL mode with foreign keys on', () => {
    const store = open(join(dir, 'nested', 'dirs', 'anken.db'));
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['deals', 'timeline', 'tasks', 'task_messages', 'handled_requests', 'outbox', 'users']),
    );
  });

  it('cuts the -wal file back after a large transaction has been checkpointed', () => {
    const path = join(dir, 'anken.db');
    const store = open(path);
    const walBytes = () => statSync(`${path}-wal`).size;
    store.db.exec('CREATE TABLE scratch (b BLOB)');
    const insert = store.db.prepare('INSERT INTO scratch (b) VALUES (zeroblob(1048576))');
    store.db.transaction(() => {
      for (let n = 0; n < 80; n += 1) insert.run();
    })();
    expect(walBytes()).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
    store.db.pragma('main.wal_checkpoint(PASSIVE)');
    store.db.exec('DELETE FROM scratch');
    expect(walBytes()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
  });

  it('migrates :memory: too, with foreign keys on', () => {
    const store = open(':memory:');
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses rows that point at no deal (foreign keys are enforced)', () => {
    const store = open();
    expect(() => store.deals.appendTimeline(404, REP, T0, { kind: 'advice', text: 'x' })).toThrow(/FOREIGN KEY/);
    expect(() =>
      store.deals.openTask({ dealId: 404, kind: 'advice', assigneeId: null, dueOn: null, createdAt: T0 }),
    ).toThrow(/FOREIGN KEY/);
  });

  it('refuses a negative amount and an unknown status', () => {
    const store = open();
    expect(() => store.deals.insertDeal(newDeal({ amount: -1 }))).toThrow(/CHECK/);
    expect(() => store.deals.insertDeal(newDeal({ status: 'paused' as never }))).toThrow(/CHECK/);
  });

  it('keeps the data when an existing file is opened again, without running migrations again', () => {
    const path = join(dir, 'anken.db');
    const first = open(path);
    const deal = first.deals.insertDeal(newDeal());
    first.deals.appendTimeline(deal.id, REP, T0, { kind: 'advice', text: '助言' });
    first.deals.enqueue([{ kind: 'post_card', dealId: deal.id }], T0);
    first.close();

    // A migration run twice would fail on CREATE TABLE of a table that exists.
    const again = open(path);
    expect(again.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(again.deals.getDeal(deal.id)).toEqual(deal);
    expect(again.queries.timeline(deal.id).map((e) => e.kind)).toEqual(['advice']);
    expect(again.outbox.pendingCount()).toBe(1);
    migrate(again.db);
    expect(again.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(again.deals.getDeal(deal.id)).toEqual(deal);
  });

  it('brings a database made by the first release up to date, keeping its rows', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO deals (status, customer, title, owner_id, reporter_id, created_at) VALUES ('negotiating', '旧顧客', '旧案件', ?, ?, ?)`,
      )
      .run(REP, REP, T0);
    old.close();

    const store = open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.deals.getDeal(1)?.customer).toBe('旧顧客');
  });
});

describe('DealRepository', () => {
  let store: Store;
  beforeEach(() => {
    store = open();
  });

  it('inserts a deal and reads every item back', () => {
    const input = newDeal({ externalId: 'crm-1', amount: 999_999_999_999 });
    const deal = store.deals.insertDeal(input);
    expect(deal).toEqual({
      ...input,
      id: expect.any(Number),
      closedAt: null,
      adviceGiven: false,
      cardChannel: null,
      cardTs: null,
      lastProgressId: null,
    });
    expect(store.deals.getDeal(deal.id)).toEqual(deal);
    expect(store.deals.getDeal(deal.id + 1)).toBeNull();
  });

  it('keeps only the required items when the rest are empty, and amount 0', () => {
    const input = newDeal({
      industry: null,
      companySize: null,
      amount: 0,
      expectedCloseDate: null,
      source: null,
      contactName: null,
      description: null,
    });
    const deal = store.deals.insertDeal(input);
    expect(store.deals.getDeal(deal.id)).toMatchObject({ amount: 0, industry: null, description: null });
  });

  it('saves every changed item', () => {
    const deal = store.deals.insertDeal(newDeal());
    const entry = store.deals.appendTimeline(deal.id, REP, T0, { kind: 'progress', entry: progress });
    const changed: Deal = {
      ...deal,
      status: 'won',
      customer: '新しい顧客名',
      amount: 0,
      closedAt: LATER,
      adviceGiven: true,
      cardChannel: 'C0SALES',
      cardTs: '1764000000.000100',
      lastProgressId: entry.id,
      ownerId: REP2,
    };
    store.deals.saveDeal(changed);
    expect(store.deals.getDeal(deal.id)).toEqual(changed);
  });

  it('writes only what changed: an unchanged deal no row, a new contact one row and no trigger', () => {
    const deal = store.deals.insertDeal(newDeal());
    const changes = () => store.db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = changes();
    store.deals.saveDeal({ ...deal });
    expect(changes()).toBe(before);
    store.deals.saveDeal({ ...deal, contactName: '新しい担当者' });
    expect(changes()).toBe(before + 1);
    expect(store.deals.getDeal(deal.id)).toEqual({ ...deal, contactName: '新しい担当者' });
  });

  it('finds a deal by its card and by its external id', () => {
    const a = store.deals.insertDeal(newDeal());
    const b = store.deals.insertDeal(newDeal({ externalId: 'crm-42' }));
    store.deals.saveDeal({ ...a, cardChannel: 'C0SALES', cardTs: '1764000000.000100' });
    store.queries.setCard(b.id, { channel: 'C0SALES', ts: '1764000000.000200' });

    expect(store.deals.dealIdByCard({ channel: 'C0SALES', ts: '1764000000.000100' })).toBe(a.id);
    expect(store.deals.dealIdByCard({ channel: 'C0SALES', ts: '1764000000.000200' })).toBe(b.id);
    expect(store.deals.dealIdByCard({ channel: 'C0OTHER', ts: '1764000000.000100' })).toBeNull();
    expect(store.deals.dealIdByCard({ channel: 'C0SALES', ts: '1764000000.000999' })).toBeNull();
    expect(store.deals.getDealByExternalId('crm-42')?.id).toBe(b.id);
    expect(store.deals.getDealByExternalId('crm-43')).toBeNull();
  });

  it('refuses a second deal with the same card or the same external id', () => {
    const a = store.deals.insertDeal(newDeal({ externalId: 'crm-1' }));
    const b = store.deals.insertDeal(newDeal());
    expect(() => store.deals.insertDeal(newDeal({ externalId: 'crm-1' }))).toThrow(/UNIQUE/);
    store.queries.setCard(a.id, { channel: 'C0SALES', ts: '1.1' });
    expect(() => store.queries.setCard(b.id, { channel: 'C0SALES', ts: '1.1' })).toThrow(/UNIQUE/);
  });

  it('appends the timeline in order and reads every kind of entry back as written', () => {
    const deal = store.deals.insertDeal(newDeal());
    const message = { channel: 'C0SALES', ts: '1764000100.000100' };
    const long = '掲示板の書き込み & <@U999> 🎉𠮷\n'.repeat(2_000);
    const data: TimelineData[] = [
      { kind: 'report', report: newDeal() },
      { kind: 'advice', text: '価格より導入支援で勝負を。' },
      { kind: 'progress', entry: progress },
      { kind: 'comment', text: long, message },
      { kind: 'comment_edited', text: `${long}追記`, message },
      { kind: 'comment_deleted', message },
    ];
    const appended = data.map((d, i) => store.deals.appendTimeline(deal.id, i % 2 ? LEADER : REP, T0, d));

    expect(appended.map((e) => e.id)).toEqual([...appended.map((e) => e.id)].sort((x, y) => x - y));
    const read = store.queries.timeline(deal.id);
    expect(read).toEqual(appended);
    expect(read.map(({ id: _id, dealId: _deal, authorId: _author, at: _at, ...rest }) => rest)).toEqual(data);
    expect(read[3]).toMatchObject({ dealId: deal.id, authorId: LEADER, at: T0 });
    expect(store.queries.timelineEntry(appended[2]!.id)).toEqual(appended[2]);
    expect(store.queries.timelineEntry(99_999)).toBeNull();
  });

  it("keeps each deal's timeline to itself", () => {
    const a = store.deals.insertDeal(newDeal());
    const b = store.deals.insertDeal(newDeal());
    store.deals.appendTimeline(a.id, REP, T0, { kind: 'advice', text: 'A1' });
    store.deals.appendTimeline(b.id, REP, T0, { kind: 'advice', text: 'B1' });
    store.deals.appendTimeline(a.id, REP, LATER, { kind: 'advice', text: 'A2' });
    expect(store.queries.timeline(a.id).map((e) => (e.kind === 'advice' ? e.text : ''))).toEqual(['A1', 'A2']);
    expect(store.queries.timeline(b.id)).toHaveLength(1);
  });

  it('finds the original comment of a thread reply by channel and ts', () => {
    const deal = store.deals.insertDeal(newDeal());
    const message = { channel: 'C0SALES', ts: '1764000100.000100' };
    store.deals.appendTimeline(deal.id, REP, T0, { kind: 'advice', text: 'no message' });
    const original = store.deals.appendTimeline(deal.id, REP2, T0, { kind: 'comment', text: '最初', message });
    store.deals.appendTimeline(deal.id, REP2, LATER, { kind: 'comment_edited', text: '直した', message });

    expect(store.deals.findComment(message)).toEqual(original);
    expect(store.deals.findComment({ channel: 'C0OTHER', ts: message.ts })).toBeNull();
    expect(store.deals.findComment({ channel: message.channel, ts: '1764000100.000101' })).toBeNull();
  });

  describe('tasks', () => {
    it('opens a task and finds it as the open and the latest one', () => {
      const deal = store.deals.insertDeal(newDeal());
      const task = store.deals.openTask({
        dealId: deal.id,
        kind: 'progress',
        assigneeId: REP,
        dueOn: '2026-12-04',
        createdAt: T0,
      });
      expect(task).toEqual({
        id: expect.any(Number),
        dealId: deal.id,
        kind: 'progress',
        assigneeId: REP,
        state: 'open',
        dueOn: '2026-12-04',
        createdAt: T0,
        completedBy: null,
        completedAt: null,
      });
      expect(store.deals.getOpenTask(deal.id, 'progress')).toEqual(task);
      expect(store.deals.getLatestTask(deal.id, 'progress')).toEqual(task);
      expect(store.deals.getOpenTask(deal.id, 'advice')).toBeNull();
    });

    it('allows one open task per deal and kind (unique index), but any number of closed ones', () => {
      const deal = store.deals.insertDeal(newDeal());
      const other = store.deals.insertDeal(newDeal());
      const base = { dealId: deal.id, assigneeId: REP, dueOn: null, createdAt: T0 };
      const first = store.deals.openTask({ ...base, kind: 'progress' });
      expect(() => store.deals.openTask({ ...base, kind: 'progress' })).toThrow(/UNIQUE/);
      // Another kind on the same deal, and the same kind on another deal, are fine.
      store.deals.openTask({ ...base, kind: 'advice', assigneeId: null });
      store.deals.openTask({ ...base, dealId: other.id, kind: 'progress' });

      store.deals.closeTask(first.id, 'done', REP, LATER);
      const second = store.deals.openTask({ ...base, kind: 'progress' });
      expect(store.deals.getOpenTask(deal.id, 'progress')?.id).toBe(second.id);
      expect(store.deals.getLatestTask(deal.id, 'progress')?.id).toBe(second.id);
      store.deals.closeTask(second.id, 'cancelled', null, LATER);
      const third = store.deals.openTask({ ...base, kind: 'progress' });
      expect(store.deals.getLatestTask(deal.id, 'progress')?.id).toBe(third.id);
    });

    it('closes only an open task: a second completion changes nothing', () => {
      const deal = store.deals.insertDeal(newDeal());
      const task = store.deals.openTask({
        dealId: deal.id,
        kind: 'advice',
        assigneeId: null,
        dueOn: '2026-11-29',
        createdAt: T0,
      });
      store.deals.closeTask(task.id, 'done', LEADER, LATER);
      store.deals.closeTask(task.id, 'cancelled', 'U0LEAD2', FAR_FUTURE);
      expect(store.deals.getOpenTask(deal.id, 'advice')).toBeNull();
      expect(store.deals.getLatestTask(deal.id, 'advice')).toEqual({
        ...task,
        state: 'done',
        completedBy: LEADER,
        completedAt: LATER,
      });
      expect(store.queries.task(task.id)?.state).toBe('done');
    });

    it('lists overdue open tasks once a day until reminded', () => {
      const deal = store.deals.insertDeal(newDeal());
      const other = store.deals.insertDeal(newDeal());
      const overdue = store.deals.openTask({
        dealId: deal.id,
        kind: 'progress',
        assigneeId: REP,
        dueOn: '2026-11-20',
        createdAt: T0,
      });
      const dueToday = store.deals.openTask({
        dealId: deal.id,
        kind: 'advice',
        assigneeId: null,
        dueOn: '2026-11-27',
        createdAt: T0,
      });
      const closed = store.deals.openTask({
        dealId: other.id,
        kind: 'progress',
        assigneeId: REP,
        dueOn: '2026-11-01',
        createdAt: T0,
      });
      store.deals.closeTask(closed.id, 'done', REP, T0);

      expect(store.deals.overdueTasks('2026-11-27', 10).map((t) => t.id)).toEqual([overdue.id]);
      store.deals.markReminded(overdue.id, '2026-11-27');
      expect(store.deals.overdueTasks('2026-11-27', 10)).toEqual([]);
      // Never reminded comes before reminded yesterday.
      expect(store.deals.overdueTasks('2026-11-28', 10).map((t) => t.id)).toEqual([dueToday.id, overdue.id]);
    });

    it('lists overdue tasks least recently reminded first, then the oldest due, up to the limit', () => {
      const task = (dueOn: string, remindedOn: string | null) => {
        const deal = store.deals.insertDeal(newDeal());
        const opened = store.deals.openTask({
          dealId: deal.id,
          kind: 'progress',
          assigneeId: REP,
          dueOn,
          createdAt: T0,
        });
        if (remindedOn) store.deals.markReminded(opened.id, remindedOn);
        return opened.id;
      };
      const remindedYesterday = task('2026-11-01', '2026-11-26');
      const neverLateDue = task('2026-11-20', null);
      const remindedLongAgo = task('2026-11-10', '2026-11-12');
      const neverEarlyDue = task('2026-11-02', null);
      task('2026-11-05', '2026-11-27');
      task('2026-11-27', null);

      const order = [neverEarlyDue, neverLateDue, remindedLongAgo, remindedYesterday];
      expect(store.deals.overdueTasks('2026-11-27', 10).map((t) => t.id)).toEqual(order);
      expect(store.deals.overdueTasks('2026-11-27', 1).map((t) => t.id)).toEqual(order.slice(0, 1));
      expect(store.deals.overdueTasks('2026-11-27', 3).map((t) => t.id)).toEqual(order.slice(0, 3));
    });
  });

  it('remembers which deal a handled request changed', () => {
    const deal = store.deals.insertDeal(newDeal());
    expect(store.deals.findHandled('report:V123')).toBeNull();
    store.deals.markHandled('report:V123', deal.id, T0);
    expect(store.deals.findHandled('report:V123')).toEqual({ dealId: deal.id });
    expect(store.deals.findHandled('report:V124')).toBeNull();
    expect(() => store.deals.markHandled('report:V123', deal.id, LATER)).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('writes everything of a transaction or nothing', () => {
    expect(() =>
      store.deals.transaction(() => {
        const deal = store.deals.insertDeal(newDeal());
        store.deals.appendTimeline(deal.id, REP, T0, { kind: 'advice', text: 'x' });
        store.deals.enqueue([{ kind: 'post_card', dealId: deal.id }], T0);
        store.deals.markHandled('report:V1', deal.id, T0);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.db.prepare('SELECT COUNT(*) FROM deals').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM timeline').pluck().get()).toBe(0);
    expect(store.outbox.pendingCount()).toBe(0);
    expect(store.deals.findHandled('report:V1')).toBeNull();
  });

  describe('enqueue', () => {
    it('stores each effect with its ordering key: one queue per deal, per home, per admin, per webhook target', () => {
      const effects: Effect[] = [
        { kind: 'post_card', dealId: 1 },
        { kind: 'sync_task_message', dealId: 1, taskKind: 'advice', userId: LEADER },
        { kind: 'publish_home', userId: REP },
        { kind: 'report_delivery_failure', failedEffectId: 9, userId: LEADER },
      ];
      store.deals.enqueue(effects, T0);
      const rows = outboxRows(store);
      expect(rows.map((r) => r.ordering_key)).toEqual(['deal:1', 'deal:1', `home:${REP}`, `admin:${LEADER}`]);
      expect(rows.map((r) => JSON.parse(r.payload))).toEqual(effects);
      expect(rows.every((r) => r.state === 'pending' && r.attempts === 0 && r.next_attempt_at === T0)).toBe(true);
    });

    it('keeps one pending home refresh per person', () => {
      store.deals.enqueue(
        [
          { kind: 'publish_home', userId: REP },
          { kind: 'publish_home', userId: REP },
          { kind: 'publish_home', userId: LEADER },
        ],
        T0,
      );
      store.deals.enqueue([{ kind: 'publish_home', userId: REP }], LATER);
      expect(outboxRows(store).map((r) => r.ordering_key)).toEqual([`home:${REP}`, `home:${LEADER}`]);
    });

    it('queues a new home refresh once the pending one is being delivered or done', () => {
      store.deals.enqueue([{ kind: 'publish_home', userId: REP }], T0);
      const [first] = store.outbox.due(FAR_FUTURE, 10);
      // Being delivered: it may already have rendered the old state.
      store.outbox.markInFlight(first!.id, 'ambiguous:in_flight');
      store.deals.enqueue([{ kind: 'publish_home', userId: REP }], LATER);
      store.deals.enqueue([{ kind: 'publish_home', userId: REP }], LATER);
      expect(outboxRows(store)).toHaveLength(2);
      store.outbox.markDone(first!.id, LATER);
      store.deals.enqueue([{ kind: 'publish_home', userId: REP }], LATER);
      expect(outboxRows(store).filter((r) => r.state === 'pending')).toHaveLength(1);
    });
  });
});

describe('OutboxStore', () => {
  let store: Store;
  beforeEach(() => {
    store = open();
  });

  const card = (dealId: number): Effect => ({ kind: 'post_card', dealId });
  const update = (dealId: number): Effect => ({ kind: 'update_card', dealId });

  it('gives the oldest pending effect of each ordering key, oldest first, up to the limit', () => {
    store.deals.enqueue([card(1), update(1), card(2), { kind: 'publish_home', userId: REP }, update(2)], T0);
    const due = store.outbox.due(T0, 10);
    expect(due.map((item) => item.effect)).toEqual([card(1), card(2), { kind: 'publish_home', userId: REP }]);
    expect(due[0]).toEqual({ id: expect.any(Number), effect: card(1), attempts: 0, createdAt: T0, lastError: null });
    expect(store.outbox.due(T0, 2).map((item) => item.effect)).toEqual([card(1), card(2)]);
  });

  it('gives nothing before it is due', () => {
    store.deals.enqueue([card(1)], LATER);
    expect(store.outbox.due(T0, 10)).toEqual([]);
    expect(store.outbox.due(LATER, 10)).toHaveLength(1);
  });

  it('moves on to the next effect of a key once the head is done or failed, in order', () => {
    store.deals.enqueue([card(1), update(1), { kind: 'post_closed_notice', dealId: 1 }], T0);
    const delivered: Effect[] = [];
    for (let round = 0; round < 5; round += 1) {
      const [head] = store.outbox.due(FAR_FUTURE, 10);
      if (!head) break;
      delivered.push(head.effect);
      if (round === 1) store.outbox.markFailed(head.id, 'channel_not_found', LATER);
      else store.outbox.markDone(head.id, LATER);
    }
    expect(delivered).toEqual([card(1), update(1), { kind: 'post_closed_notice', dealId: 1 }]);
    expect(store.outbox.pendingCount()).toBe(0);
  });

  it('holds back the rest of a key while its head waits for a retry, but not other keys', () => {
    store.deals.enqueue([card(1), update(1), card(2)], T0);
    const [head] = store.outbox.due(T0, 10);
    store.outbox.markInFlight(head!.id, 'ambiguous:in_flight');
    store.outbox.markRetry(head!.id, LATER, 'ratelimited');

    // update(1) is due by its own time, but must not overtake post_card(1).
    expect(store.outbox.due(T0, 10).map((item) => item.effect)).toEqual([card(2)]);
    const retried = store.outbox.due(LATER, 10);
    expect(retried.map((item) => item.effect)).toEqual([card(1), card(2)]);
    expect(retried[0]).toMatchObject({ attempts: 1, lastError: 'ratelimited' });
  });

  it('counts attempts and keeps the last note', () => {
    store.deals.enqueue([card(1)], T0);
    const [item] = store.outbox.due(T0, 1);
    store.outbox.markInFlight(item!.id, 'ambiguous:in_flight');
    store.outbox.markInFlight(item!.id, 'ambiguous:in_flight');
    expect(store.outbox.due(T0, 1)[0]).toMatchObject({ attempts: 2, lastError: 'ambiguous:in_flight' });
  });

  it('does not put a finished effect back in the queue when a late retry arrives', () => {
    store.deals.enqueue([card(1)], T0);
    const [item] = store.outbox.due(T0, 1);
    store.outbox.markDone(item!.id, T0);
    store.outbox.markRetry(item!.id, LATER, 'late');
    expect(store.outbox.due(FAR_FUTURE, 10)).toEqual([]);
    expect(outboxRows(store)[0]).toMatchObject({ state: 'done', last_error: null });
  });

  it('stores what delivery found out in the same transaction as the completion', () => {
    const deal = store.deals.insertDeal(newDeal());
    store.deals.enqueue([card(deal.id)], T0);
    const [item] = store.outbox.due(T0, 1);

    expect(() =>
      store.outbox.markDone(item!.id, LATER, () => {
        store.queries.setCard(deal.id, { channel: 'C0SALES', ts: '1.1' });
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(store.deals.getDeal(deal.id)?.cardTs).toBeNull();
    expect(store.outbox.due(T0, 1).map((i) => i.id)).toEqual([item!.id]);

    store.outbox.markDone(item!.id, LATER, () => store.queries.setCard(deal.id, { channel: 'C0SALES', ts: '1.1' }));
    expect(store.deals.getDeal(deal.id)?.cardTs).toBe('1.1');
    expect(store.outbox.pendingCount()).toBe(0);
  });

  it('lists the failures newest first, with their reason and when they were given up', () => {
    store.deals.enqueue([card(1), card(2), card(3)], T0);
    const [a, b, c] = store.outbox.due(T0, 10);
    store.outbox.markFailed(a!.id, 'channel_not_found', LATER);
    store.outbox.markDone(b!.id, LATER);
    store.outbox.markFailed(c!.id, 'not_in_channel', FAR_FUTURE);

    expect(store.outbox.recentFailures(10)).toEqual([
      { id: c!.id, effect: card(3), attempts: 0, createdAt: T0, lastError: 'not_in_channel', finishedAt: FAR_FUTURE },
      { id: a!.id, effect: card(1), attempts: 0, createdAt: T0, lastError: 'channel_not_found', finishedAt: LATER },
    ]);
    expect(store.outbox.recentFailures(1).map((f) => f.id)).toEqual([c!.id]);
    expect(store.outbox.getFailure(a!.id)).toMatchObject({ lastError: 'channel_not_found', finishedAt: LATER });
    expect(store.outbox.pendingCount()).toBe(0);
  });

  describe('nextAttemptAfter', () => {
    const BEFORE = '2000-01-01T00:00:00.000Z';

    it('is null when nothing is pending, else the earliest time a head falls due after now', () => {
      expect(store.outbox.nextAttemptAfter(BEFORE)).toBeNull();
      store.deals.enqueue([card(1)], LATER);
      store.deals.enqueue([card(2)], T0);
      expect(store.outbox.nextAttemptAfter(BEFORE)).toBe(T0);
      // A head due now is started, not waited for.
      expect(store.outbox.nextAttemptAfter(T0)).toBe(LATER);
      const [first] = store.outbox.due(T0, 1);
      store.outbox.markDone(first!.id, T0);
      expect(store.outbox.nextAttemptAfter(BEFORE)).toBe(LATER);
    });

    it('is when due() will next give something, not the time of an effect held behind a waiting head', () => {
      // The dispatcher sleeps until then; an earlier answer makes it wake, find nothing and spin.
      store.deals.enqueue([card(1), update(1)], T0);
      const [head] = store.outbox.due(T0, 1);
      store.outbox.markRetry(head!.id, LATER, 'ratelimited');
      expect(store.outbox.due(T0, 10)).toEqual([]);
      expect(store.outbox.nextAttemptAfter(T0)).toBe(LATER);
    });
  });
});

describe('DealQueries', () => {
  let store: Store;
  beforeEach(() => {
    store = open();
  });

  function openTask(dealId: number, kind: 'report' | 'advice' | 'progress', assigneeId: string | null, dueOn: string) {
    return store.deals.openTask({ dealId, kind, assigneeId, dueOn, createdAt: T0 });
  }

  it("lists a person's open tasks, soonest due first, with their deals", () => {
    const a = store.deals.insertDeal(newDeal({ customer: 'A社' }));
    const b = store.deals.insertDeal(newDeal({ customer: 'B社' }));
    const c = store.deals.insertDeal(newDeal({ customer: 'C社', ownerId: REP2 }));
    const later = openTask(a.id, 'progress', REP, '2026-12-10');
    const sooner = openTask(b.id, 'progress', REP, '2026-12-01');
    const report = openTask(a.id, 'report', REP, '2026-12-01');
    openTask(c.id, 'progress', REP2, '2026-11-01');
    openTask(a.id, 'advice', null, '2026-11-01');
    const done = openTask(c.id, 'report', REP, '2026-11-01');
    store.deals.closeTask(done.id, 'done', REP, T0);

    const tasks = store.queries.openTasksOf(REP, 10);
    expect(tasks.map(({ task }) => task.id)).toEqual([sooner.id, report.id, later.id]);
    expect(tasks.map(({ deal }) => deal.customer)).toEqual(['B社', 'A社', 'A社']);
    expect(store.queries.openTasksOf(REP, 2)).toHaveLength(2);
    expect(store.queries.openTasksOf(LEADER, 10)).toEqual([]);
  });

  it('lists the open advice tasks any leader may take', () => {
    const a = store.deals.insertDeal(newDeal());
    const b = store.deals.insertDeal(newDeal());
    const c = store.deals.insertDeal(newDeal());
    const late = openTask(a.id, 'advice', null, '2026-11-30');
    const early = openTask(b.id, 'advice', null, '2026-11-28');
    const answered = openTask(c.id, 'advice', null, '2026-11-01');
    store.deals.closeTask(answered.id, 'done', LEADER, T0);
    openTask(c.id, 'progress', REP, '2026-11-01');

    const waiting = store.queries.openAdviceTasks(10);
    expect(waiting.map(({ task }) => task.id)).toEqual([early.id, late.id]);
    expect(waiting[0]?.deal.id).toBe(b.id);
    expect(store.queries.openAdviceTasks(1)).toHaveLength(1);
  });

  it("lists a person's draft and negotiating deals, newest first", () => {
    const draft = store.deals.insertDeal(newDeal({ status: 'draft', reportedAt: null }));
    const open1 = store.deals.insertDeal(newDeal());
    store.deals.insertDeal(newDeal({ status: 'won' }));
    store.deals.insertDeal(newDeal({ status: 'lost' }));
    store.deals.insertDeal(newDeal({ ownerId: REP2 }));
    const open2 = store.deals.insertDeal(newDeal());

    expect(store.queries.openDealsOwnedBy(REP, 10).map((d) => d.id)).toEqual([open2.id, open1.id, draft.id]);
    expect(store.queries.openDealsOwnedBy(REP, 1).map((d) => d.id)).toEqual([open2.id]);
    expect(store.queries.openDealsOwnedBy(LEADER, 10)).toEqual([]);
  });

  it('totals the pipeline: deals in negotiation, and wins and losses closed this month', () => {
    const since = '2026-10-31T15:00:00.000Z'; // 2026-11-01 00:00 in Tokyo
    expect(store.queries.pipeline(since)).toEqual({
      negotiating: 0,
      negotiatingAmount: 0,
      wonThisMonth: 0,
      wonAmountThisMonth: 0,
      lostThisMonth: 0,
    });
    store.deals.insertDeal(newDeal({ amount: 10_000_000 }));
    store.deals.insertDeal(newDeal({ amount: null }));
    store.deals.insertDeal(newDeal({ amount: 999_999_999_999 }));
    store.deals.insertDeal(newDeal({ status: 'draft', amount: 5_000_000 }));
    const close = (status: 'won' | 'lost', amount: number | null, closedAt: string) => {
      const deal = store.deals.insertDeal(newDeal({ status, amount }));
      store.deals.saveDeal({ ...deal, closedAt });
    };
    close('won', 30_000_000, '2026-11-27T00:00:00.000Z');
    close('won', null, since);
    close('won', 70_000_000, '2026-10-31T14:59:59.999Z'); // last month
    close('lost', 1_000_000, '2026-11-02T00:00:00.000Z');
    close('lost', 1_000_000, '2026-10-01T00:00:00.000Z'); // last month

    expect(store.queries.pipeline(since)).toEqual({
      negotiating: 3,
      negotiatingAmount: 1_000_009_999_999,
      wonThisMonth: 2,
      wonAmountThisMonth: 30_000_000,
      lostThisMonth: 1,
    });
  });

  it("records a deal's card and each person's task message, replacing the old one", () => {
    const deal = store.deals.insertDeal(newDeal());
    store.queries.setCard(deal.id, { channel: 'C0SALES', ts: '1.1' });
    expect(store.queries.getDeal(deal.id)).toMatchObject({ cardChannel: 'C0SALES', cardTs: '1.1' });

    expect(store.queries.taskMessage(deal.id, 'advice', LEADER)).toBeNull();
    store.queries.saveTaskMessage(deal.id, 'advice', LEADER, { channel: 'D0LEAD1', ts: '2.1' });
    store.queries.saveTaskMessage(deal.id, 'advice', LEADER, { channel: 'D0LEAD1', ts: '2.2' });
    store.queries.saveTaskMessage(deal.id, 'progress', LEADER, { channel: 'D0LEAD1', ts: '3.1' });
    expect(store.queries.taskMessage(deal.id, 'advice', LEADER)).toEqual({ channel: 'D0LEAD1', ts: '2.2' });
    expect(store.queries.taskMessage(deal.id, 'progress', LEADER)).toEqual({ channel: 'D0LEAD1', ts: '3.1' });
    expect(store.queries.taskMessage(deal.id, 'advice', REP)).toBeNull();
  });

  it('finds the latest task of a kind and any task by id', () => {
    const deal = store.deals.insertDeal(newDeal());
    const first = openTask(deal.id, 'progress', REP, '2026-12-01');
    store.deals.closeTask(first.id, 'done', REP, T0);
    const second = openTask(deal.id, 'progress', REP, '2026-12-08');
    expect(store.queries.latestTask(deal.id, 'progress')?.id).toBe(second.id);
    expect(store.queries.latestTask(deal.id, 'advice')).toBeNull();
    expect(store.queries.task(first.id)).toMatchObject({ state: 'done', completedBy: REP });
    expect(store.queries.task(99_999)).toBeNull();
  });
});

describe('the newest part of a timeline (詳細, the loss report)', () => {
  let store: Store;
  let dealId: number;
  /** 300 entries on one deal: comments (every third edited later, some deleted), advice and progress. */
  beforeEach(() => {
    store = open();
    dealId = store.deals.insertDeal(newDeal()).id;
    const other = store.deals.insertDeal(newDeal()).id;
    store.deals.appendTimeline(dealId, REP, T0, { kind: 'report', report: newDeal() });
    const comments: { channel: string; ts: string }[] = [];
    for (let i = 1; i < 300; i += 1) {
      const message = { channel: 'C0SALES', ts: `1764000000.${String(i).padStart(6, '0')}` };
      if (i % 10 === 3)
        store.deals.appendTimeline(dealId, REP, T0, { kind: 'progress', entry: { ...progress, content: `#${i}` } });
      else if (i % 10 === 7) store.deals.appendTimeline(dealId, LEADER, T0, { kind: 'advice', text: `#${i}` });
      else if (i % 10 === 9 && comments.length > 2) {
        // An edit of a comment two back, or the deletion of one: they follow the comment they change.
        const target = comments[comments.length - 2]!;
        const data: TimelineData =
          i % 20 === 9
            ? { kind: 'comment_edited', text: `#${i} edit`, message: target }
            : { kind: 'comment_deleted', message: target };
        store.deals.appendTimeline(dealId, REP, T0, data);
      } else {
        store.deals.appendTimeline(dealId, REP, T0, { kind: 'comment', text: `#${i}`, message });
        comments.push(message);
      }
      store.deals.appendTimeline(other, REP, T0, { kind: 'advice', text: 'another deal' });
    }
  });

  const isItem = (entry: TimelineEntry) => (TIMELINE_ITEM_KINDS as readonly string[]).includes(entry.kind);

  it('reads the newest items, the entries after them and a count, not the whole timeline', () => {
    const whole = store.queries.timeline(dealId);
    const items = whole.filter(isItem);
    for (const wanted of [1, 10, 47]) {
      const recent = store.queries.recentTimeline(dealId, wanted);
      const oldest = items.at(-wanted)!;
      expect(recent.itemCount).toBe(items.length);
      expect(recent.entries).toEqual(whole.filter((entry) => entry.id >= oldest.id));
      expect(recent.entries.filter(isItem)).toHaveLength(wanted);
    }
    // A short timeline is read whole.
    expect(store.queries.recentTimeline(dealId, 1_000)).toEqual({ entries: whole, itemCount: items.length });
  });

  it('gives 詳細 what it showed from the whole timeline', () => {
    const whole = store.queries.timeline(dealId);
    const viewer = { timeZone: 'Asia/Tokyo', maySeeLossReason: true, lists: DEFAULT_OPTION_LISTS };
    const deal = store.queries.getDeal(dealId)!;
    const fromWhole = buildDetailsModal(deal, { entries: whole, itemCount: whole.filter(isItem).length }, viewer);
    const fromRecent = buildDetailsModal(deal, store.queries.recentTimeline(dealId, DETAILS_MAX_ITEMS), viewer);
    expect(fromRecent).toEqual(fromWhole);
    expect(JSON.stringify(fromRecent)).toContain('edit');
    expect(JSON.stringify(fromRecent)).toContain('削除されたコメント');
  });

  it('finds the progress entry before a given one without reading the rest', () => {
    const whole = store.queries.timeline(dealId);
    const progressIds = whole.filter((entry) => entry.kind === 'progress').map((entry) => entry.id);
    const last = whole.at(-1)!;
    expect(store.queries.progressBefore(dealId, last.id + 1)?.content).toBe('#293');
    expect(store.queries.progressBefore(dealId, progressIds[1]!)?.content).toBe('#3');
    expect(store.queries.progressBefore(dealId, progressIds[0]!)).toBeNull();
  });
});

describe('UserCache', () => {
  it('remembers what Slack said about a person and replaces it when told again', () => {
    const store = open();
    expect(store.users.get(REP)).toBeNull();
    const facts = { id: REP, teamId: 'T0ANKEN', isBot: false, isGuest: false, deleted: false, fetchedAt: T0 };
    store.users.put(facts);
    expect(store.users.get(REP)).toEqual(facts);
    const converted = { ...facts, teamId: null, isGuest: true, deleted: true, isBot: true, fetchedAt: LATER };
    store.users.put(converted);
    expect(store.users.get(REP)).toEqual(converted);
    expect(store.users.get(REP2)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Bounded plans (better-sqlite3 blocks the event loop): the queries a user can trigger, or that run on every dispatch,
// must use an index. The SQL is copied from src/store; keep it in step.

const HOT_QUERIES: Record<string, { sql: string; params: unknown[] }> = {
  'outbox due (outbox-store.ts)': {
    sql: `SELECT o.id, o.payload, o.attempts, o.created_at, o.last_error FROM outbox o
       WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' GROUP BY p.ordering_key)
         AND o.next_attempt_at <= ?
       ORDER BY o.id LIMIT ?`,
    params: [T0, 4],
  },
  'outbox nextAttemptAfter (outbox-store.ts)': {
    sql: `SELECT MIN(o.next_attempt_at) AS at FROM outbox o
       WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' GROUP BY p.ordering_key)
         AND o.next_attempt_at > ?`,
    params: [T0],
  },
  'delivered rows a failure notice reads (retention-store.ts)': {
    sql: `SELECT json_extract(payload, '$.failedEffectId') AS id FROM outbox
       WHERE state IN ('pending', 'failed') AND kind = 'report_delivery_failure'`,
    params: [],
  },
  'pending home refresh (deal-repository.ts)': {
    sql: `SELECT 1 FROM outbox WHERE ordering_key = ? AND state = 'pending' AND attempts = 0 LIMIT 1`,
    params: ['home:U1'],
  },
  'appendTimeline (deal-repository.ts)': {
    sql: `INSERT INTO timeline (deal_id, kind, author_id, at, data, message_channel, message_ts, place)
       VALUES (@dealId, @kind, @authorId, @at, @data, @channel, @ts,
         COALESCE((SELECT t.place FROM timeline t WHERE t.deal_id = @dealId ORDER BY t.id DESC LIMIT 1),
           (SELECT COUNT(*) FROM timeline t WHERE t.deal_id = @dealId)) + 1)
       RETURNING id, place`,
    params: [{ dealId: 1, kind: 'advice', authorId: 'U1', at: T0, data: '{}', channel: null, ts: null }],
  },
  'dealIdByCard (deal-repository.ts)': {
    sql: 'SELECT id FROM deals WHERE card_channel = ? AND card_ts = ?',
    params: ['C0SALES', '1.1'],
  },
  'cardPostUnrecorded (deal-repository.ts)': {
    sql: `SELECT 1 FROM outbox WHERE state = 'pending' AND kind = 'post_card' AND attempts > 0 AND created_at <= ? LIMIT 1`,
    params: [T0],
  },
  'getDealByExternalId (deal-repository.ts)': {
    sql: 'SELECT * FROM deals WHERE external_id = ?',
    params: ['crm-1'],
  },
  'findComment (deal-repository.ts)': {
    sql: `SELECT * FROM timeline WHERE message_channel = ? AND message_ts = ? AND kind = 'comment' ORDER BY id LIMIT 1`,
    params: ['C0SALES', '1.1'],
  },
  'findHandled (deal-repository.ts)': {
    sql: 'SELECT deal_id FROM handled_requests WHERE key = ?',
    params: ['report:V1'],
  },
  'getOpenTask (deal-repository.ts)': {
    sql: `SELECT * FROM tasks WHERE deal_id = ? AND kind = ? AND state = 'open'`,
    params: [1, 'advice'],
  },
  'getLatestTask (deal-repository.ts)': {
    sql: 'SELECT * FROM tasks WHERE deal_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
    params: [1, 'advice'],
  },
  'overdue tasks never reminded (deal-repository.ts)': {
    sql: `SELECT * FROM tasks INDEXED BY tasks_overdue_never_reminded
         WHERE state = 'open' AND reminded_on IS NULL AND due_on < @today
         ORDER BY due_on, id LIMIT @limit`,
    params: [{ today: '2026-11-27', limit: 100 }],
  },
  'overdue tasks reminded before today (deal-repository.ts)': {
    sql: `SELECT * FROM tasks WHERE state = 'open' AND reminded_on < @today ORDER BY reminded_on, due_on, id LIMIT @limit`,
    params: [{ today: '2026-11-27', limit: 100 }],
  },
  'nthNewestItem (deal-queries.ts)': {
    sql: `SELECT id FROM timeline WHERE deal_id = ? AND kind IN ('report', 'advice', 'progress', 'comment', 'handover', 'snoozed', 'snooze_lifted') ORDER BY id DESC LIMIT 1 OFFSET ?`,
    params: [1, 46],
  },
  'timelineFrom (deal-queries.ts)': {
    sql: 'SELECT * FROM timeline WHERE deal_id = ? AND id >= ? ORDER BY id',
    params: [1, 10],
  },
  'countEntries (deal-queries.ts)': {
    sql: 'SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ?',
    params: [1],
  },
  'countCommentChanges (deal-queries.ts)': {
    sql: `SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ? AND kind IN ('comment_edited', 'comment_deleted')`,
    params: [1],
  },
  'progressBefore (deal-queries.ts)': {
    sql: `SELECT * FROM timeline WHERE deal_id = ? AND kind = 'progress' AND id < ? ORDER BY id DESC LIMIT 1`,
    params: [1, 10],
  },
  'timeline by deal (deal-queries.ts)': {
    sql: 'SELECT * FROM timeline WHERE deal_id = ? ORDER BY id',
    params: [1],
  },
  'openTasksOf (deal-queries.ts)': {
    sql: `SELECT t.* FROM tasks t WHERE t.state = 'open' AND t.assignee_id = ? ORDER BY t.due_on, t.id LIMIT ?`,
    params: [REP, 16],
  },
  'openAdviceTasks (deal-queries.ts)': {
    sql: `SELECT t.* FROM tasks t INDEXED BY tasks_advice_waiting
       WHERE t.state = 'open' AND t.kind = 'advice' AND t.assignee_id IS NULL
       ORDER BY t.due_on, t.id LIMIT ?`,
    params: [16],
  },
  'openAdviceCount (deal-queries.ts)': {
    sql: `SELECT COUNT(*) AS n FROM tasks INDEXED BY tasks_advice_waiting
       WHERE state = 'open' AND kind = 'advice' AND assignee_id IS NULL`,
    params: [],
  },
  'openDealsOwnedBy (deal-queries.ts)': {
    sql: `SELECT * FROM deals WHERE owner_id = ? AND status IN ('draft', 'negotiating') ORDER BY id DESC LIMIT ?`,
    params: [REP, 16],
  },
  // The next two run on every App Home publish, i.e. each time anyone opens the Home tab.
  'pipeline: deals in negotiation (deal-queries.ts)': {
    sql: `SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM deals WHERE status = 'negotiating'`,
    params: [],
  },
  'pipeline: closed this month (deal-queries.ts)': {
    sql: 'SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM deals WHERE status = ? AND closed_at >= ?',
    params: ['won', '2026-10-31T15:00:00.000Z'],
  },
  'recentFailures (outbox-store.ts)': {
    sql: `SELECT id, payload, attempts, created_at, last_error, finished_at FROM outbox
       WHERE state = 'failed' ORDER BY id DESC LIMIT ?`,
    params: [5],
  },
  'taskMessage (deal-queries.ts)': {
    sql: 'SELECT channel, ts FROM task_messages WHERE deal_id = ? AND kind = ? AND user_id = ?',
    params: [1, 'advice', LEADER],
  },
};

describe('query plans', () => {
  let store: Store;
  beforeEach(() => {
    store = open();
    // Some rows everywhere. The app never runs ANALYZE, so these are the planner's default plans, as in production.
    for (let i = 0; i < 50; i += 1) {
      const deal = store.deals.insertDeal(newDeal({ externalId: `crm-${i}` }));
      store.queries.setCard(deal.id, { channel: 'C0SALES', ts: `1.${i}` });
      store.deals.appendTimeline(deal.id, REP, T0, {
        kind: 'comment',
        text: 'x',
        message: { channel: 'C0SALES', ts: `2.${i}` },
      });
      store.deals.openTask({ dealId: deal.id, kind: 'progress', assigneeId: REP, dueOn: '2026-12-01', createdAt: T0 });
      store.deals.enqueue([card(deal.id), { kind: 'publish_home', userId: `U${i}` }], T0);
    }
  });

  function card(dealId: number): Effect {
    return { kind: 'post_card', dealId };
  }

  function plan(sql: string, params: unknown[]): string[] {
    return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (row) => row.detail,
    );
  }

  it.each(Object.entries(HOT_QUERIES))('%s uses an index, not a full table scan', (_name, { sql, params }) => {
    const steps = plan(sql, params);
    expect(steps.length).toBeGreaterThan(0);
    const fullScans = steps.filter(
      (step) => /^SCAN \S+$/.test(step) || (/^SCAN /.test(step) && !/USING (COVERING )?INDEX/.test(step)),
    );
    expect(fullScans, steps.join('\n')).toEqual([]);
  });

  it('詳細 and the loss report read in index order, and count from indexes alone', () => {
    for (const name of ['nthNewestItem', 'timelineFrom', 'progressBefore']) {
      const { sql, params } = HOT_QUERIES[`${name} (deal-queries.ts)`]!;
      expect(plan(sql, params).join('\n'), name).not.toContain('TEMP B-TREE');
    }
    const { sql, params } = HOT_QUERIES['progressBefore (deal-queries.ts)']!;
    expect(plan(sql, params).join('\n')).toContain('timeline_progress');
    for (const name of ['countEntries', 'countCommentChanges']) {
      const { sql, params } = HOT_QUERIES[`${name} (deal-queries.ts)`]!;
      expect(plan(sql, params).join('\n'), name).toMatch(/USING COVERING INDEX/);
    }
  });

  it("an entry's place is read from the deal's index alone, not from its last entry's row", () => {
    const { sql, params } = HOT_QUERIES['appendTimeline (deal-repository.ts)']!;
    const reads = plan(sql, params).filter((step) => step.startsWith('SEARCH t'));
    expect(reads).toEqual([
      'SEARCH t USING COVERING INDEX timeline_by_deal (deal_id=?)',
      'SEARCH t USING COVERING INDEX timeline_by_deal (deal_id=?)',
    ]);
  });

  it('the deals waiting for advice are listed and counted from their own index, not by reading every unassigned task', () => {
    for (const name of ['openAdviceTasks', 'openAdviceCount']) {
      const { sql, params } = HOT_QUERIES[`${name} (deal-queries.ts)`]!;
      const steps = plan(sql, params).join('\n');
      expect(steps, name).toMatch(/USING (COVERING )?INDEX tasks_advice_waiting/);
      expect(steps, name).not.toContain('TEMP B-TREE');
    }
  });

  it('a batch of overdue tasks is read in index order: no sort of every overdue task', () => {
    for (const name of ['overdue tasks never reminded', 'overdue tasks reminded before today']) {
      const { sql, params } = HOT_QUERIES[`${name} (deal-repository.ts)`]!;
      const steps = plan(sql, params).join('\n');
      expect(steps, name).toMatch(/USING INDEX tasks_overdue_/);
      expect(steps, name).not.toContain('TEMP B-TREE');
    }
  });

  it('the SQL copied here is the SQL in src/store', async () => {
    const { readFileSync } = await import('node:fs');
    const source = ['outbox-store.ts', 'deal-repository.ts', 'deal-queries.ts', 'retention-store.ts']
      .map((file) => readFileSync(new URL(`../../src/store/${file}`, import.meta.url), 'utf8'))
      .join('\n');
    const squash = (text: string) => text.replace(/\s+/g, ' ');
    for (const [name, { sql }] of Object.entries(HOT_QUERIES)) {
      expect(squash(source), name).toContain(squash(sql));
    }
  });
});
