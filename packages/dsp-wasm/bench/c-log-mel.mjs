// Compiles c-logmel.c against Debian's float32 FFTW (apt-get install libfftw3-dev) and times it on
// the same audio: the C floor dsp-wasm is compared with. Skipped (with the reason) when gcc or
// libfftw3f are missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('./c-logmel.c', import.meta.url));
/** 128-bit SIMD at most in our loops (no AVX), vector logf from glibc, as fast as gcc makes it. */
export const C_FLAGS = ['-O3', '-ffast-math', '-msse4.2', '-mno-avx'];

/**
 * Compiles the C program and writes `audio` for it. Returns `{ run(repeats, withOutput, output), dispose() }`,
 * where `run` resolves to the median seconds (wall and CPU) and page faults of `repeats` timed runs
 * (after one warm-up run) of the C + FFTW log-mel, its output (for an agreement check) and FFTW's
 * plan; or `{ skipped: reason }`.
 * Runs go through one small shell started here, before the caller allocates its large arrays:
 * each spawn from Node forks the whole process, and the copy-on-write faults of that fork would
 * land on the caller's next write to its own memory (the next timed dsp-wasm call).
 */
export function prepareC(audio, params) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-c-bench-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const binary = join(dir, 'c-logmel');
  const compiled = spawnSync('gcc', [...C_FLAGS, '-o', binary, source, '-lfftw3f', '-lm'], {
    encoding: 'utf8',
  });
  if (compiled.error || compiled.status !== 0) {
    dispose();
    return {
      skipped: compiled.error
        ? `gcc: ${compiled.error.message}`
        : `gcc failed (libfftw3-dev installed?): ${compiled.stderr.trim().split('\n')[0]}`,
    };
  }
  const input = join(dir, 'audio.f32');
  const output = join(dir, 'out.f32');
  writeFileSync(input, new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
  // A shell that runs the binary once per line it reads ("<repeats> <output mode>"), and prints its output line.
  const loop =
    'while read -r n mode; do "$0" "$1" "$2" "$n" "$3" "$4" "$5" "$6" "$mode" || echo failed; done';
  const shell = spawn(
    'sh',
    [
      '-c',
      loop,
      binary,
      input,
      output,
      ...[params.sampleRate, params.nFft, params.hopLength, params.nMels].map(String),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: shell.stdout })[Symbol.asyncIterator]();
  return {
    dispose() {
      shell.stdin.end();
      dispose();
    },
    /**
     * `withOutput`: also read the output file (19 MB for 600 s: a large allocation in the caller).
     * `outputMode`: 'reuse' (one output array for all runs), 'malloc' (malloc/free per run) or 'mmap'
     * (fresh pages per run); see c-logmel.c.
     */
    async run(repeats, withOutput = true, outputMode = 'reuse') {
      shell.stdin.write(`${repeats} ${outputMode}\n`);
      const { value: line } = await lines.next();
      if (!line || line === 'failed') throw new Error('c-logmel failed');
      const [seconds, cpuSeconds, frames, faults, ...plan] = line.trim().split(' ');
      const bytes = withOutput ? readFileSync(output) : undefined;
      return {
        seconds: Number(seconds),
        cpuSeconds: Number(cpuSeconds),
        frames: Number(frames),
        faults: Number(faults),
        plan: plan.join(' ').replace(/\s+/g, ' '),
        output: bytes && new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4),
      };
    },
  };
}
