import type { Logger } from '@slack/bolt';
import type { OutboxItem, OutboxStore } from '../store/outbox-store.js';
import type { DeliveryContext, DeliveryRecord } from './deliver-effect.js';
import { backoffMs, classifyFailure, maxAttemptsOf } from './failures.js';

/** Deliveries of different deals (or homes) that run at once; one deal's effects always run in order. */
const PARALLEL_KEYS = 4;
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
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/**
 * Delivers the outbox: the oldest pending effect of each deal, retried with backoff, resumed after a
 * restart. Handlers never wait for it; they commit and kick.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { outbox, logger } = deps;
  let running: Promise<void> | null = null;
  let kickedWhileRunning = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function deliverOne(item: OutboxItem): Promise<void> {
    const context: DeliveryContext = {
      item,
      mayHavePosted: item.lastError?.startsWith(AMBIGUOUS_MARK) ?? false,
    };
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
    outbox.markRetry(item.id, next, `${verdict.ambiguous ? AMBIGUOUS_MARK : ''}${verdict.reason}`);
  }

  async function drainDue(): Promise<void> {
    for (;;) {
      kickedWhileRunning = false;
      const due = outbox.due(deps.now().toISOString(), PARALLEL_KEYS);
      if (due.length === 0 && !kickedWhileRunning) return;
      await Promise.all(due.map(deliverOne));
      if (stopped) return;
    }
  }

  function scheduleWake(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = outbox.nextAttemptAt();
    if (next === null || stopped) return;
    const delay = Math.max(Date.parse(next) - deps.now().getTime(), 0);
    timer = setTimeout(kick, Math.min(delay, 60_000));
    timer.unref();
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      kickedWhileRunning = true;
      return;
    }
    running = drainDue()
      .catch((error: unknown) => logger.error('anken: dispatcher loop failed', error))
      .finally(() => {
        running = null;
        if (kickedWhileRunning) kick();
        else scheduleWake();
      });
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
      await running;
    },
    /** Resolves once nothing is due now and nothing is being delivered (tests and shutdown). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
