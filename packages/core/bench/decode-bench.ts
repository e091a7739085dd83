// WAV decode time, old path vs new, in one run.
// Run: pnpm --filter @spgdataset/core exec node --expose-gc --import tsx bench/decode-bench.ts [--rounds N]
// (with --expose-gc every timed run starts after a full GC, so one path's garbage is not billed to the next)
//
// old: what audioDecodeDecoder did before core read PCM itself: the `audio-decode` package (a dev
//      dependency now, for this comparison; its WAV codec is @audio/decode-wav) into one Float32Array
//      per channel, then downmix() as loadWaveform does.
// new: audioDecodeDecoder().decode(bytes, { path }) then downmix(), and with the mono hint
//      ({ channels: 'mono' }, what loadWaveform passes), which averages while converting.
// Inputs are synthetic WAVs built in memory (noise, so no codec shortcut applies). Rounds interleave
// the paths; the table reports medians and the ratio to old. The machine is shared: indicative only.
import { performance } from 'node:perf_hooks';
import decodeAudio from 'audio-decode';
import { audioDecodeDecoder, downmix } from '../src/index';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const ROUNDS = flag('rounds', 5);

function wav(seconds: number, rate: number, channels: number, bits: number): Uint8Array {
  const bytesPerSample = bits / 8;
  const dataBytes = seconds * rate * channels * bytesPerSample;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bits, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  let seed = 12345;
  for (let i = 44; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = seed >>> 24;
  }
  return out;
}

const decoder = audioDecodeDecoder();
const paths: Record<string, (bytes: Uint8Array) => Promise<Float32Array>> = {
  old: async (bytes) => downmix((await decodeAudio(bytes)).channelData),
  'new, no hint': async (bytes) => downmix((await decoder.decode(bytes, { path: 'bench.wav' })).channelData),
  'new, mono hint': async (bytes) =>
    downmix((await decoder.decode(bytes, { path: 'bench.wav', channels: 'mono' })).channelData),
};

const cases: [string, Uint8Array][] = [
  ['1 h, 16 kHz, mono, 16-bit', wav(3600, 16000, 1, 16)],
  ['10 min, 44.1 kHz, stereo, 16-bit', wav(600, 44100, 2, 16)],
  ['10 min, 48 kHz, stereo, 24-bit', wav(600, 48000, 2, 24)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`WAV decode to mono, median of ${ROUNDS} rounds (ms); machine shared, indicative only\n`);
console.log('| input | MB | path | ms | vs old |');
console.log('| --- | ---: | --- | ---: | ---: |');
for (const [name, bytes] of cases) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (const run of Object.values(paths)) await run(bytes); // warm-up: JIT and codec loading
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, run] of Object.entries(paths)) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      const mono = await run(bytes);
      times[label]!.push(performance.now() - start);
      if (mono.length === 0) throw new Error('decoded nothing');
    }
  }
  const old = median(times.old!);
  for (const label of Object.keys(paths)) {
    const ms = median(times[label]!);
    const mb = (bytes.length / 2 ** 20).toFixed(0);
    console.log(`| ${name} | ${mb} | ${label} | ${ms.toFixed(0)} | ${(ms / old).toFixed(2)} |`);
  }
}
