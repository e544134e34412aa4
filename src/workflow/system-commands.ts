import { addDays } from './dates.js';
import { DomainError } from './errors.js';
import { assertAllowed } from './permissions.js';
import { isSnoozed } from './stalled.js';
import type { Actor, Deal, DealReport, Effect, EffectKind } from './types.js';
import { createUnitOfWork, type Outcome, type UnitOfWork, type WorkflowDeps } from './unit-of-work.js';

/** A deal another system starts waits this many days for the rep's report before it is overdue. */
export const REPORT_DUE_DAYS = 1;
/** The system user id a deal started by another system is reported by. */
export const API_REPORTER = 'api';

export interface StartCommand {
  report: DealReport;
  /** The sending system's own id for the deal: the same id twice starts one deal. */
  externalId: string | null;
}

export type SystemCommands = ReturnType<typeof createSystemCommands>;

/** What the system itself starts: deals from other systems, reminders, notices to admins, home refreshes. */
export function createSystemCommands(deps: WorkflowDeps, unit: UnitOfWork = createUnitOfWork(deps)) {
  const { repo, roles } = deps;
  const { commit, today, homesOf, taskMessages } = unit;

  /** The deal another system already started with this id, if any (a retrying sender). */
  function findStartedDeal(externalId: string): Deal | null {
    return repo.getDealByExternalId(externalId);
  }

  /** Starts a deal as a draft and gives its rep the task 「案件情報を入力してください」. */
  function startDeal(command: StartCommand): Outcome {
    return commit((at) => {
      const existing = command.externalId === null ? null : repo.getDealByExternalId(command.externalId);
      if (existing) return { deal: existing, duplicate: true };
      const deal = repo.insertDeal({
        ...command.report,
        status: 'draft',
        reporterId: API_REPORTER,
        externalId: command.externalId,
        createdAt: at,
        reportedAt: null,
      });
      repo.openTask({
        dealId: deal.id,
        kind: 'report',
        assigneeId: deal.ownerId,
        dueOn: addDays(today(), REPORT_DUE_DAYS),
        createdAt: at,
      });
      repo.enqueue([...taskMessages(deal, 'report', [deal.ownerId]), ...homesOf(deal.ownerId)], at);
      return { deal, duplicate: false };
    });
  }

  /**
   * Reminds up to `limit` of the tasks overdue on `day` and not yet reminded that day, least recently
   * reminded first: to its assignee, or to every leader for advice. Returns how many it reminded.
   */
  function remindOverdueTasks(day: string, limit: number): number {
    return commit((at) => {
      const overdue = repo.overdueTasks(day, limit);
      for (const task of overdue) {
        // A deal chased for being stalled today has had its one reminder of the day; a snoozed one gets none.
        const followUp = repo.followUp(task.dealId);
        if (followUp.chasedOn === day || isSnoozed(followUp, day)) {
          repo.markReminded(task.id, day);
          continue;
        }
        repo.saveFollowUp(task.dealId, { ...followUp, chasedOn: day });
        const userIds = task.assigneeId === null ? roles.leaderIds : [task.assigneeId];
        repo.enqueue(
          [
            ...userIds.map(
              (userId) => ({ kind: 'send_reminder', dealId: task.dealId, taskId: task.id, userId }) as const,
            ),
            ...homesOf(...userIds),
          ],
          at,
        );
        repo.markReminded(task.id, day);
      }
      return overdue.length;
    });
  }

  /** A notification could not be delivered for good: the admins hear of it (not about their own notices). */
  function reportDeliveryFailure(failedEffectId: number, kind: EffectKind): void {
    if (kind === 'report_delivery_failure') return;
    commit((at) => {
      const notices: Effect[] = roles.adminIds.map((userId) => ({
        kind: 'report_delivery_failure',
        failedEffectId,
        userId,
      }));
      repo.enqueue([...notices, ...homesOf(...roles.adminIds)], at);
    });
  }

  /** An admin sends a given-up notification again (after inviting the bot, fixing a webhook URL …). */
  function retryFailedDelivery(actor: Actor, effectId: number): void {
    assertAllowed(actor, 'administer', roles);
    commit((at) => {
      if (!repo.requeueFailed(effectId, at)) throw new DomainError('nothing_to_retry');
      repo.enqueue(homesOf(...roles.adminIds), at);
    });
  }

  /** Asks for a fresh App Home for `userId` (when they open it). */
  function refreshHome(userId: string): void {
    commit((at) => repo.enqueue(homesOf(userId), at));
  }

  return { startDeal, findStartedDeal, remindOverdueTasks, reportDeliveryFailure, retryFailedDelivery, refreshHome };
}
