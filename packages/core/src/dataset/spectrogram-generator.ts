import { roundToFloat16InPlace } from '../codec/float16';
import type { AudioDecoder } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { Resampler } from '../contracts/resampler';
import type { Tensor } from '../contracts/tensor';
import { downmix } from '../decode/downmix';
import { SpgDecodeError } from '../errors/spg-decode-error';
import { SpgError } from '../errors/spg-error';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import type { GenerationPipeline } from '../generation/generation-pipeline';
import { paddedLength } from './windows';

/** What turning a file into a waveform or a spectrogram needs (all of it can be rebuilt in a worker). */
export interface GeneratorParts {
  source: AudioSource;
  decoder: AudioDecoder;
  resampler: Resampler;
  extractor: FeatureExtractor;
  sampleRate: number;
  windowSize: number;
  windowOffset: number;
  dtype: 'float32' | 'float16';
}

/** The file to generate: its path and indexed length in samples (0 when not known yet). */
export interface GenerationJob {
  path: string;
  length: number;
}

/**
 * Reads, decodes, averages to mono and resamples one file to `sampleRate` (SPEC 7.1). With a
 * `pipeline`, the bytes come from its read-ahead and the waveform is borrowed from its buffers (with
 * room to pad it to the grid of `length` samples in place): valid until the pipeline's next read.
 */
export async function loadWaveform(
  parts: GeneratorParts,
  path: string,
  pipeline?: GenerationPipeline,
  length = 0,
): Promise<Float32Array> {
  const bytes = pipeline ? await pipeline.read(path) : await parts.source.read(path);
  const output = pipeline
    ? (frames: number) =>
        pipeline.buffers.waveform(
          frames,
          paddedLength(Math.max(length, frames), parts.windowSize, parts.windowOffset),
        )
    : undefined;
  let decoded: Awaited<ReturnType<AudioDecoder['decode']>>;
  try {
    decoded = await parts.decoder.decode(
      bytes,
      output ? { path, channels: 'mono', output } : { path, channels: 'mono' },
    );
  } catch (cause) {
    if (SpgError.isInstance(cause)) throw cause;
    const format = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
    throw new SpgDecodeError(
      'SPG_DECODE_FAILED',
      `Could not decode "${path}" (${format}) with ${parts.decoder.id}: ${(cause as Error)?.message ?? cause}`,
      { file: path, format },
      { cause },
    );
  }
  if (decoded.channelData.length === 0) {
    throw new SpgDecodeError('SPG_DECODE_NO_CHANNELS', `"${path}" decoded to no audio channels.`, {
      file: path,
      format: path.slice(path.lastIndexOf('.') + 1).toLowerCase(),
    });
  }
  const mono = downmix(decoded.channelData);
  return decoded.sampleRate === parts.sampleRate
    ? mono
    : parts.resampler.resample(mono, decoded.sampleRate, parts.sampleRate);
}

/**
 * Zero-pads AT THE END to the window grid (SPEC 7.2), so frame `t` stays at sample `t * hopLength`
 * and every window has its frames. Uses the longer of the indexed and the decoded length.
 */
export function padToWindowGrid(
  waveform: Float32Array,
  length: number,
  windowSize: number,
  windowOffset: number,
): Float32Array {
  const target = paddedLength(Math.max(length, waveform.length), windowSize, windowOffset);
  if (target === waveform.length) return waveform;
  const out = new Float32Array(target);
  out.set(waveform.subarray(0, target));
  return out;
}

/**
 * Rounds values to float16 precision, so memory, disk and fresh results agree for `dtype: 'float16'`:
 * in place when `pipeline` owns the values, else in one copy.
 */
function toStoragePrecision(
  tensor: Tensor,
  dtype: 'float32' | 'float16',
  pipeline: GenerationPipeline | undefined,
): Tensor {
  if (dtype === 'float32') return tensor;
  const owned = pipeline?.buffers.owns(tensor.data) ?? false;
  return { data: roundToFloat16InPlace(owned ? tensor.data : tensor.data.slice()), shape: tensor.shape };
}

/**
 * The spectrogram of an already loaded waveform (SPEC 7.2-7.6), at storage precision. With a
 * `pipeline`, padding and features use its buffers (the tensor is borrowed: valid until the
 * pipeline hands the same feature buffer out again, two calls later) when the extractor has
 * `extractInto`. A Promise only when the extractor returned one: synchronous extractors pay for no
 * promise here.
 */
export function spectrogramOfWaveform(
  parts: GeneratorParts,
  job: GenerationJob,
  waveform: Float32Array,
  pipeline?: GenerationPipeline,
): Tensor | Promise<Tensor> {
  const target = paddedLength(Math.max(job.length, waveform.length), parts.windowSize, parts.windowOffset);
  const padded = pipeline
    ? pipeline.buffers.pad(waveform, target)
    : padToWindowGrid(waveform, job.length, parts.windowSize, parts.windowOffset);
  const { extractor } = parts;
  const failed = (cause: unknown): never => {
    if (SpgError.isInstance(cause)) throw cause;
    throw new SpgExtractorError(
      'SPG_EXTRACTOR_FAILED',
      `${extractor.id} failed on "${job.path}" (${padded.length} samples): ${(cause as Error)?.message ?? cause}`,
      extractor.id,
      { cause },
    );
  };
  let result: Tensor | Promise<Tensor>;
  try {
    if (pipeline && extractor.extractInto) {
      const count = extractor.features.rows * extractorFrameCount(extractor, padded.length);
      result = extractor.extractInto(padded, pipeline.buffers.features(count));
    } else result = extractor.extract(padded);
  } catch (cause) {
    return failed(cause);
  }
  if (isPromiseLike(result))
    return Promise.resolve(result).then(
      (tensor) => toStoragePrecision(tensor, parts.dtype, pipeline),
      failed,
    );
  return toStoragePrecision(result, parts.dtype, pipeline);
}

function isPromiseLike(value: unknown): value is PromiseLike<Tensor> {
  return typeof (value as PromiseLike<Tensor> | null)?.then === 'function';
}

/**
 * The whole per-file pipeline: decode -> mono -> resample -> pad at the end -> extract. This is the
 * one function a worker pool replaces (`numWorkers > 0`): its inputs are a path and a length.
 */
export async function generateSpectrogram(parts: GeneratorParts, job: GenerationJob): Promise<Tensor> {
  return spectrogramOfWaveform(parts, job, await loadWaveform(parts, job.path));
}
