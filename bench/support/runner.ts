import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { keepSearchIndex } from '../../src/jobs/search-backlog.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type Checkpointer, startCheckpointer } from '../../src/workers/checkpoints.js';
import { type PendingMover, startPendingMover } from '../../src/workers/search-pending.js';
import { createDealProcess, type DealProcess } from '../../src/workflow/deal-process.js';
import { createSystemCommands, type SystemCommands } from '../../src/workflow/system-commands.js';
import type { Actor, Roles } from '../../src/workflow/types.js';
import { silentLogger } from '../../test/support/silent-logger.js';
import type { BenchDataset } from './dataset.js';

const DAY = 86_400_000;
const TEAM = 'T0ANKEN';

/** What every case gets: the store on the dataset, the workflow on a bench clock, and helpers. */
export interface BenchContext {
  dataset: BenchDataset;
  store: Store;
  process: DealProcess;
  system: SystemCommands;
  roles: Roles;
  now(): Date;
  actor(userId: string): Actor;
  /** A deal id spread over the whole table (same sequence every run). */
  anyDealId(i: number): number;
  /** A 商談中 deal no case has used yet, for a case that closes or records on it. */
  takeOpenDeal(): { id: number; ownerId: string };
  /** A folder removed after the run. */
  tempDir: string;
  /** WAL checkpoints in a worker thread, as the bot runs them. */
  checkpointer: Checkpointer;
  /** Moves the search index's pending texts into the index proper, as in the bot. */
  pendingMover: PendingMover;
  /** Starts the mover again after a case stopped it. */
  restartPendingMover(): void;
  /** The bot's background indexing (it takes the texts the mover copied off the pending list). */
  indexing: { stop(): Promise<void> };
}

/**
 * A bench case. `run` is called `iterations` times. A synchronous run is timed call by call: its
 * longest call is how long a Slack request arriving meanwhile waits. An asynchronous run (a job that
 * yields, a worker) is timed whole, and the event loop's delay is measured while it runs.
 */
export interface BenchCase {
  name: string;
  /** `prepared`: what `prepare` returned for this iteration. */
  run(ctx: BenchContext, iteration: number, prepared?: unknown): unknown;
  /** Runs (and is awaited) before each iteration, not measured: what a person did just before (opened the form …). */
  prepare?(ctx: BenchContext, iteration: number): unknown;
  iterations?: number;
  /** Runs before the first iteration and after the last, not measured. */
  before?(ctx: BenchContext): Promise<void> | void;
  after?(ctx: BenchContext): Promise<void> | void;
  /** One line about the last run's result (rows deleted, pages copied …). */
  describe?(result: unknown): string;
}

export interface CaseResult {
  name: string;
  iterations: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The longest the event loop could not answer anything while the case ran. */
  loopDelayMs: number;
  /** The share of the time the main thread's event loop was busy (not waiting) while the case ran. */
  loopBusy: number;
  note: string;
}

export function createBenchContext(dataset: BenchDataset): BenchContext {
  const store = openStore(dataset.path);
  store.checkpointsHere(false);
  const checkpointer = startCheckpointer({
    path: dataset.path,
    logger: console,
    onStopped: () => store.checkpointsHere(true),
  });
  const startMover = () => {
    store.movePendingHere(false);
    return startPendingMover({ path: dataset.path, logger: console, onStopped: () => store.movePendingHere(true) });
  };
  const stopIndexing = new AbortController();
  const indexing = keepSearchIndex(store.searchIndex, {
    logger: silentLogger,
    signal: stopIndexing.signal,
    movesHere: store.movesPendingHere,
  });
  const roles: Roles = { workspaceTeamId: TEAM, leaderIds: dataset.leaders, adminIds: dataset.leaders };
  // Each run of the bench lives one day later than the last, after the dataset's own "now".
  let clock = Date.parse(dataset.until) + dataset.benchRuns * DAY;
  const now = () => {
    clock += 1_000;
    return new Date(clock);
  };
  const deps = { repo: store.deals, roles, timeZone: 'Asia/Tokyo', now, onEffects: () => {} };
  const openDeals = store.db
    .prepare(
      `SELECT id, owner_id AS ownerId FROM deals WHERE status = 'negotiating' AND id > 1 ORDER BY id LIMIT 20000`,
    )
    .all() as { id: number; ownerId: string }[];
  const spread = Math.max(1, Math.floor(dataset.deals / 9973));
  return {
    dataset,
    store,
    checkpointer,
    pendingMover: startMover(),
    restartPendingMover() {
      this.pendingMover = startMover();
    },
    indexing: {
      stop() {
        stopIndexing.abort();
        return indexing;
      },
    },
    process: createDealProcess(deps),
    system: createSystemCommands(deps),
    roles,
    now,
    actor: (userId) => ({ userId, teamId: TEAM, isBot: false, isGuest: false }),
    anyDealId: (i) => 1 + ((i * 7919 * spread) % dataset.deals),
    takeOpenDeal() {
      const deal = openDeals.pop();
      if (!deal) throw new Error('no 商談中 deal left in the dataset');
      return deal;
    },
    tempDir: mkdtempSync(join(tmpdir(), 'anken-bench-')),
  };
}

export async function closeBenchContext(ctx: BenchContext): Promise<void> {
  await ctx.checkpointer.stop();
  await ctx.pendingMover.stop();
  await ctx.indexing.stop();
  ctx.store.close();
  rmSync(ctx.tempDir, { recursive: true, force: true });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function runCase(ctx: BenchContext, benchCase: BenchCase): Promise<CaseResult> {
  const iterations = benchCase.iterations ?? 200;
  const times: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let result: unknown;
  let isAsync = false;
  await benchCase.before?.(ctx);
  loop.enable();
  // The histogram records nothing until its timer's first tick: a case that blocked at once would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const busyBefore = performance.eventLoopUtilization();
  for (let i = 0; i < iterations; i += 1) {
    const prepared = await benchCase.prepare?.(ctx, i);
    const started = performance.now();
    result = benchCase.run(ctx, i, prepared);
    if (result instanceof Promise) {
      isAsync = true;
      result = await result;
    }
    times.push(performance.now() - started);
    // A turn of the event loop between calls, as between two Slack requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  loop.disable();
  const busy = performance.eventLoopUtilization(busyBefore).utilization;
  await benchCase.after?.(ctx);
  const sorted = [...times].sort((a, b) => a - b);
  const maxMs = sorted.at(-1) ?? 0;
  return {
    name: benchCase.name,
    iterations,
    meanMs: times.reduce((sum, t) => sum + t, 0) / iterations,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs,
    loopDelayMs: isAsync ? loop.max / 1e6 : Math.max(maxMs, loop.max / 1e6),
    loopBusy: busy,
    note: benchCase.describe?.(result) ?? '',
  };
}
