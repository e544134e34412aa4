import { randomUUID } from 'node:crypto';
import { addDays } from './dates.js';
import { type EventInput, webhookEffects } from './deal-events.js';
import { DomainError } from './errors.js';
import { assertAdviceOpen, assertAllowed, assertDraft, assertProgressOpen } from './permissions.js';
import { type ReplyThread, whoseThread } from './reply-threads.js';
import type { Actor, Deal, DealReport, Effect, ProgressEntry, SlackMessageRef } from './types.js';
import { createUnitOfWork, type Outcome, type UnitOfWork, type WorkflowDeps } from './unit-of-work.js';

export type { Outcome } from './unit-of-work.js';

/** A progress task falls due this many days after the last entry when no 次のアクション期日 is given. */
export const DEFAULT_PROGRESS_INTERVAL_DAYS = 7;
export const ADVICE_DUE_DAYS = 2;

export interface ReportCommand {
  actor: Actor;
  report: DealReport;
  /** Set when the rep completes a deal another system started. */
  draftDealId?: number;
  /** Identifies the submission (the modal's view id) so a double submit creates one deal. */
  idempotencyKey: string;
}

export interface AdviceCommand {
  actor: Actor;
  dealId: number;
  text: string;
  idempotencyKey: string;
}

export interface ProgressCommand {
  actor: Actor;
  dealId: number;
  entry: ProgressEntry;
  idempotencyKey: string;
}

export interface CommentCommand {
  actor: Actor;
  thread: SlackMessageRef;
  message: SlackMessageRef;
  text: string;
}

export type DealProcess = ReturnType<typeof createDealProcess>;

/** The rep's and the leaders' commands: 1. report, 1a. advise, 2. record progress, and the 掲示板. */
export function createDealProcess(deps: WorkflowDeps, unit: UnitOfWork = createUnitOfWork(deps)) {
  const { repo, roles } = deps;

  const { commit, commitInGroup, once, onceOn, requireDeal, today, homesOf, taskMessages, clearFollowUp } = unit;
  const webhookUrls = deps.webhookUrls ?? [];
  const newEventId = deps.newEventId ?? randomUUID;
  const progressIntervalDays = () => deps.settings?.().tunables.progressIntervalDays ?? DEFAULT_PROGRESS_INTERVAL_DAYS;

  function events(input: EventInput): Effect[] {
    return webhookEffects(webhookUrls, newEventId(), input);
  }

  function reportDeal(command: ReportCommand): Outcome {
    return commit((at) => {
      return once(`report:${command.idempotencyKey}`, at, () => report(command, at));
    });
  }

  function report(command: ReportCommand, at: string): Outcome {
    const draft = command.draftDealId === undefined ? null : requireDeal(command.draftDealId);
    assertAllowed(command.actor, 'report', roles, draft ?? undefined);
    if (draft) assertDraft(draft);

    const deal = draft
      ? { ...draft, ...command.report, status: 'negotiating' as const, reportedAt: at }
      : repo.insertDeal({
          ...command.report,
          status: 'negotiating',
          reporterId: command.actor.userId,
          externalId: null,
          createdAt: at,
          reportedAt: at,
        });
    if (draft) {
      repo.saveDeal(deal);
      const reportTask = repo.getOpenTask(deal.id, 'report');
      if (reportTask) repo.closeTask(reportTask.id, 'done', command.actor.userId, at);
    }
    repo.appendTimeline(deal.id, command.actor.userId, at, { kind: 'report', report: command.report });
    repo.openTask({
      dealId: deal.id,
      kind: 'advice',
      assigneeId: null,
      dueOn: addDays(today(), ADVICE_DUE_DAYS),
      createdAt: at,
    });
    openProgressTask(deal, null, at);
    repo.enqueue(
      [
        { kind: 'post_card', dealId: deal.id },
        ...(draft ? taskMessages(deal, 'report', [draft.ownerId]) : []),
        ...taskMessages(deal, 'advice', roles.leaderIds),
        ...taskMessages(deal, 'progress', [deal.ownerId]),
        ...homesOf(deal.ownerId, command.actor.userId, ...roles.leaderIds),
        ...events({
          type: 'deal.reported',
          deal,
          previousStatus: draft?.status ?? null,
          actorId: command.actor.userId,
          at,
        }),
      ],
      at,
    );
    return { deal, duplicate: false };
  }

  function openProgressTask(deal: Deal, nextActionDue: string | null, at: string): void {
    repo.openTask({
      dealId: deal.id,
      kind: 'progress',
      assigneeId: deal.ownerId,
      dueOn: nextActionDue ?? addDays(today(), progressIntervalDays()),
      createdAt: at,
    });
  }

  function adviseDeal(command: AdviceCommand): Outcome {
    return commit((at) => {
      return once(`advice:${command.idempotencyKey}`, at, () => advise(command, at));
    });
  }

  function advise(command: AdviceCommand, at: string): Outcome {
    const deal = requireDeal(command.dealId);
    assertAllowed(command.actor, 'advise', roles, deal);
    assertAdviceOpen(deal);
    const task = repo.getOpenTask(deal.id, 'advice');
    if (!task) throw new DomainError('already_advised');

    const entry = repo.appendTimeline(deal.id, command.actor.userId, at, {
      kind: 'advice',
      text: command.text,
    });
    repo.closeTask(task.id, 'done', command.actor.userId, at);
    const advised = { ...deal, adviceGiven: true };
    repo.saveDeal(advised);
    repo.enqueue(
      [
        { kind: 'post_thread_reply', dealId: deal.id, entryId: entry.id, broadcast: false },
        { kind: 'update_card', dealId: deal.id },
        ...taskMessages(deal, 'advice', roles.leaderIds),
        ...homesOf(...roles.leaderIds, deal.ownerId),
        ...events({
          type: 'deal.advised',
          deal: advised,
          previousStatus: deal.status,
          actorId: command.actor.userId,
          at,
          details: { advice: { text: command.text } },
        }),
      ],
      at,
    );
    return { deal: advised, duplicate: false };
  }

  function recordProgress(command: ProgressCommand): Outcome {
    return commit((at) => {
      return once(`progress:${command.idempotencyKey}`, at, () => progress(command, at));
    });
  }

  function progress(command: ProgressCommand, at: string): Outcome {
    const deal = requireDeal(command.dealId);
    assertAllowed(command.actor, 'record_progress', roles, deal);
    assertProgressOpen(deal);

    const { entry } = command;
    const timelineEntry = repo.appendTimeline(deal.id, command.actor.userId, at, { kind: 'progress', entry });
    clearFollowUp(deal.id);
    const openTask = repo.getOpenTask(deal.id, 'progress');
    if (openTask) repo.closeTask(openTask.id, 'done', command.actor.userId, at);

    const closed = entry.status !== 'negotiating';
    const updated: Deal = {
      ...deal,
      status: entry.status,
      lastProgressId: timelineEntry.id,
      closedAt: closed ? at : null,
    };
    repo.saveDeal(updated);
    const homes = homesOf(deal.ownerId, command.actor.userId);
    const event = events({
      type: entry.status === 'negotiating' ? 'deal.progressed' : entry.status === 'won' ? 'deal.won' : 'deal.lost',
      deal: updated,
      previousStatus: deal.status,
      actorId: command.actor.userId,
      at,
      // A loss is reported to the leaders only: other systems learn only that it was lost.
      ...(entry.status === 'lost' ? {} : { details: { progress: entry } }),
    });

    if (!closed) {
      openProgressTask(updated, entry.nextActionDue, at);
      repo.enqueue(
        [
          { kind: 'post_thread_reply', dealId: deal.id, entryId: timelineEntry.id, broadcast: false },
          { kind: 'update_card', dealId: deal.id },
          ...taskMessages(deal, 'progress', [deal.ownerId]),
          ...homes,
          ...event,
        ],
        at,
      );
      return { deal: updated, duplicate: false };
    }

    const adviceTask = repo.getOpenTask(deal.id, 'advice');
    if (adviceTask) repo.closeTask(adviceTask.id, 'cancelled', null, at);
    const announcement: Effect[] =
      entry.status === 'won'
        ? [{ kind: 'post_thread_reply', dealId: deal.id, entryId: timelineEntry.id, broadcast: true }]
        : [
            { kind: 'post_closed_notice', dealId: deal.id },
            ...roles.leaderIds.map(
              (userId) => ({ kind: 'send_loss_report', dealId: deal.id, entryId: timelineEntry.id, userId }) as const,
            ),
          ];
    repo.enqueue(
      [
        { kind: 'update_card', dealId: deal.id },
        ...announcement,
        ...taskMessages(deal, 'progress', [deal.ownerId]),
        ...(adviceTask ? taskMessages(deal, 'advice', roles.leaderIds) : []),
        ...homesOf(deal.ownerId, command.actor.userId, ...roles.leaderIds),
        ...event,
      ],
      at,
    );
    return { deal: updated, duplicate: false };
  }

  /**
   * A reply in a deal's thread: kept on the timeline. Resolves once committed (with the other thread
   * messages of the same burst), with the deal's id, or null when the thread is no deal's.
   */
  function recordComment(command: CommentCommand): Promise<number | null> {
    return commitInGroup((at) => {
      const dealId = repo.dealIdByCard(command.thread);
      if (dealId === null) return null;
      assertAllowed(command.actor, 'comment', roles);
      onceOn(`comment:${command.message.channel}:${command.message.ts}`, dealId, at, () => {
        repo.appendTimeline(dealId, command.actor.userId, at, {
          kind: 'comment',
          text: command.text,
          message: command.message,
        });
      });
      return dealId;
    });
  }

  /** Edits and deletions share the replies' group, so a reply and its edit in one burst stay in order. */
  function editComment(message: SlackMessageRef, text: string, editedTs: string): Promise<boolean> {
    return commitInGroup((at) => {
      const original = repo.findComment(message);
      if (!original) return false;
      onceOn(`comment_edit:${message.channel}:${message.ts}:${editedTs}`, original.dealId, at, () => {
        repo.appendTimeline(original.dealId, original.authorId, at, {
          kind: 'comment_edited',
          text,
          message,
        });
      });
      return true;
    });
  }

  function deleteComment(message: SlackMessageRef): Promise<boolean> {
    return commitInGroup((at) => {
      const original = repo.findComment(message);
      if (!original) return false;
      onceOn(`comment_delete:${message.channel}:${message.ts}`, original.dealId, at, () => {
        repo.appendTimeline(original.dealId, original.authorId, at, { kind: 'comment_deleted', message });
      });
      return true;
    });
  }

  /** Whose thread a reply is in, read before anything is looked up or written. */
  function threadOf(thread: SlackMessageRef, cardChannel: string): ReplyThread {
    return whoseThread(repo, thread, cardChannel);
  }

  return { reportDeal, adviseDeal, recordProgress, threadOf, recordComment, editComment, deleteComment };
}
