import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const coreSrc = (file: string) => fileURLToPath(new URL(`../packages/core/src/${file}`, import.meta.url));

/**
 * Shared vitest settings: tests beside code in src/ or in test/. Tests read @spgdataset/core from
 * source, so a package's tests never race a rebuild of core's dist; the built outputs are checked
 * separately (scripts/check-packages.mjs imports and requires every packed tarball).
 */
export const packageTestConfig = defineConfig({
  resolve: {
    alias: [
      { find: /^@spgdataset\/core$/, replacement: coreSrc('index.ts') },
      { find: /^@spgdataset\/core\/node$/, replacement: coreSrc('node.ts') },
      { find: /^@spgdataset\/core\/conformance$/, replacement: coreSrc('conformance.ts') },
      { find: /^@spgdataset\/core\/testing$/, replacement: coreSrc('testing.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
