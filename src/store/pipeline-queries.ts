import type { OpenDealFacts } from '../workflow/stalled.js';
import type { Db } from './db.js';

interface FactsRow {
  deal_id: number;
  owner_id: string;
  customer: string;
  title: string;
  amount: number | null;
  advice_asked_at: string | null;
  progress_due_on: string | null;
  last_entry_at: string;
  snoozed_until: string | null;
  snooze_reason: string | null;
}

// open_deals is kept by triggers (see migrations): one scan, no lookups per deal.
const factsSql = `
  SELECT deal_id, owner_id, customer, title, amount, advice_asked_at, progress_due_on, last_entry_at,
    snoozed_until, snooze_reason
  FROM open_deals`;

function toFacts(row: FactsRow): OpenDealFacts {
  return {
    dealId: row.deal_id,
    ownerId: row.owner_id,
    customer: row.customer,
    title: row.title,
    amount: row.amount,
    adviceAskedAt: row.advice_asked_at,
    progressDueOn: row.progress_due_on,
    lastEntryAt: row.last_entry_at,
    snoozedUntil: row.snoozed_until,
    snoozeReason: row.snooze_reason,
  };
}

export type PipelineQueries = ReturnType<typeof createPipelineQueries>;

/** The facts the stall rules and the leaders' pipeline read, for every 商談中 deal or one rep's. */
export function createPipelineQueries(db: Db) {
  const statements = {
    all: db.prepare(factsSql),
    ownedBy: db.prepare(`${factsSql} WHERE owner_id = ?`),
    one: db.prepare(`${factsSql} WHERE deal_id = ?`),
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
