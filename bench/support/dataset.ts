import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  generateSyntheticData,
  SYNTHETIC_DEFAULTS,
  type SyntheticSummary,
} from '../../src/devtools/synthetic-history.js';
import { applyRetention } from '../../src/jobs/retention.js';
import { usesIncrementalVacuum } from '../../src/store/auto-vacuum.js';
import { openDatabase } from '../../src/store/db.js';
import { openStore } from '../../src/store/index.js';

/** What the bench knows of its dataset, kept beside the cached file (`<file>.json`). */
export interface BenchDataset {
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
  const path = env.BENCH_DB ?? `data/bench/anken-${deals}.db`;
  const sidecar = `${path}.json`;
  let dataset: BenchDataset;
  if (existsSync(sidecar)) {
    dataset = JSON.parse(readFileSync(sidecar, 'utf8')) as BenchDataset;
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
  return dataset;
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

export function fileBytes(path: string): number {
  const size = (suffix: string) => (existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : 0);
  return size('') + size('-wal');
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
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
  return { ...dataset, settledBytes: fileBytes(dataset.path) };
}
