/**
 * The whole job a user runs, folder -> cache: index + decode + resample + log-mel + cache write,
 * through `openSpectrogramDataset` (API) and `spgdataset build` (CLI), numWorkers 0 (one core) vs 2
 * (two cores), with dsp-wasm (and dsp-js on the WAV corpus), on one hour of audio per corpus: 16 kHz 16-bit WAV, and 44.1 kHz FLAC and MP3 made
 * from a 44.1 kHz WAV corpus with ffmpeg. The compressed corpora are compared with ffmpeg decoding
 * and resampling the same files (`ffmpeg -i F -ar 16000 -f f32le /dev/null`, one core) plus the
 * 16 kHz build.
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (needs built packages).
 * Env: BENCH_FILES (180) x BENCH_SECONDS (20), BENCH_ROUNDS (3 timed builds after a warm-up, median),
 * BENCH_CORPORA ("wav16k,flac44k,mp3-44k"), BENCH_BASELINE=<another checkout, built> adds its
 * numbers side by side (e.g. the main branch before a change).
 *
 * Every configuration runs in its own process, pinned with taskset to one core (numWorkers 0) or
 * two (numWorkers 2). API rows time `openSpectrogramDataset` in that process; CLI rows time the
 * whole `spgdataset build` process (start, imports, build) with GNU time. 'cores busy' = CPU
 * seconds of the process and its threads / wall seconds: a speed-up below 2 with 'cores busy'
 * below 2 means the cores were taken by other work. 'faults/file' = minor page faults per file;
 * 'GC' = main-thread garbage collection per build (ms, full collections). 'warm re-open' = opening
 * the built dataset again in the same process. The machine control (wav16k) runs two independent
 * one-core builds at once, one per core: their speed-up over one alone is this machine's two-core ceiling.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { importBuilt, loadLine, median, repoRoot, table, writeWavCorpus } from './bench-kit';

const FILES = Number(process.env.BENCH_FILES ?? 180);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CORPORA = (process.env.BENCH_CORPORA ?? 'wav16k,flac44k,mp3-44k').split(',');
const HOURS = (FILES * SECONDS) / 3600;

/** What one configuration measured (medians over its timed builds). */
interface Measured {
  seconds: number;
  busy: number;
  faultsPerFile: number;
  gcMs?: number;
  majorGcs?: number;
  reopenMs?: number;
  npy?: string;
  repaired?: number;
}

/** A digest of every .npy under `root` (relative path and bytes), to compare configurations. */
function npyDigest(root: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  for (const f of files.sort()) hash.update(f).update(readFileSync(join(root, f)));
  return `${files.length}:${hash.digest('hex').slice(0, 16)}`;
}

/** The CLI build as a whole process (GNU time: wall, CPU of the process and its threads, faults). */
function cliRun(
  root: string,
  audioRoot: string,
  numWorkers: number,
  scratch: string,
  cpus: string,
): Measured {
  const cli = join(root, 'packages/spgdataset/dist/cli.js');
  const runs: Measured[] = [];
  let npy = '';
  for (let r = 0; r <= ROUNDS; r++) {
    const out = join(scratch, `cli-${numWorkers}-${r}`);
    const args = [cli, 'build', audioRoot, '--cache', join(out, 'spg'), '--index', join(out, 'index')];
    args.push('--workers', String(numWorkers));
    const timed = spawnSync(
      'taskset',
      ['-c', cpus, '/usr/bin/time', '-f', 'TIME %e %U %S %R', process.execPath, ...args],
      {
        encoding: 'utf8',
      },
    );
    if (timed.status !== 0) throw new Error(`spgdataset build failed: ${timed.stderr}`);
    const [wall, user, sys, faults] = /TIME (\S+) (\S+) (\S+) (\S+)/
      .exec(timed.stderr)!
      .slice(1)
      .map(Number) as [number, number, number, number];
    if (r > 0) runs.push({ seconds: wall, busy: (user + sys) / wall, faultsPerFile: faults / FILES });
    if (r === ROUNDS) npy = npyDigest(join(out, 'spg'));
    rmSync(out, { recursive: true, force: true });
  }
  return {
    seconds: median(runs.map((m) => m.seconds)),
    busy: median(runs.map((m) => m.busy)),
    faultsPerFile: median(runs.map((m) => m.faultsPerFile)),
    npy,
  };
}

/** Seconds ffmpeg takes to decode and resample every file to 16 kHz float32 (one core, per file). */
function ffmpegSeconds(audioRoot: string): number {
  const files = readdirSync(audioRoot).filter((f) => !f.endsWith('.json'));
  const t0 = performance.now();
  for (const f of files) {
    execFileSync('taskset', [
      '-c',
      '0',
      'ffmpeg',
      '-v',
      'error',
      '-threads',
      '1',
      '-i',
      join(audioRoot, f),
      '-ar',
      '16000',
      '-f',
      'f32le',
      '-y',
      '/dev/null',
    ]);
  }
  return (performance.now() - t0) / 1000;
}

/**
 * Milliseconds the build's resampler (dsp-wasm's where the packages have one, else core's sinc)
 * takes on every file of a corpus (decoded beforehand): its share of a build.
 */
async function resampleMs(audioRoot: string): Promise<number> {
  const core = await importBuilt<typeof import('@spgdataset/core')>('core');
  const wasm = await importBuilt<{
    wasmResampler?: (o: object) => Promise<import('@spgdataset/core').Resampler>;
  }>('dsp-wasm', 'dist/node.js');
  const decoder = core.audioDecodeDecoder();
  const resampler = wasm.wasmResampler ? await wasm.wasmResampler({}) : core.sincResampler();
  let total = 0;
  for (const f of readdirSync(audioRoot).sort()) {
    const bytes = new Uint8Array(readFileSync(join(audioRoot, f)));
    const { channelData, sampleRate } = await decoder.decode(bytes, { path: f, channels: 'mono' });
    const mono = core.downmix(channelData);
    const t0 = performance.now();
    resampler.resample(mono, sampleRate, 16000);
    total += performance.now() - t0;
  }
  return total;
}

/**
 * The command of a child: API builds run bench/api-build-child.mjs with plain node (no TypeScript
 * loader, which worker threads would inherit); the resampling measure runs this file in child mode.
 */
function childCommand(args: string[]): string[] {
  const [mode, audioRoot, workers, scratch, extractor] = args;
  if (mode === 'api') {
    const script = fileURLToPath(new URL('./api-build-child.mjs', import.meta.url));
    return [
      process.execPath,
      script,
      audioRoot!,
      workers!,
      scratch!,
      extractor ?? 'wasm',
      String(ROUNDS),
      String(FILES),
    ];
  }
  return [process.execPath, ...process.execArgv, process.argv[1]!, '--child', ...args];
}

/** Runs a child (see `childCommand`) against `root` with taskset `cpus`; resolves to what it printed. */
function child<T>(root: string, cpus: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const run = spawn('taskset', ['-c', cpus, ...childCommand(args)], {
      env: { ...process.env, SPG_ROOT: root },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    run.on('error', reject);
    run.on('close', (code) => {
      if (code !== 0) reject(new Error(`bench child ${args.join(' ')} against ${root} failed`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
    });
  });
}

/**
 * The machine's own two-core ceiling: two independent one-core builds at once, one pinned to each
 * core, against one alone. With no shared work at all, their speed-up is what two workers could
 * reach at best on this machine (shared caches, memory bandwidth, a busy neighbour).
 */
async function twoCoreControl(audioRoot: string, base: string, alone: number): Promise<string> {
  const pair = await Promise.all(
    ['0', '1'].map((cpu) => {
      const scratch = join(base, `control-${cpu}`);
      mkdirSync(scratch, { recursive: true });
      return child<Measured>(repoRoot, cpu, ['api', audioRoot, '0', scratch]);
    }),
  );
  const together = Math.max(...pair.map((p) => p.seconds));
  return (
    `machine control: two independent numWorkers 0 builds at once (one per core) take ${(together / HOURS).toFixed(2)} s/h each ` +
    `vs ${(alone / HOURS).toFixed(2)} alone = ${((2 * alone) / together).toFixed(2)}x of one core: the most 2 workers can reach here`
  );
}

/** Writes the corpora (WAV at 16 kHz; FLAC and MP3 at 44.1 kHz through ffmpeg). */
function makeCorpora(base: string): Record<string, string> {
  const roots: Record<string, string> = {};
  if (CORPORA.includes('wav16k')) {
    roots.wav16k = join(base, 'wav16k');
    writeWavCorpus(roots.wav16k, FILES, SECONDS, 16000);
  }
  const compressed = CORPORA.filter((c) => c !== 'wav16k');
  if (compressed.length) {
    const source = join(base, 'wav44k');
    const names = writeWavCorpus(source, FILES, SECONDS, 44100);
    for (const corpus of compressed) {
      const [ext, args] = corpus.startsWith('flac')
        ? ['flac', ['-c:a', 'flac']]
        : ['mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']];
      const root = join(base, corpus);
      mkdirSync(root, { recursive: true });
      for (const name of names)
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-i',
          join(source, name),
          ...args,
          '-y',
          join(root, name.replace(/\.wav$/, `.${ext}`)),
        ]);
      roots[corpus] = root;
    }
    rmSync(source, { recursive: true, force: true });
  }
  return roots;
}

interface Row {
  corpus: string;
  run: string;
  now: Measured;
  before?: Measured;
}

async function main() {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [, audioRoot] = process.argv.slice(at + 1);
    console.log(JSON.stringify({ ms: await resampleMs(audioRoot!) }));
    return;
  }
  const baseline = process.env.BENCH_BASELINE;
  if (!existsSync(join(repoRoot, 'packages/spgdataset/dist/cli.js')))
    throw new Error('build the packages first (pnpm build)');
  const base = mkdtempSync(join(tmpdir(), 'spg-build-bench-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const corpora = makeCorpora(base);
    for (const [corpus, audioRoot] of Object.entries(corpora)) {
      const configs = [
        {
          run: 'API numWorkers 0',
          cpus: '0',
          measure: (root: string): Promise<Measured> | Measured =>
            child<Measured>(root, '0', ['api', audioRoot, '0', base]),
        },
        {
          run: 'API numWorkers 2',
          cpus: '0,1',
          measure: (root: string): Promise<Measured> | Measured =>
            child<Measured>(root, '0,1', ['api', audioRoot, '2', base]),
        },
        {
          run: 'CLI --workers 0',
          cpus: '0',
          measure: (root: string) => cliRun(root, audioRoot, 0, base, '0'),
        },
        {
          run: 'CLI --workers 2',
          cpus: '0,1',
          measure: (root: string) => cliRun(root, audioRoot, 2, base, '0,1'),
        },
      ];
      if (corpus === 'wav16k')
        for (const workers of ['0', '2'])
          configs.push({
            run: `API dsp-js numWorkers ${workers}`,
            cpus: workers === '0' ? '0' : '0,1',
            measure: (root: string) =>
              child<Measured>(root, workers === '0' ? '0' : '0,1', ['api', audioRoot, workers, base, 'js']),
          });
      for (const config of configs) {
        const now = await config.measure(repoRoot);
        const before = baseline ? await config.measure(baseline) : undefined;
        rows.push({ corpus, run: config.run, now, before });
      }
      const zero = (run: string) => rows.find((r) => r.corpus === corpus && r.run === run)!;
      if (corpus === 'wav16k')
        notes.push(await twoCoreControl(audioRoot, base, zero('API numWorkers 0').now.seconds));
      const kinds = corpus === 'wav16k' ? ['API', 'CLI', 'API dsp-js'] : ['API', 'CLI'];
      for (const kind of kinds) {
        const flag = kind === 'CLI' ? '--workers' : 'numWorkers';
        const z = zero(`${kind} ${flag} 0`);
        const two = zero(`${kind} ${flag} 2`);
        notes.push(
          `${corpus} ${kind}: 2 workers ${(z.now.seconds / two.now.seconds).toFixed(2)}x of 0${two.before && z.before ? ` (before ${(z.before.seconds / two.before.seconds).toFixed(2)}x)` : ''}; entries ${z.now.npy === two.now.npy ? 'identical' : 'DIFFERENT'}`,
        );
      }
      if (corpus !== 'wav16k') {
        const ff = ffmpegSeconds(audioRoot);
        const wav = rows.find((r) => r.corpus === 'wav16k' && r.run === 'API numWorkers 0');
        const ours = zero('API numWorkers 0').now.seconds;
        const resample =
          (await child<{ ms: number }>(repoRoot, '0', ['resample', audioRoot, '0', base])).ms / 1000;
        notes.push(
          `${corpus}: ffmpeg -i F -ar 16000 -f f32le /dev/null over the files ${(ff / HOURS).toFixed(2)} s/h` +
            (wav
              ? `; goal <= 1.5 x (ffmpeg + 16 kHz build) = ${((1.5 * (ff + wav.now.seconds)) / HOURS).toFixed(2)} s/h, API numWorkers 0 ${(ours / HOURS).toFixed(2)} s/h = ${(ours / (ff + wav.now.seconds)).toFixed(2)}x`
              : '') +
            `; resampling 44.1 -> 16 kHz alone (the build's resampler) ${(resample / HOURS).toFixed(2)} s/h = ${((100 * resample) / ours).toFixed(0)}% of that build`,
        );
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const head = [
    'corpus',
    'run',
    's per hour',
    'x real time',
    'cores busy',
    'faults/file',
    'GC ms (full)',
    'warm re-open ms',
  ];
  if (baseline) head.push('before: s/h', 'before: faults/file', 'before: GC ms (full)', 'before: re-open ms');
  const fmt = (m: Measured | undefined) => ({
    sh: m ? (m.seconds / HOURS).toFixed(2) : '-',
    faults: m ? m.faultsPerFile.toFixed(0) : '-',
    gc: m?.gcMs === undefined ? '' : `${m.gcMs.toFixed(0)} (${m.majorGcs})`,
    reopen: m?.reopenMs === undefined ? '' : m.reopenMs.toFixed(0),
  });
  const cells = rows.map((row) => {
    const now = fmt(row.now);
    const out = [
      row.corpus,
      row.run,
      now.sh,
      `${Math.round((HOURS * 3600) / row.now.seconds)}x`,
      row.now.busy.toFixed(2),
      now.faults,
      now.gc,
      now.reopen,
    ];
    if (baseline) {
      const old = fmt(row.before);
      out.push(old.sh, old.faults, old.gc, old.reopen);
    }
    return out;
  });
  console.log(
    `\nWhole build bench: ${FILES} files x ${SECONDS} s = ${HOURS.toFixed(2)} h per corpus -> 16 kHz, 80 mels, normalize; median of ${ROUNDS} builds after a warm-up, Node ${process.version}; packages from ${repoRoot}${baseline ? `; before = ${baseline}` : ''}\n`,
  );
  console.log(table(head, cells));
  console.log(`\n${notes.join('\n')}\n${loadLine()}`);
}

await main();
