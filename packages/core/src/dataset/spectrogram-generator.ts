import type { AudioDecoder } from '../contracts/audio-decoder';
import type { Tensor } from '../contracts/tensor';
import { downmix } from '../decode/downmix';
import { SpgDecodeError } from '../errors/spg-decode-error';
import { SpgError } from '../errors/spg-error';
import type { GenerationPipeline } from '../generation/generation-pipeline';
import type { GenerationJob, GeneratorParts } from '../generation/generator-parts';
import { makeSpectrogram } from '../generation/make-spectrogram';
import { paddedLength } from './windows';

// The generation types live with generation/; re-exported here for the modules that import them from here.
export type { GenerationJob, GeneratorParts, StreamChunks } from '../generation/generator-parts';

/**
 * Reads, decodes, averages to mono and resamples one file to `sampleRate` (docs/behaviour.md#spectrogram). With a
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
 * Zero-pads AT THE END to the window grid (docs/behaviour.md#spectrogram), so frame `t` stays at sample `t * hopLength`
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
 * The whole per-file pipeline: decode -> mono -> resample -> pad at the end -> extract, as one
 * mel-major tensor (`makeSpectrogram`: the streaming algorithm collected in memory).
 */
export async function generateSpectrogram(parts: GeneratorParts, job: GenerationJob): Promise<Tensor> {
  return (await makeSpectrogram(parts, job)).tensor;
}
