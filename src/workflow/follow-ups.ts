/** Keeping deals moving: nudges, reminders of stalled work, escalation, snoozes. */
import { todayIn } from './dates.js';
import { DomainError } from './errors.js';
import { assertAllowed, assertNegotiating } from './permissions.js';
import { inOpenDealBatches } from './pipeline-board.js';
import type { FollowUp } from './ports.js';
import { createSnoozes } from './snoozes.js';
import { type OpenDealFacts, type Stall, type StallRules, sinceKey, stallCutoffs, stallsOf } from './stalled.js';
import type { Actor, Effect, TaskKind } from './types.js';
import type { Outcome, UnitOfWork, WorkflowDeps } from './unit-of-work.js';

export interface FollowUpDeps extends WorkflowDeps {
  stallRules: () => StallRules;
  /** After this many reminders without an entry, the leaders are told. */
  escalateAfter: () => number;
}

export type FollowUps = ReturnType<typeof createFollowUps>;

export interface ReassignCommand {
  actor: Actor;
  dealId: number;
  newOwnerId: string;
  /** The submission (the modal's view id): submitted twice, it hands over once. */
  idempotencyKey: string;
}

/** What the owner is asked about: their own oldest stall, or simply that nothing was recorded lately. */
function ownerStall(facts: OpenDealFacts, stalls: readonly Stall[]): Stall {
  return (
    stalls.find((stall) => stall.actor === 'owner') ?? { reason: 'no_entry', since: facts.lastEntryAt, actor: 'owner' }
  );
}

export function createFollowUps(deps: FollowUpDeps, unit: UnitOfWork) {
  const { repo, roles } = deps;
  const { commit, once, requireDeal, today, homesOf, taskMessages } = unit;

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

  /**
   * Marks the deal's overdue open tasks as reminded today, so the overdue-task reminders leave it alone
   * (only overdue ones: the store reads a reminded task as one that is overdue).
   */
  function markTasksReminded(dealId: number, day: string): void {
    for (const kind of ['advice', 'progress'] as const) {
      const task = repo.getOpenTask(dealId, kind);
      if (task?.dueOn && task.dueOn < day) repo.markReminded(task.id, day);
    }
  }

  /**
   * The order of the day's chase: every stalled open deal, oldest stall first (then by deal id), judged
   * a batch of open deals per turn of the event loop (inOpenDealBatches). chaseDeals then takes them in
   * this order, batch by batch.
   */
  async function chaseOrder(now: Date): Promise<number[]> {
    const cutoffs = stallCutoffs(now, deps.stallRules());
    const stalled: Array<{ dealId: number; key: string }> = [];
    await inOpenDealBatches(repo.openDealStatesAfter, (deals) => {
      for (const facts of deals) {
        const stall = stallsOf(facts, cutoffs)[0];
        if (stall) stalled.push({ dealId: facts.dealId, key: sinceKey(stall) });
      }
    });
    return stalled
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.dealId - b.dealId))
      .map((item) => item.dealId);
  }

  /**
   * Reminds whoever must act on each of these deals, in this order, that is still stalled and not yet
   * chased on the day of `now`; after `escalateAfter` reminders without an entry, the leaders are told
   * once. Returns how many it chased.
   */
  function chaseDeals(now: Date, dealIds: readonly number[]): number {
    return commit((at) => {
      const day = todayIn(deps.timeZone, now);
      const cutoffs = stallCutoffs(now, deps.stallRules());
      let chased = 0;
      for (const dealId of dealIds) {
        const facts = repo.dealFacts(dealId);
        const stall = facts ? stallsOf(facts, cutoffs)[0] : undefined;
        if (!facts || !stall || repo.followUp(dealId).chasedOn === day) continue;
        chase(facts, stall, day, at);
        chased += 1;
      }
      return chased;
    });
  }

  function chase(facts: OpenDealFacts, stall: Stall, day: string, at: string): void {
    const userIds = stall.actor === 'leaders' ? [...roles.leaderIds] : [facts.ownerId];
    const reminder = { dealId: facts.dealId, reason: stall.reason, since: stall.since };
    const followUp = repo.followUp(facts.dealId);
    const reminders = followUp.chaseCount + 1;
    // The leaders hear of a deal that stays stuck on its owner once, until an entry starts the count again.
    const escalate = stall.actor === 'owner' && reminders >= deps.escalateAfter() && followUp.escalatedOn === null;
    repo.enqueue(
      [
        ...userIds.map((userId) => ({ kind: 'send_stall_reminder', ...reminder, userId, nudgedBy: null }) as const),
        ...(escalate
          ? roles.leaderIds.map((userId) => ({ kind: 'send_escalation', ...reminder, userId, reminders }) as const)
          : []),
        ...homesOf(...userIds),
      ],
      at,
    );
    repo.saveFollowUp(facts.dealId, {
      ...followUp,
      chasedOn: day,
      chaseCount: reminders,
      escalatedOn: escalate ? day : followUp.escalatedOn,
    });
    markTasksReminded(facts.dealId, day);
  }

  /** A leader hands a deal to another rep: owner, open tasks and their DMs move; the thread says so. */
  function reassignDeal(command: ReassignCommand): Outcome {
    return commit((at) =>
      once(`reassign:${command.idempotencyKey}`, at, () => {
        const deal = requireDeal(command.dealId);
        assertAllowed(command.actor, 'reassign', roles, deal);
        if (deal.status === 'won' || deal.status === 'lost') throw new DomainError('closed');
        const fromId = deal.ownerId;
        const toId = command.newOwnerId;
        if (toId === fromId) throw new DomainError('same_owner');
        const updated = { ...deal, ownerId: toId };
        repo.saveDeal(updated);
        const moved: TaskKind[] = [];
        for (const kind of ['progress', 'report'] as const) {
          const task = repo.getOpenTask(deal.id, kind);
          if (task && task.assigneeId === fromId) {
            repo.reassignTask(task.id, toId);
            moved.push(kind);
          }
        }
        const entry = repo.appendTimeline(deal.id, command.actor.userId, at, { kind: 'handover', fromId, toId });
        // The new owner starts with a clean count of reminders; a snooze (the customer's reason) stays.
        repo.saveFollowUp(deal.id, { ...repo.followUp(deal.id), chaseCount: 0, escalatedOn: null });
        const shared = deal.status === 'negotiating';
        repo.enqueue(
          [
            ...(shared
              ? ([
                  { kind: 'post_thread_reply', dealId: deal.id, entryId: entry.id, broadcast: false },
                  { kind: 'update_card', dealId: deal.id },
                ] as const)
              : []),
            ...moved.flatMap((kind) => taskMessages(updated, kind, [fromId, toId])),
            ...homesOf(fromId, toId, command.actor.userId),
          ],
          at,
        );
        return { deal: updated, duplicate: false };
      }),
    );
  }

  return { nudge, chaseOrder, chaseDeals, reassignDeal, ...createSnoozes(deps, unit) };
}
