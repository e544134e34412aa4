/**
 * The load generator of the ack benchmark, run as a child process so that its clock is not held up by
 * the fake Slack serving the bot: it gets a burst of prepared requests over IPC, sends them all at
 * once, each on a fresh connection as Slack does, and sends back how long each answer took.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface BurstResult {
  /** Milliseconds from sending each request until its answer was read in full. */
  latencies: number[];
  statuses: number[];
  /** When the last answer came back (ms since epoch), to compare with when Slack was called. */
  lastAnsweredAt: number;
}

function send(prepared: PreparedRequest): Promise<{ ms: number; status: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      prepared.url,
      { method: 'POST', headers: { ...prepared.headers, connection: 'close' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, status: 0 }));
    req.end(prepared.body);
  });
}

process.on('message', async (burst: PreparedRequest[]) => {
  const results = await Promise.all(burst.map(send));
  const reply: BurstResult = {
    latencies: results.map((r) => r.ms),
    statuses: results.map((r) => r.status),
    lastAnsweredAt: Date.now(),
  };
  process.send?.(reply);
});
