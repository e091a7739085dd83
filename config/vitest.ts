import { defineConfig } from 'vitest/config';

/** Shared vitest settings: tests beside code in src/ or in test/. */
export const packageTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
