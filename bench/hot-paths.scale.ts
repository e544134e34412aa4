/**
 * npm run bench: what each hot path and daily job costs on the event loop at BENCH_DEALS deals (default
 * 1,000,000; better-sqlite3 is synchronous, so every millisecond of a call is added to every concurrent
 * ack), as a ratio against a primary-key read measured in the same run. Prints one table.
 */
import { afterAll, expect, it } from 'vitest';
import { baseline, cases } from './cases/index.js';
import { fileBytes, openBenchDataset } from './support/dataset.js';
import {
  type BenchContext,
  type CaseResult,
  closeBenchContext,
  createBenchContext,
  runCase,
} from './support/runner.js';

let ctx: BenchContext | undefined;
afterAll(async () => {
  if (ctx) await closeBenchContext(ctx);
});

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(2);
const fileGiB = (path: string) => gib(fileBytes(path));

function table(results: CaseResult[], base: CaseResult): string {
  // Ratios of medians: on a busy machine a few preempted calls move a mean, hardly a median.
  const header =
    '| case | runs | median ms | mean ms | p95 ms | max ms | × baseline (median) | event-loop delay ms | loop busy | |';
  const rows = results.map((r) =>
    [
      r.name,
      r.iterations,
      r.p50Ms.toFixed(3),
      r.meanMs.toFixed(3),
      r.p95Ms.toFixed(3),
      r.maxMs.toFixed(2),
      (r.p50Ms / base.p50Ms).toFixed(1),
      r.loopDelayMs.toFixed(1),
      `${(r.loopBusy * 100).toFixed(0)} %`,
      r.note,
    ].join(' | '),
  );
  return [header, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}

it('hot paths and daily jobs at scale', async () => {
  const dataset = await openBenchDataset(process.env);
  ctx = createBenchContext(dataset);
  const seeded = dataset.seedSeconds === null ? 'made elsewhere' : `seeded in ${dataset.seedSeconds.toFixed(0)} s`;
  process.stdout.write(
    `\ndataset: ${dataset.deals.toLocaleString('en')} deals, ${dataset.path} (${seeded}; ${gib(dataset.seededBytes)} GiB as seeded, ${gib(dataset.settledBytes)} GiB after the first retention run, ${fileGiB(dataset.path)} GiB now; bench run ${dataset.benchRuns})\n`,
  );
  const results: CaseResult[] = [];
  const base = await runCase(ctx, baseline);
  results.push(base);
  // BENCH_CASES (a regular expression) runs only the cases whose names match, after the baseline.
  const only = process.env.BENCH_CASES ? new RegExp(process.env.BENCH_CASES) : null;
  const chosen = only ? cases.filter((benchCase) => only.test(benchCase.name)) : cases;
  for (const benchCase of chosen) {
    results.push(await runCase(ctx, benchCase));
    process.stdout.write(`  ${benchCase.name}: done\n`);
  }
  const searchGiB = gib(fileBytes(dataset.path) - fileBytes(dataset.path, false));
  const walGiB = gib(fileBytes(dataset.path, true, true));
  process.stdout.write(
    `\n${table(results, base)}\n\nfiles after the run: ${fileGiB(dataset.path)} GiB (of which the search index ${searchGiB} GiB, and the two files' write-ahead logs ${walGiB} GiB, before their next checkpoint)\n`,
  );
  expect(results).toHaveLength(chosen.length + 1);
});
