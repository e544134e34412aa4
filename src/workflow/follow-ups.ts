/** Keeping deals moving: nudges, reminders of stalled work, escalation, snoozes. */
import { DomainError } from './errors.js';
import { assertAllowed, assertNegotiating } from './permissions.js';
import type { FollowUp } from './ports.js';
import { type OpenDealFacts, type Stall, type StallRules, stallCutoffs, stallsOf } from './stalled.js';
import type { Actor, Effect } from './types.js';
import type { UnitOfWork, WorkflowDeps } from './unit-of-work.js';

export interface FollowUpDeps extends WorkflowDeps {
  stallRules: () => StallRules;
}

export type FollowUps = ReturnType<typeof createFollowUps>;

/** What the owner is asked about: their own oldest stall, or simply that nothing was recorded lately. */
function ownerStall(facts: OpenDealFacts, stalls: readonly Stall[]): Stall {
  return (
    stalls.find((stall) => stall.actor === 'owner') ?? { reason: 'no_entry', since: facts.lastEntryAt, actor: 'owner' }
  );
}

export function createFollowUps(deps: FollowUpDeps, unit: UnitOfWork) {
  const { repo, roles } = deps;
  const { commit, requireDeal, today, homesOf } = unit;

  function markChased(dealId: number, followUp: FollowUp, day: string): void {
    repo.saveFollowUp(dealId, { ...followUp, chasedOn: day, chaseCount: followUp.chaseCount + 1 });
  }

  /** 催促する: a leader has the owner reminded now; it counts as the day's reminder. */
  function nudge(actor: Actor, dealId: number): { ownerId: string } {
    return commit((at) => {
      const deal = requireDeal(dealId);
      assertAllowed(actor, 'nudge', roles, deal);
      assertNegotiating(deal);
      const facts = repo.dealFacts(dealId);
      if (!facts) throw new DomainError('not_negotiating');
      const stall = ownerStall(facts, stallsOf(facts, stallCutoffs(deps.now(), deps.stallRules())));
      const effects: Effect[] = [
        {
          kind: 'send_stall_reminder',
          dealId,
          userId: deal.ownerId,
          reason: stall.reason,
          since: stall.since,
          nudgedBy: actor.userId,
        },
        ...homesOf(actor.userId),
      ];
      repo.enqueue(effects, at);
      markChased(dealId, repo.followUp(dealId), today());
      return { ownerId: deal.ownerId };
    });
  }

  return { nudge };
}
