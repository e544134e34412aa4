import { defineConfig } from 'vitest/config';

/** `npm run bench:ack` only: bursts against the built bot and a plain Bolt app. `npm test` never runs it. */
export default defineConfig({
  test: {
    include: ['bench/ack/**/*.ack.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
