import type { ByteInput } from '../contracts/audio-decoder';
import type { ResamplerStream } from '../contracts/resampler';
import { pcmToMono } from '../decode/convert-pcm';
import { CORE_DECODER_ID } from '../decode/core-decoder-id';
import { MonoMixer } from '../decode/mono-mixer';
import type { PcmLayout } from '../decode/pcm-layout';
import { pcmLayoutAt } from '../decode/pcm-layout-at';
import { readPcmFrames } from '../decode/read-pcm-frames';
import { type SourceByteInput, sourceByteInput } from '../decode/source-byte-input';
import { SpgDecodeError } from '../errors/spg-decode-error';
import { SpgError } from '../errors/spg-error';
import type { GeneratorParts } from '../generation/generator-parts';

/** Files whose PCM layout is kept. */
const LAYOUTS = 16;

/** A file being decoded from its start, kept between calls so consecutive windows continue it. */
interface Cursor {
  path: string;
  input: SourceByteInput;
  /** Mono blocks at the target rate; `null` when the file needs the whole-file path. */
  blocks: AsyncIterator<Float32Array | null>;
  /** Samples `[kept, decoded)` of the file, the last ones decoded (at most `keep`). */
  tail: Float32Array;
  kept: number;
  decoded: number;
}

/**
 * Windows of the mono waveform at the dataset's rate of long files, read without decoding the
 * whole file into memory: the same samples as `loadWaveform(...).subarray(start, start + length)`
 * (zero-padded past the end), bit for bit. WAV/AIFF PCM at the target rate decoded by core's
 * decoder: a positional read of just those frames. Anything else (codec formats, another rate):
 * the decoder's `stream` from the file's start (through the resampler's `stream` at another rate),
 * a cursor kept so the following windows continue where the last one ended; a window before the
 * cursor decodes from the start again (bounded memory, time growing with the window's position).
 * A decoder without `stream`, a resampler without `stream` (at another rate) or a source without
 * `readRange`: `whole()`.
 */
export class AudioWindows {
  readonly #parts: GeneratorParts;
  #cursor: Cursor | undefined;
  /** Files found to need the whole-file path (another rate), by path. */
  readonly #whole = new Set<string>();
  /**
   * PCM layouts of recent files (`null`: not PCM at the target rate), read once: the files of an
   * open dataset do not change (their index says what they hold).
   */
  readonly #layouts = new Map<string, PcmLayout | null>();
  /** Calls run one after the other (they share the cursor). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(parts: GeneratorParts) {
    this.#parts = parts;
  }

  /** Samples `[start, start + length)` of `path`'s waveform; `whole` loads the whole waveform. */
  read(
    path: string,
    start: number,
    length: number,
    whole: () => Promise<Float32Array>,
  ): Promise<Float32Array> {
    const run = this.#queue.then(() => this.#read(path, start, length, whole));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Ends a file kept open between windows. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#drop();
  }

  async #read(
    path: string,
    start: number,
    length: number,
    whole: () => Promise<Float32Array>,
  ): Promise<Float32Array> {
    const { source, decoder } = this.#parts;
    const fromWhole = async () => {
      const waveform = await whole();
      const out = new Float32Array(length);
      out.set(waveform.subarray(start, Math.min(waveform.length, start + length)));
      return out;
    };
    if (!source.readRange || !decoder.stream || this.#whole.has(path)) return fromWhole();
    if (decoder.id === CORE_DECODER_ID) {
      const pcm = await this.#pcm(path, start, length);
      if (pcm) return pcm;
    }
    const out = await this.#streamed(path, start, length);
    if (out) return out;
    this.#whole.add(path);
    return fromWhole();
  }

  /** WAV/AIFF PCM at the target rate: just the window's frames; undefined for anything else. */
  async #pcm(path: string, start: number, length: number): Promise<Float32Array | undefined> {
    const { source } = this.#parts;
    let layout = this.#layouts.get(path);
    if (layout === undefined) {
      layout = (await this.#layout(path)) ?? null;
      this.#layouts.set(path, layout);
      if (this.#layouts.size > LAYOUTS) this.#layouts.delete(this.#layouts.keys().next().value!);
    }
    if (!layout) return undefined;
    const out = new Float32Array(length);
    const end = Math.min(layout.frames, start + length);
    if (end <= start) return out;
    const read = (offset: number, count: number) => source.readRange!(path, offset, count);
    pcmToMono(await readPcmFrames(read, path, layout, start, end - start), layout, out, 0);
    return out;
  }

  /** The file's PCM layout when it is WAV/AIFF PCM at the target rate, else undefined. */
  #layout(path: string): Promise<PcmLayout | undefined> {
    return pcmLayoutAt(this.#parts.source, path, this.#parts.sampleRate);
  }

  /** The window from the decoder's stream; undefined when the file is not at the target rate. */
  async #streamed(path: string, start: number, length: number): Promise<Float32Array | undefined> {
    const out = new Float32Array(length);
    const end = start + length;
    let cursor = this.#cursor;
    if (!cursor || cursor.path !== path || start < cursor.kept) cursor = await this.#open(path, length);
    else if (cursor.tail.length < length) cursor.tail = grown(cursor, length);
    // What was kept of the last windows.
    copyOverlap(cursor.tail, cursor.kept, cursor.decoded, out, start, end);
    while (cursor.decoded < end) {
      let next: IteratorResult<Float32Array | null>;
      try {
        next = await cursor.blocks.next();
      } catch (cause) {
        await this.#drop();
        throw decodeError(this.#parts, path, cause);
      }
      if (next.done) break;
      const mono = next.value;
      if (!mono) {
        await this.#drop();
        return undefined;
      }
      copyOverlap(mono, cursor.decoded, cursor.decoded + mono.length, out, start, end);
      keep(cursor, mono);
    }
    return out;
  }

  async #open(path: string, keepSamples: number): Promise<Cursor> {
    await this.#drop();
    const input = await sourceByteInput(this.#parts.source, path, {
      ...(this.#parts.chunks?.bytes !== undefined && { readSize: this.#parts.chunks.bytes }),
    });
    this.#cursor = {
      path,
      input,
      blocks: targetRateBlocks(this.#parts, input, path),
      tail: new Float32Array(keepSamples),
      kept: 0,
      decoded: 0,
    };
    return this.#cursor;
  }

  async #drop(): Promise<void> {
    const cursor = this.#cursor;
    this.#cursor = undefined;
    if (!cursor) return;
    await cursor.blocks.return?.().catch(() => undefined);
    await cursor.input.close();
  }
}

/**
 * The file's mono samples at the target rate, block by block: the decoder's stream averaged to mono
 * and, at another rate, fed through the resampler's stream (whose outputs joined equal `resample`
 * of the whole signal, bit for bit). Yields `null` and stops when the resampler cannot stream.
 */
async function* targetRateBlocks(
  parts: GeneratorParts,
  input: ByteInput,
  path: string,
): AsyncGenerator<Float32Array | null> {
  const mixer = new MonoMixer();
  let resampling: ResamplerStream | undefined;
  let rate = 0;
  for await (const block of parts.decoder.stream!(input, { path, channels: 'mono' })) {
    if (rate === 0) {
      rate = block.sampleRate;
      if (rate !== parts.sampleRate) {
        if (!parts.resampler.stream) {
          yield null;
          return;
        }
        resampling = parts.resampler.stream(rate, parts.sampleRate);
      }
    }
    const mono = mixer.mix(block.channelData);
    yield resampling ? resampling.push(mono) : mono;
  }
  if (resampling) yield resampling.end();
}

/** Copies the samples of `[from, to)` held in `data` (sample `from` at index 0) that fall in `[start, end)` into `out`. */
function copyOverlap(
  data: Float32Array,
  from: number,
  to: number,
  out: Float32Array,
  start: number,
  end: number,
): void {
  const a = Math.max(from, start);
  const b = Math.min(to, end);
  if (b > a) out.set(data.subarray(a - from, b - from), a - start);
}

/** Appends `mono` to the cursor's tail, keeping its last `tail.length` samples. */
function keep(cursor: Cursor, mono: Float32Array): void {
  const { tail } = cursor;
  const size = tail.length;
  const held = cursor.decoded - cursor.kept;
  if (mono.length >= size) {
    tail.set(mono.subarray(mono.length - size));
  } else {
    const stay = Math.min(held, size - mono.length);
    tail.copyWithin(0, held - stay, held);
    tail.set(mono, stay);
  }
  cursor.decoded += mono.length;
  cursor.kept = cursor.decoded - Math.min(size, held + mono.length);
}

/** The cursor's tail in a larger array (a longer window than before). */
function grown(cursor: Cursor, size: number): Float32Array {
  const tail = new Float32Array(size);
  tail.set(cursor.tail.subarray(0, cursor.decoded - cursor.kept));
  return tail;
}

function decodeError(parts: GeneratorParts, path: string, cause: unknown): Error {
  if (SpgError.isInstance(cause)) return cause;
  const format = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return new SpgDecodeError(
    'SPG_DECODE_FAILED',
    `Could not decode "${path}" (${format}) with ${parts.decoder.id}: ${(cause as Error)?.message ?? cause}`,
    { file: path, format },
    { cause },
  );
}
