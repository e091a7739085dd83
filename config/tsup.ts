import { defineConfig, type Options } from 'tsup';

/** Shared tsup settings: ESM + CJS + .d.ts for every public package. */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'es2022',
    platform: 'neutral',
    shims: false,
    ...overrides,
  });
}
