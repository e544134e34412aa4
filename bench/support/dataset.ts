import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  generateSyntheticData,
  SYNTHETIC_DEFAULTS,
  type SyntheticSummary,
} from '../../src/devtools/synthetic-history.js';
import { openDatabase } from '../../src/store/db.js';

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
  /** Retention runs so far: each bench run's clock is one day later, so each deletes one day's rows. */
  benchRuns: number;
}

/** Delivered rows are written for this many days: retention (30 days) then has a backlog to delete. */
const DELIVERED_DAYS = 45;

const userIds = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);

/**
 * The bench's database: BENCH_DB, or data/bench/anken-<BENCH_DEALS>.db, seeded by the generator when
 * missing and then reused (seeding a million deals takes minutes). The bench's writes stay in it.
 */
export function openBenchDataset(env: Record<string, string | undefined>): BenchDataset {
  const deals = Number(env.BENCH_DEALS ?? SYNTHETIC_DEFAULTS.deals);
  if (!Number.isInteger(deals) || deals < 1_000) throw new Error(`BENCH_DEALS: 1000 or more please (got ${deals})`);
  const path = env.BENCH_DB ?? `data/bench/anken-${deals}.db`;
  const sidecar = `${path}.json`;
  let dataset: BenchDataset;
  if (existsSync(sidecar)) {
    dataset = JSON.parse(readFileSync(sidecar, 'utf8')) as BenchDataset;
  } else if (existsSync(path)) {
    dataset = describe(path, deals, null, null);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    process.stdout.write(`seeding ${deals.toLocaleString('en')} deals into ${path} …\n`);
    const started = performance.now();
    const db = openDatabase(path);
    const summary = generateSyntheticData(db, { deals, deliveredDays: DELIVERED_DAYS });
    db.close();
    dataset = describe(path, deals, summary, (performance.now() - started) / 1000);
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
  };
}
