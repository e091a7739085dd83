import { roundToFloat16InPlace } from '../codec/float16';
import { transposeInto } from '../codec/transpose';
import type { ByteRange, DecodedAudio } from '../contracts/audio-decoder';
import type { FeatureStream } from '../contracts/feature-extractor';
import type { ResamplerStream } from '../contracts/resampler';
import type { EntryWriter } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { lengthMismatch } from '../dataset/length-mismatch';
import { paddedLength } from '../dataset/windows';
import { downmix } from '../decode/downmix';
import { MonoMixer } from '../decode/mono-mixer';
import { DEFAULT_READ_BYTES, sourceByteInput } from '../decode/source-byte-input';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgDecodeError } from '../errors/spg-decode-error';
import { SpgError } from '../errors/spg-error';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import { framePiecePlan } from './frame-pieces';
import type { GenerationPipeline } from './generation-pipeline';
import type { GenerationJob, GeneratorParts } from './generator-parts';
import { inPieceOrder, pieceBlocks } from './piece-blocks';

/** What streaming one file produced (its entry is in the writer, not yet committed). */
export interface StreamedSpectrogram {
  /** Frames written. */
  frames: number;
  /** Samples of the decoded, resampled audio (before padding). */
  samples: number;
  warnings: string[];
}

/** Zeros fed at a time to pad the signal to the window grid. */
const ZEROS = 1 << 14;

/**
 * Bytes per piece of a file decoded by several threads (`GenerationJob.helpers`): large enough that
 * starting a codec per piece costs little (about 1.3 ms against 50 ms of decoding 2 MiB of FLAC),
 * small enough that the pieces decoded ahead stay a few MB each (about 5 MB of mono samples for
 * 48 kHz stereo FLAC; larger pieces measurably raised the peak RSS).
 */
export const PIECE_BYTES = 2 * 2 ** 20;

/**
 * The per-file algorithm (docs/behaviour.md#spectrogram), streamed, the same in this thread and in
 * every worker, for every length: decode piece by piece (`AudioDecoder.stream`, ranged reads of the
 * source), average to mono, resample with the resampler's stream, pad with zeros at the end to the
 * window grid, and feed the extractor's stream, whose raw frames are appended to `writer` as they
 * come; then the file-wide pass(es) over the written frames (`FeatureFinish`: a scan for statistics,
 * then the rewrite to output values, rounded to float16 for `dtype: 'float16'`). The caller commits
 * or aborts `writer`. Memory: about one read, one decoded block and the writer's own, whatever the
 * file's length. Plugins without the streaming members are used whole: a decoder without `stream`
 * gets the whole file, a resampler without `stream` the whole decoded signal, an extractor without
 * `stream` the whole padded waveform (memory then grows with the file; see the package README).
 * Throws like the whole-file path: `SpgDecodeError`, `SpgExtractorError`, `SpgConfigError` for an
 * extractor that gives the wrong number of frames.
 */
export async function streamSpectrogram(
  parts: GeneratorParts,
  job: GenerationJob,
  writer: EntryWriter,
  pipeline?: GenerationPipeline,
): Promise<StreamedSpectrogram> {
  const { extractor } = parts;
  const rows = extractor.features.rows;
  const chunk = parts.chunks?.samples;
  const extractorFailed = (cause: unknown, samples: number): never => {
    if (SpgError.isInstance(cause)) throw cause;
    throw new SpgExtractorError(
      'SPG_EXTRACTOR_FAILED',
      `${extractor.id} failed on "${job.path}" (${samples} samples): ${(cause as Error)?.message ?? cause}`,
      extractor.id,
      { cause },
    );
  };
  let stream: FeatureStream | undefined;
  try {
    stream = extractor.stream?.();
  } catch (cause) {
    extractorFailed(cause, 0);
  }
  // Without a stream, the whole padded waveform is collected for `extract`.
  const whole = stream ? undefined : new Collected();
  let fed = 0;
  let appended = 0;
  const append = async (frames: Float32Array) => {
    if (frames.length === 0) return;
    await writer.append(frames);
    appended += frames.length / rows;
  };
  const toExtractor = async (samples: Float32Array) => {
    if (whole) {
      whole.append(samples);
      return;
    }
    const step = chunk ?? samples.length;
    for (let i = 0; i < samples.length; i += step) {
      const piece = step >= samples.length ? samples : samples.subarray(i, i + step);
      let frames: Float32Array;
      try {
        frames = stream!.push(piece);
      } catch (cause) {
        return extractorFailed(cause, fed + piece.length);
      }
      fed += piece.length;
      await append(frames);
    }
  };

  // A long PCM file with threads to help: its frames computed in pieces by all of them at once.
  const split = stream ? await framePiecePlan(parts, job, stream) : undefined;
  let samples: number;
  if (split) {
    samples = split.samples;
    try {
      for await (const { values } of inPieceOrder(split.pieces, split.workers)) {
        stream!.observe!(values);
        await append(values);
      }
    } catch (cause) {
      extractorFailed(cause, appended * extractor.features.hopLength);
    } finally {
      await split.close();
    }
  } else {
    samples = await resampledInto(parts, job, pipeline, toExtractor);
  }
  const warnings: string[] = [];
  if (samples < job.length) {
    const mismatch = lengthMismatch(job.path, job.length, samples, parts.windowOffset);
    if (mismatch) warnings.push(mismatch);
  }
  // Zeros at the end, to the window grid of the longer of the indexed and the decoded length (the
  // pieces were fed them already).
  if (!split) {
    const target = paddedLength(Math.max(job.length, samples), parts.windowSize, parts.windowOffset);
    const zeros = new Float32Array(Math.min(ZEROS, Math.max(0, target - samples)));
    for (let left = target - samples; left > 0; left -= zeros.length)
      await toExtractor(left >= zeros.length ? zeros : zeros.subarray(0, left));
  }

  const float16 = parts.dtype === 'float16';
  if (stream) {
    let tail: Float32Array;
    try {
      tail = stream.end();
    } catch (cause) {
      return extractorFailed(cause, fed);
    }
    await append(tail);
    const finish = stream.finish();
    if (finish.scan) await writer.pass((block) => finish.scan!(block), false);
    await writer.pass((block) => {
      finish.apply(block);
      if (float16) roundToFloat16InPlace(block);
    }, true);
  } else {
    const tensor = await extractWhole(parts, job, whole!.values(), pipeline, extractorFailed);
    checkShape(parts, job, tensor.shape);
    const frames = tensor.shape[1]!;
    // Frame-major for the writer (the tensor is mel-major).
    const frameMajor = new Float32Array(tensor.data.length);
    transposeInto(tensor.data, rows, frames, frameMajor);
    if (float16) roundToFloat16InPlace(frameMajor);
    await append(frameMajor);
  }
  checkShape(parts, job, [rows, appended]);
  // The grid is padded to the longer of the two lengths, so more frames mean longer audio.
  const gridFrames = extractorFrameCount(
    extractor,
    paddedLength(job.length, parts.windowSize, parts.windowOffset),
  );
  if (job.length > 0 && appended > gridFrames)
    warnings.push(
      `"${job.path}" decodes to more audio than its length ${job.length} in metadata.json (${appended} frames, not ${gridFrames}); windows beyond that length are not indexed — fix or remove "length".`,
    );
  return { frames: appended, samples, warnings };
}

/** An extractor that gives anything but `[rows, frameCount(padded length)]` is broken. */
function checkShape(parts: GeneratorParts, job: GenerationJob, shape: readonly number[]): void {
  const { extractor } = parts;
  const rows = extractor.features.rows;
  if (shape.length !== 2 || shape[0] !== rows) {
    throw new SpgConfigError([
      {
        path: 'extractor',
        message: `${extractor.id} returned shape [${shape.join(', ')}] for "${job.path}"; expected [rows = ${rows}, frames]`,
      },
    ]);
  }
}

/**
 * Decodes `job`'s file block by block, averages each block to mono, resamples it to
 * `parts.sampleRate` (streaming when the resampler can) and hands the samples to `deliver` in order.
 * Returns how many samples were delivered.
 */
export async function resampledInto(
  parts: GeneratorParts,
  job: GenerationJob,
  pipeline: GenerationPipeline | undefined,
  deliver: (samples: Float32Array) => Promise<void>,
): Promise<number> {
  const { resampler } = parts;
  const chunk = parts.chunks?.samples;
  let rate: number | undefined;
  let stream: ResamplerStream | undefined;
  // A resampler without `stream` gets the whole decoded signal.
  let pending: Collected | undefined;
  let delivered = 0;
  const send = async (samples: Float32Array) => {
    delivered += samples.length;
    await deliver(samples);
  };
  for await (const { mono, sampleRate } of monoBlocks(parts, job, pipeline)) {
    if (rate === undefined) {
      rate = sampleRate;
      if (rate !== parts.sampleRate) {
        stream = resampler.stream?.(rate, parts.sampleRate);
        if (!stream) pending = new Collected();
      }
    } else if (sampleRate !== rate) {
      throw decodeError(
        job.path,
        'SPG_DECODE_CORRUPT',
        `its sample rate changes from ${rate} to ${sampleRate} Hz`,
      );
    }
    if (rate === parts.sampleRate) await send(mono);
    else if (pending) pending.append(mono);
    else {
      const step = chunk ?? mono.length;
      for (let i = 0; i < mono.length; i += step)
        await send(stream!.push(step >= mono.length ? mono : mono.subarray(i, i + step)));
    }
  }
  if (stream) await send(stream.end());
  else if (pending && rate !== undefined)
    await send(resampler.resample(pending.values(), rate, parts.sampleRate));
  return delivered;
}

function decodeError(path: string, code: string, why: string, cause?: unknown): SpgDecodeError {
  const format = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return new SpgDecodeError(
    code,
    `Could not decode "${path}" (${format}): ${why}`,
    { file: path, format },
    { cause },
  );
}

/**
 * The file's audio as mono blocks at its own rate: through the decoder's `stream` (the file read in
 * ranges, or whole when it is short or the source cannot read ranges), else `decode` of the whole
 * file. Decoder failures that are not `SpgError`s become `SPG_DECODE_FAILED` naming the file.
 */
async function* monoBlocks(
  parts: GeneratorParts,
  job: GenerationJob,
  pipeline: GenerationPipeline | undefined,
): AsyncGenerator<{ mono: Float32Array; sampleRate: number }> {
  const { decoder, source } = parts;
  const path = job.path;
  const format = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const failed = (cause: unknown): never => {
    if (SpgError.isInstance(cause)) throw cause;
    throw new SpgDecodeError(
      'SPG_DECODE_FAILED',
      `Could not decode "${path}" (${format}) with ${decoder.id}: ${(cause as Error)?.message ?? cause}`,
      { file: path, format },
      { cause },
    );
  };
  const noChannels = () =>
    new SpgDecodeError('SPG_DECODE_NO_CHANNELS', `"${path}" decoded to no audio channels.`, {
      file: path,
      format,
    });
  const bytesOption = parts.chunks?.bytes;
  const whole = pipeline && bytesOption === undefined && pipeline.readsWhole(path, job.size);
  if (!decoder.stream) {
    const bytes = pipeline ? await pipeline.read(path) : await source.read(path);
    let decoded: DecodedAudio;
    try {
      decoded = await decoder.decode(bytes, { path, channels: 'mono' });
    } catch (cause) {
      return failed(cause);
    }
    if (decoded.channelData.length === 0) throw noChannels();
    yield { mono: downmix(decoded.channelData), sampleRate: decoded.sampleRate };
    return;
  }
  const input = await sourceByteInput(source, path, {
    ...(job.size !== undefined && { size: job.size }),
    ...(bytesOption !== undefined && { readSize: bytesOption }),
    ...(pipeline && { buffers: pipeline.buffers.rangeBuffers(bytesOption ?? DEFAULT_READ_BYTES) }),
    // Short files (and any file of a source without readRange) in one read, read ahead by the pipeline.
    ...(whole && { whole: () => pipeline.read(path) }),
  });
  const mixer = new MonoMixer();
  try {
    // With threads to help, a long file cut into pieces is decoded by all of them at once.
    let ranges: ByteRange[] | undefined;
    if (job.helpers?.length && input.ranged && decoder.pieces) {
      try {
        ranges = await decoder.pieces(input, { path, channels: 'mono' }, parts.chunks?.pieces ?? PIECE_BYTES);
      } catch (cause) {
        return failed(cause);
      }
    }
    const blocks = (
      ranges && ranges.length > 1
        ? pieceBlocks(decoder, path, job.size, input, ranges, job.helpers!)
        : decoder.stream(input, { path, channels: 'mono' })
    )[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<DecodedAudio>;
      try {
        next = await blocks.next();
      } catch (cause) {
        return failed(cause);
      }
      if (next.done) break;
      const block = next.value;
      if (block.channelData.length === 0) {
        await blocks.return?.(undefined);
        throw noChannels();
      }
      yield { mono: mixer.mix(block.channelData), sampleRate: block.sampleRate };
    }
  } finally {
    await input.close();
  }
}

/** Samples collected whole, for plugins without a streaming member (memory grows with the file). */
class Collected {
  #values = new Float32Array(0);
  #length = 0;

  append(samples: Float32Array): void {
    const need = this.#length + samples.length;
    if (this.#values.length < need) {
      const grown = new Float32Array(Math.max(need, Math.ceil(this.#values.length * 1.5)));
      grown.set(this.#values.subarray(0, this.#length));
      this.#values = grown;
    }
    this.#values.set(samples, this.#length);
    this.#length = need;
  }

  values(): Float32Array {
    return this.#values.subarray(0, this.#length);
  }
}

/** `extract` (or `extractInto` into a pipeline buffer) of a whole padded waveform. */
async function extractWhole(
  parts: GeneratorParts,
  _job: GenerationJob,
  padded: Float32Array,
  pipeline: GenerationPipeline | undefined,
  failed: (cause: unknown, samples: number) => never,
): Promise<Tensor> {
  const { extractor } = parts;
  try {
    if (pipeline && extractor.extractInto) {
      const count = extractor.features.rows * extractorFrameCount(extractor, padded.length);
      return await extractor.extractInto(padded, pipeline.buffers.features(count));
    }
    return await extractor.extract(padded);
  } catch (cause) {
    return failed(cause, padded.length);
  }
}

/**
 * The length in samples at `parts.sampleRate` of `job`'s file: decoded and resampled block by block
 * (bounded memory), counted, kept nowhere.
 */
export function measureSamples(
  parts: GeneratorParts,
  job: GenerationJob,
  pipeline?: GenerationPipeline,
): Promise<number> {
  return resampledInto(parts, job, pipeline, async () => {});
}
