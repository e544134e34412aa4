import { isDomainError } from '../workflow/errors.js';
import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';

interface MessageLike {
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  user_team?: string;
  team?: string;
  subtype?: string;
  /** Who wrote the thread's parent message (in replies). */
  parent_user_id?: string;
  edited?: { ts?: string };
}

interface MessageEventLike extends MessageLike {
  channel: string;
  message?: MessageLike;
  previous_message?: MessageLike;
  deleted_ts?: string;
}

/** Slack sends message text with &, < and > escaped; the timeline keeps what the person wrote. */
function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

class CardNotYetKnown extends Error {
  constructor(threadTs: string) {
    super(`no deal has card ${threadTs} yet while a card posted before it is being recorded`);
    this.name = 'CardNotYetKnown';
  }
}

/** Subtypes that are a person writing in a thread. */
const AUTHORED_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

function isThreadReply(message: MessageLike): message is MessageLike & { ts: string; thread_ts: string } {
  return message.thread_ts !== undefined && message.ts !== undefined && message.thread_ts !== message.ts;
}

/**
 * 掲示板: replies in a deal thread are kept on the deal's timeline, edits and deletions too.
 * In HTTP mode Bolt acks events only after this listener (processBeforeResponse), so a comment is
 * committed before Slack hears "received" (with the other replies of its burst, in one transaction);
 * an unexpected failure is rethrown so Slack retries.
 */
export function registerThreadMessages(routes: Routes, deps: HandlerDeps): void {
  const { process, people, logger } = deps;

  async function onReply(event: MessageEventLike): Promise<void> {
    if (!isThreadReply(event) || !event.user || event.bot_id) return;
    // A thread someone else started is no deal's card: nothing to look up or store.
    if (event.parent_user_id !== undefined && event.parent_user_id !== deps.botUserId) return;
    const thread = { channel: event.channel, ts: event.thread_ts };
    const owner = process.threadOf(thread, deps.settings().salesChannelId);
    if (owner.kind === 'none') return;
    // A reply to a card Slack has shown before the bot learned its ts: let Slack send it again.
    if (owner.kind === 'card_unrecorded') throw new CardNotYetKnown(event.thread_ts);
    const actor = await people.actor(event.user, event.user_team ?? event.team ?? null);
    await process.recordComment({
      actor,
      thread,
      message: { channel: event.channel, ts: event.ts },
      text: unescapeSlackText(event.text ?? ''),
    });
  }

  async function onEdit(event: MessageEventLike): Promise<void> {
    const message = event.message;
    if (!message || !isThreadReply(message) || message.bot_id) return;
    await process.editComment(
      { channel: event.channel, ts: message.ts },
      unescapeSlackText(message.text ?? ''),
      message.edited?.ts ?? message.ts,
    );
  }

  async function onDelete(event: MessageEventLike): Promise<void> {
    const ts = event.deleted_ts ?? event.previous_message?.ts;
    if (!ts) return;
    await process.deleteComment({ channel: event.channel, ts });
  }

  routes.event('message', ({ event }) => onMessage(event as MessageEventLike));

  async function onMessage(message: MessageEventLike): Promise<void> {
    try {
      if (AUTHORED_SUBTYPES.has(message.subtype)) await onReply(message);
      else if (message.subtype === 'message_changed') await onEdit(message);
      else if (message.subtype === 'message_deleted') await onDelete(message);
    } catch (error) {
      if (isDomainError(error)) {
        logger.info('anken: thread message not kept', error.code, {
          channel: message.channel,
          user: message.user,
        });
        return;
      }
      const context = { channel: message.channel, ts: message.ts };
      if (error instanceof CardNotYetKnown) logger.warn('anken: thread reply held until its card is recorded', context);
      else logger.error('anken: thread message could not be stored', context, error);
      throw error;
    }
  }
}
