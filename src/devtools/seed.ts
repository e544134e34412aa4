/**
 * npm run seed -- --deals N --db PATH [--seed S] [--reps N] [--leaders N] [--years N] [--until ISO]
 *   [--outbox-per-deal N] [--delivered-days N] [--heavy-entries N] [--force]
 * Writes a synthetic dataset (see synthetic-history.ts) into a new SQLite file with the bot's schema.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/db.js';
import { keepSearchIndexTidy } from '../workers/search-pair-counts.js';
import { generateSyntheticData, SYNTHETIC_DEFAULTS, type SyntheticOptions } from './synthetic-history.js';

const numberOptions = {
  deals: 'deals',
  seed: 'seed',
  reps: 'reps',
  leaders: 'leaders',
  years: 'years',
  'outbox-per-deal': 'outboxPerDeal',
  'heavy-entries': 'heavyDealEntries',
  'delivered-days': 'deliveredDays',
} as const;

function parseOptions(argv: string[]): { path: string; force: boolean; options: SyntheticOptions } {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: './data/seed.db' },
      until: { type: 'string', default: SYNTHETIC_DEFAULTS.until },
      force: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.keys(numberOptions).map((name) => [name, { type: 'string' as const }])),
    },
  });
  const options: Record<string, unknown> = { deals: SYNTHETIC_DEFAULTS.deals };
  for (const [flag, key] of Object.entries(numberOptions)) {
    const raw = values[flag as keyof typeof values];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag}: a number ≥ 0 please (got ${String(raw)})`);
    options[key] = value;
  }
  const until = String(values.until);
  if (Number.isNaN(Date.parse(until))) throw new Error(`--until: an ISO 8601 time please (got ${until})`);
  return {
    path: String(values.db),
    force: values.force === true,
    options: { ...(options as unknown as SyntheticOptions), until: new Date(until).toISOString() },
  };
}

async function main(): Promise<void> {
  const { path, force, options } = parseOptions(process.argv.slice(2));
  if (existsSync(path)) {
    if (!force) throw new Error(`${path} already exists: delete it or pass --force`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
  const started = performance.now();
  const db = openDatabase(path);
  const summary = generateSyntheticData(db, {
    ...options,
    onProgress: (done) => {
      if (done % 100_000 === 0) process.stdout.write(`  ${done.toLocaleString('en')} deals\n`);
    },
    onIndexProgress: (left) => {
      if (left % 100_000 === 0) process.stdout.write(`  search index: ${left.toLocaleString('en')} deals left\n`);
    },
  });
  db.close();
  // As the bot does once every deal is indexed: the index merged into one segment, its pairs counted.
  await keepSearchIndexTidy(path);
  const seconds = (performance.now() - started) / 1000;
  const { outbox } = summary;
  const lines = [
    `wrote ${path} in ${seconds.toFixed(1)} s (${(statSync(path).size / 2 ** 30).toFixed(2)} GiB)`,
    `  deals ${summary.deals}, timeline ${summary.timeline}, tasks ${summary.tasks}, handled requests ${summary.handledRequests}`,
    `  outbox delivered ${outbox.done} (and ${outbox.trimmed} older, not written), failed ${outbox.failed}, pending ${outbox.pending}`,
    `  ${summary.reps.length} reps, ${summary.leaders.length} leaders, team ${summary.teamId}, channel ${summary.channel}`,
    `  ${summary.from} … ${summary.until}; long-running deal: ${summary.heavyDealId ?? 'none'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
