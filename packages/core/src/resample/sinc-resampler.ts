import * as v from 'valibot';
import type { PluginDefinition } from '../contracts/plugin-definition';
import type { Resampler } from '../contracts/resampler';
import { SpgConfigError } from '../errors/spg-config-error';
import { passThroughStream } from './pass-through-stream';
import { ResampleStream, resampledLength } from './resample-stream';
import { checkResampleRate, resamplerDesigns } from './resampler-designs';

/*
 * Why our own resampler: the contract is synchronous and must run in browsers, output timing must
 * match the annotations exactly, and resampling is hot (44.1 kHz corpora). The maintained
 * libsamplerate port creates converters asynchronously (WASM) and ships glue that references
 * Node's `fs`. The design (resampler-design.ts): Kaiser-windowed sinc lowpasses, a half-band stage
 * at twice the lower rate carrying the sharp transition, exact rational ratio, zero delay; the
 * arithmetic (resample-kernels.ts) is float64 in a fixed order, rounded to float32 at the end.
 */

/** Options of `sincResampler`. */
export interface SincResamplerOptions {
  /** Passband edge as a fraction of the lower Nyquist frequency (default 0.95); the stopband starts at 2 - passband. */
  passband?: number;
  /** Stopband attenuation in dB (default 90). */
  attenuationDb?: number;
}

/** Resolved options of `sincResampler` (defaults filled in). */
export interface SincResamplerParams {
  passband: number;
  attenuationDb: number;
}

export const SINC_RESAMPLER_ID = 'core/sinc';

/**
 * Numerics version of the sinc resampler design and arithmetic (`Resampler.version`, part of every
 * cache key): bump (minor changeset; caches rebuild) whenever output values change. 1 (or no
 * version) was the single-stage design with passband 0.9 and 80 dB.
 */
export const SINC_RESAMPLER_VERSION = 2;

export const SINC_RESAMPLER_DEFAULTS: Readonly<SincResamplerParams> = { passband: 0.95, attenuationDb: 90 };

export const sincResamplerOptionsSchema = v.strictObject({
  passband: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.gtValue(0, 'must be in (0, 1)'),
      v.ltValue(1, 'must be in (0, 1)'),
    ),
  ),
  attenuationDb: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.minValue(40, 'must be at least 40'),
      v.maxValue(180, 'must be at most 180'),
    ),
  ),
});

/** Validates `options` (SpgConfigError naming each bad field) and fills in the defaults. */
export function resolveSincResamplerOptions(options: SincResamplerOptions): {
  options: v.InferOutput<typeof sincResamplerOptionsSchema>;
  params: SincResamplerParams;
} {
  const parsed = v.safeParse(sincResamplerOptionsSchema, options);
  if (!parsed.success) {
    throw new SpgConfigError(
      parsed.issues.map((i) => ({
        path: v.getDotPath(i) ?? '',
        message: `${i.message} (got ${JSON.stringify(i.input)})`,
      })),
    );
  }
  return { options: parsed.output, params: { ...SINC_RESAMPLER_DEFAULTS, ...parsed.output } };
}

// The whole-array path feeds the stream this many samples at a time (keeps buffers in cache).
const CHUNK = 1 << 16;

/**
 * Band-limited resampler: Kaiser-windowed sinc, polyphase with a half-band stage, exact rational
 * ratio, linear phase with no delay (output sample k is the signal at input time k * from / to;
 * zeros outside the signal). Output length is round(n * to / from); the input itself is returned
 * when the rates match. With the defaults, the passband [0, 0.95] x the lower Nyquist frequency is
 * flat within 0.001 dB and everything from 1.05 x the lower Nyquist up is attenuated by >= 90 dB
 * (aliases of the transition band fold back above 0.95 x Nyquist). `stream()` gives the same
 * output for a signal fed in chunks.
 *
 * @example
 * const at16k = sincResampler().resample(samplesAt44k, 44100, 16000);
 */
export function sincResampler(options: SincResamplerOptions = {}): Resampler {
  const resolved = resolveSincResamplerOptions(options);
  const { params } = resolved;
  const design = resamplerDesigns(params);
  return {
    kind: 'resampler',
    id: SINC_RESAMPLER_ID,
    version: SINC_RESAMPLER_VERSION,
    options: { ...resolved.options },
    resample(mono, fromRate, toRate) {
      if (fromRate === toRate) {
        checkResampleRate('fromRate', fromRate);
        return mono;
      }
      const stream = new ResampleStream(design(fromRate, toRate), SINC_RESAMPLER_ID);
      const out = new Float32Array(resampledLength(mono.length, toRate, fromRate));
      let at = 0;
      for (let i = 0; i + CHUNK < mono.length; i += CHUNK) {
        at += stream.pushInto(mono.subarray(i, i + CHUNK), false, out, at);
      }
      const tail = mono.subarray(Math.max(0, Math.ceil(mono.length / CHUNK) - 1) * CHUNK);
      stream.pushInto(tail, true, out, at);
      return out;
    },
    stream(fromRate, toRate) {
      if (fromRate === toRate) {
        checkResampleRate('fromRate', fromRate);
        return passThroughStream(SINC_RESAMPLER_ID);
      }
      return new ResampleStream(design(fromRate, toRate), SINC_RESAMPLER_ID);
    },
  };
}

/** Registry definition of `sincResampler`: `{ "use": "core/sinc", "options": { "attenuationDb": 100 } }`. */
export const sincResamplerDefinition: PluginDefinition<
  'resampler',
  v.InferOutput<typeof sincResamplerOptionsSchema>
> = {
  kind: 'resampler',
  id: SINC_RESAMPLER_ID,
  module: '@spgdataset/core',
  schema: sincResamplerOptionsSchema,
  create: (options) => sincResampler(options),
};
