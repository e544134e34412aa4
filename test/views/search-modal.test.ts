import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import { buildSearchModal } from '../../src/views/search-modal.js';
import { NO_FILTERS, type SearchPage } from '../../src/workflow/deal-search.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import { sampleDeal } from '../support/samples.js';

function modal(page: Partial<SearchPage>) {
  const full: SearchPage = {
    deals: Array.from({ length: 10 }, (_, i) => sampleDeal({ id: 100 - i })),
    hasNext: true,
    total: 10,
    totalIs: 'exact',
    countedFrom: null,
    offset: 0,
    unindexed: 0,
    ...page,
  };
  const view = buildSearchModal({
    filters: { ...NO_FILTERS, keywords: '保守' },
    results: { page: full, lossVisible: new Set(), mayExport: false, shortWord: false },
    workspaceUrl: null,
    timeZone: 'Asia/Tokyo',
    lists: DEFAULT_OPTION_LISTS,
  });
  const text = JSON.stringify(view.blocks);
  const pages = (view.blocks as KnownBlock[])
    .flatMap((block) => (block.type === 'actions' ? block.elements : []))
    .filter((element) => 'action_id' in element && element.action_id === ACTION.searchPage)
    .map((element) => ('value' in element ? element.value : null));
  return { text, pages };
}

describe('search results: the total says how far it was counted', () => {
  it('gives an exact total as it is', () => {
    expect(modal({ total: 13, hasNext: true }).text).toContain('13 件・新しい順 (1〜10 件目)');
  });

  it('says 以上 past the cap', () => {
    expect(modal({ total: 1_000, totalIs: 'moreThanCap' }).text).toContain('1,000 件以上・新しい順');
  });

  it('says from when it counted when only the newest deals were', () => {
    // 2024-03-31T15:00Z is 2024-04-01 in Tokyo.
    const { text } = modal({ total: 312, totalIs: 'amongRecent', countedFrom: '2024-03-31T15:00:00.000Z' });
    expect(text).toContain('2024/04/01 以降に報告された案件で 312 件が該当 (それより前は数えていません)');
    expect(text).not.toContain('312 件以上');
    // A search by closing date counted the period's newest closed deals.
    const closed = modal({
      total: 40,
      totalIs: 'amongRecent',
      countedFrom: '2024-03-31T15:00:00.000Z',
      countedBy: 'closed',
    });
    expect(closed.text).toContain('2024/04/01 以降にクローズした案件で 40 件が該当');
  });

  it('offers 次へ only when a deal follows, and not past the pages it can reach', () => {
    expect(modal({ hasNext: true, offset: 20 }).pages).toEqual(['10', '30']);
    expect(modal({ hasNext: false, offset: 20 }).pages).toEqual(['10']);
    expect(modal({ hasNext: true, offset: 990, totalIs: 'moreThanCap', total: 1_000 }).pages).toEqual(['980']);
  });

  it('does not say nothing matches when it looked at the newest deals only', () => {
    const { text } = modal({
      deals: [],
      hasNext: false,
      total: 0,
      totalIs: 'amongRecent',
      countedFrom: '2024-03-31T15:00:00.000Z',
    });
    expect(text).toContain('2024/04/01 以降に報告された案件に該当はありません (それより前は探していません)。');
    expect(text).not.toContain('条件に合う案件はありません');
  });

  it('tells an empty later page from no match at all', () => {
    expect(modal({ deals: [], hasNext: false, total: 0, totalIs: 'amongRecent' }).text).toContain(
      '条件に合う案件はありません。',
    );
    expect(modal({ deals: [], hasNext: false, offset: 30, total: 1_000, totalIs: 'moreThanCap' }).text).toContain(
      'このページより後に案件はありません。',
    );
  });
});
