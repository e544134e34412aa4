import type { WebClient } from '@slack/web-api';
import { MESSAGE_METADATA_TYPE } from '../ids.js';
import type { Store } from '../store/index.js';
import type { OutboxItem } from '../store/outbox-store.js';
import { buildDealCard, type MessageContent } from '../views/deal-card.js';
import { buildHome } from '../views/home.js';
import { buildAdviceRequest, buildLossReport, buildProgressTask, buildReportTask } from '../views/task-messages.js';
import {
  buildAdviceReply,
  buildClosedNotice,
  buildProgressReply,
  buildWinAnnouncement,
} from '../views/thread-replies.js';
import { startOfMonth, todayIn } from '../workflow/dates.js';
import { isLeader } from '../workflow/permissions.js';
import type { Deal, Effect, ProgressEntry, Roles, SlackMessageRef, TaskKind } from '../workflow/types.js';
import { PermanentDeliveryError } from './failures.js';

export interface DeliveryDeps {
  client: WebClient;
  store: Store;
  roles: Roles;
  salesChannelId: string;
  timeZone: string;
  now: () => Date;
}

export interface DeliveryContext {
  item: OutboxItem;
  /** True when an earlier attempt may have reached Slack: look before posting again. */
  mayHavePosted: boolean;
}

/** What delivering an effect found out and must be stored with its completion. */
export type DeliveryRecord = () => void;

type EffectOf<K extends Effect['kind']> = Extract<Effect, { kind: K }>;

const HOME_LIST_FETCH = 16;

export function createEffectDelivery(deps: DeliveryDeps) {
  const { client, store } = deps;
  const { queries } = store;

  function metadataOf(item: OutboxItem) {
    const effect = item.effect;
    return {
      event_type: MESSAGE_METADATA_TYPE,
      event_payload: { outbox_id: item.id, ...('dealId' in effect ? { deal_id: effect.dealId } : {}) },
    };
  }

  function requireDeal(dealId: number): Deal {
    const deal = queries.getDeal(dealId);
    if (!deal) throw new PermanentDeliveryError(`deal_not_found:${dealId}`);
    return deal;
  }

  function requireCard(deal: Deal): SlackMessageRef {
    if (!deal.cardChannel || !deal.cardTs) throw new PermanentDeliveryError('card_not_posted');
    return { channel: deal.cardChannel, ts: deal.cardTs };
  }

  /** A message this outbox item already posted, found by its metadata after an ambiguous failure. */
  async function findPosted(context: DeliveryContext, channel: string, threadTs?: string): Promise<string | null> {
    if (!context.mayHavePosted) return null;
    const oldest = String(Math.floor(Date.parse(context.item.createdAt) / 1_000) - 60);
    const page = threadTs
      ? await client.conversations.replies({
          channel,
          ts: threadTs,
          oldest,
          limit: 200,
          include_all_metadata: true,
        })
      : await client.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true });
    const match = (page.messages ?? []).find((message) => {
      const metadata = message.metadata as { event_type?: string; event_payload?: { outbox_id?: unknown } } | undefined;
      return metadata?.event_type === MESSAGE_METADATA_TYPE && metadata.event_payload?.outbox_id === context.item.id;
    });
    return match?.ts ?? null;
  }

  async function post(
    context: DeliveryContext,
    channel: string,
    content: MessageContent,
    thread?: { ts: string; broadcast: boolean },
  ): Promise<SlackMessageRef> {
    const existing = await findPosted(context, channel, thread?.ts);
    if (existing) return { channel, ts: existing };
    const message = {
      channel,
      text: content.text,
      blocks: content.blocks,
      metadata: metadataOf(context.item),
      unfurl_links: false,
      unfurl_media: false,
    };
    const result = thread
      ? await client.chat.postMessage({ ...message, thread_ts: thread.ts, reply_broadcast: thread.broadcast })
      : await client.chat.postMessage(message);
    if (!result.ts || !result.channel) throw new PermanentDeliveryError('post_without_ts');
    return { channel: result.channel, ts: result.ts };
  }

  async function update(message: SlackMessageRef, content: MessageContent): Promise<void> {
    await client.chat.update({
      channel: message.channel,
      ts: message.ts,
      text: content.text,
      blocks: content.blocks,
    });
  }

  async function dmChannel(userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new PermanentDeliveryError('dm_not_opened');
    return id;
  }

  function latestProgress(deal: Deal): ProgressEntry | null {
    if (deal.lastProgressId === null) return null;
    const entry = queries.timelineEntry(deal.lastProgressId);
    return entry?.kind === 'progress' ? entry.entry : null;
  }

  function renderCard(deal: Deal): MessageContent {
    return buildDealCard(deal, latestProgress(deal));
  }

  function renderTaskMessage(deal: Deal, kind: TaskKind): MessageContent {
    const task = queries.latestTask(deal.id, kind);
    switch (kind) {
      case 'advice':
        if (!task) throw new PermanentDeliveryError('advice_task_missing');
        return buildAdviceRequest(deal, task, deps.timeZone);
      case 'progress':
        return buildProgressTask(deal, task?.state === 'open' ? task : null);
      case 'report':
        return buildReportTask(deal, task?.state === 'open' ? task : null);
    }
  }

  function renderThreadReply(deal: Deal, entryId: number): MessageContent {
    const entry = queries.timelineEntry(entryId);
    if (entry?.kind === 'advice') return buildAdviceReply(deal, entry.text, entry.authorId);
    if (entry?.kind === 'progress' && entry.entry.status === 'won') {
      return buildWinAnnouncement(deal, entry.entry, entry.authorId);
    }
    if (entry?.kind === 'progress' && entry.entry.status === 'negotiating') {
      return buildProgressReply(deal, entry.entry, entry.authorId);
    }
    // A loss never reaches the channel through this path.
    throw new PermanentDeliveryError(`not_for_thread:${entryId}`);
  }

  /** The progress entry before the loss, for the leaders' loss report. */
  function activityBefore(dealId: number, entryId: number): ProgressEntry | null {
    const entries = queries.timeline(dealId).filter((entry) => entry.kind === 'progress' && entry.id < entryId);
    const last = entries[entries.length - 1];
    return last?.kind === 'progress' ? last.entry : null;
  }

  const deliverers: {
    [K in Effect['kind']]: (effect: EffectOf<K>, context: DeliveryContext) => Promise<DeliveryRecord | undefined>;
  } = {
    async post_card(effect, context) {
      const deal = requireDeal(effect.dealId);
      if (deal.cardTs) return undefined;
      const card = await post(context, deps.salesChannelId, renderCard(deal));
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
      const content = renderTaskMessage(deal, effect.taskKind);
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
      const content = buildLossReport(deal, entry.entry, activityBefore(deal.id, entry.id));
      await post(context, await dmChannel(effect.userId), content);
      return undefined;
    },
    async publish_home(effect) {
      const userId = effect.userId;
      const leader = isLeader(deps.roles, userId);
      const view = buildHome({
        userId,
        isLeader: leader,
        today: todayIn(deps.timeZone, deps.now()),
        tasks: queries.openTasksOf(userId, HOME_LIST_FETCH),
        adviceWaiting: leader ? queries.openAdviceTasks(HOME_LIST_FETCH) : [],
        ownDeals: queries.openDealsOwnedBy(userId, HOME_LIST_FETCH),
        pipeline: queries.pipeline(startOfMonth(deps.now(), deps.timeZone)),
      });
      await client.views.publish({ user_id: userId, view });
      return undefined;
    },
  };

  return function deliver(context: DeliveryContext): Promise<DeliveryRecord | undefined> {
    const effect = context.item.effect;
    const deliverer = deliverers[effect.kind] as (e: Effect, c: DeliveryContext) => Promise<DeliveryRecord | undefined>;
    return deliverer(effect, context);
  };
}
