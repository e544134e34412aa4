import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticData } from '../../src/devtools/synthetic-history.js';
import { openDatabase } from '../../src/store/db.js';
import { createDealSearch } from '../../src/store/deal-search.js';
import { analysisQueries, COUNTER_READS, createDealStats, runAnalysisQueries } from '../../src/store/deal-stats.js';
import { openStore, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';
import { statsGroupsMigration } from '../../src/store/stats-groups-migration.js';
import { type MonthRange, summariseAnalysis } from '../../src/workflow/analysis.js';
import { COMPANY_SIZES, INDUSTRIES, LOSS_REASONS } from '../../src/workflow/catalog.js';
import { NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import type { Deal } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

const ALL_TIME: MonthRange = { from: '2000-01', to: '2099-12' };
const stores: Store[] = [];
const files: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const file of files.splice(0))
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
});

function seeded(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

function newDeal(store: Store, rand: ReturnType<typeof seeded>, n: number): Deal {
  return store.deals.transaction(() => {
    const report = sampleReport({
      industry: rand.pick(INDUSTRIES),
      companySize: rand.pick(COMPANY_SIZES),
      ownerId: rand.pick(['U0REP01', 'U0REP02', 'U0REP03']),
      amount: Math.floor(rand.next() * 100) * 100_000,
      expectedCloseDate: `2026-${String(1 + Math.floor(rand.next() * 12)).padStart(2, '0')}-15`,
    });
    return store.deals.insertDeal({
      ...report,
      status: 'negotiating',
      reporterId: report.ownerId,
      externalId: null,
      createdAt: day(n),
      reportedAt: day(n),
    });
  });
}

function close(store: Store, deal: Deal, status: 'won' | 'lost', at: string, reason: string | null): Deal {
  return store.deals.transaction(() => {
    const entry = sampleProgress({ status, lossReason: status === 'lost' ? reason : null, lossDetail: null });
    const timeline = store.deals.appendTimeline(deal.id, deal.ownerId, at, { kind: 'progress', entry });
    const closed = { ...deal, status, closedAt: at, lastProgressId: timeline.id };
    store.deals.saveDeal(closed);
    return closed;
  });
}

/** What the counters say, and what the deals and their timeline say, for the same months. */
function bothWays(store: Store, months = ALL_TIME) {
  const fromCounters = summariseAnalysis(store.stats.counts(months), months);
  const query = toDealQuery(NO_FILTERS, 'Asia/Tokyo');
  const fromDeals = summariseAnalysis(
    runAnalysisQueries(store.db, analysisQueries(query, months, 'Asia/Tokyo')),
    months,
  );
  return { fromCounters, fromDeals };
}

describe('analysis counters', () => {
  it('stay exact through closes, reopens, edits and deletions', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const rand = seeded(42);
    let deals = Array.from({ length: 150 }, (_, n) => newDeal(store, rand, n));
    deals.forEach((deal, n) => {
      if (rand.next() < 0.5) {
        store.deals.transaction(() =>
          store.deals.appendTimeline(deal.id, 'U0LEAD1', day(n + 1), { kind: 'advice', text: '助言' }),
        );
      }
    });
    deals = deals.map((deal, n) => {
      const roll = rand.next();
      if (roll < 0.4) return close(store, deal, 'won', day(n + 3 + Math.floor(rand.next() * 90)), null);
      if (roll < 0.8)
        return close(store, deal, 'lost', day(n + 5 + Math.floor(rand.next() * 90)), rand.pick(LOSS_REASONS));
      return deal;
    });
    const { fromCounters: before } = bothWays(store);
    expect(before.total.won + before.total.lost).toBeGreaterThan(100);

    // Edits of closed and open deals: 業種, 会社規模, the rep, the amount, 受注予定.
    for (const deal of deals.filter((_, n) => n % 7 === 0)) {
      const edited = {
        ...deal,
        industry: rand.pick(INDUSTRIES),
        ownerId: 'U0REP09',
        amount: 5_000_000,
        expectedCloseDate: '2027-01-31',
      };
      store.deals.transaction(() => store.deals.saveDeal(edited));
      deals[deals.indexOf(deal)] = edited;
    }
    // Reopened deals, some closed again the other way, with another reason.
    for (const deal of deals.filter((d, n) => d.status !== 'negotiating' && n % 5 === 1)) {
      const reopened: Deal = { ...deal, status: 'negotiating', closedAt: null };
      store.deals.transaction(() => store.deals.saveDeal(reopened));
      const again =
        rand.next() < 0.5
          ? close(store, reopened, deal.status === 'won' ? 'lost' : 'won', day(200), 'その他')
          : reopened;
      deals[deals.indexOf(deal)] = again;
    }
    // Deleted deals (with their timeline and tasks).
    for (const deal of deals.filter((_, n) => n % 11 === 3)) {
      store.db.transaction(() => {
        store.db.prepare('DELETE FROM timeline WHERE deal_id = ?').run(deal.id);
        store.db.prepare('DELETE FROM deals WHERE id = ?').run(deal.id);
      })();
    }

    const { fromCounters, fromDeals } = bothWays(store);
    expect(fromCounters).toEqual(fromDeals);
    expect(fromCounters).not.toEqual(before);
    for (const months of [
      { from: '2026-02', to: '2026-03' },
      { from: '2026-05', to: '2026-05' },
    ]) {
      const { fromCounters: part, fromDeals: partFromDeals } = bothWays(store, months);
      expect(part).toEqual(partFromDeals);
    }
  });

  it('match the deals in a bulk-loaded dataset (deals written before their timeline), and the dataset is searchable', () => {
    const db = openDatabase(':memory:');
    generateSyntheticData(db, { deals: 300, heavyDealEntries: 40, outboxPerDeal: 3, seed: 5, years: 2 });
    const stats = createDealStats(db);
    const query = toDealQuery(NO_FILTERS, 'Asia/Tokyo');
    for (const months of [ALL_TIME, { from: '2025-06', to: '2026-05' }]) {
      const fromCounters = summariseAnalysis(stats.counts(months), months);
      expect(fromCounters).toEqual(
        summariseAnalysis(runAnalysisQueries(db, analysisQueries(query, months, 'Asia/Tokyo')), months),
      );
      expect(fromCounters.total.won + fromCounters.total.lost).toBeGreaterThan(20);
    }
    const deal = db.prepare('SELECT id, customer FROM deals WHERE id = 5').get() as { id: number; customer: string };
    const search = createDealSearch(db);
    const found = [...search.each(toDealQuery({ ...NO_FILTERS, keywords: deal.customer }, 'Asia/Tokyo'))];
    expect(found.map((d) => d.id)).toContain(5);
    expect((db.prepare('SELECT COUNT(*) AS n FROM deal_search_backlog').get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('count a reopened deal once, under its latest outcome and reason', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const deal = newDeal(store, seeded(1), 0);
    const lost = close(store, deal, 'lost', day(10), '価格');
    expect(summariseAnalysis(store.stats.counts(ALL_TIME), ALL_TIME).lossReasons).toEqual([
      { reason: '価格', deals: 1, share: 1 },
    ]);
    const reopened = { ...lost, status: 'negotiating' as const, closedAt: null };
    store.deals.transaction(() => store.deals.saveDeal(reopened));
    const now = summariseAnalysis(store.stats.counts(ALL_TIME), ALL_TIME);
    expect(now.lossReasons).toEqual([]);
    expect(now.total).toMatchObject({ won: 0, lost: 0, rate: null });
    expect(now.bySegment).toEqual([]);
    expect(now.byRep).toEqual([]);
    expect(now.medianDays).toEqual({ total: null, advice: null, negotiation: null });
    expect(now.pipeline.reduce((n, row) => n + row.deals, 0)).toBe(1);
    close(store, reopened, 'won', day(20), null);
    const won = summariseAnalysis(store.stats.counts(ALL_TIME), ALL_TIME);
    expect(won.total).toMatchObject({ won: 1, lost: 0, rate: 1, tooFew: true });
    expect(won.medianDays.total).toBe(20);
    expect(won.pipeline).toEqual([]);
  });

  it('count a close in the month of the team’s time zone, from the counters and from the deals alike', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const rand = seeded(3);
    // 2026-03-31 23:30 and 2026-04-01 00:30 in Tokyo: still March 31 in UTC, both.
    const lateMarch = close(store, newDeal(store, rand, 0), 'won', '2026-03-31T14:30:00.000Z', null);
    close(store, newDeal(store, rand, 1), 'lost', '2026-03-31T15:30:00.000Z', '価格');
    const march = { from: '2026-03', to: '2026-03' };
    const april = { from: '2026-04', to: '2026-04' };
    const outcome = (months: MonthRange, zone: string) => {
      const fromCounters = summariseAnalysis(store.stats.counts(months), months).total;
      const query = toDealQuery(NO_FILTERS, zone);
      const fromDeals = summariseAnalysis(
        runAnalysisQueries(store.db, analysisQueries(query, months, zone)),
        months,
      ).total;
      expect(fromDeals).toEqual(fromCounters);
      return { won: fromCounters.won, lost: fromCounters.lost };
    };
    expect(outcome(march, 'Asia/Tokyo')).toEqual({ won: 1, lost: 0 });
    expect(outcome(april, 'Asia/Tokyo')).toEqual({ won: 0, lost: 1 });

    // Another zone recounts every deal once; the same zone again changes nothing.
    expect(store.stats.keepMonthsIn('UTC')).toBe(true);
    expect(store.stats.keepMonthsIn('UTC')).toBe(false);
    expect(outcome(march, 'UTC')).toEqual({ won: 1, lost: 1 });
    expect(outcome(april, 'UTC')).toEqual({ won: 0, lost: 0 });
    // New York: 2026-03-31 23:30 there is 2026-04-01 03:30 UTC (summer time, UTC−4).
    store.deals.transaction(() => store.deals.saveDeal({ ...lateMarch, closedAt: '2026-04-01T03:30:00.000Z' }));
    store.stats.keepMonthsIn('America/New_York');
    expect(outcome(march, 'America/New_York')).toEqual({ won: 1, lost: 1 });
    expect(store.stats.keepMonthsIn('Asia/Tokyo')).toBe(true);
    expect(outcome(april, 'Asia/Tokyo')).toEqual({ won: 1, lost: 1 });
  });

  it('are carried over to one row per group and month: the same analysis, and exact through later changes', () => {
    const file = join(tmpdir(), `anken-stats-groups-${process.pid}.db`);
    files.push(file);
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.pragma('synchronous = OFF');
    const step = migrations.indexOf(statsGroupsMigration);
    for (const [index, sql] of migrations.slice(0, step).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    }
    generateSyntheticData(old, { deals: 300, reps: 12, heavyDealEntries: 40, outboxPerDeal: 0, seed: 9, years: 2 });
    const oldRows = (table: string) =>
      (old.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE deals <> 0`).get() as { n: number }).n;
    expect(oldRows('stats_reps')).toBeGreaterThan(100);
    expect(oldRows('stats_durations')).toBeGreaterThan(100);
    old.close();

    const store = openStore(file);
    stores.push(store);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM stats_owners').get()).toEqual({ n: 12 });
    const halfYear = { from: '2025-06', to: '2025-11' };
    for (const months of [ALL_TIME, halfYear]) {
      const { fromCounters, fromDeals } = bothWays(store, months);
      expect(fromCounters).toEqual(fromDeals);
      expect(fromCounters.byRep).toHaveLength(12);
      expect(fromCounters.medianDays.advice).not.toBeNull();
    }

    // After the step, every change goes through the new counters' trigger.
    const rand = seeded(11);
    const fresh = newDeal(store, rand, 400);
    close(store, fresh, 'lost', day(430), '価格');
    const closed = store.db
      .prepare(`SELECT id FROM deals WHERE status IN ('won', 'lost') ORDER BY id LIMIT 30`)
      .pluck()
      .all() as number[];
    for (const [n, id] of closed.entries()) {
      const deal = store.queries.getDeal(id);
      if (!deal) throw new Error(`deal ${id}`);
      const changed: Deal =
        n % 3 === 0
          ? { ...deal, status: 'negotiating', closedAt: null }
          : { ...deal, industry: '小売業', companySize: '1〜49名', ownerId: 'U0REP99', amount: 1_000_000 };
      store.deals.transaction(() => store.deals.saveDeal(changed));
    }
    store.db.transaction(() => {
      for (const id of closed.slice(0, 5)) {
        store.db.prepare('DELETE FROM timeline WHERE deal_id = ?').run(id);
        store.db.prepare('DELETE FROM tasks WHERE deal_id = ?').run(id);
        store.db.prepare('DELETE FROM task_messages WHERE deal_id = ?').run(id);
        store.db.prepare('DELETE FROM deal_follow_ups WHERE deal_id = ?').run(id);
        store.db.prepare('DELETE FROM deals WHERE id = ?').run(id);
      }
    })();
    for (const months of [ALL_TIME, halfYear]) {
      const { fromCounters, fromDeals } = bothWays(store, months);
      expect(fromCounters).toEqual(fromDeals);
    }
    expect(bothWays(store).fromCounters.byRep.map((rep) => rep.ownerId)).toContain('U0REP99');
  });

  it('are read group by group: the months of each group are one range of the key, and nothing is sorted', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const rand = seeded(5);
    for (let n = 0; n < 20; n += 1) close(store, newDeal(store, rand, n), n % 2 ? 'won' : 'lost', day(n + 30), '価格');
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ from: '2026-01', to: '2026-12' }) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
    expect(plan(COUNTER_READS.outcomes)).toMatch(
      /^SCAN s\nSEARCH c USING PRIMARY KEY \(industry=\? AND company_size=\? AND month>\? AND month<\?\)$/,
    );
    expect(plan(COUNTER_READS.reps)).toMatch(
      /^SCAN o\nSEARCH c USING PRIMARY KEY \(owner_id=\? AND month>\? AND month<\?\)$/,
    );
    expect(plan(COUNTER_READS.durations)).toMatch(
      /^SEARCH stats_durations USING PRIMARY KEY \(month>\? AND month<\?\)/,
    );
  });
});
