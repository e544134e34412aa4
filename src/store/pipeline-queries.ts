import type { OpenDealFacts } from '../workflow/stalled.js';
import type { Db } from './db.js';

/** A row as an array, in the order of factsSql's columns. */
type FactsRow = [
  dealId: number,
  ownerId: string,
  customer: string,
  title: string,
  amount: number | null,
  adviceAskedAt: string | null,
  progressDueOn: string | null,
  lastEntryAt: string,
  snoozedUntil: string | null,
  snoozeReason: string | null,
];

// open_deals is kept by triggers (see migrations): one scan, no lookups per deal.
const factsSql = `
  SELECT deal_id, owner_id, customer, title, amount, advice_asked_at, progress_due_on, last_entry_at,
    snoozed_until, snooze_reason
  FROM open_deals`;

function toFacts(row: FactsRow): OpenDealFacts {
  return {
    dealId: row[0],
    ownerId: row[1],
    customer: row[2],
    title: row[3],
    amount: row[4],
    adviceAskedAt: row[5],
    progressDueOn: row[6],
    lastEntryAt: row[7],
    snoozedUntil: row[8],
    snoozeReason: row[9],
  };
}

export type PipelineQueries = ReturnType<typeof createPipelineQueries>;

/** The facts the stall rules and the leaders' pipeline read, for every 商談中 deal or one rep's. */
export function createPipelineQueries(db: Db) {
  // Rows as arrays: with thousands of open deals, better-sqlite3 builds them in about half the time of objects.
  const statements = {
    all: db.prepare(factsSql).raw(true),
    ownedBy: db.prepare(`${factsSql} WHERE owner_id = ?`).raw(true),
    one: db.prepare(`${factsSql} WHERE deal_id = ?`).raw(true),
  };
  return {
    openDealFacts(): OpenDealFacts[] {
      return (statements.all.all() as FactsRow[]).map(toFacts);
    },
    openDealFactsOwnedBy(userId: string): OpenDealFacts[] {
      return (statements.ownedBy.all(userId) as FactsRow[]).map(toFacts);
    },
    dealFacts(dealId: number): OpenDealFacts | null {
      const row = statements.one.get(dealId) as FactsRow | undefined;
      return row ? toFacts(row) : null;
    },
  };
}
