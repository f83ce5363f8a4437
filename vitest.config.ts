import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration suites open real sockets and child processes; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
