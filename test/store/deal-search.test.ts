import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, LogLevel } from '@slack/bolt';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { drainSearchBacklog } from '../../src/jobs/search-backlog.js';
import { createDealSearch } from '../../src/store/deal-search.js';
import { openStore, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';
import { type DealFilters, NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import type { SlackMessageRef } from '../../src/workflow/types.js';
import { sampleProgress, sampleReport } from '../support/samples.js';

const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
} as Logger;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

// Few distinct characters, so that 1-, 2- and 3-character words hit some deals and miss others.
// Full-width and half-width forms and ASCII case are mixed in, to prove NFKC and case folding.
const PIECES = [
  '保守',
  '更改',
  '価格',
  '物流',
  '見積',
  '提案',
  '部長',
  'の',
  'を',
  'に',
  '、',
  '。',
  ' ',
  '　',
  'ｼｽﾃﾑ',
  'システム',
  'ＡＩ',
  'ai',
  'Ai',
  'DX',
  'ｄｘ',
  'SaaS',
  '100%',
  '_',
  '1,200万',
  'AX-1154',
  'ａｘ－１１５４０',
  'tanaka@example.co.jp',
  '🍣',
  '𠮷',
];
const WORDS = [
  '保',
  '守',
  '価',
  'の',
  '。',
  '𠮷',
  'a',
  'x', // one character
  '保守',
  '更改',
  '価格',
  '物流',
  '守更',
  'ステ',
  'ＡＩ',
  'ai',
  'dx',
  '00',
  '%', // two
  '保守更',
  'システム',
  'ｼｽﾃﾑ',
  'saas',
  '1,2',
  '万の',
  '見積提',
  'aas',
  'ax-1154', // a code: four printable ASCII characters or more (its suffixes are in the index)
  'x-11540',
  '1154',
  'AIsaas',
  '1,200',
  '@example.co.jp',
  'tanaka@example.co.jp', // a code word is at most 20 characters: longer, by its pairs
  'aidx', // three and more
  '保守 価格',
  '物流　ai',
  'システム 部長 の', // several words (AND)
];

function text(rand: ReturnType<typeof random>, pieces: number): string {
  return Array.from({ length: pieces }, () => rand.pick(PIECES)).join('');
}

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anken-search-'));
  dirs.push(dir);
  return dir;
}

/**
 * Writes `count` deals with progress, advice and comments (some edited, some deleted) through the
 * repository, and keeps what each deal's searchable texts are now, for the LIKE oracle.
 */
function generate(store: Store, count: number, seed: number): Map<number, string[]> {
  const rand = random(seed);
  const texts = new Map<number, string[]>();
  for (let n = 0; n < count; n += 1) {
    store.deals.transaction(() => {
      const report = sampleReport({ customer: text(rand, 2), title: text(rand, 3), description: text(rand, 6) });
      const at = new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
      const deal = store.deals.insertDeal({
        ...report,
        status: 'negotiating',
        reporterId: report.ownerId,
        externalId: null,
        createdAt: at,
        reportedAt: at,
      });
      const current = [report.customer, report.title, report.description ?? ''];
      const comments = new Map<string, string>();
      for (let step = 0; step < 4; step += 1) {
        const roll = rand.next();
        if (roll < 0.3) {
          const entry = sampleProgress({ content: text(rand, 4), nextAction: text(rand, 2), lossDetail: '秘密の保守' });
          store.deals.appendTimeline(deal.id, report.ownerId, at, { kind: 'progress', entry });
          current.push(entry.content, entry.nextAction ?? '');
        } else if (roll < 0.45) {
          const advice = text(rand, 3);
          store.deals.appendTimeline(deal.id, 'U0LEAD1', at, { kind: 'advice', text: advice });
          current.push(advice);
        } else {
          const message: SlackMessageRef = { channel: 'C0SALES', ts: `${1_700_000_000 + n}.${step}` };
          const comment = text(rand, 3);
          store.deals.appendTimeline(deal.id, 'U0MEMB1', at, { kind: 'comment', text: comment, message });
          comments.set(message.ts, comment);
          const next = rand.next();
          if (next < 0.3) {
            const edited = text(rand, 3);
            store.deals.appendTimeline(deal.id, 'U0MEMB1', at, { kind: 'comment_edited', text: edited, message });
            comments.set(message.ts, edited);
          } else if (next < 0.5) {
            store.deals.appendTimeline(deal.id, 'U0MEMB1', at, { kind: 'comment_deleted', message });
            comments.delete(message.ts);
          }
        }
      }
      texts.set(deal.id, [...current, ...comments.values()]);
    });
  }
  return texts;
}

/** The deals whose texts contain every word, found with plain LIKE over the NFKC-normalised texts. */
function likeOracle(texts: Map<number, string[]>, keywords: string): number[] {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE texts (deal_id INTEGER, text TEXT)');
  const insert = db.prepare('INSERT INTO texts VALUES (?, ?)');
  for (const [dealId, list] of texts) for (const t of list) insert.run(dealId, t.normalize('NFKC'));
  const words = keywords.normalize('NFKC').split(/\s+/).filter(Boolean);
  const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);
  const sql = words
    .map(() => `SELECT deal_id FROM texts WHERE text LIKE '%' || ? || '%' ESCAPE '\\'`)
    .join(' INTERSECT ');
  const ids = db
    .prepare(`SELECT DISTINCT deal_id FROM (${sql}) ORDER BY deal_id DESC`)
    .pluck()
    .all(...words.map(escapeLike)) as number[];
  db.close();
  return ids;
}

function searchAll(store: Store, filters: Partial<DealFilters>): number[] {
  const query = toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo');
  return [...store.search.each(query)].map((deal) => deal.id);
}

describe('deal search', () => {
  it('finds exactly what LIKE finds, for 1-, 2- and 3-character Japanese words, ASCII words and several words', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const texts = generate(store, 120, 7);
    // Windows wider than the data: every deal is looked at (SHORT_WORD_SCAN is 100).
    const search = createDealSearch(store.db, { shortWordScan: 200 });
    for (const word of WORDS) {
      const expected = likeOracle(texts, word);
      expect(searchAll(store, { keywords: word }), `words: ${word}`).toEqual(expected);
      // The search as the modal runs it (index, rare-word candidates or reading the texts) finds the same.
      const page = search.search(toDealQuery({ ...NO_FILTERS, keywords: word }, 'Asia/Tokyo'), 0, 200);
      expect(
        page.deals.map((deal) => deal.id),
        `page of: ${word}`,
      ).toEqual(expected);
      expect(page.total, `total of: ${word}`).toBe(expected.length);
    }
    // The oracle is not vacuous: words hit some deals and miss others.
    const hits = WORDS.map((word) => likeOracle(texts, word).length);
    expect(hits.filter((n) => n > 0 && n < 120).length).toBeGreaterThan(WORDS.length / 2);
  });

  it('pages newest first, counts every match and combines words with the filters', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const texts = generate(store, 40, 11);
    const expected = likeOracle(texts, '保守');
    // A draft (a deal another system started, not reported yet) is neither shown nor counted.
    store.deals.transaction(() => {
      const report = sampleReport({ description: '保守の相談' });
      const at = '2026-03-01T00:00:00.000Z';
      store.deals.insertDeal({
        ...report,
        status: 'draft',
        reporterId: report.ownerId,
        externalId: 'X-1',
        createdAt: at,
        reportedAt: at,
      });
    });
    const query = toDealQuery({ ...NO_FILTERS, keywords: '保守' }, 'Asia/Tokyo');
    const first = store.search.search(query, 0, 10);
    const second = store.search.search(query, 10, 10);
    expect(first.total).toBe(expected.length);
    expect([...first.deals, ...second.deals].map((d) => d.id)).toEqual(expected.slice(0, 20));
    // 2026-01-01 + n days: deals 1–10 were reported in the first ten days of January (JST).
    const inJanuary = searchAll(store, { keywords: '保守', from: '2026-01-01', to: '2026-01-10' });
    expect(inJanuary).toEqual(expected.filter((id) => id <= 10));
  });

  it('changes the index in the write transaction: a write that rolls back leaves no words behind', () => {
    const store = openStore(':memory:');
    stores.push(store);
    generate(store, 3, 5);
    const message = { channel: 'C0SALES', ts: '1800000000.000001' };
    expect(() =>
      store.deals.transaction(() => {
        store.deals.appendTimeline(1, 'U0MEMB1', '2026-02-01T00:00:00Z', {
          kind: 'comment',
          text: '梱包の件',
          message,
        });
        throw new Error('the rest of the write failed');
      }),
    ).toThrow();
    expect(searchAll(store, { keywords: '梱包' })).toEqual([]);
    store.deals.transaction(() =>
      store.deals.appendTimeline(2, 'U0MEMB1', '2026-02-01T00:00:00Z', { kind: 'comment', text: '梱包の件', message }),
    );
    expect(searchAll(store, { keywords: '梱包' })).toEqual([2]);
  });

  it('keeps the loss note out of the index: it is for the owner and the leaders only', () => {
    const store = openStore(':memory:');
    stores.push(store);
    generate(store, 10, 3);
    expect(searchAll(store, { keywords: '秘密' })).toEqual([]);
  });

  it('indexes the deals that existed before the search index, in batches', async () => {
    const path = ':memory:';
    const db = new Database(path);
    db.exec('PRAGMA foreign_keys = ON');
    // The schema as it was before the index, with one deal in it.
    const searchStep = migrations.findIndex((sql) => sql.includes('CREATE VIRTUAL TABLE deal_search'));
    for (const [index, sql] of migrations.slice(0, searchStep).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${index + 1}`);
    }
    const insert = db.prepare(
      `INSERT INTO deals (status, customer, title, owner_id, reporter_id, created_at, reported_at, description)
       VALUES ('negotiating', ?, '倉庫管理', 'U0REP01', 'U0REP01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?)`,
    );
    insert.run('株式会社物流', '保守の更改');
    insert.run('山田商店', '新規の提案');
    insert.run('鈴木運輸', '保守契約');
    const file = join(tempDir(), 'migrate.db');
    db.exec(`VACUUM INTO '${file}'`);
    db.close();
    const store = openStore(file);
    stores.push(store);
    expect(store.searchIndex.backlogSize()).toBe(3);
    expect(store.search.search(toDealQuery({ ...NO_FILTERS, keywords: '保守' }, 'Asia/Tokyo'), 0, 10).unindexed).toBe(
      3,
    );
    const batches: number[] = [];
    const index = {
      ...store.searchIndex,
      indexBacklog: (limit: number) => {
        const left = store.searchIndex.indexBacklog(limit);
        batches.push(left);
        return left;
      },
    };
    await drainSearchBacklog(index, { logger: quietLogger, signal: new AbortController().signal, batch: 2 });
    expect(batches).toEqual([1, 0]);
    expect(searchAll(store, { keywords: '保守' })).toEqual([3, 1]);
    expect(searchAll(store, { keywords: '物流' })).toEqual([1]);
  });
});
