/**
 * Retention: delivered outbox rows and handled-request records older than RETENTION_DAYS go, in
 * batches with turns of the event loop between them, and the freed pages go back to the file system.
 * What the bot still needs stays. A file made before incremental auto-vacuum is converted once.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticData } from '../../src/devtools/synthetic-history.js';
import {
  applyRetention,
  PAGE_BATCH,
  type RetentionReadAhead,
  ROW_BATCH,
  runDailyRetention,
  upgradeStorage,
} from '../../src/jobs/retention.js';
import { usesIncrementalVacuum } from '../../src/store/auto-vacuum.js';
import { migrate } from '../../src/store/db.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { RetentionStore } from '../../src/store/retention-store.js';
import { createDealProcess } from '../../src/workflow/deal-process.js';
import { createSystemCommands } from '../../src/workflow/system-commands.js';
import type { Actor, Roles } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';
import { silentLogger } from '../support/silent-logger.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T00:00:00.000Z');
const REP = 'U0REP01';
const LEADER = 'U0LEAD1';
const roles: Roles = { workspaceTeamId: 'T0TEAM', leaderIds: [LEADER], adminIds: [LEADER] };
const rep: Actor = { userId: REP, teamId: 'T0TEAM', isBot: false, isGuest: false };

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anken-retention-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'anken.db');
}

function open(path: string): Store {
  const store = openStore(path);
  cleanups.push(() => {
    if (store.db.open) store.close();
  });
  return store;
}

const count = (store: Store, sql: string, ...params: unknown[]) =>
  (store.db.prepare(sql).get(...params) as { n: number }).n;

/** The bot's own writes at a given time: the deal process and the system commands on one moving clock. */
function botAt(store: Store) {
  let clock = NOW;
  const deps = { repo: store.deals, roles, timeZone: 'Asia/Tokyo', now: () => clock, onEffects: () => {} };
  const process = createDealProcess(deps);
  const system = createSystemCommands(deps);
  return {
    process,
    system,
    at(daysAgo: number) {
      clock = new Date(NOW.getTime() - daysAgo * DAY);
      return clock.toISOString();
    },
    /**
     * Delivers the queue heads now, as the dispatcher does (the last of them fails for good when asked);
     * notices to the admins stay pending in this story.
     */
    deliverAll(options: { failLast?: boolean } = {}) {
      const due = store.outbox.due('9999', 10_000).filter((item) => item.effect.kind !== 'report_delivery_failure');
      due.forEach((item, index) => {
        if (options.failLast && index === due.length - 1)
          store.outbox.markFailed(item.id, 'not_in_channel', clock.toISOString());
        else store.outbox.markDone(item.id, clock.toISOString());
      });
      return due.map((item) => item.id);
    },
  };
}

describe('the retention job', () => {
  it('deletes delivered effects and handled requests older than the period and keeps what the bot needs', async () => {
    const store = open(tempPath());
    const bot = botAt(store);
    // 400 days ago: a deal reported and everything delivered, but one reply given up.
    bot.at(400);
    const old = bot.process.reportDeal({ actor: rep, report: sampleReport(), idempotencyKey: 'V-old' }).deal;
    bot.deliverAll({ failLast: true });
    while (bot.deliverAll().length > 0);
    const failed = store.outbox.recentFailures(5);
    expect(failed).toHaveLength(1);
    // 31 days ago the admin sent it again and it went through; its notice to the admin is still pending.
    bot.at(31);
    bot.system.retryFailedDelivery({ ...rep, userId: LEADER }, failed[0]!.id);
    while (bot.deliverAll().length > 0);
    bot.system.reportDeliveryFailure(failed[0]!.id, failed[0]!.effect.kind);
    const pendingNotice = store.outbox.due('9999', 10).find((item) => item.effect.kind === 'report_delivery_failure');
    expect(pendingNotice).toBeDefined();
    // 35 days ago another delivery was given up and nobody has sent it again yet.
    bot.at(35);
    bot.process.recordProgress({ actor: rep, dealId: old.id, entry: sampleProgress(), idempotencyKey: 'V-p1' });
    const stillFailed = bot.deliverAll({ failLast: true }).at(-1)!;
    while (bot.deliverAll().length > 0);
    // 29 days ago: within the period.
    bot.at(29);
    bot.process.recordProgress({ actor: rep, dealId: old.id, entry: sampleProgress(), idempotencyKey: 'V-p2' });
    while (bot.deliverAll().length > 0);
    // A minute ago: a report whose retry Slack may still send.
    bot.at(1 / 1440);
    const recent = bot.process.reportDeal({ actor: rep, report: sampleReport(), idempotencyKey: 'V-new' }).deal;

    const result = await applyRetention(
      { retention: store.retention, retentionDays: 30, incrementalVacuum: true },
      NOW,
    );

    expect(result.cutoff).toBe('2026-10-31T00:00:00.000Z');
    expect(result.outboxDeleted).toBeGreaterThan(0);
    // Delivered rows: only those finished within the period remain, plus the one a pending notice reads.
    const delivered = store.db
      .prepare(`SELECT id, finished_at AS finishedAt FROM outbox WHERE state = 'done' ORDER BY id`)
      .all() as { id: number; finishedAt: string }[];
    expect(delivered.filter((row) => row.finishedAt < result.cutoff).map((row) => row.id)).toEqual([failed[0]!.id]);
    expect(delivered.some((row) => row.finishedAt >= result.cutoff)).toBe(true);
    // Failed rows stay for an admin to resend, whatever their age; pending ones stay for delivery.
    expect(store.outbox.getFailure(stillFailed)).toMatchObject({ id: stillFailed });
    expect(count(store, `SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'`)).toBeGreaterThan(0);
    expect(store.outbox.getFailure(pendingNotice!.id)).not.toBeNull();
    // Handled requests: the old ones are gone, the recent ones still catch a retry.
    expect(result.handledDeleted).toBe(2);
    expect(store.deals.findHandled('report:V-old')).toBeNull();
    expect(store.deals.findHandled('progress:V-p2')).toEqual({ dealId: old.id });
    const retried = bot.process.reportDeal({ actor: rep, report: sampleReport(), idempotencyKey: 'V-new' });
    expect(retried).toMatchObject({ duplicate: true, deal: { id: recent.id } });
    // Deals, timelines and tasks are never touched.
    expect(count(store, 'SELECT COUNT(*) AS n FROM deals')).toBe(2);
    expect(store.queries.timeline(old.id)).toHaveLength(3);
  });

  it('works in batches, yielding to the event loop between them, and gives the free pages back', async () => {
    const path = tempPath();
    const store = open(path);
    generateSyntheticData(store.db, { deals: 300, heavyDealEntries: 0, outboxPerDeal: 43, until: NOW.toISOString() });
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
    const rowsBefore = count(store, 'SELECT COUNT(*) AS n FROM outbox');
    const pagesBefore = store.db.pragma('page_count', { simple: true }) as number;
    const seenAtYields: number[] = [];

    const result = await applyRetention(
      {
        retention: store.retention,
        retentionDays: 30,
        incrementalVacuum: usesIncrementalVacuum(store.db),
        yieldToLoop: async () => {
          seenAtYields.push(count(store, 'SELECT COUNT(*) AS n FROM outbox'));
          await new Promise((resolve) => setImmediate(resolve));
        },
      },
      NOW,
    );

    const rowsAfter = count(store, 'SELECT COUNT(*) AS n FROM outbox');
    expect(result.outboxDeleted).toBe(rowsBefore - rowsAfter);
    expect(rowsAfter).toBeGreaterThan(0);
    // The work was spread over turns of the event loop: other requests ran between batches that had
    // each deleted only part of the old rows.
    expect(result.batches).toBeGreaterThan(5);
    expect(seenAtYields.length).toBe(result.batches - 3);
    expect(seenAtYields.some((rows) => rows < rowsBefore && rows > rowsAfter)).toBe(true);
    // The file gives the space back.
    expect(usesIncrementalVacuum(store.db)).toBe(true);
    expect(result.pagesReturned).toBeGreaterThan(0);
    expect(store.db.pragma('freelist_count', { simple: true })).toBe(0);
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
    expect(store.db.pragma('page_count', { simple: true })).toBeLessThan(pagesBefore);
    expect(statSync(path).size).toBe((store.db.pragma('page_count', { simple: true }) as number) * 4096);
    // Nothing newer than the cutoff went.
    expect(count(store, `SELECT COUNT(*) AS n FROM outbox WHERE created_at >= ?`, result.cutoff)).toBe(rowsAfter);
  });
});

describe('reading ahead and batch sizes', () => {
  function syntheticStore(): Store {
    const store = open(tempPath());
    generateSyntheticData(store.db, { deals: 300, heavyDealEntries: 0, outboxPerDeal: 43, until: NOW.toISOString() });
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
    return store;
  }

  /** The store with each batch's window recorded, and a read-ahead that records what it was asked. */
  function recorded(store: Store) {
    const log: string[] = [];
    const sizes = { rows: [] as number[], pages: [] as number[] };
    const retention: RetentionStore = {
      ...store.retention,
      deleteDeliveredBefore(cutoff, after, limit, keep) {
        log.push(`delete outbox ${after} ${limit}`);
        sizes.rows.push(limit);
        return store.retention.deleteDeliveredBefore(cutoff, after, limit, keep);
      },
      deleteHandledBefore(cutoff, after, limit) {
        log.push(`delete handled ${after} ${limit}`);
        sizes.rows.push(limit);
        return store.retention.deleteHandledBefore(cutoff, after, limit);
      },
      returnFreePages(pages) {
        log.push(`return ${pages}`);
        sizes.pages.push(pages);
        store.retention.returnFreePages(pages);
      },
    };
    const readAhead: RetentionReadAhead = {
      start: async () => log.push('read pointer map'),
      rows: async (table, after, size) => log.push(`read ${table} ${after} ${size}`),
      tail: async (pages) => log.push(`read tail ${pages}`),
    };
    return { retention, readAhead, log, sizes };
  }

  /** A clock on which every batch takes `ms`. */
  function batchesTaking(ms: number) {
    let now = 0;
    return () => {
      now += ms / 2;
      return now;
    };
  }

  it('reads each batch ahead, by the window the batch then deletes from, before it runs', async () => {
    const store = syntheticStore();
    const { retention, readAhead, log } = recorded(store);

    const result = await applyRetention(
      { retention, retentionDays: 30, incrementalVacuum: true, readAhead, elapsed: batchesTaking(1) },
      NOW,
    );

    expect(result.pagesReturned).toBeGreaterThan(0);
    expect(log[0]).toBe('read pointer map');
    const runs = log.flatMap((entry, index) => (/^(delete|return)/.test(entry) ? [index] : []));
    expect(runs.length).toBeGreaterThan(5);
    for (const index of runs) {
      const expected = log[index]!.replace(/^delete/, 'read').replace(/^return/, 'read tail');
      expect(log[index - 1], log[index]).toBe(expected);
    }
  });

  it('keeps batch sizes within their bounds, however fast or slow the batches are', async () => {
    for (const ms of [0.2, 40]) {
      const store = syntheticStore();
      const { retention, sizes } = recorded(store);

      await applyRetention({ retention, retentionDays: 30, incrementalVacuum: true, elapsed: batchesTaking(ms) }, NOW);

      expect(sizes.rows[0]).toBe(ROW_BATCH.first);
      expect(sizes.pages[0]).toBe(PAGE_BATCH.first);
      for (const [limits, seen] of [
        [ROW_BATCH, sizes.rows],
        [PAGE_BATCH, sizes.pages],
      ] as const) {
        expect(Math.min(...seen)).toBeGreaterThanOrEqual(limits.min);
        expect(Math.max(...seen)).toBeLessThanOrEqual(limits.max);
        // Fast batches grow to the largest size; slow ones shrink to the smallest.
        expect(ms < 1 ? Math.max(...seen) : Math.min(...seen)).toBe(ms < 1 ? limits.max : limits.min);
      }
    }
    expect(ROW_BATCH.max).toBeLessThanOrEqual(2_000);
  });

  it('reads ahead in a worker thread in the daily run, and deletes just what a run without it deletes', async () => {
    const [withReadAhead, without] = [syntheticStore(), syntheticStore()];
    const outboxIds = (store: Store) => store.db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all();

    const daily = await runDailyRetention({ store: withReadAhead, retentionDays: 30, logger: silentLogger }, NOW);
    const plain = await applyRetention(
      { retention: without.retention, retentionDays: 30, incrementalVacuum: true },
      NOW,
    );

    expect(daily).toMatchObject({ outboxDeleted: plain.outboxDeleted, handledDeleted: plain.handledDeleted });
    expect(daily.outboxDeleted).toBeGreaterThan(0);
    expect(outboxIds(withReadAhead)).toEqual(outboxIds(without));
    expect(withReadAhead.db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(withReadAhead.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('returning free pages while another connection writes', () => {
  it('goes on until no page is free, even when the other connection frees pages meanwhile', async () => {
    const path = tempPath();
    const store = open(path);
    store.db.exec(`CREATE TABLE filler (text TEXT);
      INSERT INTO filler SELECT printf('%.3000c', 'x') FROM json_each('[${'0,'.repeat(399)}0]')`);
    store.db.exec('DROP TABLE filler');
    // Another writer stands here: its commit frees pages of the bot's database between two steps.
    const other = new Database(path);
    cleanups.push(() => other.close());
    other.exec(`CREATE TABLE other_filler (text TEXT);
      INSERT INTO other_filler SELECT printf('%.3000c', 'y') FROM json_each('[${'0,'.repeat(199)}0]')`);
    let freedMeanwhile = false;
    const retention = {
      ...store.retention,
      returnFreePages(pages: number) {
        store.retention.returnFreePages(pages);
        if (!freedMeanwhile) other.exec('DROP TABLE other_filler');
        freedMeanwhile = true;
      },
    };
    const result = await applyRetention({ retention, retentionDays: 30, incrementalVacuum: true }, NOW);
    expect(freedMeanwhile).toBe(true);
    expect(result.pagesReturned).toBeGreaterThan(0);
    expect(store.db.pragma('main.freelist_count', { simple: true })).toBe(0);
  });
});

describe('a database made before incremental auto-vacuum', () => {
  function legacyDatabase(path: string): void {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db);
    generateSyntheticData(db, { deals: 200, heavyDealEntries: 0, outboxPerDeal: 43, until: NOW.toISOString() });
    db.close();
  }

  it('is converted once at start-up, after the expired rows are deleted', async () => {
    const path = tempPath();
    legacyDatabase(path);
    const sizeBefore = statSync(path).size;
    const store = open(path);
    expect(usesIncrementalVacuum(store.db)).toBe(false);
    const deals = count(store, 'SELECT COUNT(*) AS n FROM deals');
    const logged: string[] = [];
    const logger = { info: (message: string) => logged.push(message), warn: (message: string) => logged.push(message) };

    const conversion = await upgradeStorage(
      { db: store.db, retention: store.retention, retentionDays: 30, logger, freeBytes: () => 2 ** 40 },
      NOW,
    );

    expect(conversion).toMatchObject({ converted: true });
    expect(usesIncrementalVacuum(store.db)).toBe(true);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(store, 'SELECT COUNT(*) AS n FROM deals')).toBe(deals);
    expect(count(store, `SELECT COUNT(*) AS n FROM outbox WHERE state = 'done' AND finished_at < '2026-10-31'`)).toBe(
      0,
    );
    // Most of the file was delivered outbox rows (the search index and counters stay).
    expect(statSync(path).size).toBeLessThan(sizeBefore / 2);
    expect(logged[0]).toContain('一度だけ整理します');
    // The next start finds nothing to do.
    expect(await upgradeStorage({ db: store.db, retention: store.retention, retentionDays: 30, logger }, NOW)).toEqual({
      converted: false,
      reason: 'already',
    });
  });

  it('is left as it is, with a warning saying how much space is needed, when the disk is too full', async () => {
    const path = tempPath();
    legacyDatabase(path);
    const store = open(path);
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (message: string) => warnings.push(message) };

    const conversion = await upgradeStorage(
      { db: store.db, retention: store.retention, retentionDays: 30, logger, freeBytes: () => 1024 },
      NOW,
    );

    expect(conversion).toMatchObject({ converted: false, reason: 'disk_space', freeBytes: 1024 });
    expect(usesIncrementalVacuum(store.db)).toBe(false);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ディスクの空きが足りない.*必要 [\d.]+ GiB/);
  });
});
