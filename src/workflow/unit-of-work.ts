import { todayIn } from './dates.js';
import { DomainError } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import type { DealRepository } from './ports.js';
import type { TeamSettings } from './settings.js';
import type { Deal, Effect, Roles, TaskKind } from './types.js';

export interface WorkflowDeps {
  repo: DealRepository;
  /** Leaders and admins as they are now (they change from Slack). */
  roles: Roles;
  /** The settings in force; read on every command, so a change applies to the next one. */
  settings?: () => TeamSettings;
  timeZone: string;
  now: () => Date;
  /** Called after a transaction that enqueued effects has committed. */
  onEffects: () => void;
  /** Targets of the signed deal-event webhooks (hand-offs to other systems). */
  webhookUrls?: readonly string[];
  newEventId?: () => string;
}

/** Outcome of a command; `duplicate` means the same submission was already handled. */
export interface Outcome {
  deal: Deal;
  duplicate: boolean;
}

/** The helpers every workflow command shares: one transaction per command, idempotency, who hears what. */
export function createUnitOfWork(deps: WorkflowDeps) {
  const { repo } = deps;

  function commit<T>(work: (at: string) => T): T {
    const at = deps.now().toISOString();
    const result = repo.transaction(() => work(at));
    deps.onEffects();
    return result;
  }

  const group = createGroupCommit(repo, deps.onEffects);

  /** Like commit, in a transaction shared with the other writes of the same turn (see group-commit.ts). */
  function commitInGroup<T>(work: (at: string) => T): Promise<T> {
    const at = deps.now().toISOString();
    return group(() => work(at));
  }

  function requireDeal(dealId: number): Deal {
    const deal = repo.getDeal(dealId);
    if (!deal) throw new DomainError('not_found');
    return deal;
  }

  return {
    commit,
    commitInGroup,
    requireDeal,
    today: () => todayIn(deps.timeZone, deps.now()),
    /** Runs `work` once per idempotency key; a repeat returns the deal the first run changed. */
    once(key: string, at: string, work: () => Outcome): Outcome {
      const seen = repo.findHandled(key);
      if (seen) return { deal: requireDeal(seen.dealId), duplicate: true };
      const outcome = work();
      repo.markHandled(key, outcome.deal.id, at);
      return outcome;
    },
    /** Runs `work` on a deal once per idempotency key, for a write that answers with nothing read back. */
    onceOn(key: string, dealId: number, at: string, work: () => void): void {
      if (repo.findHandled(key)) return;
      work();
      repo.markHandled(key, dealId, at);
    },
    /** An entry moves the deal: its snooze ends and the count of reminders starts again. */
    clearFollowUp(dealId: number): void {
      const followUp = repo.followUp(dealId);
      if (followUp.snoozedUntil === null && followUp.chaseCount === 0 && followUp.escalatedOn === null) return;
      repo.saveFollowUp(dealId, {
        ...followUp,
        snoozedUntil: null,
        snoozeReason: null,
        snoozedBy: null,
        chaseCount: 0,
        escalatedOn: null,
      });
    },
    homesOf(...userIds: readonly string[]): Effect[] {
      return [...new Set(userIds)].map((userId) => ({ kind: 'publish_home', userId }) as const);
    },
    taskMessages(deal: Deal, kind: TaskKind, userIds: readonly string[]): Effect[] {
      return userIds.map((userId) => ({ kind: 'sync_task_message', dealId: deal.id, taskKind: kind, userId }) as const);
    },
  };
}

export type UnitOfWork = ReturnType<typeof createUnitOfWork>;
