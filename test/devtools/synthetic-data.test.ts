/**
 * The data generator (npm run seed): a dataset with the bot's own schema that the bot's own code reads,
 * shaped like years of use, and the same for the same seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticData, type SyntheticSummary } from '../../src/devtools/synthetic-history.js';
import { openDatabase } from '../../src/store/db.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tableCounts } from '../../src/store/synthetic-data.js';
import { COMPANY_SIZES, INDUSTRIES, LOSS_REASONS } from '../../src/workflow/catalog.js';

const DEALS = 400;
const HEAVY = 300;
const root = mkdtempSync(join(tmpdir(), 'anken-seed-'));
const path = join(root, 'seed.db');
let summary: SyntheticSummary;
let store: Store;

beforeAll(() => {
  const db = openDatabase(path);
  summary = generateSyntheticData(db, { deals: DEALS, heavyDealEntries: HEAVY, outboxPerDeal: 43, seed: 7 });
  db.close();
  store = openStore(path);
});

afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

const all = (sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params) as Record<string, unknown>[];
const one = (sql: string, ...params: unknown[]) => (store.db.prepare(sql).get(...params) as { n: number }).n;

/** Everything the generator wrote, in a form two runs can be compared by. */
function dump(dbPath: string): string {
  const db = openDatabase(dbPath);
  try {
    // task_messages has no rowid: it is ordered by its primary key.
    const tables = ['deals', 'timeline', 'tasks', 'task_messages', 'handled_requests', 'outbox'];
    const order = (table: string) => (table === 'task_messages' ? 'deal_id, kind, user_id' : 'rowid');
    return JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY ${order(table)}`).all()));
  } finally {
    db.close();
  }
}

describe('the synthetic dataset', () => {
  it('is whole: the schema is the migrated one, foreign keys and integrity hold', () => {
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tableCounts(store.db)).toMatchObject({
      deals: DEALS,
      timeline: summary.timeline,
      tasks: summary.tasks,
      handled_requests: summary.handledRequests,
      outbox: summary.outbox.done + summary.outbox.failed + summary.outbox.pending,
      users: 200 + 4,
    });
  });

  it('has the proportions of years of use: ~5 entries, ~3 tasks and ~43 delivered effects a deal', () => {
    const perDeal = (n: number) => n / (DEALS - 1);
    expect(perDeal(summary.timeline - HEAVY)).toBeGreaterThan(4);
    expect(perDeal(summary.timeline - HEAVY)).toBeLessThan(6.5);
    expect(perDeal(summary.tasks - HEAVY * 0.3)).toBeGreaterThan(2.5);
    expect(perDeal(summary.tasks - HEAVY * 0.3)).toBeLessThan(3.5);
    expect(summary.outbox.done / DEALS).toBeGreaterThan(40);
    expect(summary.outbox.done / DEALS).toBeLessThan(46);
    // Five years ending at the dataset's "now".
    const span = all('SELECT MIN(created_at) AS first, MAX(created_at) AS last FROM deals')[0]!;
    expect(String(span.first) >= summary.from && String(span.last) <= summary.until).toBe(true);
    expect(Date.parse(String(span.last)) - Date.parse(String(span.first))).toBeGreaterThan(4.5 * 365 * 86_400_000);
  });

  it('has a realistic status mix: most closed, some 商談中, a few drafts from another system', () => {
    const byStatus = Object.fromEntries(
      all('SELECT status, COUNT(*) AS n FROM deals GROUP BY status').map((row) => [row.status, row.n]),
    ) as Record<string, number>;
    expect((byStatus.won ?? 0) + (byStatus.lost ?? 0)).toBeGreaterThan(DEALS * 0.8);
    expect(byStatus.won).toBeGreaterThan(DEALS * 0.2);
    expect(byStatus.negotiating).toBeGreaterThan(0);
    expect(one(`SELECT COUNT(*) AS n FROM deals WHERE status = 'draft' AND reporter_id = 'api'`)).toBe(
      byStatus.draft ?? 0,
    );
    expect(one(`SELECT COUNT(*) AS n FROM deals WHERE status IN ('won', 'lost') AND closed_at IS NULL`)).toBe(0);
    // Each open deal has its open progress task, each closed one none.
    expect(one(`SELECT COUNT(*) AS n FROM tasks WHERE kind = 'progress' AND state = 'open'`)).toBe(
      byStatus.negotiating,
    );
  });

  it('uses the default option ids and Japanese texts with the two-character words people search for', () => {
    const industries = all('SELECT DISTINCT industry FROM deals WHERE industry IS NOT NULL').map((r) => r.industry);
    const sizes = all('SELECT DISTINCT company_size FROM deals WHERE company_size IS NOT NULL').map(
      (r) => r.company_size,
    );
    expect(industries.every((id) => (INDUSTRIES as readonly unknown[]).includes(id))).toBe(true);
    expect(industries.length).toBeGreaterThan(8);
    expect(sizes.sort()).toEqual([...COMPANY_SIZES].sort());
    const reasons = all(`SELECT DISTINCT json_extract(data, '$.entry.lossReason') AS r FROM timeline
      WHERE kind = 'progress' AND json_extract(data, '$.entry.status') = 'lost'`).map((row) => row.r);
    expect(reasons.every((reason) => (LOSS_REASONS as readonly unknown[]).includes(reason))).toBe(true);
    for (const word of ['保守', '更改', '価格', '物流']) {
      expect(one(`SELECT COUNT(*) AS n FROM timeline WHERE data LIKE ?`, `%${word}%`), word).toBeGreaterThan(10);
    }
  });

  it('hands out ids in time order, as the bot does', () => {
    for (const [table, column] of [
      ['timeline', 'at'],
      ['outbox', 'created_at'],
      ['tasks', 'created_at'],
      ['handled_requests', 'at'],
    ]) {
      const outOfOrder = one(
        `SELECT COUNT(*) AS n FROM (SELECT ${column} AS t, LAG(${column}) OVER (ORDER BY rowid) AS before FROM ${table})
         WHERE t < before`,
      );
      expect(outOfOrder, table).toBe(0);
    }
  });

  it('is read by the bot: the long-running deal, a rep’s open work, delivered and failed effects', () => {
    expect(summary.heavyDealId).toBe(1);
    const timeline = store.queries.timeline(1);
    expect(timeline.length).toBeGreaterThanOrEqual(HEAVY);
    expect(new Set(timeline.map((entry) => entry.kind))).toEqual(
      new Set(['report', 'progress', 'comment', 'comment_edited', 'comment_deleted', 'advice']),
    );
    const owner = store.queries.getDeal(1)!.ownerId;
    expect(store.queries.openTasksOf(owner, 16).length).toBeGreaterThan(0);
    expect(store.queries.pipeline('2026-11-01T00:00:00Z').negotiating).toBeGreaterThan(0);
    // Delivered rows carry what the dispatcher leaves on them.
    expect(all(`SELECT DISTINCT last_error, attempts FROM outbox WHERE state = 'done'`)).toEqual([
      { last_error: 'ambiguous:in_flight', attempts: 1 },
    ]);
    expect(one(`SELECT COUNT(*) AS n FROM tasks WHERE reminded_on IS NOT NULL`)).toBeGreaterThan(0);
    expect(one(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'send_reminder'`)).toBeGreaterThan(0);
  });

  it('is the same for the same seed and different for another', () => {
    const again = join(root, 'again.db');
    const other = join(root, 'other.db');
    for (const [file, seed] of [
      [again, 7],
      [other, 8],
    ] as const) {
      const db = openDatabase(file);
      generateSyntheticData(db, { deals: 60, heavyDealEntries: 0, outboxPerDeal: 10, seed });
      db.close();
    }
    const first = join(root, 'first.db');
    const db = openDatabase(first);
    generateSyntheticData(db, { deals: 60, heavyDealEntries: 0, outboxPerDeal: 10, seed: 7 });
    db.close();
    expect(dump(again)).toBe(dump(first));
    expect(dump(other)).not.toBe(dump(first));
  });
});
