/**
 * The search index proper lives in a file of its own, written by a worker thread; a write's text waits
 * in the pending list (in the bot's database, in the write's transaction) until it moves there.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { searchIndexPath } from '../../src/store/search-file.js';
import { keepSearchIndexTidy } from '../../src/workers/search-pair-counts.js';
import { startPendingMover } from '../../src/workers/search-pending.js';
import { NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import type { SlackMessageRef } from '../../src/workflow/types.js';
import { addDeal, comment, edit, found, remove } from '../support/search-writes.js';
import { silentLogger } from '../support/silent-logger.js';

const _AT = '2026-02-01T00:00:00.000Z';
let dir: string;
let path: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anken-search-file-'));
  path = join(dir, 'anken.db');
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(at = path): Store {
  const store = openStore(at);
  stores.push(store);
  return store;
}

function close(store: Store): void {
  stores.splice(stores.indexOf(store), 1);
  store.close();
}

const message: SlackMessageRef = { channel: 'C0SALES', ts: '1800000000.000001' };

/** Rows of the index proper (in its own file), and texts still pending. */
const indexedRows = (store: Store) =>
  (store.db.prepare('SELECT COUNT(*) AS n FROM search.deal_search_texts_docsize').get() as { n: number }).n;

describe('pending texts', () => {
  it('are found as soon as they are written, and the same once they have moved; a newer version hides the older', () => {
    const store = open(':memory:');
    const deal = addDeal(store, '東和物産');
    comment(store, deal.id, '梱包の件', message);
    expect(store.searchIndex.pendingSize()).toBe(2);
    expect(indexedRows(store)).toBe(0);
    expect(found(store, '梱包')).toEqual([deal.id]);
    // A long word goes through its rarest pairs; a pending text is matched by the word's phrase.
    const longWord = (word: string) =>
      store.search.search(toDealQuery({ ...NO_FILTERS, keywords: word }, 'Asia/Tokyo'), 0, 10).total;
    expect([longWord('東和物産'), longWord('東和商事')]).toEqual([1, 0]);
    expect(store.searchIndex.applyPending(100)).toBe(2);
    expect([store.searchIndex.pendingSize(), indexedRows(store)]).toEqual([0, 2]);
    expect(found(store, '梱包')).toEqual([deal.id]);

    edit(store, deal.id, '検品の件', message);
    // The index proper still holds 梱包 for that message until the edit moves: the pending edit hides it.
    expect(found(store, '梱包')).toEqual([]);
    expect(found(store, '検品 東和')).toEqual([deal.id]);
    store.searchIndex.applyPending(100);
    expect(found(store, '梱包')).toEqual([]);
    expect(found(store, '検品 東和')).toEqual([deal.id]);

    remove(store, deal.id, message);
    expect(found(store, '検品')).toEqual([]);
    store.searchIndex.applyPending(100);
    expect(found(store, '検品')).toEqual([]);
    expect([store.searchIndex.pendingSize(), indexedRows(store)]).toEqual([0, 1]);
  });

  it('are moved by the worker thread, off the bot thread, into the file beside the database', async () => {
    const store = open();
    store.movePendingHere(false);
    const stopped: boolean[] = [];
    const mover = startPendingMover({
      path,
      logger: silentLogger,
      onStopped: () => stopped.push(true),
      everyMs: 60_000,
    });
    try {
      const deals = ['東和物産', '山田商店', '鈴木運輸'].map((customer) => addDeal(store, customer));
      for (const deal of deals) comment(store, deal.id, '保守の更改', message);
      expect(await mover.apply()).toBe(6);
      // Copied by the worker; the bot's thread takes them off the pending list (the worker never writes
      // the bot's database).
      expect([store.searchIndex.pendingSize(), indexedRows(store)]).toEqual([6, 6]);
      expect(found(store, '保守 更改')).toEqual(deals.map((deal) => deal.id).reverse());
      expect(store.searchIndex.settleApplied(100)).toBe(6);
      expect([store.searchIndex.pendingSize(), indexedRows(store)]).toEqual([0, 6]);
      expect(found(store, '保守 更改')).toEqual(deals.map((deal) => deal.id).reverse());
      expect(existsSync(searchIndexPath(path))).toBe(true);

      // FTS5 frees the pages of the parts it merges (a table dropped here stands for them): the worker
      // hands them back to the file system, a bounded number per run.
      expect(store.db.pragma('search.auto_vacuum', { simple: true })).toBe(2);
      store.db.exec(`CREATE TABLE search.freed (text TEXT); INSERT INTO search.freed
        SELECT printf('%.3000c', 'x') FROM (SELECT value FROM json_each('[${'1,'.repeat(299)}1]')); DROP TABLE search.freed`);
      const free = () => store.db.pragma('search.freelist_count', { simple: true }) as number;
      expect(free()).toBeGreaterThan(256);
      const before = free();
      await mover.apply();
      expect(free()).toBe(before - 256);
    } finally {
      await mover.stop();
    }
    expect(stopped).toEqual([true]);
  });
});

/** The index's FTS5 segments: a segment's pages share the top bits of their rowid (tombstone pages excluded). */
const segments = (store: Store) =>
  store.db
    .prepare('SELECT COUNT(DISTINCT id >> 37) FROM search.deal_search_texts_data WHERE id > 10 AND id >> 37 < 65536')
    .pluck()
    .get() as number;

describe('the nightly upkeep', () => {
  it('merges the segments the day wrote into one, and every word is found as before', async () => {
    const store = open();
    const deals = ['東和物産', '山田倉庫', '株式会社東和建設'].map((customer) => {
      const deal = addDeal(store, customer);
      // Each move is a transaction of its own, which writes a segment of its own.
      store.searchIndex.applyPending(100);
      return deal;
    });
    comment(store, deals[0]!.id, '梱包の件', message);
    store.searchIndex.applyPending(100);
    remove(store, deals[0]!.id, message);
    store.searchIndex.applyPending(100);
    const words = ['東和', '倉庫', '梱包', '株式会社東和建設'];
    const before = words.map((word) => found(store, word));
    expect(segments(store)).toBeGreaterThan(1);

    await keepSearchIndexTidy(path, 1);

    expect(segments(store)).toBe(1);
    expect(words.map((word) => found(store, word))).toEqual(before);
    expect(before).toEqual([[deals[2]!.id, deals[0]!.id], [deals[1]!.id], [], [deals[2]!.id]]);
  });
});

describe('pair counts', () => {
  it('are taken in a worker from the index, and a long word is found the same with them as without', async () => {
    const store = open();
    const customers = ['株式会社東和倉庫', '東和物産株式会社', '株式会社東和建設', '学校法人東和倉庫学園', '山田倉庫'];
    const deals = customers.map((customer) => addDeal(store, customer));
    comment(store, deals[4]!.id, '東和倉庫さんの紹介です', message);
    store.searchIndex.applyPending(100);
    const words = ['株式会社東和倉庫', '東和倉庫', '和倉庫学', '東和建設', '倉庫株式'];
    // As the modal searches: a long word goes through its rarest pairs, each text they find checked.
    const searched = (at: Store) =>
      words.map((word) => {
        const page = at.search.search(toDealQuery({ ...NO_FILTERS, keywords: word }, 'Asia/Tokyo'), 0, 10);
        return [page.total, ...page.deals.map((deal) => deal.id)];
      });
    const before = searched(store);

    expect(await keepSearchIndexTidy(path, 1)).toEqual({ pairs: expect.any(Number) });
    const kept = store.db.prepare('SELECT pair, texts FROM search.deal_search_pair_counts').all() as Array<{
      pair: string;
      texts: number;
    }>;
    expect(kept.length).toBeGreaterThan(10);
    // Pairs only (two code points in hex), not the names' numbers.
    expect(kept.filter(({ pair }) => !/^[0-9a-f]{12}$/.test(pair))).toEqual([]);
    const probe = store.db
      .prepare('SELECT COUNT(*) FROM search.deal_search_texts WHERE deal_search_texts MATCH ?')
      .pluck();
    for (const { pair, texts } of kept) expect(texts, pair).toBe(probe.get(pair));

    const fresh = open();
    expect(searched(fresh)).toEqual(before);
    const [towa, , kensetsu, gakuen, yamada] = deals.map((deal) => deal.id);
    expect(before).toEqual([[1, towa], [3, yamada, gakuen, towa], [1, gakuen], [1, kensetsu], [0]]);
  });
});

describe("the bot's writes and the index file", () => {
  it('never wait for the index file, whose worker holds its lock while FTS5 merges', () => {
    const store = open();
    const deal = addDeal(store, '東和物産');
    const worker = new Database(searchIndexPath(path));
    try {
      worker.exec('BEGIN IMMEDIATE');
      store.db.pragma('busy_timeout = 0');
      comment(store, deal.id, '保守の更改', message);
      expect(found(store, '保守 更改')).toEqual([deal.id]);
    } finally {
      worker.exec('ROLLBACK');
      worker.close();
    }
  });
});

describe('the index file', () => {
  it('is built again when it is ahead of its database (restored from a backup)', async () => {
    let store = open();
    const kept = addDeal(store, '東和物産');
    store.searchIndex.applyPending(100);
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
    copyFileSync(path, join(dir, 'backup.db'));
    const lost = addDeal(store, '山田商店');
    store.searchIndex.applyPending(100);
    close(store);

    rmSync(path);
    copyFileSync(join(dir, 'backup.db'), path);
    store = open();
    expect(store.searchIndex.backlogSize()).toBe(1);
    expect(indexedRows(store)).toBe(0);
    const again = addDeal(store, '鈴木運輸');
    expect(again.id).toBe(lost.id);
    store.searchIndex.indexBacklog(100);
    store.searchIndex.applyPending(100);
    expect(found(store, '山田')).toEqual([]);
    expect(found(store, '鈴木')).toEqual([again.id]);
    expect(found(store, '東和')).toEqual([kept.id]);
  });

  it('is built again when it was made for another database, and kept when it is its own', () => {
    let store = open();
    addDeal(store, '東和物産');
    store.searchIndex.applyPending(100);
    close(store);
    store = open();
    expect([store.searchIndex.backlogSize(), indexedRows(store)]).toEqual([0, 1]);
    close(store);

    const other = join(dir, 'other.db');
    const otherStore = open(other);
    addDeal(otherStore, '山田商店');
    close(otherStore);
    copyFileSync(searchIndexPath(path), searchIndexPath(other));
    const reopened = open(other);
    expect(reopened.searchIndex.backlogSize()).toBe(1);
    expect(found(reopened, '東和')).toEqual([]);
  });
});
