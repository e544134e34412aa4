/** The leaders' view of the whole pipeline, worked out from the open deals' facts in one pass. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { businessDaysBetween } from './business-days.js';
import { todayIn } from './dates.js';
import {
  type DealNames,
  type DealState,
  isSnoozed,
  type OpenDealFacts,
  type Stall,
  type StallCutoffs,
  sinceKey,
  stallsOf,
} from './stalled.js';

export interface Bucket {
  count: number;
  amount: number;
}

export interface RepLine {
  userId: string;
  openDeals: number;
  overdueTasks: number;
  /** Calendar days since the rep's newest entry on an open deal. */
  daysSinceEntry: number;
}

/** `F`: the deal's facts with its names (as shown), or only what the rules read (while it is worked out). */
export interface StalledDeal<F extends DealState = OpenDealFacts> {
  facts: F;
  stall: Stall;
  /** How long it has been waiting, in business days. */
  businessDays: number;
}

export interface PipelineBoard<F extends DealState = OpenDealFacts> {
  adviceWaiting: Bucket;
  onTime: Bucket;
  overdue: Bucket;
  noEntry: Bucket;
  snoozed: Bucket;
  reps: RepLine[];
  /** The oldest stalled deals first, at most `listLimit`; `stalledTotal` counts them all. */
  stalled: StalledDeal<F>[];
  stalledTotal: number;
  snoozedDeals: F[];
}

const empty = (): Bucket => ({ count: 0, amount: 0 });

function addTo(bucket: Bucket, facts: DealState): void {
  bucket.count += 1;
  bucket.amount += facts.amount ?? 0;
}

/** The team-time date of an ISO instant, or the date itself. */
export function dateOf(since: string, timeZone: string): string {
  return since.length === 10 ? since : todayIn(timeZone, new Date(since));
}

export function waitingBusinessDays(stall: Stall, cutoffs: StallCutoffs, timeZone: string): number {
  return businessDaysBetween(dateOf(stall.since, timeZone), cutoffs.today);
}

export function buildPipelineBoard<F extends DealState>(
  deals: readonly F[],
  cutoffs: StallCutoffs,
  timeZone: string,
  listLimit: number,
): PipelineBoard<F> {
  const builder = createBoardBuilder<F>(cutoffs, timeZone, listLimit);
  for (const facts of deals) builder.add(facts);
  return builder.finish();
}

/**
 * The board worked out one deal at a time, in one pass: the deals may come in batches (at a million
 * deals, tens of thousands are open, and the caller yields to the event loop between batches).
 */
export function createBoardBuilder<F extends DealState>(cutoffs: StallCutoffs, timeZone: string, listLimit: number) {
  const board: PipelineBoard<F> = {
    adviceWaiting: empty(),
    onTime: empty(),
    overdue: empty(),
    noEntry: empty(),
    snoozed: empty(),
    reps: [],
    stalled: [],
    stalledTotal: 0,
    snoozedDeals: [],
  };
  const reps = new Map<string, { openDeals: number; overdueTasks: number; lastEntryAt: string }>();
  // Only the oldest `listLimit` are kept, in order, as the deals go by: no sort of thousands.
  const oldest: Array<{ facts: F; stall: Stall; key: string }> = [];

  function add(facts: F): void {
    if (facts.adviceAskedAt !== null) addTo(board.adviceWaiting, facts);
    const overdue = facts.progressDueOn !== null && facts.progressDueOn < cutoffs.today;
    const stalls = stallsOf(facts, cutoffs);
    const stall = stalls[0];
    if (isSnoozed(facts, cutoffs.today)) {
      addTo(board.snoozed, facts);
      board.snoozedDeals.push(facts);
    } else if (stalls.some((s) => s.reason === 'no_entry')) addTo(board.noEntry, facts);
    else if (overdue) addTo(board.overdue, facts);
    else addTo(board.onTime, facts);
    if (stall) {
      board.stalledTotal += 1;
      keepOldest(oldest, { facts, stall, key: sinceKey(stall) }, listLimit);
    }

    const rep = reps.get(facts.ownerId) ?? { openDeals: 0, overdueTasks: 0, lastEntryAt: '' };
    rep.openDeals += 1;
    if (overdue) rep.overdueTasks += 1;
    if (facts.lastEntryAt > rep.lastEntryAt) rep.lastEntryAt = facts.lastEntryAt;
    reps.set(facts.ownerId, rep);
  }

  function finish(): PipelineBoard<F> {
    board.stalled = oldest.map(({ facts, stall }) => ({
      facts,
      stall,
      businessDays: waitingBusinessDays(stall, cutoffs, timeZone),
    }));
    board.snoozedDeals.sort((a, b) => ((a.snoozedUntil ?? '') < (b.snoozedUntil ?? '') ? -1 : 1));
    board.reps = [...reps.entries()]
      .map(([userId, rep]) => ({
        userId,
        openDeals: rep.openDeals,
        overdueTasks: rep.overdueTasks,
        daysSinceEntry: calendarDaysBetween(dateOf(rep.lastEntryAt, timeZone), cutoffs.today),
      }))
      .sort(
        (a, b) => b.overdueTasks - a.overdueTasks || b.daysSinceEntry - a.daysSinceEntry || b.openDeals - a.openDeals,
      );
    return board;
  }

  return { add, finish };
}

/** Open deals judged per turn of the event loop (inOpenDealBatches): a few ms each. */
export const BOARD_BATCH = 2_000;

/**
 * Every open deal, read `batch` at a time by deal id (`read`: after a deal id, up to a limit) and handed
 * to `visit`, with a turn of the event loop between batches: at a million deals some 46,000 are open,
 * which took 150 ms of main thread in one go.
 */
export async function inOpenDealBatches<F extends DealState>(
  read: (afterDealId: number, limit: number) => F[],
  visit: (deals: readonly F[]) => void,
  batch = BOARD_BATCH,
): Promise<void> {
  for (let after = 0; ; ) {
    const deals = read(after, batch);
    visit(deals);
    const last = deals.at(-1);
    if (!last || deals.length < batch) return;
    after = last.dealId;
    await nextTurn();
  }
}

/** The board of every open deal, worked out in batches (inOpenDealBatches). */
export async function boardInBatches<F extends DealState>(
  read: (afterDealId: number, limit: number) => F[],
  cutoffs: StallCutoffs,
  timeZone: string,
  listLimit: number,
  batch = BOARD_BATCH,
): Promise<PipelineBoard<F>> {
  const builder = createBoardBuilder<F>(cutoffs, timeZone, listLimit);
  await inOpenDealBatches(read, (deals) => deals.forEach(builder.add), batch);
  return builder.finish();
}

/** Inserts `item` into `list` (oldest first, then by deal id) and drops what falls past `limit`. */
function keepOldest<T extends { key: string; facts: DealState }>(list: T[], item: T, limit: number): void {
  if (limit <= 0) return;
  const last = list[list.length - 1];
  if (list.length >= limit && last && !before(item, last)) return;
  let at = list.length;
  while (at > 0 && before(item, list[at - 1] as T)) at -= 1;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}

function before(a: { key: string; facts: DealState }, b: { key: string; facts: DealState }): boolean {
  return a.key < b.key || (a.key === b.key && a.facts.dealId < b.facts.dealId);
}

function calendarDaysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}

/**
 * The board with the names of the deals it lists. Names are long Japanese text: reading them for every
 * open deal costs more than judging them all, so they are read only for the deals the board lists.
 */
export function withNames(board: PipelineBoard<DealState>, names: ReadonlyMap<number, DealNames>): PipelineBoard {
  const named = (state: DealState): OpenDealFacts => ({
    ...state,
    ...(names.get(state.dealId) ?? { customer: '', title: '', snoozeReason: null }),
  });
  return {
    ...board,
    stalled: board.stalled.map((item) => ({ ...item, facts: named(item.facts) })),
    snoozedDeals: board.snoozedDeals.map(named),
  };
}

/** The deals a board lists, whose names it needs. */
export function listedDealIds(board: PipelineBoard<DealState>): number[] {
  return [...board.stalled.map((item) => item.facts.dealId), ...board.snoozedDeals.map((facts) => facts.dealId)];
}
