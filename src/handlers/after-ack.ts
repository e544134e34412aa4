import { performance } from 'node:perf_hooks';
import type { Logger } from '@slack/bolt';
import type { Answering } from '../receivers/answering.js';

/**
 * How many pieces of work start per turn of the event loop. Each turn first reads the requests that have
 * arrived, so new requests are still answered while a batch of modals is being opened.
 */
const STARTS_PER_TURN = 4;
/**
 * The longest a piece of work waits for the requests being answered. A trigger_id lives 3 s from the tap,
 * part of which went on reaching us; under a steady stream of requests the work starts after this anyway.
 */
const LONGEST_WAIT_MS = 750;

export type AfterAck = ReturnType<typeof createAfterAck>;

/**
 * Work a request causes that Slack's answer need not wait for: opening a modal, a notice, a refusal sent
 * to the response_url. In HTTP mode Bolt sends the answer only once the listener has returned
 * (processBeforeResponse, which thread comments need to be committed before Slack hears "received"), so a
 * listener that awaited views.open would hold its answer for that call. The work starts once the requests
 * under way have been answered (a burst of taps is answered first, then its modals are opened), and at the
 * latest LONGEST_WAIT_MS after it was asked for, while the trigger_id (3 s) is still fresh.
 */
export function createAfterAck(logger: Logger, answering: Answering, longestWaitMs = LONGEST_WAIT_MS) {
  const running = new Set<Promise<void>>();
  const waiting: Array<{ start: () => void; deadline: number }> = [];
  let turnScheduled = false;

  function nextTurn(): void {
    turnScheduled = false;
    const oldest = waiting[0];
    if (!oldest) return;
    const wait = Math.min(answering.quietInMs(), oldest.deadline - performance.now());
    if (wait > 0) {
      turnScheduled = true;
      setTimeout(nextTurn, wait);
      return;
    }
    for (const { start } of waiting.splice(0, STARTS_PER_TURN)) start();
    scheduleTurn();
  }

  function scheduleTurn(): void {
    if (turnScheduled || waiting.length === 0) return;
    turnScheduled = true;
    setImmediate(nextTurn);
  }

  return {
    /** Runs `work` once the answer has gone; its failures are logged (it handles what the person sees). */
    run(what: string, work: () => Promise<void>): void {
      const deadline = performance.now() + longestWaitMs;
      const done: Promise<void> = new Promise<void>((start) => waiting.push({ start, deadline }))
        .then(work)
        .catch((error: unknown) => logger.error(`anken: ${what} failed after the answer`, error))
        .finally(() => running.delete(done));
      running.add(done);
      scheduleTurn();
    },
    /** Resolves once no such work is waiting or under way (shutdown, and tests that look at what it did). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
