import { normaliseForSearch } from '../workflow/search-terms.js';
import type { Db } from './db.js';

export type CustomerNames = ReturnType<typeof createCustomerNames>;

/**
 * The 顧客名 the deals have had, normalised as the search reads them, each with a number. A deal's own
 * text in the search index carries its name's number (nameTerms), so the few names holding a word find
 * their deals exactly from short lists. The word's pairs alone would also find every
 * deal of a name that shares them (株式会社瀬戸システム and 有限会社瀬戸システム), each to be read and
 * checked. A name is kept once written: one no deal has any more finds nothing.
 */
export function createCustomerNames(db: Db) {
  const statements = {
    numbered: db.prepare('SELECT id FROM customer_names WHERE name = ?').pluck(),
    add: db.prepare('INSERT INTO customer_names (name) VALUES (?)'),
    newest: db.prepare('SELECT MAX(id) FROM customer_names').pluck(),
    after: db.prepare('SELECT id, name FROM customer_names WHERE id > ? ORDER BY id'),
  };
  // For searches, the names in memory one after the other, each ended by a line break (which no word
  // holds), with where each starts: one indexOf over them all finds a word's names (a few thousand).
  let names = '';
  const starts: number[] = [];
  const ids: number[] = [];

  function catchUp(): void {
    const newest = (statements.newest.get() as number | null) ?? 0;
    if (newest <= (ids.at(-1) ?? 0)) return;
    for (const row of statements.after.all(ids.at(-1) ?? 0) as Array<{ id: number; name: string }>) {
      starts.push(names.length);
      ids.push(row.id);
      names += `${row.name}\n`;
    }
  }

  /** The index of the name the character at `offset` belongs to. */
  function nameAt(offset: number): number {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  return {
    /** The number of a deal's 顧客名, given one the first time it is seen (in the caller's transaction). */
    numberOf(customer: string): number {
      const name = normaliseForSearch(customer);
      const id = statements.numbered.get(name) as number | undefined;
      return id ?? Number(statements.add.run(name).lastInsertRowid);
    },
    /** The numbers of the names holding the (normalised) word; null when more than `atMost` do. */
    holding(word: string, atMost: number): number[] | null {
      catchUp();
      const found: number[] = [];
      for (let at = names.indexOf(word); at !== -1; at = names.indexOf(word, at + 1)) {
        const id = ids[nameAt(at)] as number;
        if (found.at(-1) === id) continue;
        if (found.length === atMost) return null;
        found.push(id);
      }
      return found;
    },
  };
}
