/** The effects each synthetic step enqueues: the same lists the deal process enqueues for the real command. */
import type { Effect, TaskKind } from '../workflow/types.js';
import type { PlannedDeal, Step } from './synthetic-deals.js';

const homes = (...userIds: string[]): Effect[] =>
  [...new Set(userIds)].map((userId) => ({ kind: 'publish_home', userId }) as const);

const taskMessages = (dealId: number, taskKind: TaskKind, userIds: readonly string[]): Effect[] =>
  userIds.map((userId) => ({ kind: 'sync_task_message', dealId, taskKind, userId }) as const);

/** `entryId`: the timeline entry the step wrote, if any. */
export function effectsOf(step: Step, deal: PlannedDeal, leaders: readonly string[], entryId: number): Effect[] {
  const dealId = deal.id;
  const owner = deal.report.ownerId;
  switch (step.kind) {
    case 'start':
      return [...taskMessages(dealId, 'report', [owner]), ...homes(owner)];
    case 'report':
      return [
        { kind: 'post_card', dealId },
        ...(deal.apiStarted ? taskMessages(dealId, 'report', [owner]) : []),
        ...taskMessages(dealId, 'advice', leaders),
        ...taskMessages(dealId, 'progress', [owner]),
        ...homes(owner, ...leaders),
      ];
    case 'advice':
      return [
        { kind: 'post_thread_reply', dealId, entryId, broadcast: false },
        { kind: 'update_card', dealId },
        ...taskMessages(dealId, 'advice', leaders),
        ...homes(...leaders, owner),
      ];
    case 'progress':
      return progressEffects(step, deal, leaders, entryId);
    case 'remind': {
      const userIds = step.task.assigneeId === null ? leaders : [step.task.assigneeId];
      return [
        ...userIds.map((userId) => ({ kind: 'send_reminder', dealId, taskId: step.task.id, userId }) as const),
        ...homes(...userIds),
      ];
    }
    default:
      return [];
  }
}

function progressEffects(
  step: Extract<Step, { kind: 'progress' }>,
  deal: PlannedDeal,
  leaders: readonly string[],
  entryId: number,
): Effect[] {
  const dealId = deal.id;
  const owner = deal.report.ownerId;
  const status = step.entry.status;
  if (status === 'negotiating') {
    return [
      { kind: 'post_thread_reply', dealId, entryId, broadcast: false },
      { kind: 'update_card', dealId },
      ...taskMessages(dealId, 'progress', [owner]),
      ...homes(owner),
    ];
  }
  const announcement: Effect[] =
    status === 'won'
      ? [{ kind: 'post_thread_reply', dealId, entryId, broadcast: true }]
      : [
          { kind: 'post_closed_notice', dealId },
          ...leaders.map((userId) => ({ kind: 'send_loss_report', dealId, entryId, userId }) as const),
        ];
  return [
    { kind: 'update_card', dealId },
    ...announcement,
    ...taskMessages(dealId, 'progress', [owner]),
    ...(deal.adviceGiven ? [] : taskMessages(dealId, 'advice', leaders)),
    ...homes(owner, ...leaders),
  ];
}
