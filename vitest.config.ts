import { defineConfig } from 'vitest/config';

/** The e2e files that run twice: once over signed HTTP requests, once over Socket Mode envelopes. */
const BOTH_MODES = [
  'test/e2e/deal-process.test.ts',
  'test/e2e/role-matrix.test.ts',
  'test/e2e/idempotency.test.ts',
  'test/e2e/bad-input.test.ts',
];

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'http', include: ['test/**/*.test.ts'], provide: { slackMode: 'http' } } },
      {
        extends: true,
        test: { name: 'socket', include: BOTH_MODES, provide: { slackMode: 'socket' }, benchmark: { include: [] } },
      },
    ],
  },
});
