// Tiny in-memory plugins for the dataset tests: a map of files, a raw-float32 decoder, an identity
// resampler, a self-contained STFT-energy extractor, a map-backed cache and index store. Each counts
// its calls so tests can assert what was (not) recomputed.
import type {
  AudioDecoder,
  AudioSource,
  CacheKey,
  DatasetParts,
  IndexStore,
  Json,
  Logger,
  MelExtractor,
  MelOptions,
  Resampler,
  SpectrogramCache,
  Tensor,
} from '../src/index';
import { fingerprint, melFeatures, resolveMelParams } from '../src/index';

/** Encodes mono float32 samples as the fake decoder's format: uint32 sample rate, then float32 LE. */
export function encodeRaw(samples: Float32Array, sampleRate = 16000): Uint8Array {
  const out = new Uint8Array(4 + samples.byteLength);
  new DataView(out.buffer).setUint32(0, sampleRate, true);
  out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), 4);
  return out;
}

export interface FakeSource extends AudioSource {
  files: Map<string, Uint8Array>;
  tokens: Map<string, string>;
  reads: number;
}

export function fakeSource(files: Record<string, Uint8Array>): FakeSource {
  const map = new Map(Object.entries(files));
  const tokens = new Map([...map.keys()].map((k) => [k, '1']));
  const source: FakeSource = {
    kind: 'source',
    id: 'test/map',
    options: null,
    files: map,
    tokens,
    reads: 0,
    list: async () => [...map.keys()].sort(),
    read: async (path) => {
      source.reads++;
      const bytes = map.get(path);
      if (!bytes) throw new Error(`no file ${path}`);
      return bytes;
    },
    stat: async (path) => ({ size: map.get(path)!.byteLength, changeToken: tokens.get(path) ?? '1' }),
  };
  return source;
}

export interface Counted {
  calls: number;
}

export function fakeDecoder(): AudioDecoder & Counted {
  const decoder: AudioDecoder & Counted = {
    kind: 'decoder',
    id: 'test/raw-f32',
    options: null,
    calls: 0,
    decode: async (bytes, { path }) => {
      decoder.calls++;
      if (bytes.byteLength < 4 || (bytes.byteLength - 4) % 4 !== 0)
        throw new Error(`${path} is not raw float32`);
      const rate = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
      const copy = bytes.slice(4);
      return { channelData: [new Float32Array(copy.buffer)], sampleRate: rate };
    },
  };
  return decoder;
}

export const identityResampler: Resampler = {
  kind: 'resampler',
  id: 'test/identity',
  options: null,
  resample: (x, from, to) => {
    if (from !== to) throw new Error(`identity resampler asked for ${from} -> ${to}`);
    return x;
  },
};

/**
 * STFT energy per centred frame (periodic Hann of nFft, reflect padding nFft/2, hop), written to
 * every one of the nMels rows as log10(max(energy, 1e-10)) + row, then standardised over the file
 * when `normalize`. Row 0 is the frame's log energy (without normalisation).
 */
export function energyExtractor(options: MelOptions): MelExtractor & Counted {
  const params = resolveMelParams(options);
  const { nFft, hopLength, nMels } = params;
  const hann = Float64Array.from({ length: nFft }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
  const extractor: MelExtractor & Counted = {
    kind: 'extractor',
    id: 'test/stft-energy',
    options: { ...params },
    version: 1,
    params,
    features: melFeatures(params),
    calls: 0,
    fingerprint: () => fingerprint({ id: 'test/stft-energy', version: 1, params }),
    frameCount: (n) => Math.floor(n / hopLength),
    extract: (x) => {
      extractor.calls++;
      const frames = Math.floor(x.length / hopLength);
      const half = Math.floor(nFft / 2);
      const at = (i: number) => {
        let j = i;
        if (j < 0) j = -j;
        if (j >= x.length) j = 2 * (x.length - 1) - j;
        return x[j]!;
      };
      const data = new Float32Array(nMels * frames);
      for (let t = 0; t < frames; t++) {
        let e = 0;
        for (let i = 0; i < nFft; i++) {
          const s = at(t * hopLength - half + i) * hann[i]!;
          e += s * s;
        }
        const v = Math.log10(Math.max(e, 1e-10));
        for (let m = 0; m < nMels; m++) data[m * frames + t] = v + m;
      }
      if (params.normalize && data.length > 1) {
        let mean = 0;
        for (const v of data) mean += v;
        mean /= data.length;
        let ss = 0;
        for (const v of data) ss += (v - mean) ** 2;
        const std = Math.sqrt(ss / (data.length - 1)) || 1;
        for (let i = 0; i < data.length; i++) data[i] = (data[i]! - mean) / std;
      }
      return { data, shape: [nMels, frames] };
    },
  };
  return extractor;
}

export interface FakeCache extends SpectrogramCache {
  map: Map<string, Tensor>;
  puts: number;
  gets: number;
}

export function mapCache(): FakeCache {
  const map = new Map<string, Tensor>();
  const keys = new Map<string, CacheKey>();
  const cache: FakeCache = {
    kind: 'cache',
    id: 'test/map',
    options: null,
    map,
    puts: 0,
    gets: 0,
    get: async (k) => {
      cache.gets++;
      const t = map.get(k.id);
      return t && { data: t.data.slice(), shape: [...t.shape] };
    },
    put: async (k, t) => {
      cache.puts++;
      keys.set(k.id, k);
      map.set(k.id, { data: t.data.slice(), shape: [...t.shape] });
    },
    has: async (k) => map.has(k.id),
    delete: async (k) => map.delete(k.id),
    keys: async function* () {
      for (const id of map.keys()) yield keys.get(id)!;
    },
    byteSize: async () => [...map.values()].reduce((n, t) => n + t.data.byteLength, 0),
  };
  return cache;
}

export function mapIndexStore(): IndexStore & { map: Map<string, string>; saves: number } {
  const map = new Map<string, string>();
  const store = {
    map,
    saves: 0,
    load: async (fp: string) => {
      const text = map.get(fp);
      return text === undefined ? undefined : (JSON.parse(text) as Json);
    },
    save: async (fp: string, index: Json) => {
      store.saves++;
      map.set(fp, JSON.stringify(index));
    },
  };
  return store;
}

export function collectingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

/** A 1 kHz tone burst of amplitude 0.5 over each `[start, stop)`, silence elsewhere. */
export function toneBursts(
  length: number,
  bursts: readonly (readonly [number, number])[],
  sampleRate = 16000,
): Float32Array {
  const x = new Float32Array(length);
  for (const [a, b] of bursts)
    for (let i = a; i < Math.min(b, length); i++)
      x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate);
  return x;
}

export const testMel: MelOptions = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 4 };

/** Parts with small windows (0.32 s = 5120 samples = 32 frames, offset 0.1 s = 1600 = 10 frames). */
export function testParts(overrides: Partial<DatasetParts> & Pick<DatasetParts, 'source'>): DatasetParts {
  return {
    decoder: fakeDecoder(),
    resampler: identityResampler,
    extractor: energyExtractor(testMel),
    cache: undefined,
    memory: { maxMemoryCache: 0, dtype: 'float32' },
    metadata: null,
    windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0.5 },
    output: { audio: false, spectrogram: true, masks: [], meta: [], label: null },
    split: { split: [1], seed: 0, splitBy: 'file' },
    indexStore: undefined,
    logger: collectingLogger(),
    onProgress: undefined,
    onError: 'throw',
    numWorkers: 0,
    scheduler: undefined,
    registry: undefined,
    ...overrides,
  };
}

export function metadataInput(value: unknown, name = 'metadata.json') {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return { name, read: async () => bytes };
}
