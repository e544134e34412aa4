import { documentTerms, searchableTexts } from '../workflow/search-terms.js';
import type { TimelineData } from '../workflow/types.js';
import type { Db } from './db.js';
import { type DealRow, toDeal } from './rows.js';

export interface SearchIndex {
  /** Marks a deal's document stale; it is rewritten before the surrounding transaction commits. */
  touch(dealId: number): void;
  /** Rewrites the stale documents (called at the end of every write transaction). */
  flush(): void;
  /** Forgets stale marks of a transaction that rolled back. */
  discard(): void;
  /** Indexes up to `limit` deals waiting since the migration (or a bulk load); returns how many remain. */
  indexBacklog(limit: number): number;
  backlogSize(): number;
}

/** The deal search index (FTS5, see migrations), kept in the same transaction as each write. */
export function createSearchIndex(db: Db): SearchIndex {
  const statements = {
    deal: db.prepare('SELECT * FROM deals WHERE id = ?'),
    timeline: db.prepare('SELECT data FROM timeline WHERE deal_id = ? ORDER BY id'),
    remove: db.prepare('DELETE FROM deal_search WHERE rowid = ?'),
    insert: db.prepare('INSERT INTO deal_search (rowid, terms) VALUES (?, ?)'),
    backlog: db.prepare('SELECT deal_id FROM deal_search_backlog ORDER BY deal_id DESC LIMIT ?'),
    backlogDone: db.prepare('DELETE FROM deal_search_backlog WHERE deal_id = ?'),
    backlogSize: db.prepare('SELECT COUNT(*) AS n FROM deal_search_backlog'),
  };
  const stale = new Set<number>();

  function write(dealId: number): void {
    statements.remove.run(dealId);
    const row = statements.deal.get(dealId) as DealRow | undefined;
    if (!row) return;
    const entries = (statements.timeline.all(dealId) as Array<{ data: string }>).map(
      (entry) => JSON.parse(entry.data) as TimelineData,
    );
    const terms = documentTerms(searchableTexts(toDeal(row), entries));
    statements.insert.run(dealId, terms);
  }

  const flush = () => {
    for (const dealId of stale) write(dealId);
    stale.clear();
  };

  const indexBatch = db.transaction((limit: number) => {
    for (const { deal_id } of statements.backlog.all(limit) as Array<{ deal_id: number }>) {
      write(deal_id);
      statements.backlogDone.run(deal_id);
    }
  });

  const backlogSize = () => (statements.backlogSize.get() as { n: number }).n;

  return {
    touch(dealId) {
      stale.add(dealId);
      if (!db.inTransaction) flush();
    },
    flush,
    discard: () => stale.clear(),
    indexBacklog(limit) {
      indexBatch.immediate(limit);
      return backlogSize();
    },
    backlogSize,
  };
}

/** Queues every deal for (re)indexing: after a bulk load, which writes deals and timeline directly. */
export function queueAllDealsForIndex(db: Db): void {
  db.exec('INSERT OR IGNORE INTO deal_search_backlog (deal_id) SELECT id FROM deals');
}
