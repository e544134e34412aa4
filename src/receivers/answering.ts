import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * How long after the last answer the server still counts as answering. The requests of a burst reach us
 * over some milliseconds, each often answered before the next has been read; a gap this short between
 * them still means more are coming.
 */
const QUIET_AFTER_MS = 15;

export type Answering = ReturnType<typeof createAnswering>;

/**
 * Knows whether requests from Slack (HTTP requests or Socket Mode envelopes) are being answered, so that
 * work which can wait (opening a modal, a delivery) gives way to them: under a burst every answer goes
 * out before the calls back to Slack compete with them for the CPU.
 */
export function createAnswering(quietAfterMs = QUIET_AFTER_MS) {
  let open = 0;
  let lastAnsweredAt = Number.NEGATIVE_INFINITY;

  function begin(): () => void {
    open += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      open -= 1;
      lastAnsweredAt = performance.now();
    };
  }

  /** Milliseconds until the server counts as quiet: 0 when it is, the quiet period while a request is open. */
  function quietInMs(): number {
    if (open > 0) return quietAfterMs;
    return Math.max(0, lastAnsweredAt + quietAfterMs - performance.now());
  }

  /** Calls `work` on a later turn once the server is quiet, or once `longestWaitMs` have passed. */
  function afterAnswers(work: () => void, longestWaitMs: number): void {
    const deadline = performance.now() + longestWaitMs;
    const attempt = () => {
      const wait = Math.min(quietInMs(), deadline - performance.now());
      if (wait > 0) setTimeout(attempt, wait);
      else work();
    };
    setImmediate(attempt);
  }

  return {
    /** Marks a request as waiting for its answer; call the returned function once it has been answered. */
    begin,
    /** Counts every request the server receives until its response is finished (or the connection drops). */
    track(server: Server): void {
      server.on('request', (_request, response) => response.once('close', begin()));
    },
    quietInMs,
    afterAnswers,
  };
}
