import { defineConfig } from 'vitest/config';

/** `npm run soak` only: the long run against the built bot. `npm test` never picks these files up. */
export default defineConfig({
  test: {
    include: ['soak/**/*.soak.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
