/**
 * The whole job a user runs, folder -> cache: index + decode + resample + log-mel + cache write,
 * through `openSpectrogramDataset` (API) and `spgdataset build` (CLI), numWorkers 0 vs 2, in one run.
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (needs built packages).
 * Options (env): BENCH_FILES (16), BENCH_SECONDS per file (20), BENCH_ROUNDS (3), BENCH_RATES
 * ("16000,22050": one WAV corpus per source rate).
 * Each round starts from an empty cache and index; a first round warms up and is not counted.
 * 'cores busy' = CPU seconds of the process and its threads / wall seconds (API rows only); a
 * speedup below 2 with 'cores busy' below 2 means the machine's cores were taken by other work.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openSpectrogramDataset } from 'spgdataset';

const FILES = Number(process.env.BENCH_FILES ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATES = (process.env.BENCH_RATES ?? '16000,22050').split(',').map(Number);
const cli = fileURLToPath(new URL('../../../packages/spgdataset/dist/cli.js', import.meta.url));

/** 16-bit PCM mono WAV of deterministic noise + chirps. */
function wav(seconds: number, rate: number, seed: number): Uint8Array {
  const n = Math.round(seconds * rate);
  const out = Buffer.alloc(44 + 2 * n);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + 2 * n, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(2 * rate, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(2 * n, 40);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const t = i / rate;
    const x = 0.3 * Math.sin(2 * Math.PI * (200 + 400 * (t % 2)) * t) + 0.1 * ((state >>> 0) / 2 ** 32 - 0.5);
    out.writeInt16LE(Math.round(x * 32767), 44 + 2 * i);
  }
  return out;
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function npyFiles(root: string): Map<string, Buffer> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  return new Map(files.sort().map((f) => [f, readFileSync(join(root, f))]));
}

const same = (a: Map<string, Buffer>, b: Map<string, Buffer>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v));

async function main() {
  const rows: string[][] = [];
  for (const rate of RATES) {
    const audioRoot = mkdtempSync(join(tmpdir(), `spg-build-bench-${rate}-`));
    const scratch = mkdtempSync(join(tmpdir(), 'spg-build-bench-out-'));
    try {
      for (let f = 0; f < FILES; f++)
        writeFileSync(join(audioRoot, `clip-${String(f).padStart(3, '0')}.wav`), wav(SECONDS, rate, f + 1));
      const hours = (FILES * SECONDS) / 3600;
      const runs: { name: string; run: (out: string) => Promise<number | undefined> }[] = [];
      for (const extractor of ['wasm', 'js'] as const)
        for (const numWorkers of [0, 2]) {
          runs.push({
            name: `API dsp-${extractor} numWorkers ${numWorkers}`,
            run: async (out) => {
              await openSpectrogramDataset({
                audioRoot,
                spectrogramsRoot: join(out, 'spg'),
                indexRoot: join(out, 'index'),
                extractor,
                numWorkers,
                logger: { info: () => {}, warn: (m) => console.warn(m) },
              });
              return undefined;
            },
          });
        }
      for (const numWorkers of [0, 2])
        runs.push({
          name: `CLI dsp-wasm --workers ${numWorkers}`,
          run: async (out) => {
            execFileSync(
              process.execPath,
              [
                cli,
                'build',
                audioRoot,
                '--cache',
                join(out, 'spg'),
                '--index',
                join(out, 'index'),
                '--workers',
                String(numWorkers),
              ],
              { stdio: 'ignore' },
            );
            return undefined;
          },
        });
      const outputs = new Map<string, Map<string, Buffer>>();
      for (const { name, run } of runs) {
        const times: number[] = [];
        const busy: number[] = [];
        for (let r = 0; r <= ROUNDS; r++) {
          const out = join(scratch, `${name.replace(/\W+/g, '-')}-${r}`);
          const t0 = performance.now();
          const cpu = process.cpuUsage();
          const childCpu = process.resourceUsage();
          await run(out);
          const wall = (performance.now() - t0) / 1000;
          const children = process.resourceUsage();
          const childSeconds =
            (children.userCPUTime - childCpu.userCPUTime + children.systemCPUTime - childCpu.systemCPUTime) /
            1e6;
          if (r > 0) {
            // Round 0 warms up (JIT, WASM compile, page cache).
            times.push(wall);
            busy.push(
              (cpuSeconds(process.cpuUsage(cpu)) + (name.startsWith('CLI') ? childSeconds : 0)) / wall,
            );
          }
          if (r === ROUNDS) outputs.set(name, npyFiles(join(out, 'spg')));
          rmSync(out, { recursive: true, force: true });
        }
        const t = median(times);
        rows.push([
          `${rate} Hz WAV`,
          name,
          `${(t / hours).toFixed(2)} s/h`,
          `${((hours * 3600) / t).toFixed(0)}x`,
          median(busy).toFixed(2),
        ]);
      }
      // Speedups and the byte-identity of 2 workers to 0.
      const by = (name: string) => rows.find((row) => row[0] === `${rate} Hz WAV` && row[1] === name)!;
      for (const [zero, two] of [
        ['API dsp-wasm numWorkers 0', 'API dsp-wasm numWorkers 2'],
        ['API dsp-js numWorkers 0', 'API dsp-js numWorkers 2'],
        ['CLI dsp-wasm --workers 0', 'CLI dsp-wasm --workers 2'],
      ] as const) {
        const speedup = Number.parseFloat(by(zero)[2]!) / Number.parseFloat(by(two)[2]!);
        by(two).push(
          `${speedup.toFixed(2)}x of 0`,
          same(outputs.get(zero)!, outputs.get(two)!) ? 'identical' : 'DIFFERENT',
        );
        by(zero).push('', '');
      }
    } finally {
      rmSync(audioRoot, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  console.log(
    `\nWhole build bench: ${FILES} mono 16-bit WAVs x ${SECONDS} s -> 16 kHz, 80 mels, normalize; ${ROUNDS} rounds (median) after a warm-up, Node ${process.version}\n`,
  );
  const head = [
    'corpus',
    'run',
    'seconds per hour of audio',
    'x real time',
    'cores busy',
    '2 vs 0',
    '.npy bytes',
  ];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${head.map((_, c) => (row[c] ?? '').padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

await main();
