// Runs conformance cases (from @spgdataset/core/conformance) in headless Chromium and registers one
// vitest test per case with its outcome in the page. Shared by the plugin packages' browser tests;
// they pass in esbuild's `build` and playwright-core's `chromium` (their own dev dependencies).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInChromium,
  type EsbuildPlugin,
  externalizeUnresolvable,
  type HeadlessPage,
  startHeadlessPage,
} from './headless-page';

export { CHROMIUM_PATH } from './headless-page';

interface CaseLike {
  group: string;
  name: string;
  notApplicable?: string;
}
interface ResultLike {
  group: string;
  name: string;
  status: 'passed' | 'failed' | 'not-applicable';
  message?: string;
}
interface PageLike {
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<unknown>;
  goto(url: string): Promise<unknown>;
}
interface BrowserLike {
  newPage(): Promise<PageLike>;
  close(): Promise<void>;
}

export interface ChromiumConformanceOptions {
  /** esbuild's `build`. */
  build(options: Record<string, unknown>): Promise<unknown>;
  /** playwright-core's `chromium`. */
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<BrowserLike> };
  /** The same cases, made in Node: their titles and applicability are what the page must report. */
  nodeCases(): Promise<readonly CaseLike[]>;
  /**
   * The page module: imports, then `const cases = <Promise of ConformanceCase[]>;`. Bare imports
   * resolve from `resolveDir`; `@spgdataset/core` and `@spgdataset/core/conformance` are core's sources.
   */
  page: string;
  /** Directory the page's bare imports resolve from (the package under test). */
  resolveDir: string;
  /** Extra files to serve next to the page: URL path (e.g. `golden/golden.bin`) -> local file. */
  serve: Record<string, string>;
}

const coreSrc = (file: string) => fileURLToPath(new URL(`../packages/core/src/${file}`, import.meta.url));
/** Core from source: one copy for the page and the package under test. */
const coreSourcePlugin: EsbuildPlugin = {
  name: 'core-source',
  setup(build) {
    build.onResolve({ filter: /^@spgdataset\/core(\/conformance)?$/ }, (args: { path: string }) => ({
      path: coreSrc(args.path.endsWith('/conformance') ? 'conformance.ts' : 'index.ts'),
    }));
  },
};

const epilogue = `
import { runConformanceCases as __runConformanceCases } from '@spgdataset/core/conformance';
try {
  await __runConformanceCases(await cases, (result) => globalThis.reportConformance(result));
  await globalThis.conformanceDone(null);
} catch (error) {
  await globalThis.conformanceDone(String((error && error.stack) || error));
}
`;

/**
 * Registers `<title>` with one test per case of `nodeCases()`: the page (bundled with esbuild,
 * served from 127.0.0.1) runs every case in headless Chromium and each test asserts its case passed
 * there. A case the suite marks not applicable must be marked so in the page too, with the same
 * reason. Skips, saying why, when /usr/bin/chromium is absent.
 */
export function describeConformanceInChromium(title: string, options: ChromiumConformanceOptions): void {
  describeInChromium(title, async () => {
    const cases = await options.nodeCases();
    const key = (c: { group: string; name: string }) => `${c.group} > ${c.name}`;
    const results = new Map<string, ResultLike>();
    const pageErrors: string[] = [];
    let dir = '';
    let headless: HeadlessPage<BrowserLike> | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'spg-conformance-page-'));
      await options.build({
        stdin: { contents: options.page + epilogue, resolveDir: options.resolveDir, sourcefile: 'page.js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        outfile: join(dir, 'app.js'),
        logLevel: 'silent',
        plugins: [coreSourcePlugin, externalizeUnresolvable],
      });
      const files: Record<string, string> = { 'app.js': join(dir, 'app.js'), ...options.serve };
      headless = await startHeadlessPage(options.chromium, (path) =>
        files[path] === undefined ? undefined : { body: readFileSync(files[path]) },
      );
      const page = await headless.browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      let finish: (error: string | null) => void = () => {};
      const done = new Promise<string | null>((resolve) => {
        finish = resolve;
      });
      await page.exposeFunction('reportConformance', (result: ResultLike) => {
        results.set(key(result), result);
      });
      await page.exposeFunction('conformanceDone', (error: string | null) => finish(error));
      await page.goto(`${headless.origin}/`);
      const failure = await done;
      if (failure) throw new Error(`the conformance page failed: ${failure}`);
    }, 600_000);

    afterAll(async () => {
      await headless?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('runs every case in the page, with no page errors', () => {
      expect(pageErrors).toEqual([]);
      expect([...results.keys()].sort()).toEqual(cases.map(key).sort());
    });

    for (const c of cases) {
      if (c.notApplicable !== undefined) {
        it(`${key(c)} (not applicable: ${c.notApplicable})`, () => {
          const { group, name, notApplicable } = c;
          expect(results.get(key(c))).toEqual({
            group,
            name,
            status: 'not-applicable',
            message: notApplicable,
          });
        });
      } else {
        it(key(c), () => {
          const result = results.get(key(c));
          expect(result?.status, result?.message ?? 'not reported by the page').toBe('passed');
        });
      }
    }
  });
}
