import type { WebClient } from '@slack/web-api';
import { MESSAGE_METADATA_TYPE } from '../ids.js';
import type { MessageContent } from '../views/deal-card.js';
import type { OutboxItem } from '../workflow/read-models.js';
import type { SlackMessageRef } from '../workflow/types.js';
import { PermanentDeliveryError } from './failures.js';

export interface DeliveryContext {
  item: OutboxItem;
  /** True when an earlier attempt may have reached Slack: look before posting again. */
  mayHavePosted: boolean;
}

export type SlackPoster = ReturnType<typeof createSlackPoster>;

/** 10 pages of 200: a busy channel's posts since the effect was queued. */
const MAX_LOOKUP_PAGES = 10;

function isPostOf(metadata: unknown, outboxId: number): boolean {
  const found = metadata as { event_type?: string; event_payload?: { outbox_id?: unknown } } | undefined;
  return found?.event_type === MESSAGE_METADATA_TYPE && found.event_payload?.outbox_id === outboxId;
}

/**
 * Posting that survives retries: every message carries its outbox id as message metadata, and after
 * an ambiguous failure the channel is searched for it before anything is posted again.
 */
export function createSlackPoster(client: WebClient) {
  function metadataOf(item: OutboxItem) {
    const effect = item.effect;
    return {
      event_type: MESSAGE_METADATA_TYPE,
      event_payload: { outbox_id: item.id, ...('dealId' in effect ? { deal_id: effect.dealId } : {}) },
    };
  }

  /**
   * A message this outbox item already posted, found by its metadata after an ambiguous failure.
   * Reads the channel (or thread) since the effect was queued, a bounded number of pages.
   */
  async function findPosted(context: DeliveryContext, channel: string, threadTs?: string): Promise<string | null> {
    if (!context.mayHavePosted) return null;
    const oldest = String(Math.floor(Date.parse(context.item.createdAt) / 1_000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
      const query = { channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
      const result = threadTs
        ? await client.conversations.replies({ ...query, ts: threadTs })
        : await client.conversations.history(query);
      const match = (result.messages ?? []).find((message) => isPostOf(message.metadata, context.item.id));
      if (match?.ts) return match.ts;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
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

  return { post, update, dmChannel };
}
