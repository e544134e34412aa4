import { documentTerms, entryTexts, fieldTexts, nameTerms, type SearchText } from '../workflow/search-terms.js';
import type { Deal, TimelineData, TimelineEntry } from '../workflow/types.js';
import { createCustomerNames } from './customer-names.js';
import type { Db } from './db.js';
import { queueEveryDeal } from './search-file.js';
import { applyPendingTexts, settleAppliedTexts } from './search-pending.js';
import { searchKey, TEXTS_PER_DEAL } from './search-texts.js';

/**
 * The deal search index: one row per text a deal gathers, so a write touches only its own text. Its
 * key is the text's search key (search-texts.ts): the deal id × 2¹⁶ + the place in the deal of the
 * timeline entry the text comes from (0: the deal's own fields), so a deal's texts sit side by side,
 * newest deal last, and writing a text twice (a write to a deal still in the backlog, then the backlog)
 * keeps one row. A write puts its text in the pending list, in its own transaction; the texts move from
 * there into the index proper, in a file of its own, in the background (search-pending.js).
 */
export interface SearchIndex {
  /** A new deal, or one whose 顧客名 / 案件名 / 案件概要 changed. */
  dealTextsChanged(deal: Deal): void;
  /**
   * A timeline entry just appended, at `place` in its deal: adds its text; an edit replaces its
   * comment's; a deletion removes it.
   */
  entryAdded(entry: TimelineEntry, place: number): void;
  /**
   * Indexes up to `limit` texts of the deals waiting since the migration (or a bulk load), newest deal
   * first; a deal with more texts than that is taken up again where it stopped. Returns the deals left.
   */
  indexBacklog(limit: number): number;
  backlogSize(): number;
  /**
   * Moves up to `limit` pending texts into the index proper and off the pending list, here (in the bot a
   * worker thread copies them, and settleApplied takes them off).
   */
  applyPending(limit: number): number;
  /** Takes up to `limit` texts the index proper holds off the pending list (search-pending.js). */
  settleApplied(limit: number): number;
  pendingSize(): number;
}

/** The backlog is indexed newest deals first, this many deals at a time (see the backlog statement). */
const BACKLOG_BLOCK = 1_000;

export function createSearchIndex(db: Db): SearchIndex {
  const statements = {
    deal: db.prepare('SELECT customer, title, description FROM deals WHERE id = ?'),
    timeline: db.prepare(
      'SELECT id, deal_id AS dealId, data FROM timeline WHERE deal_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    // The first entry about a thread message: its comment (or, without one, its first edit).
    firstAbout: db.prepare(
      'SELECT id FROM timeline WHERE message_channel = ? AND message_ts = ? AND deal_id = ? ORDER BY id LIMIT 1',
    ),
    // Its place as written, or counted for an entry from before places were kept.
    placeOf: db
      .prepare(
        `SELECT COALESCE(place, (SELECT COUNT(*) FROM timeline c WHERE c.deal_id = t.deal_id AND c.id <= t.id))
         FROM timeline t WHERE t.id = ?`,
      )
      .pluck(),
    // A removed text is pending as '' (the index proper may hold it); searches read the pending texts too.
    pending: db.prepare('INSERT OR REPLACE INTO deal_search_pending (key, terms) VALUES (?, ?)'),
    pendingSize: db.prepare('SELECT COUNT(*) FROM deal_search_pending').pluck(),
    // The newest BACKLOG_BLOCK waiting deals, oldest of them first: rows go into the index's tables in
    // ascending rowid runs, which fill their pages (descending inserts left them half empty).
    backlog: db.prepare(
      `SELECT deal_id, indexed_up_to FROM deal_search_backlog
       WHERE deal_id > (SELECT MAX(deal_id) FROM deal_search_backlog) - ${BACKLOG_BLOCK} ORDER BY deal_id LIMIT ?`,
    ),
    backlogDone: db.prepare('DELETE FROM deal_search_backlog WHERE deal_id = ?'),
    backlogResume: db.prepare('UPDATE deal_search_backlog SET indexed_up_to = ? WHERE deal_id = ?'),
    backlogSize: db.prepare('SELECT COUNT(*) AS n FROM deal_search_backlog'),
  };

  const names = createCustomerNames(db);

  /** A deal's texts past TEXTS_PER_DEAL places are not indexed (a deal with 65,535 timeline entries). */
  function put(dealId: number, item: SearchText): void {
    if (item.place >= TEXTS_PER_DEAL) return;
    const key = searchKey(dealId, item.place);
    statements.pending.run(key, item.texts.length === 0 ? '' : documentTerms(item.texts));
  }

  /** A deal's own text: its 案件名 and 案件概要, and its 顧客名 as a name (nameTerms). */
  function putDeal(dealId: number, deal: Pick<Deal, 'customer' | 'title' | 'description'>): void {
    const name = nameTerms(deal.customer, names.numberOf(deal.customer));
    const fields = documentTerms(fieldTexts(deal));
    statements.pending.run(searchKey(dealId, 0), fields === '' ? name : `${fields} ${name}`);
  }

  /** Where an entry sits in its deal's timeline (1 for the first); `known` holds places already counted. */
  function placeOf(entryId: number, known?: Map<number, number>): number {
    return known?.get(entryId) ?? (statements.placeOf.get(entryId) as number);
  }

  /**
   * The text an entry adds, at its own place (`own`); a thread message's (an edit, a deletion) at the
   * place of the first entry about that message.
   */
  function entryItem(entry: TimelineEntry, known?: Map<number, number>): SearchText | null {
    if (!('message' in entry)) {
      const texts = entryTexts(entry);
      return texts.length > 0 ? { place: placeOf(entry.id, known), texts } : null;
    }
    const first = statements.firstAbout.get(entry.message.channel, entry.message.ts, entry.dealId) as { id: number };
    // A deletion adds no text (entryTexts), which removes the message's row.
    return { place: placeOf(first.id, known), texts: entryTexts(entry) };
  }

  function entryAdded(entry: TimelineEntry, known?: Map<number, number>): void {
    const item = entryItem(entry, known);
    if (item) put(entry.dealId, item);
  }

  /**
   * Indexes one waiting deal from where it stopped, entry by entry as the writes did (so an edit
   * replaces its comment's text), within `budget` texts; returns the texts used. Rows may be there
   * already (written while the deal waited): they are replaced.
   */
  function indexWaiting(dealId: number, after: number, budget: number): number {
    const deal = statements.deal.get(dealId) as Pick<Deal, 'customer' | 'title' | 'description'> | undefined;
    if (!deal) {
      statements.backlogDone.run(dealId);
      return 1;
    }
    if (after === 0) putDeal(dealId, deal);
    const rows = statements.timeline.all(dealId, after, budget) as Array<{ id: number; dealId: number; data: string }>;
    const before = after === 0 ? 0 : placeOf(after);
    const known = new Map(rows.map((row, index) => [row.id, before + index + 1]));
    for (const row of rows)
      entryAdded({ ...(JSON.parse(row.data) as TimelineData), id: row.id, dealId } as TimelineEntry, known);
    const last = rows.at(-1);
    if (rows.length < budget) statements.backlogDone.run(dealId);
    else if (last) statements.backlogResume.run(last.id, dealId);
    return Math.max(rows.length, 1);
  }

  const indexBatch = db.transaction((limit: number) => {
    let budget = limit;
    for (const row of statements.backlog.all(limit) as Array<{ deal_id: number; indexed_up_to: number }>) {
      if (budget <= 0) break;
      budget -= indexWaiting(row.deal_id, row.indexed_up_to, budget);
    }
  });

  const backlogSize = () => (statements.backlogSize.get() as { n: number }).n;

  return {
    dealTextsChanged: (deal) => putDeal(deal.id, deal),
    entryAdded(entry, place) {
      // A new comment is the first entry about its message (an edit of a comment not kept is not kept).
      if (entry.kind === 'comment') put(entry.dealId, { place, texts: entryTexts(entry) });
      else entryAdded(entry, new Map([[entry.id, place]]));
    },
    indexBacklog(limit) {
      indexBatch(limit);
      return backlogSize();
    },
    backlogSize,
    applyPending(limit) {
      const applied = applyPendingTexts(db, limit);
      settleAppliedTexts(db, limit);
      return applied;
    },
    settleApplied: (limit) => settleAppliedTexts(db, limit),
    pendingSize: () => statements.pendingSize.get() as number,
  };
}

/** Queues every deal for indexing from scratch: after a bulk load, which writes deals and timeline directly. */
export function queueAllDealsForIndex(db: Db): void {
  db.exec(`INSERT INTO search.deal_search_texts (deal_search_texts) VALUES ('delete-all');
    DELETE FROM deal_search_pending`);
  queueEveryDeal(db);
}
