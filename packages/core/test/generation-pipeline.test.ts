// The in-thread build path: reused buffers, read-ahead and write-behind give the same entries as
// fresh arrays, hand out memory only while it is valid, and report progress only for written entries.
import { describe, expect, it } from 'vitest';
import { GenerationBuffers } from '../src/generation/generation-buffers';
import { GenerationPipeline } from '../src/generation/generation-pipeline';
import {
  type AudioSource,
  cacheKey,
  float16ArrayToFloat32,
  float32ArrayToFloat16,
  type GeneratorParts,
  loadWaveform,
  makeSpectrogram,
  openDataset,
  roundToFloat16InPlace,
  type SpectrogramCache,
  SpgConfigError,
  type Tensor,
} from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeSource,
  identityResampler,
  mapCache,
  metadataInput,
  testParts,
  toneBursts,
} from './dataset-fakes';

const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 8 };

/** A source that honours `into` (reads into it when the file fits), like fsSource. */
function intoSource(files: Record<string, Uint8Array>): AudioSource & { reads: string[] } {
  const base = fakeSource(files);
  const reads: string[] = [];
  return {
    ...base,
    reads,
    read: async (path, into) => {
      reads.push(path);
      const bytes = await base.read(path);
      if (into && into.length >= bytes.length) {
        into.set(bytes);
        return into.subarray(0, bytes.length);
      }
      return bytes.slice();
    },
  };
}

/** A float32 WAV-free "raw" file (the fake decoder's format) of a few tone bursts. */
const raw = (length: number, seed: number, rate = 16000) =>
  encodeRaw(toneBursts(length, [[seed * 500, seed * 500 + 6000]]), rate);

function parts(source: AudioSource, dtype: 'float32' | 'float16' = 'float32'): GeneratorParts {
  const p = testParts({ source, extractor: energyExtractor(mel) });
  const extractor = p.extractor;
  return {
    source,
    decoder: p.decoder,
    resampler: identityResampler,
    // An extractor with extractInto (as dsp-js and dsp-wasm have), writing extract's values.
    extractor: {
      ...extractor,
      extractInto: (mono: Float32Array, output: Float32Array) => {
        const tensor = extractor.extract(mono) as Tensor;
        output.set(tensor.data);
        return { data: output.subarray(0, tensor.data.length), shape: tensor.shape };
      },
    },
    sampleRate: 16000,
    windowSize: 30720,
    windowOffset: 1600,
    dtype,
  };
}

describe('GenerationBuffers', () => {
  it('pads the waveform it handed out in place, and copies any other', () => {
    const buffers = new GenerationBuffers();
    const wave = buffers.waveform(5, 12);
    wave.set([1, 2, 3, 4, 5]);
    const padded = buffers.pad(wave, 8);
    expect(padded.buffer).toBe(wave.buffer);
    expect([...padded]).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    const other = Float32Array.of(9, 8, 7);
    const copied = buffers.pad(other, 6);
    expect(copied.buffer).not.toBe(other.buffer);
    expect([...copied]).toEqual([9, 8, 7, 0, 0, 0]);
    // The same memory next time (no new allocation for an equal or smaller file).
    expect(buffers.pad(Float32Array.of(1), 4).buffer).toBe(copied.buffer);
    expect(buffers.waveform(3, 12).buffer).toBe(wave.buffer);
  });

  it('alternates two feature buffers and grows them by at least 1.5x', () => {
    const buffers = new GenerationBuffers();
    const a = buffers.features(100);
    const b = buffers.features(100);
    expect(a.buffer).not.toBe(b.buffer);
    expect(buffers.features(50).buffer).toBe(a.buffer);
    expect(buffers.owns(a.subarray(3))).toBe(true);
    expect(buffers.owns(new Float32Array(4))).toBe(false);
    const grown = buffers.features(120);
    expect(grown.length).toBeGreaterThanOrEqual(150);
  });
});

describe('GenerationPipeline', () => {
  it('reads the next expected file while the current one is processed, into two alternating buffers', async () => {
    const files = { 'a.raw': raw(40000, 1), 'b.raw': raw(40000, 2), 'c.raw': raw(40000, 3) };
    const source = intoSource(files);
    const pipeline = new GenerationPipeline(parts(source));
    pipeline.expect(['a.raw', 'b.raw', 'c.raw']);
    const a = await pipeline.read('a.raw');
    expect(source.reads).toEqual(['a.raw', 'b.raw']); // b started before a was processed
    expect(a).toEqual(files['a.raw']);
    const b = await pipeline.read('b.raw');
    expect(b).toEqual(files['b.raw']);
    expect(source.reads).toEqual(['a.raw', 'b.raw', 'c.raw']);
    // An unexpected path: the read in flight ends first, then the asked file is read.
    expect(await pipeline.read('a.raw')).toEqual(files['a.raw']);
    await pipeline.finish();
  });

  it('makes entries bit-identical to fresh arrays (float32 and float16, in-grid and resampled lengths)', async () => {
    const files = { 'x.raw': raw(47_123, 1), 'y.raw': raw(31_000, 2), 'z.raw': raw(20_000, 3) };
    for (const dtype of ['float32', 'float16'] as const) {
      const source = intoSource(files);
      const pipeline = new GenerationPipeline(parts(source, dtype));
      const plain = parts(source, dtype);
      for (const [path, length] of [
        ['x.raw', 47_123],
        ['y.raw', 0],
        ['z.raw', 25_000],
      ] as const) {
        const fresh = await makeSpectrogram(plain, { path, length });
        const reused = await makeSpectrogram(pipeline.parts, { path, length }, pipeline);
        expect(pipeline.buffers.owns(reused.tensor.data)).toBe(true);
        expect(reused.tensor.shape).toEqual(fresh.tensor.shape);
        expect(
          Buffer.from(
            reused.tensor.data.buffer,
            reused.tensor.data.byteOffset,
            reused.tensor.data.byteLength,
          ),
        ).toEqual(
          Buffer.from(fresh.tensor.data.buffer, fresh.tensor.data.byteOffset, fresh.tensor.data.byteLength),
        );
        expect(reused.samples).toBe(fresh.samples);
      }
    }
  });

  it('loadWaveform through a pipeline decodes into its buffer', async () => {
    const source = intoSource({ 'x.raw': raw(40_000, 1) });
    const p = parts(source);
    // A decoder that honours output(): the pipeline's waveform buffer receives the samples.
    const decoder = {
      ...p.decoder,
      decode: async (bytes: Uint8Array, ctx: { output?: (n: number) => Float32Array }) => {
        const values = new Float32Array(bytes.slice(4).buffer);
        const out = ctx.output ? ctx.output(values.length) : new Float32Array(values.length);
        out.set(values);
        return { channelData: [out], sampleRate: 16000 };
      },
    };
    const pipeline = new GenerationPipeline({ ...p, decoder });
    const wave = await loadWaveform(pipeline.parts, 'x.raw', pipeline, 40_000);
    expect(pipeline.buffers.owns(wave)).toBe(true);
    expect(wave).toEqual(await loadWaveform(p, 'x.raw'));
  });

  it('writes behind: a store waits only for the previous one; progress follows the writes; finish rethrows', async () => {
    const log: string[] = [];
    const gates: (() => void)[] = [];
    const cache: SpectrogramCache = {
      kind: 'cache',
      id: 'test/slow',
      options: null,
      get: async () => undefined,
      has: async () => false,
      delete: async () => false,
      keys: async function* () {},
      byteSize: async () => 0,
      put: (key) =>
        new Promise<void>((resolve, reject) => {
          log.push(`start ${key.path}`);
          gates.push(() => {
            log.push(`done ${key.path}`);
            if (key.path === 'bad.raw') reject(new Error('disk full'));
            else resolve();
          });
        }),
    };
    const pipeline = new GenerationPipeline(parts(intoSource({})));
    const tensor: Tensor = { data: new Float32Array(4), shape: [1, 4] };
    const key = (path: string) => cacheKey({ path, size: 1, changeToken: '1' }, 'fp');
    await pipeline.store(cache, key('a.raw'), tensor);
    pipeline.whenWritten(() => log.push('progress a'));
    const second = pipeline.store(cache, key('b.raw'), tensor);
    await Promise.resolve();
    expect(log).toEqual(['start a.raw']); // b waits for a
    gates.shift()!();
    await second;
    pipeline.whenWritten(() => log.push('progress b'));
    expect(log).toEqual(['start a.raw', 'done a.raw', 'progress a', 'start b.raw']);
    gates.shift()!();
    await pipeline.store(cache, key('bad.raw'), tensor);
    expect(log.slice(-2)).toEqual(['progress b', 'start bad.raw']);
    gates.shift()!();
    await expect(pipeline.finish()).rejects.toThrow('disk full');
  });

  it('is taken by one task at a time', () => {
    const pipeline = new GenerationPipeline(parts(intoSource({})));
    expect(pipeline.acquire()).toBe(true);
    expect(pipeline.acquire()).toBe(false);
    pipeline.release();
    expect(pipeline.acquire()).toBe(true);
  });
});

describe('roundToFloat16InPlace', () => {
  it('equals the float16 round trip through two arrays, bit for bit (specials included)', () => {
    const values = Float32Array.of(
      0,
      -0,
      1e-8,
      -3.1e-5,
      65504,
      65520,
      1e6,
      -1e6,
      Number.NaN,
      Infinity,
      0.1,
      1 / 3,
    );
    const expected = float16ArrayToFloat32(float32ArrayToFloat16(values));
    const got = roundToFloat16InPlace(values.slice());
    expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(expected.buffer));
  });
});

describe("openDataset({ generate: 'on-demand' })", () => {
  async function open(generate?: 'all' | 'on-demand') {
    const files: Record<string, Uint8Array> = {};
    const metadata: Record<string, unknown> = {};
    for (let f = 0; f < 3; f++) {
      files[`f${f}.wav`] = raw(40_000, f + 1);
      metadata[`f${f}.wav`] = { length: 40_000, intervals: {}, metadata: {} };
    }
    const extractor = energyExtractor(mel);
    const cache = mapCache();
    const ds = await openDataset(
      testParts({ source: fakeSource(files), extractor, cache, metadata: metadataInput(metadata) }),
      generate ? { generate } : undefined,
    );
    return { ds, extractor, cache };
  }

  it('indexes without generating; reading an item makes and stores only its file', async () => {
    const { ds, extractor, cache } = await open('on-demand');
    expect(extractor.calls).toBe(0);
    expect(cache.map.size).toBe(0);
    await ds.get(ds.length - 1);
    expect(extractor.calls).toBe(1);
    expect(cache.map.size).toBe(1);
    const all = await open();
    expect(all.extractor.calls).toBe(3);
    expect(await ds.get(ds.length - 1)).toEqual(await all.ds.get(ds.length - 1));
  });

  it('rejects another value naming the option', async () => {
    await expect(open('some' as never)).rejects.toThrow(SpgConfigError);
    await expect(open('some' as never)).rejects.toThrow(/generate/);
  });
});
