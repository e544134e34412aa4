/**
 * Reading what the bot left in the fake Slack, for the drivers that run the built bot (the crash test
 * and the soak): the metadata it puts on its messages, a deal's card, a DM about a deal, every message
 * it posted, the modal it opened for a trigger, and what a closed deal's messages say at the end.
 */
import { MESSAGE_METADATA_TYPE } from '../../src/ids.js';
import { pollUntil } from './driving.js';
import type { FakeMessage, FakeSlack, FakeView, MessageMetadata } from './fake-slack.js';
import { hasButton } from './flows.js';

export interface BotMetadata {
  outboxId: number | null;
  dealId: number | null;
}

/** The outbox and deal ids the bot put on a message; null on a message without the bot's metadata. */
export function metadataOf(message: { metadata?: MessageMetadata }): BotMetadata | null {
  const metadata = message.metadata;
  if (metadata?.event_type !== MESSAGE_METADATA_TYPE) return null;
  const { outbox_id: outboxId, deal_id: dealId } = metadata.event_payload;
  return {
    outboxId: typeof outboxId === 'number' ? outboxId : null,
    dealId: typeof dealId === 'number' ? dealId : null,
  };
}

/** How many messages carry each outbox id (messages without one are not counted). */
export function messagesPerOutboxId(messages: readonly FakeMessage[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const message of messages) {
    const id = metadataOf(message)?.outboxId;
    if (typeof id === 'number') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** What a deal's messages say once it is closed and every update has reached Slack. */
export function closedDealTexts(outcome: 'won' | 'lost') {
  return {
    /** The card's status line. */
    cardStatus: outcome === 'won' ? '状況: *🎉 受注*' : '状況: *⚪ クローズ*',
    /** The card's advice line. */
    cardAdvice: '助言: 済み',
    /** The rep's progress task in the DM. */
    progressTask: outcome === 'won' ? '受注で完了' : '失注で完了',
    /** A leader's advice request in the DM. */
    adviceRequest: '助言・戦略の指示を入力しました',
  };
}

export interface FakeReading {
  /** The deal's card in the sales channel. */
  cardOf(dealId: number): FakeMessage | undefined;
  /** The deal's card, once it shows this button. */
  cardWithButton(dealId: number, actionId: string): FakeMessage | undefined;
  /** The DM to this person about the deal that has this button. */
  dmAbout(userId: string, dealId: number, actionId: string): FakeMessage | undefined;
  /** Every message the bot has in Slack: the sales channel (cards and threads) and each person's DM. */
  botMessages(): FakeMessage[];
  /** The modal views.open opened (successfully) for this trigger. */
  openedView(triggerId: string): FakeView | undefined;
  /**
   * The modal opened for this trigger, waited for: the bot opens it after its answer. Undefined once the
   * trigger has expired without one (Slack's 3 s, counted from now: call it when the answer arrives).
   */
  modalOpened(triggerId: string): Promise<FakeView | undefined>;
}

/** A trigger_id lives 3 s; a little more for the call that used it at the last moment to be recorded. */
const TRIGGER_LIFETIME_MS = 3_200;

export function readFake(fake: FakeSlack, where: { channel: string; people: readonly string[] }): FakeReading {
  const { channel, people } = where;
  function openedView(triggerId: string): FakeView | undefined {
    const call = fake.okCallsTo('views.open').find((candidate) => candidate.args.trigger_id === triggerId);
    const id = (call?.response as { view?: { id?: string } } | undefined)?.view?.id;
    return id ? fake.viewById(id) : undefined;
  }
  const cardOf = (dealId: number) => fake.messagesIn(channel).find((message) => metadataOf(message)?.dealId === dealId);
  return {
    cardOf,
    cardWithButton(dealId, actionId) {
      const card = cardOf(dealId);
      return card && hasButton(card.blocks, actionId) ? card : undefined;
    },
    dmAbout(userId, dealId, actionId) {
      return fake
        .dmMessagesTo(userId)
        .find((message) => metadataOf(message)?.dealId === dealId && hasButton(message.blocks, actionId));
    },
    botMessages() {
      const inChannel = fake.messagesIn(channel).flatMap((top) => [top, ...fake.repliesTo(channel, top.ts)]);
      const dms = people.flatMap((id) => fake.dmMessagesTo(id));
      return [...inChannel, ...dms].filter((message) => message.user === fake.botUserId);
    },
    openedView,
    async modalOpened(triggerId) {
      const options = { timeoutMs: TRIGGER_LIFETIME_MS, intervalMs: 25 };
      return pollUntil('a modal', () => openedView(triggerId), options).catch(() => undefined);
    },
  };
}
