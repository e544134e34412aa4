/**
 * The leaders' weekly digest: what the last seven days brought (new deals, 受注, 失注 and why, how long
 * each step took) and where the pipeline stands (its total, the deals that are stuck). Worked out once
 * per week in the team's time zone, stored, and sent to every leader by DM.
 */
import { medianOf, type Step } from './analysis.js';
import { addDays, startOfDay, todayIn } from './dates.js';
import { type Bucket, boardInBatches, type PipelineBoard, type StalledDeal } from './pipeline-board.js';
import { type StallRules, stallCutoffs } from './stalled.js';
import type { UnitOfWork, WorkflowDeps } from './unit-of-work.js';

/** Stalled deals listed in the digest, oldest first (two blocks each, well inside a message's 50). */
export const DIGEST_STALLED_LIMIT = 10;

/** The seven whole days before the day the digest is made, in the team's time zone. */
export interface DigestPeriod {
  /** The Monday (YYYY-MM-DD) of the week the digest is made in: at most one digest a week. */
  week: string;
  /** The first and last day covered (YYYY-MM-DD, both included). */
  from: string;
  to: string;
  /** The same days as instants: from `since` (included) to `until` (excluded). */
  since: string;
  until: string;
}

/** What happened in a period, read from the deals (store). */
export interface PeriodActivity {
  newDeals: Bucket;
  won: Bucket;
  lost: Bucket;
  /** 失注理由 option ids ('' when none was given) and how many lost deals gave each. */
  lossReasons: Array<{ reason: string; deals: number }>;
  /** Days each step took, for the deals closed in the period (as the analysis counts them). */
  durations: Array<{ step: string; days: number; deals: number }>;
}

export interface WeeklyDigest {
  period: DigestPeriod;
  newDeals: Bucket;
  won: Bucket;
  lost: Bucket;
  /** Most given first. */
  lossReasons: Array<{ reason: string; deals: number }>;
  /** Median days of each step over the deals closed in the period; null when none closed. */
  medianDays: Record<Step, number | null>;
  /** Every 商談中 deal, snoozed ones included. */
  pipeline: Bucket;
  stalled: StalledDeal[];
  stalledTotal: number;
}

/** Where digests are kept; src/store implements it on SQLite. */
export interface DigestRepository {
  activity(since: string, until: string): PeriodActivity;
  hasDigest(week: string): boolean;
  saveDigest(digest: WeeklyDigest, at: string): void;
  digest(week: string): WeeklyDigest | null;
}

export function digestPeriod(now: Date, timeZone: string): DigestPeriod {
  const today = todayIn(timeZone, now);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const from = addDays(today, -7);
  return {
    week: addDays(today, -((weekday + 6) % 7)),
    from,
    to: addDays(today, -1),
    since: startOfDay(from, timeZone),
    until: startOfDay(today, timeZone),
  };
}

const STEPS: readonly Step[] = ['total', 'advice', 'negotiation'];

export function summariseDigest(period: DigestPeriod, activity: PeriodActivity, board: PipelineBoard): WeeklyDigest {
  const buckets = [board.onTime, board.overdue, board.noEntry, board.snoozed];
  return {
    period,
    newDeals: activity.newDeals,
    won: activity.won,
    lost: activity.lost,
    lossReasons: activity.lossReasons
      .filter((row) => row.deals > 0)
      .sort((a, b) => b.deals - a.deals || (a.reason < b.reason ? -1 : 1)),
    medianDays: Object.fromEntries(
      STEPS.map((step) => [step, medianOf(activity.durations.filter((row) => row.step === step))]),
    ) as Record<Step, number | null>,
    pipeline: {
      count: buckets.reduce((total, bucket) => total + bucket.count, 0),
      amount: buckets.reduce((total, bucket) => total + bucket.amount, 0),
    },
    stalled: board.stalled,
    stalledTotal: board.stalledTotal,
  };
}

export interface DigestDeps extends WorkflowDeps {
  digests: DigestRepository;
  stallRules: () => StallRules;
}

export type Digests = ReturnType<typeof createDigests>;

export function createDigests(deps: DigestDeps, unit: UnitOfWork) {
  const { repo, roles, digests } = deps;

  /**
   * Makes the digest of the seven days before `now` and queues one DM for each leader, in one
   * transaction with the record of the week: a second run in the same week (a restart, a catch-up,
   * a changed schedule) sends nothing.
   */
  async function sendWeeklyDigest(now: Date): Promise<{ leaders: number; skipped?: 'already_sent' }> {
    if (digests.hasDigest(digestPeriod(now, deps.timeZone).week)) return { leaders: 0, skipped: 'already_sent' };
    // Worked out before the transaction, a batch of open deals per turn (boardInBatches).
    const cutoffs = stallCutoffs(now, deps.stallRules());
    const board = await boardInBatches(repo.openDealFactsAfter, cutoffs, deps.timeZone, DIGEST_STALLED_LIMIT);
    return unit.commit((at) => {
      const period = digestPeriod(now, deps.timeZone);
      if (digests.hasDigest(period.week)) return { leaders: 0, skipped: 'already_sent' };
      digests.saveDigest(summariseDigest(period, digests.activity(period.since, period.until), board), at);
      repo.enqueue(
        roles.leaderIds.map((userId) => ({ kind: 'send_digest', week: period.week, userId }) as const),
        at,
      );
      return { leaders: roles.leaderIds.length };
    });
  }

  return { sendWeeklyDigest };
}
