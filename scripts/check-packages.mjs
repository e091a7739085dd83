// Package hygiene for every public package, on the tarballs `pnpm pack` makes: publint, attw at its
// default settings (node10, node16 CJS and ESM, bundler), the metadata npm shows and the LICENSE,
// and a size budget per package (printed as a table of packed and unpacked sizes). Installing and
// running the tarballs is tests/consumers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packAll, publicPackages } from './pack-all.mjs';
import { relativeLinks } from './readme-links.mjs';

/**
 * Unpacked bytes each package may ship: the size measured on 2026-12-02 (golden fixtures in their
 * own package, no source maps) plus about 15%. Core ships ESM and CJS for five entries; CJS builds
 * cannot share chunks, so code used by several entries is there more than once. Raise a budget
 * only with the reason in the commit message.
 */
const UNPACKED_BUDGET = {
  // 1442 kB with streaming decode, generation and window reads for long recordings (2026-12-02);
  // 1653 kB with frame pieces of long PCM files on idle threads, the calling thread generating while
  // workers start, and the extractor piece conformance cases (2026-12-02, later session).
  '@spgdataset/core': 1_750_000,
  // 58.2 kB with its streaming log-mel (stream(), shared finish) (2026-12-02).
  '@spgdataset/dsp-js': 67_000,
  // dsp.wasm twice: the file, and as base64 for bundlers that do not emit it (loaded only then).
  // 515 kB on 2026-12-02 with the streaming log-mel ABI (long recordings) and the lane polyphase resampler.
  '@spgdataset/dsp-wasm': 570_000,
  // 41.1 kB with peek(), sync(), its own writev writer and the durability contract; 76.9 kB with the
  // streaming entry writer (spill file, passes, float16 conversion), window reads over kept-open
  // entries and their README section (2026-12-02); 92.3 kB with writes behind and reads ahead of
  // spilled entries (2026-12-02, later session).
  '@spgdataset/cache-fs': 96_000,
  '@spgdataset/router': 61_000,
  '@spgdataset/golden-fixtures': 8_600_000,
  '@spgdataset/scheduler-bullmq': 105_000,
  // 189.5 kB on 2026-12-02 after its README became complete on npm (35.7 kB: worked example,
  // metadata.json format, every error code), plus 15%.
  spgdataset: 218_000,
};

/** What `npm i spgdataset` may download of our own packages (packed bytes, all of them together). */
const INSTALL_BUDGET = 1_000_000;

/**
 * Export subpaths attw cannot check: `./dsp.wasm` is a WebAssembly file, not a module, so no
 * resolution mode gives it types. It is exported for bundlers and for `require.resolve`.
 */
const ASSET_SUBPATH = /\.wasm$/;

/**
 * Typed arrays written as generics (`Uint16Array<ArrayBuffer>`) in shipped declarations: TypeScript
 * before 5.7 says "Type 'Uint16Array' is not generic" (tests/consumers checks every version; this
 * names the file in seconds).
 */
function genericTypedArrays(files) {
  const generic =
    /\b(?:Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array</;
  return files
    .filter((f) => /\.d\.c?ts$/.test(f.name) && generic.test(f.data.toString('utf8')))
    .map((f) => `${f.name} writes a typed array as a generic (breaks TypeScript < 5.7)`);
}

/** Problems of the packed README: missing, or a link that does not resolve on npm (it shows the README alone). */
function readmeProblems(files) {
  const readme = files.find((f) => f.name === 'package/README.md');
  if (!readme) return ['the tarball has no README.md'];
  return relativeLinks(readme.data.toString('utf8')).map(
    (link) =>
      `README.md links to "${link}", which does not resolve on npm (use https://github.com/spgdataset/spgdataset-ts/blob/main/<path>)`,
  );
}

/** The regular files of a .tgz: `{ name, data }` (ustar headers: name at 0, octal size at 124). */
function tarFiles(tarball) {
  const tar = gunzipSync(readFileSync(tarball));
  const files = [];
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const field = (from, to) => tar.toString('latin1', at + from, at + to).replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 136).trim() || '0', 8);
    const type = tar[at + 156];
    if (type === 0x30 || type === 0) {
      const prefix = field(345, 500);
      files.push({
        name: prefix ? `${prefix}/${field(0, 100)}` : field(0, 100),
        data: tar.subarray(at + 512, at + 512 + size),
      });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** What every package.json must say (npm shows these; `repository` and `license` already existed). */
const METADATA = ['description', 'keywords', 'homepage', 'bugs', 'author', 'repository', 'license'];
const license = readFileSync('LICENSE');

/** Problems with a package's metadata and LICENSE (in its folder and in its tarball). */
function metadataProblems(pkg, files) {
  const problems = METADATA.filter((field) => !pkg[field] || pkg[field].length === 0).map((f) => `no "${f}"`);
  if (pkg.license !== 'MIT') problems.push(`license is ${pkg.license}, not MIT`);
  const packed = files.find((f) => f.name === 'package/LICENSE');
  if (!packed) problems.push('the tarball has no LICENSE (add it to "files")');
  else if (!license.equals(packed.data)) problems.push('its LICENSE differs from the root LICENSE');
  return problems;
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const scratch = mkdtempSync(join(tmpdir(), 'spg-packages-'));
let failed = false;
try {
  const tarballs = packAll(scratch);
  for (const { dir, name, pkg } of publicPackages()) {
    const label = name.padEnd(22);
    try {
      run('pnpm', ['exec', 'publint', '--strict'], dir);
      const assets = Object.keys(pkg.exports ?? {}).filter((sub) => ASSET_SUBPATH.test(sub));
      const exclude = assets.length ? ['--exclude-entrypoints', ...assets] : [];
      run('pnpm', ['exec', 'attw', tarballs[name], ...exclude], dir);
      const files = tarFiles(tarballs[name]);
      const problems = [
        ...metadataProblems(pkg, files),
        ...genericTypedArrays(files),
        ...readmeProblems(files),
      ];
      if (problems.length)
        throw new Error(`package.json / LICENSE / declarations / README: ${problems.join('; ')}`);
      console.log(
        `${label} publint ok, attw ok, metadata + LICENSE + README links ok${assets.length ? ` (not a module: ${assets.join(', ')})` : ''}`,
      );
    } catch (error) {
      failed = true;
      console.error(`${label} FAILED\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    }
  }

  console.log('\n| package | packed | unpacked | budget (unpacked) |\n|---|---:|---:|---:|');
  const over = [];
  for (const { name } of publicPackages()) {
    const packed = statSync(tarballs[name]).size;
    const unpacked = tarFiles(tarballs[name]).reduce((sum, f) => sum + f.data.length, 0);
    const budget = UNPACKED_BUDGET[name];
    const verdict =
      budget === undefined ? 'no budget' : unpacked <= budget ? kB(budget) : `${kB(budget)} EXCEEDED`;
    console.log(`| ${name} | ${kB(packed)} | ${kB(unpacked)} | ${verdict} |`);
    if (budget === undefined) over.push(`${name}: add an unpacked-size budget to scripts/check-packages.mjs`);
    else if (unpacked > budget) {
      const biggest = tarFiles(tarballs[name])
        .sort((a, b) => b.data.length - a.data.length)
        .slice(0, 3)
        .map((f) => `${f.name} ${kB(f.data.length)}`);
      over.push(
        `${name}: ${kB(unpacked)} unpacked, over its ${kB(budget)} budget; largest files: ${biggest.join(', ')}`,
      );
    }
  }
  // `npm i spgdataset` downloads the umbrella and every package of ours it depends on, transitively.
  const byName = new Map(publicPackages().map((p) => [p.name, p]));
  const installed = new Set();
  const visit = (name) => {
    if (installed.has(name) || !byName.has(name)) return;
    installed.add(name);
    for (const dep of Object.keys(byName.get(name).pkg.dependencies ?? {})) visit(dep);
  };
  visit('spgdataset');
  const download = [...installed].reduce((sum, name) => sum + statSync(tarballs[name]).size, 0);
  console.log(
    `\nnpm i spgdataset downloads ${kB(download)} of our packages (${installed.size}: ${[...installed].join(', ')}); budget ${kB(INSTALL_BUDGET)}`,
  );
  if (download > INSTALL_BUDGET)
    over.push(`npm i spgdataset: ${kB(download)} packed, over ${kB(INSTALL_BUDGET)}`);
  if (over.length) {
    failed = true;
    console.error(`\n${over.join('\n')}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
