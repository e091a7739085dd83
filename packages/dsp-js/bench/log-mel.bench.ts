/**
 * dsp-js vs transformers.js (its JS `spectrogram` + `mel_filter_bank`, Whisper's parameters) on the
 * same synthetic speech-like audio, in one run. Run: `pnpm --filter @spgdataset/dsp-js bench`
 * (options: BENCH_SECONDS=120 BENCH_REPEATS=5). On Linux the process pins itself to one core with
 * taskset, so onnxruntime (transformers.js runs the mel matmul through it) also gets one core.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mel_filter_bank, spectrogram, window_function } from '@huggingface/transformers';
import { speechLike } from '../../../scripts/bench-signals.mjs';
import { jsMelExtractor } from '../src/index';

if (process.platform === 'linux' && !process.env.SPG_BENCH_PINNED) {
  const probe = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  if (probe.status === 0) {
    const run = spawnSync(
      'taskset',
      ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, SPG_BENCH_PINNED: '1' },
      },
    );
    process.exit(run.status ?? 1);
  }
}

const sampleRate = 16000;
const seconds = Number(process.env.BENCH_SECONDS ?? 120);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => unknown): Promise<number> {
  const times: number[] = [];
  await run(); // warm-up
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await run();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

const audio = speechLike(seconds * sampleRate, sampleRate);
const frames = Math.floor(audio.length / 160);

const dspJs = jsMelExtractor({ sampleRate, nFft: 400, hopLength: 160, nMels: 80 });
// Whisper's feature extractor in transformers.js: slaney filters 0-8 kHz, hann(400), power 2, log10.
const filters = mel_filter_bank(201, 80, 0, 8000, sampleRate, 'slaney', 'slaney');
const window = window_function(400, 'hann');
const transformers = () =>
  spectrogram(audio, window, 400, 160, {
    power: 2,
    mel_filters: filters,
    log_mel: 'log10',
    max_num_frames: frames,
  });

// Agreement on the same audio: apply Whisper's max - 8 floor and (x + 4) / 4 to transformers.js's log10 mel.
const reference = (await transformers()).data as Float32Array;
let max = Number.NEGATIVE_INFINITY;
for (const v of reference) max = Math.max(max, v);
const ours = dspJs.extract(audio).data;
let agreement = 0;
for (let i = 0; i < ours.length; i++) {
  agreement = Math.max(agreement, Math.abs(ours[i]! - (Math.max(reference[i]!, max - 8) + 4) / 4));
}

const rows = [
  { name: 'dsp-js', seconds: await time(() => dspJs.extract(audio)) },
  { name: 'transformers.js 3 (spectrogram)', seconds: await time(transformers) },
];
const baseline = rows[1]!.seconds;
console.log(
  `log-mel, 16 kHz, nFft 400, hop 160, 80 mels; ${seconds} s of audio, median of ${repeats}` +
    `${process.env.SPG_BENCH_PINNED ? ', pinned to one core (taskset -c 0)' : ''}; node ${process.version}`,
);
console.table(
  rows.map((r) => ({
    extractor: r.name,
    'median s per run': Number(r.seconds.toFixed(4)),
    's per hour of audio': Number(((r.seconds * 3600) / seconds).toFixed(3)),
    'x real time': Math.round(seconds / r.seconds),
    'speed-up vs transformers.js': Number((baseline / r.seconds).toFixed(2)),
  })),
);
console.log(
  `max abs difference dsp-js vs transformers.js (after the max-8 floor and (x+4)/4): ${agreement.toExponential(2)}`,
);
