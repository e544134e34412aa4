/**
 * What Slack sends the bot about a message in the fake Slack, for the drivers that run the built bot
 * (the crash test and the soak): a tap on one of its buttons, or the event for a reply in a thread.
 */
import type { FakeMessage } from './fake-slack.js';
import { findButton } from './flows.js';
import type { BlockActionInput } from './slack-requests.js';

/** The block_actions request Slack sends when this person taps the message's button. */
export function buttonTap(message: FakeMessage, actionId: string, userId: string, triggerId: string): BlockActionInput {
  return {
    userId,
    actionId,
    value: findButton(message.blocks, actionId).value,
    triggerId,
    container: { type: 'message', channel_id: message.channel, message_ts: message.ts },
    message,
  };
}

/** The `message` event Slack sends for a person's reply in a thread of a channel. */
export function threadReplyEvent(reply: FakeMessage) {
  return {
    type: 'message',
    channel: reply.channel,
    user: reply.user,
    text: reply.text,
    ts: reply.ts,
    thread_ts: reply.thread_ts,
    channel_type: 'channel',
  };
}
