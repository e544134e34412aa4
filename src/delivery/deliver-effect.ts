import type { WebClient } from '@slack/web-api';
import { buildDeliveryFailureNotice } from '../views/admin-notices.js';
import { buildDealCard, type MessageContent } from '../views/deal-card.js';
import {
  buildEscalation,
  buildHandedOverTask,
  buildHandoverReply,
  buildStallReminder,
} from '../views/follow-up-messages.js';
import {
  buildSnoozedReply,
  buildSnoozeEndedMessage,
  buildSnoozeLiftedReply,
  type SnoozeState,
} from '../views/snooze.js';
import {
  buildAdviceRequest,
  buildLossReport,
  buildProgressTask,
  buildReminder,
  buildReportTask,
} from '../views/task-messages.js';
import {
  buildAdviceReply,
  buildClosedNotice,
  buildProgressReply,
  buildWinAnnouncement,
} from '../views/thread-replies.js';
import { buildWeeklyDigest } from '../views/weekly-digest.js';
import { todayIn } from '../workflow/dates.js';
import { isLeader } from '../workflow/permissions.js';
import { isSnoozed } from '../workflow/stalled.js';
import type { Deal, Effect, ProgressEntry, SlackMessageRef, TaskKind } from '../workflow/types.js';
import { PermanentDeliveryError } from './failures.js';
import { createHomeRenderer, type HomeRenderDeps } from './home-render.js';
import { createSlackPoster, type DeliveryContext } from './slack-poster.js';
import type { WebhookSender } from './webhook.js';

export type { DeliveryContext } from './slack-poster.js';

/** `settings`: the settings in force (the sales channel new cards go to, the option labels). */
export interface DeliveryDeps extends HomeRenderDeps {
  client: WebClient;
  sendWebhook: WebhookSender;
}

/** What delivering an effect found out and must be stored with its completion. */
export type DeliveryRecord = () => void;

type EffectOf<K extends Effect['kind']> = Extract<Effect, { kind: K }>;

export function createEffectDelivery(deps: DeliveryDeps) {
  const { client, store } = deps;
  const renderHome = createHomeRenderer(deps);
  const { queries } = store;
  const { post, update, dmChannel } = createSlackPoster(client);
  const lists = () => deps.settings().lists;

  function requireDeal(dealId: number): Deal {
    const deal = queries.getDeal(dealId);
    if (!deal) throw new PermanentDeliveryError(`deal_not_found:${dealId}`);
    return deal;
  }

  function requireCard(deal: Deal): SlackMessageRef {
    if (!deal.cardChannel || !deal.cardTs) throw new PermanentDeliveryError('card_not_posted');
    return { channel: deal.cardChannel, ts: deal.cardTs };
  }

  function latestProgress(deal: Deal): ProgressEntry | null {
    if (deal.lastProgressId === null) return null;
    const entry = queries.timelineEntry(deal.lastProgressId);
    return entry?.kind === 'progress' ? entry.entry : null;
  }

  /** The snooze in force, read from the same row the stall rules read. */
  function snoozeOf(deal: Deal): SnoozeState | null {
    const facts = deal.status === 'negotiating' ? store.pipeline.dealFacts(deal.id) : null;
    if (!facts?.snoozedUntil || !isSnoozed(facts, todayIn(deps.timeZone, deps.now()))) return null;
    return { until: facts.snoozedUntil, reason: facts.snoozeReason ?? '' };
  }

  function renderCard(deal: Deal): MessageContent {
    return buildDealCard(deal, latestProgress(deal), lists(), snoozeOf(deal));
  }

  function renderTaskMessage(deal: Deal, kind: TaskKind, userId: string): MessageContent {
    const task = queries.latestTask(deal.id, kind);
    // A reassigned deal: the former owner's DM says who has it now.
    if (kind !== 'advice' && task?.state === 'open' && task.assigneeId !== userId) {
      return buildHandedOverTask(deal, task.assigneeId ?? deal.ownerId);
    }
    switch (kind) {
      case 'advice':
        if (!task) throw new PermanentDeliveryError('advice_task_missing');
        return buildAdviceRequest(deal, task, deps.timeZone, lists());
      case 'progress':
        return buildProgressTask(deal, task?.state === 'open' ? task : null);
      case 'report':
        return buildReportTask(deal, task?.state === 'open' ? task : null);
    }
  }

  function renderThreadReply(deal: Deal, entryId: number): MessageContent {
    const entry = queries.timelineEntry(entryId);
    if (entry?.kind === 'advice') return buildAdviceReply(deal, entry.text, entry.authorId);
    if (entry?.kind === 'handover') return buildHandoverReply(entry.fromId, entry.toId, entry.authorId);
    if (entry?.kind === 'snoozed') return buildSnoozedReply(deal, entry, entry.authorId);
    if (entry?.kind === 'snooze_lifted') return buildSnoozeLiftedReply(entry.authorId);
    if (entry?.kind === 'progress' && entry.entry.status === 'won') {
      return buildWinAnnouncement(deal, entry.entry, entry.authorId);
    }
    if (entry?.kind === 'progress' && entry.entry.status === 'negotiating') {
      return buildProgressReply(deal, entry.entry, entry.authorId, lists());
    }
    // A loss never reaches the channel through this path.
    throw new PermanentDeliveryError(`not_for_thread:${entryId}`);
  }

  const deliverers: {
    [K in Effect['kind']]: (effect: EffectOf<K>, context: DeliveryContext) => Promise<DeliveryRecord | undefined>;
  } = {
    async post_card(effect, context) {
      const deal = requireDeal(effect.dealId);
      if (deal.cardTs) return undefined;
      const card = await post(context, deps.settings().salesChannelId, renderCard(deal));
      return () => queries.setCard(deal.id, card);
    },
    async update_card(effect) {
      const deal = requireDeal(effect.dealId);
      await update(requireCard(deal), renderCard(deal));
      return undefined;
    },
    async post_thread_reply(effect, context) {
      const deal = requireDeal(effect.dealId);
      const card = requireCard(deal);
      await post(context, card.channel, renderThreadReply(deal, effect.entryId), {
        ts: card.ts,
        broadcast: effect.broadcast,
      });
      return undefined;
    },
    async post_closed_notice(effect, context) {
      const deal = requireDeal(effect.dealId);
      const card = requireCard(deal);
      await post(context, card.channel, buildClosedNotice(deal), { ts: card.ts, broadcast: false });
      return undefined;
    },
    async sync_task_message(effect, context) {
      const deal = requireDeal(effect.dealId);
      const content = renderTaskMessage(deal, effect.taskKind, effect.userId);
      const existing = queries.taskMessage(deal.id, effect.taskKind, effect.userId);
      if (existing) {
        await update(existing, content);
        return undefined;
      }
      const message = await post(context, await dmChannel(effect.userId), content);
      return () => queries.saveTaskMessage(deal.id, effect.taskKind, effect.userId, message);
    },
    async send_loss_report(effect, context) {
      const deal = requireDeal(effect.dealId);
      const entry = queries.timelineEntry(effect.entryId);
      if (entry?.kind !== 'progress') throw new PermanentDeliveryError(`loss_entry_missing:${effect.entryId}`);
      const content = buildLossReport(deal, entry.entry, queries.progressBefore(deal.id, entry.id), lists());
      await post(context, await dmChannel(effect.userId), content);
      return undefined;
    },
    async send_reminder(effect, context) {
      const deal = requireDeal(effect.dealId);
      const task = queries.task(effect.taskId);
      // A task completed since the reminder was queued needs no nudge.
      if (task?.state !== 'open') return undefined;
      await post(context, await dmChannel(effect.userId), buildReminder(deal, task));
      return undefined;
    },
    async send_stall_reminder(effect, context) {
      const deal = requireDeal(effect.dealId);
      // A deal closed since the reminder was queued needs no nudge.
      if (deal.status !== 'negotiating') return undefined;
      const content = buildStallReminder({ ...effect, deal, timeZone: deps.timeZone });
      await post(context, await dmChannel(effect.userId), content);
      return undefined;
    },
    async send_escalation(effect, context) {
      const deal = requireDeal(effect.dealId);
      if (deal.status !== 'negotiating') return undefined;
      await post(
        context,
        await dmChannel(effect.userId),
        buildEscalation({ ...effect, deal, timeZone: deps.timeZone }),
      );
      return undefined;
    },
    async send_digest(effect, context) {
      // Losses are for leaders: someone who stopped being one since the digest was made gets nothing.
      if (!isLeader(deps.roles, effect.userId)) return undefined;
      const digest = store.digests.digest(effect.week);
      if (!digest) throw new PermanentDeliveryError(`digest_not_found:${effect.week}`);
      await post(context, await dmChannel(effect.userId), buildWeeklyDigest(digest, lists()));
      return undefined;
    },
    async send_snooze_ended(effect, context) {
      const deal = requireDeal(effect.dealId);
      if (deal.status !== 'negotiating') return undefined;
      await post(context, await dmChannel(effect.userId), buildSnoozeEndedMessage(deal, effect));
      return undefined;
    },
    async send_webhook(effect) {
      await deps.sendWebhook(effect.url, effect.event);
      return undefined;
    },
    async report_delivery_failure(effect, context) {
      const failed = store.outbox.getFailure(effect.failedEffectId);
      if (!failed) throw new PermanentDeliveryError(`failure_not_found:${effect.failedEffectId}`);
      const deal = 'dealId' in failed.effect ? queries.getDeal(failed.effect.dealId) : null;
      await post(context, await dmChannel(effect.userId), buildDeliveryFailureNotice(failed, deal, deps.timeZone));
      return undefined;
    },
    async publish_home(effect) {
      await client.views.publish({ user_id: effect.userId, view: await renderHome(effect.userId) });
      return undefined;
    },
  };

  return function deliver(context: DeliveryContext): Promise<DeliveryRecord | undefined> {
    const effect = context.item.effect;
    const deliverer = deliverers[effect.kind] as (e: Effect, c: DeliveryContext) => Promise<DeliveryRecord | undefined>;
    return deliverer(effect, context);
  };
}
