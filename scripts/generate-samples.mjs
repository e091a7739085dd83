// Generates the bundled sample data under samples/ (committed; re-run only to change it).
// WAV masters are written here; FLAC, MP3 and OGG copies need the `flac`, `lame` and `oggenc`
// command-line encoders (Debian: apt-get install flac lame vorbis-tools).
//
// samples/basic: a small dataset with metadata.json (lengths and intervals in samples at 16 kHz).
// samples/formats: one tone burst (onset at exactly 0.5 s) in WAV, FLAC, MP3 and OGG, for timing tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
const TARGET_RATE = 16000;

/** Deterministic noise in [-1, 1) (mulberry32), so regenerating gives identical files. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** 16-bit PCM WAV of interleaved channels. */
function wav(channels, rate) {
  const n = channels[0].length;
  const c = channels.length;
  const buf = Buffer.alloc(44 + n * c * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * c * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(c, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * c * 2, 28);
  buf.writeUInt16LE(c * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * c * 2, 40);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const v = Math.max(-1, Math.min(1, channels[ch][i]));
      buf.writeInt16LE(Math.round(v * 32767), 44 + (i * c + ch) * 2);
    }
  }
  return buf;
}

/** Tone bursts (seconds, half-open) of `freqs` (summed partials), silence elsewhere, 5 ms ramps. */
function bursts(rate, seconds, spans, freqs, amplitude = 0.4) {
  const x = new Float32Array(Math.round(rate * seconds));
  const ramp = Math.round(0.005 * rate);
  for (const [a, b] of spans) {
    const s = Math.round(a * rate);
    const e = Math.round(b * rate);
    for (let i = s; i < e; i++) {
      const env = Math.min(1, (i - s + 1) / ramp, (e - i) / ramp);
      let v = 0;
      for (const [k, f] of freqs.entries()) v += Math.sin((2 * Math.PI * f * i) / rate) / (k + 1);
      x[i] = (amplitude * env * v) / freqs.length;
    }
  }
  return x;
}

function noise(rate, seconds, amplitude, seed) {
  const r = rng(seed);
  return Float32Array.from({ length: Math.round(rate * seconds) }, () => amplitude * r());
}

function chirp(rate, seconds, f0, f1, amplitude) {
  const n = Math.round(rate * seconds);
  const k = (f1 - f0) / seconds;
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / rate;
    return amplitude * Math.sin(2 * Math.PI * (f0 * t + (k * t * t) / 2));
  });
}

const at16k = (sec) => Math.round(sec * TARGET_RATE);
const spansToIntervals = (spans) => spans.map(([a, b]) => [at16k(a), at16k(b)]);

function encode(wavPath, out) {
  if (out.endsWith('.flac')) execFileSync('flac', ['--silent', '--force', '-o', out, wavPath]);
  else if (out.endsWith('.mp3')) execFileSync('lame', ['--quiet', '-b', '128', wavPath, out]);
  else if (out.endsWith('.ogg')) execFileSync('oggenc', ['--quiet', '-q', '4', '-o', out, wavPath]);
  else throw new Error(`no encoder for ${out}`);
}

function write(dir, rel, channels, rate) {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  if (rel.endsWith('.wav')) {
    writeFileSync(path, wav(channels, rate));
    return;
  }
  const tmp = `${path}.master.wav`;
  writeFileSync(tmp, wav(channels, rate));
  try {
    encode(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function basic() {
  const dir = join(root, 'basic');
  rmSync(dir, { recursive: true, force: true });
  const files = [
    {
      rel: 'speech/f01_tones.wav',
      rate: 16000,
      sec: 4,
      spans: [
        [0.5, 1.3],
        [2.0, 3.2],
      ],
      freqs: [440, 880, 1320],
      meta: { gender: 'f', speaker: 's1', kind: 'speech' },
    },
    {
      rel: 'speech/m01_tones.flac',
      rate: 22050,
      sec: 3.5,
      spans: [
        [0.25, 1.5],
        [2.1, 3.3],
      ],
      freqs: [220, 440, 660, 880],
      meta: { gender: 'm', speaker: 's2', kind: 'speech' },
    },
    {
      rel: 'speech/f02_tones.mp3',
      rate: 44100,
      sec: 3,
      spans: [[0.4, 2.2]],
      freqs: [523.25, 1046.5],
      stereo: true,
      omitLength: true,
      meta: { gender: 'f', speaker: 's3', kind: 'speech' },
    },
    {
      rel: 'speech/m02_tones.ogg',
      rate: 48000,
      sec: 3,
      spans: [
        [0.1, 0.9],
        [1.6, 2.8],
      ],
      freqs: [330, 660, 990],
      meta: { gender: 'm', speaker: 's4', kind: 'speech' },
    },
    {
      rel: 'speech/f01_gaps.wav',
      rate: 16000,
      sec: 6,
      spans: [
        [0.3, 0.8],
        [1.5, 1.9],
        [2.6, 3.9],
        [4.5, 5.7],
      ],
      freqs: [600, 1200],
      meta: { gender: 'f', speaker: 's1', kind: 'speech' },
    },
  ];
  const metadata = {};
  for (const f of files) {
    const mono = bursts(f.rate, f.sec, f.spans, f.freqs);
    const channels = f.stereo ? [mono, mono.map((v) => v * 0.5)] : [mono];
    write(dir, f.rel, channels, f.rate);
    metadata[f.rel] = {
      ...(f.omitLength ? {} : { length: at16k(f.sec) }),
      intervals: { speech: spansToIntervals(f.spans), noise: [] },
      metadata: f.meta,
    };
  }
  write(dir, 'noise/white.wav', [noise(16000, 2.5, 0.1, 7)], 16000);
  metadata['noise/white.wav'] = {
    length: at16k(2.5),
    intervals: { speech: [], noise: [[0, at16k(2.5)]] },
    metadata: { gender: 'none', speaker: 'n1', kind: 'noise' },
  };
  write(dir, 'noise/chirp.wav', [chirp(16000, 2, 100, 7000, 0.3)], 16000);
  metadata['noise/chirp.wav'] = {
    length: at16k(2),
    intervals: { speech: [], noise: [[0, at16k(2)]] },
    metadata: { gender: 'none', speaker: 'n2', kind: 'noise' },
  };
  write(dir, 'noise/short_quiet.wav', [noise(16000, 1, 1e-4, 11)], 16000);
  metadata['noise/short_quiet.wav'] = {
    length: at16k(1),
    intervals: { speech: [], noise: [[0, at16k(1)]] },
    metadata: { gender: 'none', speaker: 'n3', kind: 'noise' },
  };
  writeFileSync(
    join(dir, 'README.txt'),
    'Sample data generated by scripts/generate-samples.mjs. Not audio: skipped by the scan.\n',
  );
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
}

function formats() {
  const dir = join(root, 'formats');
  rmSync(dir, { recursive: true, force: true });
  const rate = 44100;
  const x = bursts(rate, 2, [[0.5, 1.5]], [1000], 0.5);
  // A hard onset (no ramp) so the first non-silent sample is exact.
  const onset = Math.round(0.5 * rate);
  for (let i = onset; i < onset + Math.round(0.005 * rate); i++)
    x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate);
  for (const ext of ['wav', 'flac', 'mp3', 'ogg']) write(dir, `burst.${ext}`, [x], rate);
  writeFileSync(
    join(dir, 'README.txt'),
    `burst.*: 2 s, ${rate} Hz mono, 1 kHz tone from sample ${onset} (0.5 s) to 1.5 s.\n`,
  );
}

basic();
formats();
console.log(`samples written to ${root}`);
