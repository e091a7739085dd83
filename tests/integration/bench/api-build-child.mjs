// Child process of build.bench.ts: builds a folder with `openSpectrogramDataset` (after a warm-up
// build) and prints what it measured as JSON. Plain JavaScript on purpose: run by plain `node`, its
// worker threads start as a user's do, without the TypeScript loader the bench itself runs under
// (worker threads inherit the parent's loader hooks, which made their start-up several times slower).
// Usage: node api-build-child.mjs <audioRoot> <numWorkers> <scratch> <wasm|js> <rounds> <files>
// with SPG_ROOT = the checkout whose built packages to use.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [audioRoot, workers, scratch, extractor, rounds, files] = process.argv.slice(2);
const numWorkers = Number(workers);
const ROUNDS = Number(rounds);
const FILES = Number(files);
const root = resolve(process.env.SPG_ROOT ?? new URL('../../..', import.meta.url).pathname);
const api = await import(pathToFileURL(join(root, 'packages/spgdataset/dist/index.js')).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
};

/** A digest of every .npy under `dir` (relative path and bytes), to compare configurations. */
function npyDigest(dir) {
  const hash = createHash('sha256');
  const npys = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  for (const f of npys.sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return `${npys.length}:${hash.digest('hex').slice(0, 16)}`;
}

let gcMs = 0;
let majors = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    // NODE_PERFORMANCE_GC_MAJOR (4): a full mark-compact.
    if (entry.detail?.kind === 4) majors++;
  }
});
observer.observe({ entryTypes: ['gc'] });
const runs = [];
let npy = '';
for (let r = 0; r <= ROUNDS; r++) {
  const out = join(scratch, `api-${extractor}-${numWorkers}-${r}`);
  const options = {
    audioRoot,
    extractor,
    spectrogramsRoot: join(out, 'spg'),
    indexRoot: join(out, 'index'),
    numWorkers,
    logger: { info: () => {}, warn: (m) => console.error(m) },
  };
  await new Promise((done) => setTimeout(done, 50)); // let the previous round's GC settle
  gcMs = 0;
  majors = 0;
  const f0 = process.resourceUsage().minorPageFault;
  const c0 = cpu();
  const t0 = performance.now();
  await api.openSpectrogramDataset(options);
  const wall = (performance.now() - t0) / 1000;
  const busy = (cpu() - c0) / wall;
  const faults = (process.resourceUsage().minorPageFault - f0) / FILES;
  await new Promise((done) => setImmediate(done)); // deliver the gc entries
  const gc = { gcMs, majorGcs: majors };
  const reopen = [];
  for (let k = 0; k < 3; k++) {
    const t1 = performance.now();
    await api.openSpectrogramDataset(options);
    reopen.push(performance.now() - t1);
  }
  if (r > 0) runs.push({ seconds: wall, busy, faultsPerFile: faults, ...gc, reopenMs: median(reopen) });
  if (r === ROUNDS) npy = npyDigest(join(out, 'spg'));
  rmSync(out, { recursive: true, force: true });
}
observer.disconnect();
const pick = (f) => median(runs.map(f));
console.log(
  JSON.stringify({
    seconds: pick((m) => m.seconds),
    busy: pick((m) => m.busy),
    faultsPerFile: pick((m) => m.faultsPerFile),
    gcMs: pick((m) => m.gcMs),
    majorGcs: pick((m) => m.majorGcs),
    reopenMs: pick((m) => m.reopenMs),
    npy,
  }),
);
