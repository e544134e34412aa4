import { dealTexts, entryTexts } from '../workflow/search-terms.js';
import type { TimelineData } from '../workflow/types.js';
import type { Db } from './db.js';

/**
 * Where a text sits in the search index: its rowid is the deal id × 2¹⁶ + the text's place in the deal
 * (0: the deal's own fields; n: the deal's n-th timeline entry). Small numbers within a deal keep the
 * index's lists of rowids short (each step between two rowids is stored as a varint).
 */
export const TEXTS_PER_DEAL = 2 ** 16;

export const searchKey = (dealId: number, place: number): number => dealId * TEXTS_PER_DEAL + place;
export const dealOfKey = (key: number): number => Math.floor(key / TEXTS_PER_DEAL);
export const placeOfKey = (key: number): number => key % TEXTS_PER_DEAL;

interface TimelineRow {
  id: number;
  data: string;
  message_channel: string | null;
  message_ts: string | null;
}

export type SearchTexts = ReturnType<typeof createSearchTexts>;

/**
 * The texts the search index holds, read back from the deals and their timelines: to check a word the
 * index cannot settle alone (a one-character word, or a long one found by a few of its pairs).
 */
export function createSearchTexts(db: Db) {
  const statements = {
    deal: db.prepare('SELECT customer, title, description FROM deals WHERE id = ?'),
    entryAt: db.prepare(
      'SELECT id, data, message_channel, message_ts FROM timeline WHERE deal_id = ? ORDER BY id LIMIT 1 OFFSET ?',
    ),
    latestAbout: db.prepare(
      `SELECT data FROM timeline WHERE message_channel = ? AND message_ts = ? AND deal_id = ?
       ORDER BY id DESC LIMIT 1`,
    ),
    timeline: db.prepare('SELECT id, data, message_channel, message_ts FROM timeline WHERE deal_id = ? ORDER BY id'),
  };

  function ownTexts(dealId: number): string[] {
    const deal = statements.deal.get(dealId) as Parameters<typeof dealTexts>[0] | undefined;
    return deal ? dealTexts(deal) : [];
  }

  /** One place's texts as they are now: a thread message's latest version (none once deleted). */
  function at(dealId: number, place: number): string[] {
    if (place === 0) return ownTexts(dealId);
    const row = statements.entryAt.get(dealId, place - 1) as TimelineRow | undefined;
    if (!row) return [];
    if (row.message_ts === null) return entryTexts(JSON.parse(row.data) as TimelineData);
    const latest = statements.latestAbout.get(row.message_channel, row.message_ts, dealId) as { data: string };
    return entryTexts(JSON.parse(latest.data) as TimelineData);
  }

  /** Every text of a deal as the index holds them: its fields, then each entry (a message's latest version). */
  function ofDeal(dealId: number): string[] {
    const texts = ownTexts(dealId);
    const messages = new Map<string, string[]>();
    for (const row of statements.timeline.iterate(dealId) as Iterable<TimelineRow>) {
      const entry = entryTexts(JSON.parse(row.data) as TimelineData);
      if (row.message_ts === null) texts.push(...entry);
      else messages.set(`${row.message_channel} ${row.message_ts}`, entry);
    }
    for (const entry of messages.values()) texts.push(...entry);
    return texts;
  }

  return { at, ofDeal };
}
