import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { drainSearchBacklog } from '../../src/jobs/search-backlog.js';
import { createCustomerNames } from '../../src/store/customer-names.js';
import { createDealSearch } from '../../src/store/deal-search.js';
import { openStore, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';
import { queueAllDealsForIndex } from '../../src/store/search-index.js';
import { type DealFilters, NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import { sampleProgress, sampleReport } from '../support/samples.js';
import { addDeal, comment, edit, found, remove } from '../support/search-writes.js';
import { silentLogger } from '../support/silent-logger.js';

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

const AT = '2026-02-01T00:00:00.000Z';

/** Every deal the query selects, without windows: what the search's pages must agree with. */
function searchAll(store: Store, filters: Partial<DealFilters>): number[] {
  return [...store.search.each(toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo'))].map((deal) => deal.id);
}

/** The rows the index proper holds for one deal, once the pending texts have moved: one per text it gathers. */
function rowsOf(store: Store, dealId: number): number {
  store.searchIndex.applyPending(1_000);
  return (
    store.db.prepare('SELECT COUNT(*) AS n FROM deal_search_texts_docsize WHERE id / 65536 = ?').get(dealId) as {
      n: number;
    }
  ).n;
}

describe('search index, one text at a time', () => {
  it('adds, replaces and removes only the text a write is about', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const deal = addDeal(store, '東和物産');
    const first = { channel: 'C0SALES', ts: '1800000000.000001' };
    const second = { channel: 'C0SALES', ts: '1800000000.000002' };
    comment(store, deal.id, '梱包の件', first);
    comment(store, deal.id, '配送の件', second);
    store.deals.transaction(() =>
      store.deals.appendTimeline(deal.id, deal.ownerId, AT, {
        kind: 'progress',
        entry: sampleProgress({ content: '価格交渉', nextAction: '再見積' }),
      }),
    );
    store.deals.transaction(() =>
      store.deals.appendTimeline(deal.id, 'U0LEAD1', AT, { kind: 'advice', text: '保守を推す' }),
    );
    expect(rowsOf(store, deal.id)).toBe(5);

    edit(store, deal.id, '検品の件', first);
    expect(found(store, '梱包')).toEqual([]);
    expect(found(store, '検品')).toEqual([deal.id]);
    expect(found(store, '配送')).toEqual([deal.id]);
    remove(store, deal.id, second);
    expect(found(store, '配送')).toEqual([]);
    expect(rowsOf(store, deal.id)).toBe(4);
    for (const word of ['東和', '検品', '価格', '再見積', '保守']) expect(found(store, word), word).toEqual([deal.id]);

    store.deals.transaction(() => store.deals.saveDeal({ ...deal, title: '物流倉庫' }));
    expect(found(store, '物流倉庫')).toEqual([deal.id]);
    expect(found(store, '案件')).toEqual([]);
  });

  it('ties the words of one deal together across its texts, never across two deals', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const both = addDeal(store, '山田商店', '倉庫の更改');
    const one = addDeal(store, '鈴木運輸', '倉庫の新設');
    const other = addDeal(store, '佐藤物産', '基幹の更改');
    comment(store, both.id, '物流の相談', { channel: 'C0SALES', ts: '1800000000.000001' });
    expect(found(store, '倉庫 更改')).toEqual([both.id]);
    expect(found(store, '物流 更改')).toEqual([both.id]);
    expect(found(store, '倉庫')).toEqual([one.id, both.id]);
    expect(found(store, '更改')).toEqual([other.id, both.id]);
    expect(found(store, '新設 基幹')).toEqual([]);
  });

  it('converts a file with one index document per deal: every deal is indexed again, writes meanwhile included once', async () => {
    const db = new Database(':memory:');
    const step = migrations.findIndex((sql) => sql.includes('CREATE VIRTUAL TABLE deal_search_texts'));
    for (const [index, sql] of migrations.slice(0, step).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${index + 1}`);
    }
    const insert = db.prepare(
      `INSERT INTO deals (status, customer, title, owner_id, reporter_id, created_at, reported_at, description,
         card_channel, card_ts) VALUES ('negotiating', ?, '倉庫管理', 'U0REP01', 'U0REP01', ?, ?, ?, 'C0SALES', ?)`,
    );
    insert.run('株式会社物流', AT, AT, '保守の更改', '1700000000.000001');
    insert.run('鈴木運輸', AT, AT, '保守契約', '1700000000.000002');
    db.prepare(`INSERT INTO timeline (deal_id, kind, author_id, at, data) VALUES (1, 'advice', 'U0LEAD1', ?, ?)`).run(
      AT,
      JSON.stringify({ kind: 'advice', text: '価格で勝負' }),
    );
    // What the per-deal index held (it was up to date: nothing waiting).
    db.exec(`DELETE FROM deal_search_backlog; INSERT INTO deal_search (rowid, terms) VALUES (1, 'x'), (2, 'y')`);
    const file = join(tempDir(), 'convert.db');
    db.exec(`VACUUM INTO '${file}'`);
    db.close();

    const store = openStore(file);
    stores.push(store);
    expect(store.db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'deal_search'`).all()).toEqual([]);
    expect(store.searchIndex.backlogSize()).toBe(2);
    // A comment while its deal waits is indexed, then again with the rest of the deal: one row, which a deletion removes.
    const message = { channel: 'C0SALES', ts: '1800000000.000009' };
    comment(store, 2, '梱包の件', message);
    await drainSearchBacklog(store.searchIndex, { logger: silentLogger, signal: new AbortController().signal });
    expect(found(store, '保守')).toEqual([2, 1]);
    expect(found(store, '価格 物流')).toEqual([1]);
    expect(found(store, '梱包')).toEqual([2]);
    remove(store, 2, message);
    expect(found(store, '梱包')).toEqual([]);
    expect(rowsOf(store, 1)).toBe(2);
    // Deal 1's advice was written before places were kept: a new entry's place is counted past it.
    comment(store, 1, '配送の件', { channel: 'C0SALES', ts: '1800000000.000010' });
    comment(store, 1, '検品の件', { channel: 'C0SALES', ts: '1800000000.000011' });
    const places = store.db.prepare('SELECT place FROM timeline WHERE deal_id = ? ORDER BY id').pluck();
    expect(places.all(1)).toEqual([null, 2, 3]);
    expect(places.all(2)).toEqual([1, 2]);
    expect(found(store, '配送')).toEqual([1]);
    expect(rowsOf(store, 1)).toBe(4);
  });
});

describe('search backlog', () => {
  it('indexes a deal with more texts than a batch over several batches, edits and deletions included', async () => {
    const store = openStore(':memory:');
    stores.push(store);
    const deal = addDeal(store, '東和物産');
    const other = addDeal(store, '山田商店');
    const message = (n: number) => ({ channel: 'C0SALES', ts: `1800000000.00000${n}` });
    for (const [n, text] of ['梱包の件', '配送の件', '検品の件', '価格の件'].entries())
      comment(store, deal.id, text, message(n));
    edit(store, deal.id, '返品の件', message(0));
    remove(store, deal.id, message(1));
    queueAllDealsForIndex(store.db);
    expect(found(store, '返品')).toEqual([]);
    const left: number[] = [];
    const index = {
      ...store.searchIndex,
      indexBacklog: (limit: number) => {
        left.push(store.searchIndex.indexBacklog(limit));
        return left.at(-1) ?? 0;
      },
    };
    await drainSearchBacklog(index, { logger: silentLogger, signal: new AbortController().signal, batch: 2 });
    // Two entries a batch, the older of the two deals first: its six entries over three batches (it
    // waits until a batch finds none left), then the other deal, which has none.
    expect(left).toEqual([2, 2, 2, 0]);
    expect(found(store, '返品')).toEqual([deal.id]);
    expect(found(store, '梱包')).toEqual([]);
    expect(found(store, '配送')).toEqual([]);
    expect(found(store, '検品 価格 東和')).toEqual([deal.id]);
    expect(found(store, '山田')).toEqual([other.id]);
    expect(rowsOf(store, deal.id)).toBe(4);
  });
});

describe('search backlog order', () => {
  it('takes the newest thousand deals first, the oldest of them first', () => {
    const store = openStore(':memory:');
    stores.push(store);
    for (let n = 1; n <= 1_002; n += 1) addDeal(store, `商店${n}`);
    queueAllDealsForIndex(store.db);
    store.searchIndex.indexBacklog(2);
    expect([1, 2, 3, 4, 5].map((id) => rowsOf(store, id))).toEqual([0, 0, 1, 1, 0]);
  });
});

describe('search totals', () => {
  it('counts exactly, or says the count is of the newest deals holding the word', () => {
    const store = openStore(':memory:');
    stores.push(store);
    for (let n = 1; n <= 12; n += 1) addDeal(store, n % 4 === 0 ? `保守商会${n}` : `保守物産${n}`);
    const search = createDealSearch(store.db, { count: 5, filteredCount: 5 });
    const query = (keywords: string) => toDealQuery({ ...NO_FILTERS, keywords }, 'Asia/Tokyo');
    // 商会 is in 3 deals: fewer than the window holds, so exact.
    expect(search.search(query('商会'), 0, 10)).toMatchObject({ total: 3, totalIs: 'exact', hasNext: false });
    // 保守 is in all 12; of the newest 5 of them (12 … 8), two hold 商会: counted among those only.
    const both = search.search(query('保守 商会'), 0, 2);
    expect(both).toMatchObject({ total: 2, totalIs: 'amongRecent', hasNext: true });
    expect(both.deals.map((deal) => deal.id)).toEqual([12, 8]);
    // With a filter: of the newest 5 deals holding 保守 (12 … 8), the two of U0REP02 are counted.
    for (const dealId of [11, 9, 3]) {
      store.deals.transaction(() => {
        const deal = store.deals.getDeal(dealId);
        if (deal) store.deals.saveDeal({ ...deal, ownerId: 'U0REP02' });
      });
    }
    const owned = search.search(
      toDealQuery({ ...NO_FILTERS, keywords: '保守', ownerId: 'U0REP02' }, 'Asia/Tokyo'),
      0,
      10,
    );
    expect(owned).toMatchObject({ total: 2, totalIs: 'amongRecent', countedFrom: AT });
    expect(owned.deals.map((deal) => deal.id)).toEqual([11, 9, 3]);
    const few = search.search(
      toDealQuery({ ...NO_FILTERS, keywords: '商会', ownerId: 'U0REP02' }, 'Asia/Tokyo'),
      0,
      10,
    );
    expect(few).toMatchObject({ total: 0, totalIs: 'exact' });
  });

  it('reads the texts for a rare long word and a one-character word, and says from when it counted', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const reported = (n: number) => `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`;
    for (let n = 1; n <= 9; n += 1) {
      const deal = addDeal(store, n % 3 === 0 ? '株式会社白鳥化学' : '株式会社白鳥', '概要', reported(n));
      // 鳥化 and 化学 in one comment, but not 白鳥化学: the rare pairs find it, its text rules it out.
      if (n % 2 === 0) comment(store, deal.id, '白鳥化成と化学品', { channel: 'C0SALES', ts: `1800000000.00000${n}` });
    }
    const search = createDealSearch(store.db, { count: 50, shortWordScan: 4 });
    const query = (keywords: string) => toDealQuery({ ...NO_FILTERS, keywords }, 'Asia/Tokyo');
    expect(search.search(query('白鳥化学'), 0, 10)).toMatchObject({ total: 3, totalIs: 'exact', countedFrom: null });
    expect(search.search(query('白鳥化学'), 0, 10).deals.map((deal) => deal.id)).toEqual([9, 6, 3]);
    // Its few candidates are all checked, so its count is exact even past the count's window.
    const windowed = createDealSearch(store.db, { count: 2 }).search(query('白鳥化学'), 0, 1);
    expect(windowed).toMatchObject({ total: 3, totalIs: 'exact', countedFrom: null, hasNext: true });
    expect(windowed.deals.map((deal) => deal.id)).toEqual([9]);
    // の is in no deal; 品 is in the comments of 8, 6, 4 and 2: of the newest four deals (9 … 6), two.
    expect(search.search(query('品'), 0, 10)).toMatchObject({
      total: 2,
      totalIs: 'amongRecent',
      countedFrom: reported(6),
    });
    expect(search.search(query('品'), 0, 10).deals.map((deal) => deal.id)).toEqual([8, 6]);
    expect(search.search(query('の'), 0, 10)).toMatchObject({ total: 0, deals: [] });
    // The analysis and the CSV export get the same deals as the ids the search found.
    expect(search.resolveShortWords(query('品 白鳥'))).toMatchObject({ words: ['白鳥'], onlyDeals: [8, 6] });
  });
});

describe('a customer name in the search', () => {
  it('finds the deals of the names that hold it, not those of names sharing its rarer pairs, with the texts that hold it', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const add = (customer: string, extra: { title?: string; status?: 'draft'; ownerId?: string } = {}) =>
      store.deals.transaction(() => {
        const report = sampleReport({ customer, title: extra.title ?? '案件', description: '概要', ...extra });
        return store.deals.insertDeal({
          ...report,
          status: extra.status ?? 'negotiating',
          reporterId: report.ownerId,
          externalId: null,
          createdAt: AT,
          reportedAt: AT,
        });
      });
    add('株式会社瀬戸システム'); // 1
    add('有限会社瀬戸システム'); // 2
    add('瀬戸システム株式会社', { ownerId: 'U0REP02' }); // 3
    add('有限会社瀬戸運輸', { title: '有限会社瀬戸システム様の紹介' }); // 4
    const mentioned = add('東和物産'); // 5
    comment(store, mentioned.id, '有限会社ｾﾄｼｽﾃﾑではなく有限会社瀬戸システムです', {
      channel: 'C0SALES',
      ts: '1800000000.000001',
    });
    add('有限会社瀬戸システム', { status: 'draft' }); // 6: not reported yet
    const renamed = add('有限会社瀬戸システム'); // 7
    store.deals.transaction(() => store.deals.saveDeal({ ...renamed, customer: '有限会社瀬戸電機' }));
    const search = (keywords: string, ownerId: string | null = null) => {
      const page = store.search.search(toDealQuery({ ...NO_FILTERS, keywords, ownerId }, 'Asia/Tokyo'), 0, 10);
      return { ids: page.deals.map((deal) => deal.id), total: page.total };
    };
    const expectations = () => {
      expect(search('有限会社瀬戸システム')).toEqual({ ids: [5, 4, 2], total: 3 });
      expect(search('瀬戸システム')).toEqual({ ids: [5, 4, 3, 2, 1], total: 5 });
      expect(search('瀬戸システム', 'U0REP02')).toEqual({ ids: [3], total: 1 });
      expect(search('瀬戸電機')).toEqual({ ids: [7], total: 1 });
      expect(search('有限会社瀬戸システム 紹介')).toEqual({ ids: [4], total: 1 });
    };
    // Written, still pending; then moved into the index proper.
    expectations();
    store.searchIndex.applyPending(1_000);
    expectations();
    // Each name is numbered once; the name a deal no longer has stays, and finds nothing.
    expect(store.db.prepare('SELECT name FROM customer_names ORDER BY id').pluck().all()).toEqual([
      '株式会社瀬戸システム',
      '有限会社瀬戸システム',
      '瀬戸システム株式会社',
      '有限会社瀬戸運輸',
      '東和物産',
      '有限会社瀬戸電機',
    ]);
  });
});

describe('a product code in the search', () => {
  it('is found exactly by its suffixes: in a name, a text, an edit, full-width or half-width, pending and after it moved', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const message = (n: number) => ({ channel: 'C0SALES', ts: `1800000000.00000${n}` });
    addDeal(store, '東和物産', '型番AX-1154の後継機を検討中。'); // 1
    addDeal(store, '東和物産', '型番AX-11540を提案'); // 2: the code with more after it
    addDeal(store, 'XAX-1154商事'); // 3: in a 顧客名, with more before it
    addDeal(store, '東和物産', 'AX-1155 と AX-1-154'); // 4: its pairs, never the code
    const commented = addDeal(store, '東和物産'); // 5
    comment(store, commented.id, 'ａｘ－１１５４は在庫あり', message(1));
    const edited = addDeal(store, '東和物産'); // 6
    comment(store, edited.id, 'AX-1154の件', message(2));
    edit(store, edited.id, '型番の件', message(2));
    addDeal(store, '東和物産', 'see https://example.co.jp/ax-1154/manual'); // 7: inside a long run
    const expectations = () => {
      expect(found(store, 'AX-1154')).toEqual([7, 5, 3, 2, 1]);
      expect(found(store, 'ax-11540')).toEqual([2]);
      expect(found(store, '1154')).toEqual([7, 5, 3, 2, 1]);
      expect(found(store, 'x-1-1')).toEqual([4]);
      expect(found(store, 'https://example.co.jp/ax-1154')).toEqual([7]); // longer than a code word
      expect(found(store, 'ax-1154 商事')).toEqual([3]);
    };
    expectations();
    store.searchIndex.applyPending(1_000);
    expectations();
  });
});

describe('a customer name and other words', () => {
  it('reads the name’s deals for the other words as far as the page needs, and says from when it counted', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const reported = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString();
    for (let n = 1; n <= 40; n += 1) addDeal(store, '瀬戸物産', n % 2 === 0 ? '保守の更改' : '新規', reported(n));
    const query = toDealQuery({ ...NO_FILTERS, keywords: '瀬戸物産 保守' }, 'Asia/Tokyo');
    // Deals 40 … 11 are read (30, the least it reads): 15 of them hold 保守.
    const first = store.search.search(query, 0, 10);
    expect(first).toMatchObject({ total: 15, totalIs: 'amongRecent', countedFrom: reported(11), hasNext: true });
    expect(first.deals.map((deal) => deal.id)).toEqual([40, 38, 36, 34, 32, 30, 28, 26, 24, 22]);
    // A later page reads as far as it needs: every matching deal can be paged to.
    const last = store.search.search(query, 10, 10);
    expect(last.deals.map((deal) => deal.id)).toEqual([20, 18, 16, 14, 12, 10, 8, 6, 4, 2]);
    expect(last).toMatchObject({ total: 20, totalIs: 'exact', hasNext: false });
  });
});

describe('a sparse word beside a dense one', () => {
  it('reads the dense word in the texts of the sparse word’s deals, newest first, and says from when it counted', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const reported = (n: number) => new Date(Date.UTC(2020, 0, n)).toISOString();
    const coded = (n: number) => n % 70 === 7; // 35 deals: 2387, 2317, …, 77, 7
    const withoutDense = new Set([2317, 1967]); // coded deals whose 保守 is missing, or only in a deleted comment
    for (let n = 1; n <= 2_400; n += 1) {
      const description = coded(n)
        ? withoutDense.has(n)
          ? '型番AX-1154'
          : '型番AX-1154 保守'
        : n % 50 === 0
          ? '点検'
          : '保守の相談';
      addDeal(store, '東和物産', description, reported(n));
    }
    const message = { channel: 'C0SALES', ts: '1800000000.000001' };
    comment(store, 1967, '保守の件', message);
    remove(store, 1967, message);
    const moved = { channel: 'C0SALES', ts: '1800000000.000002' };
    comment(store, 1897, '点検の件', moved);
    edit(store, 1897, '保守の件', moved); // found through its latest version
    const matching = Array.from({ length: 2_400 }, (_, i) => 2_400 - i).filter((n) => coded(n) && !withoutDense.has(n));
    const query = toDealQuery({ ...NO_FILTERS, keywords: '保守 ax-1154' }, 'Asia/Tokyo');
    // 2387 is found from both lists; 保守's list is then read no further (70 deals to the next coded
    // deal), and the coded deals' texts are read for it: 30 of them (2317 … 287) are counted.
    const first = store.search.search(query, 0, 10);
    expect(first.deals.map((deal) => deal.id)).toEqual(matching.slice(0, 10));
    expect(first).toMatchObject({ total: 29, totalIs: 'amongRecent', countedFrom: reported(287), hasNext: true });
    const last = store.search.search(query, 30, 10);
    expect(last.deals.map((deal) => deal.id)).toEqual(matching.slice(30));
    expect(last.hasNext).toBe(false);
  });
});

describe('a search with 期間', () => {
  it('reads the period’s newest deals by its date, says from when it counted, and reads common words in their texts', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const day = (n: number) => new Date(Date.UTC(2026, 0, n, 3)).toISOString(); // noon in Tokyo
    for (let n = 1; n <= 30; n += 1) addDeal(store, '東和物産', n % 3 === 0 ? '物流の更改' : '保守', day(n));
    const close = (dealId: number, closedAt: string) =>
      store.deals.transaction(() => {
        const deal = store.deals.getDeal(dealId);
        if (deal) store.deals.saveDeal({ ...deal, status: 'won', closedAt });
      });
    close(5, day(28));
    close(20, day(25));
    const ids = (page: { deals: { id: number }[] }) => page.deals.map((deal) => deal.id);
    const searchWith = (windows: Parameters<typeof createDealSearch>[1]) => {
      const search = createDealSearch(store.db, windows);
      return (filters: Partial<DealFilters>) =>
        search.search(toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo'), 0, 10);
    };
    const january = { from: '2026-01-10', to: '2026-01-20' };
    // The period's newest four deals are looked at, and the count says from when.
    const narrow = searchWith({ period: 4 })(january);
    expect(ids(narrow)).toEqual([20, 19, 18, 17]);
    expect(narrow).toMatchObject({ total: 4, totalIs: 'amongRecent', countedFrom: day(17), hasNext: false });
    // As far as the window reaches, every filter is applied: deal 20 is 受注 now.
    expect(ids(searchWith({})({ ...january, status: 'negotiating' }))).toEqual([
      19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
    ]);
    expect(searchWith({})(january)).toMatchObject({ total: 11, totalIs: 'exact' });
    // A common word with 期間: the period's deals' texts are read for it.
    const common = searchWith({ commonWord: 1 })({ ...january, keywords: '物流' });
    expect(ids(common)).toEqual([18, 15, 12]);
    expect(common).toMatchObject({ total: 3, totalIs: 'exact' });
    // By closing date: newest closed first, and the count says when they were closed.
    const closed = { periodBasis: 'closed' as const, from: '2026-01-20', to: '2026-01-31' };
    expect(ids(searchWith({})(closed))).toEqual([5, 20]);
    expect(searchWith({ period: 1 })(closed)).toMatchObject({
      total: 1,
      totalIs: 'amongRecent',
      countedFrom: day(28),
      countedBy: 'closed',
    });
  });
});

describe('a search by filters alone', () => {
  it('reads each kind of filter in order and finds what every filter selects, as far as it says it looked', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const industries = ['製造業', '建設業', '情報通信業'];
    const sizes = ['1〜99名', '300〜999名'];
    for (let n = 1; n <= 24; n += 1) {
      store.deals.transaction(() => {
        const report = sampleReport({
          industry: industries[n % 3] ?? null,
          companySize: sizes[n % 2] ?? null,
          ownerId: n % 4 === 0 ? 'U0REP02' : 'U0REP01',
        });
        const at = new Date(Date.UTC(2026, 0, n)).toISOString();
        store.deals.insertDeal({
          ...report,
          status: n % 5 === 0 ? 'lost' : 'negotiating',
          reporterId: report.ownerId,
          externalId: null,
          createdAt: at,
          reportedAt: at,
        });
      });
    }
    const search = createDealSearch(store.db, { period: 5 });
    const run = (filters: Partial<DealFilters>) =>
      search.search(toDealQuery({ ...NO_FILTERS, ...filters }, 'Asia/Tokyo'), 0, 10);
    const all = (filters: Partial<DealFilters>) => searchAll(store, filters);
    // One 業種, one 会社規模, a rep, a 状況, and all three of 業種, 会社規模 and 状況: every match, counted.
    for (const filters of [
      { industry: '建設業' },
      { companySize: '1〜99名' },
      { ownerId: 'U0REP02', industry: '製造業' },
      { status: 'lost' as const },
      { industry: '製造業', companySize: '300〜999名', status: 'negotiating' as const },
    ]) {
      const page = run(filters);
      expect(
        page.deals.map((deal) => deal.id),
        JSON.stringify(filters),
      ).toEqual(all(filters).slice(0, 10));
      expect(page.totalIs, JSON.stringify(filters)).toBe('exact');
      expect(page.total).toBe(all(filters).length);
    }
    // 業種 and 会社規模 together: the newest five deals reported are looked at (24 … 20), and it says so.
    const both = run({ industry: '製造業', companySize: '1〜99名' });
    expect(both.deals.map((deal) => deal.id)).toEqual([24]);
    expect(both).toMatchObject({
      total: 1,
      totalIs: 'amongRecent',
      countedFrom: new Date(Date.UTC(2026, 0, 20)).toISOString(),
    });
  });
});

describe('customer names', () => {
  it('are numbered once as the search reads them, and looked up by a word, up to a limit', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const names = createCustomerNames(store.db);
    const seto = names.numberOf('株式会社瀬戸システム');
    expect(names.numberOf('株式会社瀬戸システム')).toBe(seto);
    // Full-width letters and half-width kana read as the search reads them (NFKC, ASCII lower case).
    const abc = names.numberOf('ＡＢＣｼｽﾃﾑ');
    expect(names.numberOf('abcシステム')).toBe(abc);
    expect(names.holding('システム', 10)).toEqual([seto, abc]);
    expect(names.holding('システム', 1)).toBeNull();
    expect(names.holding('ムa', 10)).toEqual([]);
    // Names numbered after a lookup (by another writer) are found by the next one.
    const later = createCustomerNames(store.db).numberOf('瀬戸運輸');
    expect(names.holding('瀬戸', 10)).toEqual([seto, later]);
  });
});

describe('search index segments', () => {
  it('are merged by FTS5 inside the writes (its automerge), as the first release of the index did', () => {
    const store = openStore(':memory:');
    stores.push(store);
    const deal = addDeal(store, '東和物産');
    for (let n = 0; n < 20; n += 1) {
      comment(store, deal.id, `梱包の件 ${n}`, {
        channel: 'C0SALES',
        ts: `1800000000.0000${String(n).padStart(2, '0')}`,
      });
    }
    const segments = store.db.prepare('SELECT COUNT(DISTINCT segid) FROM deal_search_texts_idx').pluck().get();
    expect(segments).toBeLessThan(10);
    expect(found(store, '梱包')).toEqual([deal.id]);
  });
});
