/**
 * 保留 (snooze): the owner or a leader parks a 商談中 deal for a known reason until a date. Until then
 * it is not stalled and nobody is reminded of it; on the date the owner hears of it and it is live
 * again. Any entry ends it earlier (see clearFollowUp), and so does 解除.
 */
import { addDays, todayIn } from './dates.js';
import { DomainError } from './errors.js';
import { assertAllowed, assertNegotiating } from './permissions.js';
import type { FollowUp } from './ports.js';
import { isSnoozed } from './stalled.js';
import type { Actor, Deal } from './types.js';
import type { Outcome, UnitOfWork, WorkflowDeps } from './unit-of-work.js';

/** A snooze ends at most this many calendar days ahead. */
export const SNOOZE_MAX_DAYS = 90;
/** 保留の理由, in characters. */
export const SNOOZE_REASON_MAX = 200;

export interface SnoozeCommand {
  actor: Actor;
  dealId: number;
  /** YYYY-MM-DD, after today and at most SNOOZE_MAX_DAYS ahead. */
  until: string;
  reason: string;
  /** The submission (the modal's view id): submitted twice, it snoozes once. */
  idempotencyKey: string;
}

/** The latest date a snooze made on `today` may end on. */
export function latestSnoozeDate(today: string): string {
  return addDays(today, SNOOZE_MAX_DAYS);
}

/** Why `until` cannot end a snooze made on `today`, in Japanese; null when it can. */
export function snoozeDateProblem(until: string, today: string): string | null {
  if (until <= today) return '明日以降の日付を選んでください。';
  const latest = latestSnoozeDate(today);
  if (until > latest) {
    return `保留できるのは ${SNOOZE_MAX_DAYS} 日先 (${latest.replace(/-/g, '/')}) までです。`;
  }
  return null;
}

function withoutSnooze(followUp: FollowUp): FollowUp {
  return { ...followUp, snoozedUntil: null, snoozeReason: null, snoozedBy: null };
}

export function createSnoozes(deps: WorkflowDeps, unit: UnitOfWork) {
  const { repo, roles } = deps;
  const { commit, once, requireDeal, today, homesOf } = unit;

  function requireSnoozable(actor: Actor, dealId: number): Deal {
    const deal = requireDeal(dealId);
    assertAllowed(actor, 'snooze', roles, deal);
    assertNegotiating(deal);
    return deal;
  }

  /** 保留にする (again, to change the date or reason): the thread hears until when and why. */
  function snoozeDeal(command: SnoozeCommand): Outcome {
    return commit((at) =>
      once(`snooze:${command.idempotencyKey}`, at, () => {
        const deal = requireSnoozable(command.actor, command.dealId);
        const problem = snoozeDateProblem(command.until, today());
        if (problem) throw new DomainError('invalid_input', problem);
        const { until, reason } = command;
        const entry = repo.appendTimeline(deal.id, command.actor.userId, at, { kind: 'snoozed', until, reason });
        // The reason is known: the reminders so far no longer count towards an escalation.
        repo.saveFollowUp(deal.id, {
          ...repo.followUp(deal.id),
          snoozedUntil: until,
          snoozeReason: reason,
          snoozedBy: command.actor.userId,
          chaseCount: 0,
          escalatedOn: null,
        });
        repo.enqueue(
          [
            { kind: 'post_thread_reply', dealId: deal.id, entryId: entry.id, broadcast: false },
            { kind: 'update_card', dealId: deal.id },
            ...homesOf(deal.ownerId, command.actor.userId, ...roles.leaderIds),
          ],
          at,
        );
        return { deal, duplicate: false };
      }),
    );
  }

  /** 保留を解除: the deal is live again at once; the thread hears who ended it. */
  function endSnooze(actor: Actor, dealId: number): Deal {
    return commit((at) => {
      const deal = requireSnoozable(actor, dealId);
      const followUp = repo.followUp(deal.id);
      if (!isSnoozed(followUp, today())) throw new DomainError('not_snoozed');
      const entry = repo.appendTimeline(deal.id, actor.userId, at, { kind: 'snooze_lifted' });
      repo.saveFollowUp(deal.id, withoutSnooze(followUp));
      repo.enqueue(
        [
          { kind: 'post_thread_reply', dealId: deal.id, entryId: entry.id, broadcast: false },
          { kind: 'update_card', dealId: deal.id },
          ...homesOf(deal.ownerId, actor.userId, ...roles.leaderIds),
        ],
        at,
      );
      return deal;
    });
  }

  /**
   * Ends up to `limit` snoozes whose date has come (on the day of `now`, or earlier while the bot was
   * down), earliest first: the owner gets a DM, which counts as the day's reminder. The snooze is
   * cleared in the same transaction, so a second run sends nothing. Returns how many it ended.
   */
  function wakeSnoozedDeals(now: Date, limit: number): number {
    return commit((at) => {
      const day = todayIn(deps.timeZone, now);
      const due = repo.snoozesDue(day, limit);
      for (const facts of due) {
        const followUp = repo.followUp(facts.dealId);
        repo.saveFollowUp(facts.dealId, { ...withoutSnooze(followUp), chasedOn: day });
        repo.enqueue(
          [
            {
              kind: 'send_snooze_ended',
              dealId: facts.dealId,
              userId: facts.ownerId,
              until: followUp.snoozedUntil ?? day,
              reason: followUp.snoozeReason ?? '',
            },
            { kind: 'update_card', dealId: facts.dealId },
            ...homesOf(facts.ownerId, ...roles.leaderIds),
          ],
          at,
        );
      }
      return due.length;
    });
  }

  /** The snooze in force on a deal now, or null. */
  function currentSnooze(dealId: number): { until: string; reason: string } | null {
    const followUp = repo.followUp(dealId);
    if (followUp.snoozedUntil === null || !isSnoozed(followUp, today())) return null;
    return { until: followUp.snoozedUntil, reason: followUp.snoozeReason ?? '' };
  }

  return { snoozeDeal, endSnooze, wakeSnoozedDeals, currentSnooze };
}
