// Acceptance: the root export of @spgdataset/core runs in a browser bundle. esbuild bundles
// src/index.ts for the browser platform; any Node built-in it reaches (node:fs, fs, path, ...)
// is recorded and fails the test, whoever imports it (core or a dependency such as audio-decode).
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Records Node built-ins (and leaves them external so the build goes on and reports them all).
 * Packages that do not resolve are recorded in `unresolved` and left external, so the test can
 * name them (core imports each codec package it uses by name; none may be missing).
 */
function nodeBuiltinRecorder(found: { path: string; importer: string }[], unresolved: string[] = []): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0]!;
        if (args.path.startsWith('node:') || builtins.has(args.path) || builtins.has(bare)) {
          found.push({ path: args.path, importer: args.importer });
          return { path: args.path, external: true };
        }
        if (args.pluginData === 'retry' || /^[./]/.test(args.path)) return undefined;
        const result = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'retry',
        });
        if (result.errors.length === 0) return result;
        unresolved.push(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

describe('browser bundle of the root export', () => {
  it('pulls in no Node built-in (esbuild, platform browser)', async () => {
    const found: { path: string; importer: string }[] = [];
    const unresolved: string[] = [];
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [nodeBuiltinRecorder(found, unresolved)],
    });
    expect(result.errors).toEqual([]);
    expect(found).toEqual([]);
    // Everything resolves: a plain bundler (Vite, esbuild) needs no plugin for missing optional codecs.
    expect(unresolved).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    // The bundle really contains what it should (so an empty "found" means something).
    expect(inputs.some((p) => p.endsWith('src/decode/audio-decode-decoder.ts'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('src/builder/create-dataset.ts'))).toBe(true);
    expect(inputs.some((p) => p.includes('/src/node/'))).toBe(false);
  });

  it('the conformance cases entry pulls in no Node built-in and no vitest', async () => {
    const found: { path: string; importer: string }[] = [];
    const unresolved: string[] = [];
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/conformance.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [nodeBuiltinRecorder(found, unresolved)],
    });
    expect(found).toEqual([]);
    expect(unresolved).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.endsWith('src/testing/feature-extractor-cases.ts'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('src/testing/readable-dataset-cases.ts'))).toBe(true);
    expect(inputs.some((p) => p.includes('node_modules/vitest') || p.includes('@vitest'))).toBe(false);
    // Control: the vitest entry (src/testing.ts) does pull vitest in.
    const testing = await build({
      entryPoints: [fileURLToPath(new URL('../src/testing.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [nodeBuiltinRecorder([], [])],
    });
    expect(Object.keys(testing.metafile.inputs).some((p) => p.includes('node_modules/vitest'))).toBe(true);
  });

  it('the recorder does catch a Node built-in (control: src/node.ts)', async () => {
    const found: { path: string; importer: string }[] = [];
    await build({
      entryPoints: [fileURLToPath(new URL('../src/node.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      plugins: [nodeBuiltinRecorder(found)],
    });
    expect(found.map((f) => f.path)).toContain('node:fs/promises');
  });
});
