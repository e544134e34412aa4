import type { Store } from '../../src/store/index.js';
import { NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import type { Deal, SlackMessageRef } from '../../src/workflow/types.js';
import { sampleReport } from './samples.js';

/** Writes and a search straight through the store, for the search index's tests. */
const AT = '2026-02-01T00:00:00.000Z';

export function found(store: Store, keywords: string): number[] {
  return [...store.search.each(toDealQuery({ ...NO_FILTERS, keywords }, 'Asia/Tokyo'))].map((deal) => deal.id);
}

export function addDeal(store: Store, customer: string, description = '概要なし', reportedAt = AT): Deal {
  return store.deals.transaction(() => {
    const report = sampleReport({ customer, title: '案件', description });
    return store.deals.insertDeal({
      ...report,
      status: 'negotiating',
      reporterId: report.ownerId,
      externalId: null,
      createdAt: reportedAt,
      reportedAt,
    });
  });
}

export const comment = (store: Store, dealId: number, text: string, message: SlackMessageRef) =>
  store.deals.transaction(() => store.deals.appendTimeline(dealId, 'U0MEMB1', AT, { kind: 'comment', text, message }));
export const edit = (store: Store, dealId: number, text: string, message: SlackMessageRef) =>
  store.deals.transaction(() =>
    store.deals.appendTimeline(dealId, 'U0MEMB1', AT, { kind: 'comment_edited', text, message }),
  );
export const remove = (store: Store, dealId: number, message: SlackMessageRef) =>
  store.deals.transaction(() =>
    store.deals.appendTimeline(dealId, 'U0MEMB1', AT, { kind: 'comment_deleted', message }),
  );
