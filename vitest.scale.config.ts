import { defineConfig } from 'vitest/config';

/**
 * `npm run bench` only (after the micro-benchmarks in *.bench.ts): the benchmark at scale, BENCH_DEALS
 * deals (default 1,000,000). `npm test` never runs it.
 */
export default defineConfig({
  test: {
    include: ['bench/**/*.scale.ts'],
    testTimeout: 6 * 60 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
