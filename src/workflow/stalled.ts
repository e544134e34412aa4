/**
 * When a deal counts as stalled, per step, counted in business days. Pure: the facts come from the
 * store, the thresholds from the settings, the time from the clock.
 */
import { businessDaysBefore, businessHoursBefore } from './business-days.js';
import { addDays, startOfDay, todayIn } from './dates.js';

export interface StallRules {
  /** Advice waiting longer than this many business hours is stalled. */
  adviceStaleHours: number;
  /** A 商談中 deal without an entry for this many business days is stalled. */
  staleDays: number;
  timeZone: string;
}

/** What the rules need to know about one 商談中 deal. */
export interface OpenDealFacts {
  dealId: number;
  ownerId: string;
  customer: string;
  title: string;
  amount: number | null;
  /** When advice was asked for, while it is still awaited. */
  adviceAskedAt: string | null;
  /** 次のアクション期日 of the open progress task (YYYY-MM-DD). */
  progressDueOn: string | null;
  /** The newest report or progress entry. */
  lastEntryAt: string;
  /** Snoozed until this date (YYYY-MM-DD), while it lies ahead. */
  snoozedUntil: string | null;
  snoozeReason: string | null;
}

/** What the rules read of a deal: its state without its names (read only for the deals shown). */
export type DealState = Omit<OpenDealFacts, 'customer' | 'title' | 'snoozeReason'>;

/** The names of a deal, as a list of deals shows them. */
export type DealNames = Pick<OpenDealFacts, 'customer' | 'title' | 'snoozeReason'>;

/**
 * - `advice`: the leaders have not advised within the allowed business hours;
 * - `overdue`: the progress task is past its 期日;
 * - `no_entry`: nothing was recorded for the allowed business days.
 */
export type StallReason = 'advice' | 'overdue' | 'no_entry';

export interface Stall {
  reason: StallReason;
  /** Since when it has been waiting: an ISO instant, or a date (YYYY-MM-DD) for `overdue`. */
  since: string;
  /** Who must act: the leaders for advice, the owner otherwise. */
  actor: 'leaders' | 'owner';
}

/** The instants and dates a deal's facts are compared with, worked out once for a whole list. */
export interface StallCutoffs {
  today: string;
  /** Advice asked before this instant is stalled. */
  adviceAskedBefore: string;
  /** A last entry before this instant is stalled. */
  lastEntryBefore: string;
}

export function stallCutoffs(now: Date, rules: StallRules): StallCutoffs {
  const today = todayIn(rules.timeZone, now);
  // An entry on that business day or earlier leaves `staleDays` business days without one by today.
  const lastQuietDay = businessDaysBefore(today, rules.staleDays);
  return {
    today,
    adviceAskedBefore: businessHoursBefore(now, rules.adviceStaleHours, rules.timeZone),
    lastEntryBefore: startOfDay(addDays(lastQuietDay, 1), rules.timeZone),
  };
}

export function isSnoozed(facts: Pick<OpenDealFacts, 'snoozedUntil'>, today: string): boolean {
  return facts.snoozedUntil !== null && facts.snoozedUntil > today;
}

/** Every way the deal is stalled, oldest first; none while it is snoozed. */
export function stallsOf(facts: DealState, cutoffs: StallCutoffs): Stall[] {
  if (isSnoozed(facts, cutoffs.today)) return [];
  const stalls: Stall[] = [];
  if (facts.adviceAskedAt !== null && facts.adviceAskedAt < cutoffs.adviceAskedBefore) {
    stalls.push({ reason: 'advice', since: facts.adviceAskedAt, actor: 'leaders' });
  }
  if (facts.progressDueOn !== null && facts.progressDueOn < cutoffs.today) {
    stalls.push({ reason: 'overdue', since: facts.progressDueOn, actor: 'owner' });
  }
  if (facts.lastEntryAt < cutoffs.lastEntryBefore) {
    stalls.push({ reason: 'no_entry', since: facts.lastEntryAt, actor: 'owner' });
  }
  return stalls.length > 1 ? stalls.sort(bySince) : stalls;
}

/** The deal's oldest stall, or null when it is moving. */
export function stallOf(facts: DealState, cutoffs: StallCutoffs): Stall | null {
  return stallsOf(facts, cutoffs)[0] ?? null;
}

/** Oldest first; plain code-unit order (ISO text), not the much slower locale order. */
export function bySince(a: Stall, b: Stall): number {
  const x = sinceKey(a);
  const y = sinceKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Dates and instants compare as text once a date is read as the start of its day. */
export function sinceKey(stall: Stall): string {
  return stall.since.length === 10 ? `${stall.since}T00:00:00.000Z` : stall.since;
}
