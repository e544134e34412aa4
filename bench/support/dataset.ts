import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  generateSyntheticData,
  SYNTHETIC_DEFAULTS,
  type SyntheticSummary,
} from '../../src/devtools/synthetic-history.js';
import { applyRetention } from '../../src/jobs/retention.js';
import { drainSearchBacklog } from '../../src/jobs/search-backlog.js';
import { usesIncrementalVacuum } from '../../src/store/auto-vacuum.js';
import { openDatabase } from '../../src/store/db.js';
import { openStore } from '../../src/store/index.js';
import { searchIndexPath } from '../../src/store/search-file.js';
import { keepSearchIndexTidy } from '../../src/workers/search-pair-counts.js';
import { silentLogger } from '../../test/support/silent-logger.js';

/** What the bench knows of its dataset, kept beside the cached file (`<file>.json`). */
export interface BenchDataset {
  /** Absolute: resolved from BENCH_DB (or the default) when the dataset is opened, never read from the file. */
  path: string;
  deals: number;
  reps: string[];
  leaders: string[];
  heavyDealId: number | null;
  until: string;
  /** Seconds `generateSyntheticData` took to write the file (null: not known, made elsewhere). */
  seedSeconds: number | null;
  /** Runs so far: each run's clock is one day later, so its retention case deletes one day's rows. */
  benchRuns: number;
  /** The file as seeded, and after the first retention run (the size a bot with retention keeps). */
  seededBytes: number;
  settledBytes: number;
}

/** Delivered rows are written for this many days: retention (30 days) then has a backlog to delete. */
const DELIVERED_DAYS = 45;

const userIds = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);

/**
 * The bench's database: BENCH_DB, or data/bench/anken-<BENCH_DEALS>.db, seeded by the generator when
 * missing and then reused (seeding a million deals takes minutes). The bench's writes stay in it.
 */
export async function openBenchDataset(env: Record<string, string | undefined>): Promise<BenchDataset> {
  const deals = Number(env.BENCH_DEALS ?? SYNTHETIC_DEFAULTS.deals);
  if (!Number.isInteger(deals) || deals < 1_000) throw new Error(`BENCH_DEALS: 1000 or more please (got ${deals})`);
  // The file is where BENCH_DB says, from wherever the bench runs; a path kept in an older `.json`
  // (relative to the folder it was made in) would open, or create, another file.
  const path = resolve(env.BENCH_DB ?? `data/bench/anken-${deals}.db`);
  const sidecar = `${path}.json`;
  let dataset: BenchDataset;
  if (existsSync(sidecar) && existsSync(path)) {
    dataset = { ...(JSON.parse(readFileSync(sidecar, 'utf8')) as BenchDataset), path };
  } else if (existsSync(path)) {
    dataset = await settle(describe(path, deals, null, null));
  } else {
    mkdirSync(dirname(path), { recursive: true });
    process.stdout.write(`seeding ${deals.toLocaleString('en')} deals into ${path} …\n`);
    const started = performance.now();
    const db = openDatabase(path);
    const summary = generateSyntheticData(db, { deals, deliveredDays: DELIVERED_DAYS });
    db.close();
    dataset = await settle(describe(path, deals, summary, (performance.now() - started) / 1000));
  }
  dataset.benchRuns += 1;
  writeFileSync(sidecar, JSON.stringify(dataset, null, 2));
  await indexForSearch(path);
  await tidySearchIndex(path);
  return dataset;
}

/**
 * The search index as the night's upkeep leaves it (merged into one segment, its pairs counted), whatever
 * the previous runs wrote: the state the bot's searches meet on any day.
 */
async function tidySearchIndex(path: string): Promise<void> {
  process.stdout.write('search index upkeep (not measured) …\n');
  const started = performance.now();
  await keepSearchIndexTidy(path);
  process.stdout.write(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

/**
 * Deals not yet in the search index (a file made before the index, or converted by a migration) are
 * indexed before anything is measured, as the bot's background job would have done by then.
 */
async function indexForSearch(path: string): Promise<void> {
  const store = openStore(path);
  try {
    const waiting = store.searchIndex.backlogSize();
    if (waiting === 0) return;
    process.stdout.write(`indexing ${waiting.toLocaleString('en')} deals for search (not measured) …\n`);
    const started = performance.now();
    await drainSearchBacklog(store.searchIndex, {
      logger: silentLogger,
      signal: new AbortController().signal,
      batch: 2_000,
    });
    process.stdout.write(`  indexed in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
}

function describe(path: string, deals: number, summary: SyntheticSummary | null, seconds: number | null): BenchDataset {
  return {
    path,
    deals,
    reps: summary?.reps ?? userIds('U0REP', SYNTHETIC_DEFAULTS.reps),
    leaders: summary?.leaders ?? userIds('U0LEAD', SYNTHETIC_DEFAULTS.leaders),
    heavyDealId: summary ? summary.heavyDealId : 1,
    until: summary?.until ?? SYNTHETIC_DEFAULTS.until,
    seedSeconds: seconds,
    benchRuns: 0,
    seededBytes: fileBytes(path),
    settledBytes: 0,
  };
}

/**
 * The database's bytes on disk, with its search index's file (searchIndexPath) when `withSearch`;
 * `wal`: their write-ahead logs only (what the writes since the last checkpoint left).
 */
export function fileBytes(path: string, withSearch = true, wal = false): number {
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  const files = withSearch ? [path, searchIndexPath(path)] : [path];
  return files.reduce((sum, file) => sum + (wal ? 0 : size(file)) + size(`${file}-wal`), 0);
}

/**
 * The first retention run, before anything is measured: what a bot whose retention job has been
 * running would hold. The bench's retention case then measures an ordinary day's run.
 */
async function settle(dataset: BenchDataset): Promise<BenchDataset> {
  process.stdout.write('first retention run (not measured) …\n');
  const store = openStore(dataset.path);
  try {
    if (!usesIncrementalVacuum(store.db)) throw new Error(`${dataset.path}: made without incremental auto-vacuum`);
    await applyRetention(
      { retention: store.retention, retentionDays: 30, incrementalVacuum: usesIncrementalVacuum(store.db) },
      new Date(dataset.until),
    );
    store.db.pragma('main.wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
  return { ...dataset, settledBytes: fileBytes(dataset.path) };
}
