import type { DealRepository } from './ports.js';
import type { SlackMessageRef } from './types.js';

/**
 * How far Slack's clock (a message's ts) may run behind ours (an outbox row's created_at): a card's ts
 * is never earlier than the moment its post was queued, give or take this much.
 */
const CLOCK_SKEW_MS = 5 * 60 * 1_000;

/** Whose thread a reply is in: a deal's, perhaps a card whose post is not recorded yet, or nobody's. */
export type ReplyThread = { kind: 'deal'; dealId: number } | { kind: 'card_unrecorded' } | { kind: 'none' };

/** A Slack ts ("1764000000.000100", seconds) as the time it was posted. */
export function timeOfTs(ts: string): Date {
  return new Date(Math.floor(Number(ts) * 1_000));
}

/**
 * Reads (no write transaction) whose thread `thread` is. A thread with no deal may still be the card
 * of a deal whose post reached Slack but whose ts the bot has not recorded yet: only a thread in the
 * channel cards are posted to, started after such a post was queued, may be that card.
 */
export function whoseThread(repo: DealRepository, thread: SlackMessageRef, cardChannel: string): ReplyThread {
  const dealId = repo.dealIdByCard(thread);
  if (dealId !== null) return { kind: 'deal', dealId };
  if (thread.channel !== cardChannel) return { kind: 'none' };
  const startedAt = timeOfTs(thread.ts).getTime();
  if (Number.isNaN(startedAt)) return { kind: 'none' };
  const queuedBy = new Date(startedAt + CLOCK_SKEW_MS).toISOString();
  return repo.cardPostUnrecorded(queuedBy) ? { kind: 'card_unrecorded' } : { kind: 'none' };
}
