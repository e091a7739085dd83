import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  designResampler,
  SINC_RESAMPLER_VERSION,
  SpgConfigError,
  SpgError,
  sincResampler,
} from '@spgdataset/core';
import { noise, resamplerSuitePairs } from '@spgdataset/core/conformance';
import {
  loadDsp,
  WASM_RESAMPLER_KERNELS_VERSION,
  WASM_RESAMPLER_VERSION,
  wasmResampler,
  wasmResamplerDefinition,
} from '@spgdataset/dsp-wasm';
import { describe, expect, it } from 'vitest';

const wasmPath = fileURLToPath(new URL('../dist/dsp.wasm', import.meta.url));

/**
 * dsp.wasm runs core's design with float32 coefficients and float32 SIMD sums; core/sinc uses the
 * float64 coefficients and float64 sums. Both round to float32 at the end. Bound on their
 * difference for signals with |x| <= 1 (measured worst 4e-7 on these cases).
 */
const AGREEMENT = 2e-6;

describe('wasmResampler agrees with core/sinc (same design, float32 vs float64 arithmetic)', () => {
  for (const [from, to] of resamplerSuitePairs) {
    it(`${from} -> ${to}: max |wasm - core| <= ${AGREEMENT} on full-scale noise and tones`, async () => {
      const wasm = await wasmResampler();
      const core = sincResampler();
      const length = Math.round(from * 0.3);
      const tones = new Float32Array(length);
      for (let i = 0; i < length; i++) {
        tones[i] =
          0.5 * Math.sin((2 * Math.PI * 0.2 * to * i) / from) +
          0.45 * Math.sin((2 * Math.PI * 0.47 * to * i) / from);
      }
      const loud = noise(length, from).map((v) => 2 * v);
      for (const x of [loud, tones]) {
        const a = wasm.resample(x, from, to);
        const b = core.resample(x, from, to);
        expect(a.length).toBe(b.length);
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        expect(worst).toBeLessThanOrEqual(AGREEMENT);
      }
    });
  }
});

describe('wasmResampler contract', () => {
  it("has its id, JSON options, and a numerics version covering core's design and its kernels", async () => {
    const r = await wasmResampler({ attenuationDb: 100 });
    expect(r.kind).toBe('resampler');
    expect(r.id).toBe('dsp-wasm/resampler');
    expect(r.options).toEqual({ attenuationDb: 100 });
    expect(r.version).toBe(100 * SINC_RESAMPLER_VERSION + WASM_RESAMPLER_KERNELS_VERSION);
    expect(r.version).toBe(WASM_RESAMPLER_VERSION);
    expect(sincResampler().version).toBe(SINC_RESAMPLER_VERSION);
  });

  it('rejects invalid options with SpgConfigError naming the fields', async () => {
    const error = await wasmResampler({ passband: 1.2, attenuationDb: 10 }).catch((e: unknown) => e);
    expect(SpgConfigError.isInstance(error)).toBe(true);
    expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['passband', 'attenuationDb']);
  });

  it('throws after dispose(), and dispose() is idempotent', async () => {
    const r = await wasmResampler();
    r.resample(noise(1000, 1), 44100, 16000);
    r.dispose?.();
    r.dispose?.();
    expect(() => r.resample(noise(1000, 1), 44100, 16000)).toThrow(/after dispose/);
  });

  it('frees its handles: resamplers and streams made and dropped do not grow memory', async () => {
    const warm = await wasmResampler();
    warm.resample(noise(44100, 2), 44100, 16000);
    const stream = warm.stream(44100, 16000);
    stream.push(noise(44100, 3));
    stream.end();
    warm.dispose?.();
    const before = warm.memoryBytes;
    for (let i = 0; i < 30; i++) {
      const r = await wasmResampler();
      r.resample(noise(44100, 2), 44100, 16000);
      const s = r.stream(48000, 16000);
      s.push(noise(48000, 4));
      s.end();
      r.dispose?.();
    }
    expect(warm.memoryBytes).toBe(before);
  });

  it('resamples one hour at 44.1 kHz in one call within bounded wasm memory', async () => {
    // Its own module instance, so the memory measured is this call's alone.
    const r = await wasmResampler({ wasm: new Uint8Array(readFileSync(wasmPath)) });
    const hour = new Float32Array(3600 * 44100);
    const second = noise(44100, 5);
    for (let at = 0; at < hour.length; at += second.length) hour.set(second, at);
    const y = r.resample(hour, 44100, 16000);
    expect(y.length).toBe(3600 * 16000);
    // Every second is the same noise (a whole number of rate periods): outputs repeat too (up to
    // float32 rounding: the FFT blocks fall elsewhere in each second).
    expect(Math.abs(y[1800 * 16000 + 1234]! - y[16000 + 1234]!)).toBeLessThanOrEqual(1e-6);
    expect(r.memoryBytes).toBeLessThanOrEqual(8 * 2 ** 20);
  });

  it('reports dsp.wasm errors as SpgError with SPG_RESAMPLER_ codes', async () => {
    const dsp = await loadDsp(new Uint8Array(readFileSync(wasmPath)));
    const d = designResampler(44100, 16000, { passband: 0.95, attenuationDb: 90 });
    const handle = dsp.exports.resampler_new(d.up, d.down);
    expect(dsp.exports.resampler_add_halfband(handle, 1, 4)).not.toBe(0);
    // 441/160 is not 1/2: the chain does not make the ratio.
    expect(dsp.exports.resampler_reset(handle)).toBe(1);
    expect(dsp.exports.resampler_free(handle)).toBe(0);
    const r = await wasmResampler();
    const stream = r.stream(44100, 16000);
    stream.end();
    try {
      stream.push(noise(10, 1));
      expect.unreachable();
    } catch (error) {
      expect(SpgError.isInstance(error)).toBe(true);
      expect((error as SpgError).code).toBe('SPG_RESAMPLER_STREAM_ENDED');
    }
  });

  it('the registry definition validates options and creates the resampler', async () => {
    expect(wasmResamplerDefinition.id).toBe('dsp-wasm/resampler');
    expect(wasmResamplerDefinition.kind).toBe('resampler');
    expect(wasmResamplerDefinition.module).toBe('@spgdataset/dsp-wasm');
    const result = await wasmResamplerDefinition.schema['~standard'].validate({ passband: 2 });
    expect(result.issues?.length).toBe(1);
    const r = await wasmResamplerDefinition.create({ attenuationDb: 100 });
    expect(r.id).toBe('dsp-wasm/resampler');
    expect(r.options).toEqual({ attenuationDb: 100 });
  });
});
