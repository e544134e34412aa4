import type { Logger } from '@slack/bolt';

/**
 * How many pieces of work start per turn of the event loop. Each turn first reads the requests that have
 * arrived, so a burst of requests is answered before the modals it asks for are opened; 200 pieces still
 * all start within a fraction of a trigger's 3 s.
 */
const STARTS_PER_TURN = 4;

export type AfterAck = ReturnType<typeof createAfterAck>;

/**
 * Work a request causes that Slack's answer need not wait for: opening a modal, a notice, a refusal sent
 * to the response_url. In HTTP mode Bolt sends the answer only once the listener has returned
 * (processBeforeResponse, which thread comments need to be committed before Slack hears "received"), so a
 * listener that awaited views.open would hold its answer for that call. The work starts on a later turn
 * of the event loop, after the answer has been written; the trigger_id (3 s) is still fresh.
 */
export function createAfterAck(logger: Logger) {
  const running = new Set<Promise<void>>();
  const waiting: Array<() => void> = [];
  let turnScheduled = false;

  function startSome(): void {
    turnScheduled = false;
    for (const start of waiting.splice(0, STARTS_PER_TURN)) start();
    if (waiting.length > 0) scheduleTurn();
  }

  function scheduleTurn(): void {
    if (turnScheduled) return;
    turnScheduled = true;
    setImmediate(startSome);
  }

  return {
    /** Runs `work` once the answer has gone; its failures are logged (it handles what the person sees). */
    run(what: string, work: () => Promise<void>): void {
      const done: Promise<void> = new Promise<void>((start) => waiting.push(start))
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
