import type { WebClient } from '@slack/web-api';
import { MESSAGE_METADATA_TYPE } from '../ids.js';
import type { OutboxItem } from '../store/outbox-store.js';
import type { MessageContent } from '../views/deal-card.js';
import type { SlackMessageRef } from '../workflow/types.js';
import { PermanentDeliveryError } from './failures.js';

export interface DeliveryContext {
  item: OutboxItem;
  /** True when an earlier attempt may have reached Slack: look before posting again. */
  mayHavePosted: boolean;
}

export type SlackPoster = ReturnType<typeof createSlackPoster>;

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

  return { post, update, dmChannel };
}
