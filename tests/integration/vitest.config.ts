import { defineConfig } from 'vitest/config';

// Integration tests run the BUILT packages (no alias to core's source, unlike the package tests):
// worker threads, wasm files and subpath exports must resolve exactly as they do for users.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
