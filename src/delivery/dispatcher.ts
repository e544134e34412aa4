import type { Logger } from '@slack/bolt';
import type { OutboxStore } from '../store/outbox-store.js';
import type { OutboxItem } from '../workflow/read-models.js';
import type { Effect } from '../workflow/types.js';
import type { DeliveryContext, DeliveryRecord } from './deliver-effect.js';
import { backoffMs, classifyFailure, maxAttemptsOf } from './failures.js';

/**
 * Deliveries that run at once, by kind of receiver; one queue's (one deal's) effects always run in order.
 * Webhooks have slots of their own, so a receiver that hangs never holds back Slack messages.
 */
const SLOTS = { slack: 4, webhook: 2 } as const;
type Lane = keyof typeof SLOTS;
/** How many queue heads one look at the outbox considers. */
const SCAN = 50;
const AMBIGUOUS_MARK = 'ambiguous:';

export interface DispatcherDeps {
  outbox: OutboxStore;
  deliver: (context: DeliveryContext) => Promise<DeliveryRecord | undefined>;
  logger: Logger;
  now: () => Date;
  /** First retry delay; it doubles with every attempt (tests shorten it). */
  retryBaseMs?: number;
  /** Told about an effect given up for good, so admins hear of it. */
  onGiveUp?: (item: OutboxItem, reason: string) => void;
  /** Runs the look a commit asks for; by default on the next turn, in the app once Slack's requests are answered. */
  giveWay?: (look: () => void) => void;
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

function laneOf(effect: Effect): Lane {
  return effect.kind === 'send_webhook' ? 'webhook' : 'slack';
}

/**
 * Delivers the outbox: the oldest pending effect of each queue, retried with backoff, resumed after a
 * restart. Handlers never wait for it; they commit and kick.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { outbox, logger } = deps;
  const inFlight = new Map<number, { lane: Lane; done: Promise<void> }>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lookPending = false;

  async function deliverOne(item: OutboxItem): Promise<void> {
    // An attempt that may have reached Slack makes every later one look before posting again.
    const context: DeliveryContext = { item, mayHavePosted: item.lastError?.startsWith(AMBIGUOUS_MARK) ?? false };
    outbox.markInFlight(item.id, `${AMBIGUOUS_MARK}in_flight`);
    try {
      const record = await deps.deliver(context);
      outbox.markDone(item.id, deps.now().toISOString(), record);
    } catch (error) {
      handleFailure(item, error);
    }
  }

  function handleFailure(item: OutboxItem, error: unknown): void {
    const verdict = classifyFailure(error);
    const context = { outboxId: item.id, effect: item.effect, attempt: item.attempts + 1 };
    if (!verdict.retry || item.attempts + 1 >= maxAttemptsOf(item.effect)) {
      logger.error('anken: delivery given up', verdict.reason, context, error);
      outbox.markFailed(item.id, verdict.reason, deps.now().toISOString());
      deps.onGiveUp?.(item, verdict.reason);
      return;
    }
    const delay = verdict.afterMs ?? backoffMs(item.attempts, deps.retryBaseMs);
    logger.warn('anken: delivery will be retried', verdict.reason, { ...context, retryInMs: delay });
    const next = new Date(deps.now().getTime() + delay).toISOString();
    const mayHavePosted = verdict.ambiguous || (item.lastError?.startsWith(AMBIGUOUS_MARK) ?? false);
    outbox.markRetry(item.id, next, `${mayHavePosted ? AMBIGUOUS_MARK : ''}${verdict.reason}`);
  }

  function busy(lane: Lane): number {
    let count = 0;
    for (const entry of inFlight.values()) if (entry.lane === lane) count += 1;
    return count;
  }

  function start(item: OutboxItem, lane: Lane): void {
    const done = deliverOne(item)
      .catch((error: unknown) => logger.error('anken: delivery crashed', { outboxId: item.id }, error))
      .finally(() => {
        inFlight.delete(item.id);
        lookSoon(setImmediate);
      });
    inFlight.set(item.id, { lane, done });
  }

  /**
   * Asks for a look at the outbox. A request that has just committed is answered first (rendering a
   * delivery costs main thread that its ack would wait for), and the kicks of many commits make one look.
   */
  function kick(): void {
    lookSoon(deps.giveWay ?? setImmediate);
  }

  function lookSoon(when: (look: () => void) => void): void {
    if (stopped || lookPending) return;
    lookPending = true;
    when(() => {
      lookPending = false;
      look();
    });
  }

  /** Starts every due head there is a free slot for, then sets a timer for the next retry. */
  function look(): void {
    if (stopped) return;
    const now = deps.now().toISOString();
    for (const item of outbox.due(now, SCAN)) {
      const lane = laneOf(item.effect);
      if (!inFlight.has(item.id) && busy(lane) < SLOTS[lane]) start(item, lane);
    }
    scheduleWake(now);
  }

  function scheduleWake(now: string): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = outbox.nextAttemptAfter(now);
    if (next === null) return;
    const delay = Math.max(Date.parse(next) - deps.now().getTime(), 0);
    timer = setTimeout(() => lookSoon(setImmediate), Math.min(delay, 60_000));
    timer.unref();
  }

  async function settled(): Promise<void> {
    for (;;) {
      if (lookPending) await new Promise((resolve) => setTimeout(resolve, 1));
      else if (inFlight.size > 0) await Promise.all([...inFlight.values()].map((entry) => entry.done));
      else return;
    }
  }

  return {
    kick,
    start(): void {
      stopped = false;
      kick();
    },
    /** Waits for the deliveries under way; nothing new starts. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await settled();
    },
    /** Resolves once nothing is being delivered or about to be looked for (what is due starts as slots free up). */
    idle: settled,
  };
}
