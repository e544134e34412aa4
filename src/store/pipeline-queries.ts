import type { DealNames, DealState, OpenDealFacts } from '../workflow/stalled.js';
import type { Db } from './db.js';

/** What the rules read, as an array in the order of stateColumns. */
type StateRow = [
  dealId: number,
  ownerId: string,
  amount: number | null,
  adviceAskedAt: string | null,
  progressDueOn: string | null,
  lastEntryAt: string,
  snoozedUntil: string | null,
];

/** The state and then the names, in the order of factsSql's columns. */
type FactsRow = [...StateRow, customer: string, title: string, snoozeReason: string | null];

// open_deals is kept by triggers (see migrations): one scan, no lookups per deal.
const stateColumns = 'deal_id, owner_id, amount, advice_asked_at, progress_due_on, last_entry_at, snoozed_until';
const factsSql = `SELECT ${stateColumns}, customer, title, snooze_reason FROM open_deals`;

function toState(row: StateRow | FactsRow): DealState {
  return {
    dealId: row[0],
    ownerId: row[1],
    amount: row[2],
    adviceAskedAt: row[3],
    progressDueOn: row[4],
    lastEntryAt: row[5],
    snoozedUntil: row[6],
  };
}

function toFacts(row: FactsRow): OpenDealFacts {
  // Assigned, not spread: spreading a new object for each of thousands of rows doubles the cost.
  const facts = toState(row) as OpenDealFacts;
  facts.customer = row[7];
  facts.title = row[8];
  facts.snoozeReason = row[9];
  return facts;
}

export type PipelineQueries = ReturnType<typeof createPipelineQueries>;

/** The facts the stall rules and the leaders' pipeline read, for every 商談中 deal or one rep's. */
export function createPipelineQueries(db: Db) {
  // Rows as arrays: with thousands of open deals, better-sqlite3 builds them in about half the time of objects.
  const statements = {
    all: db.prepare(factsSql).raw(true),
    ownedBy: db.prepare(`${factsSql} WHERE owner_id = ?`).raw(true),
    one: db.prepare(`${factsSql} WHERE deal_id = ?`).raw(true),
    factsAfter: db.prepare(`${factsSql} WHERE deal_id > ? ORDER BY deal_id LIMIT ?`).raw(true),
    // A snooze ends on its date (isSnoozed: snoozed while the date is after today).
    snoozesDue: db
      .prepare(
        `${factsSql} WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? ORDER BY snoozed_until, deal_id LIMIT ?`,
      )
      .raw(true),
    statesAfter: db
      .prepare(`SELECT ${stateColumns} FROM open_deals WHERE deal_id > ? ORDER BY deal_id LIMIT ?`)
      .raw(true),
    names: db
      .prepare(
        `SELECT deal_id, customer, title, snooze_reason FROM open_deals
         WHERE deal_id IN (SELECT value FROM json_each(?))`,
      )
      .raw(true),
  };
  return {
    /** Every 商談中 deal's facts in one read (what the triggers keep, as their tests compare it). */
    openDealFacts(): OpenDealFacts[] {
      return (statements.all.all() as FactsRow[]).map(toFacts);
    },
    openDealFactsOwnedBy(userId: string): OpenDealFacts[] {
      return (statements.ownedBy.all(userId) as FactsRow[]).map(toFacts);
    },
    /**
     * What the rules read of the open deals after `afterDealId`, up to `limit`, by deal id (for batches),
     * without the names: half the cost of the facts.
     */
    openDealStatesAfter(afterDealId: number, limit: number): DealState[] {
      return (statements.statesAfter.all(afterDealId, limit) as StateRow[]).map(toState);
    },
    /** The same with their names. */
    openDealFactsAfter(afterDealId: number, limit: number): OpenDealFacts[] {
      return (statements.factsAfter.all(afterDealId, limit) as FactsRow[]).map(toFacts);
    },
    /** Up to `limit` snoozed deals whose date has come by `day`, earliest first (then by deal id). */
    snoozesDue(day: string, limit: number): OpenDealFacts[] {
      return (statements.snoozesDue.all(day, limit) as FactsRow[]).map(toFacts);
    },
    /** The names of the given 商談中 deals (those a list shows). */
    dealNames(dealIds: readonly number[]): Map<number, DealNames> {
      const rows = statements.names.all(JSON.stringify(dealIds)) as Array<[number, string, string, string | null]>;
      return new Map(
        rows.map(([dealId, customer, title, snoozeReason]) => [dealId, { customer, title, snoozeReason }]),
      );
    },
    dealFacts(dealId: number): OpenDealFacts | null {
      const row = statements.one.get(dealId) as FactsRow | undefined;
      return row ? toFacts(row) : null;
    },
  };
}
