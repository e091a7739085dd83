/**
 * The memory one generation pipeline reuses from file to file: two read buffers (the next file is
 * read into one while the current file's bytes sit in the other), the decoded waveform with room
 * for its padding, a padded copy when resampling made a new array, and two feature buffers (one
 * file's entry can still be writing while the next is computed).
 *
 * Why: every fresh array costs more than its computation. The first write to a new page costs the
 * kernel a page fault (about 11 us per 4 KiB on the development VM, against 0.2 us when memory is
 * reused), and each file's transient arrays pushed V8 into a full collection every few files.
 * Buffers grow by 1.5x and are never shrunk while the pipeline lives (one build, or one worker).
 */
export class GenerationBuffers {
  readonly #reads: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];
  #nextRead = 0;
  #waveform = new Float32Array(0);
  #padded = new Float32Array(0);
  readonly #features: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  #nextFeatures = 0;

  /** The read buffer to use next (the two alternate) and its slot, for `readDone`. */
  takeReadBuffer(): { slot: number; buffer: Uint8Array } {
    const slot = this.#nextRead;
    this.#nextRead = 1 - slot;
    return { slot, buffer: this.#reads[slot]! };
  }

  /** After a read that did not fit `slot`'s buffer, grows it so the next file of that size will. */
  readDone(slot: number, bytes: Uint8Array): void {
    const buffer = this.#reads[slot]!;
    if (bytes.buffer !== buffer.buffer && bytes.length > buffer.length)
      this.#reads[slot] = new Uint8Array(grown(buffer.length, bytes.length));
  }

  /** Whether `bytes` is (a view of) one of the read buffers. */
  isReadBuffer(bytes: Uint8Array): boolean {
    return bytes.buffer === this.#reads[0]!.buffer || bytes.buffer === this.#reads[1]!.buffer;
  }

  /**
   * A waveform of `length` values (contents undefined) whose buffer has room for `capacity`, so
   * padding it to the window grid needs no copy. Valid until the next call.
   */
  waveform(length: number, capacity: number): Float32Array {
    const need = Math.max(length, capacity);
    if (this.#waveform.length < need) this.#waveform = new Float32Array(grown(this.#waveform.length, need));
    return this.#waveform.subarray(0, length);
  }

  /**
   * `waveform` zero-padded at the end to `target` values: in place when it is the buffer of
   * `waveform()` with room, else copied into a reused buffer. Longer waveforms are cut to `target`.
   */
  pad(waveform: Float32Array, target: number): Float32Array {
    const own = this.#waveform;
    if (waveform.buffer === own.buffer && waveform.byteOffset === own.byteOffset && own.length >= target) {
      if (waveform.length < target) own.fill(0, waveform.length, target);
      return own.subarray(0, target);
    }
    if (this.#padded.length < target) this.#padded = new Float32Array(grown(this.#padded.length, target));
    const out = this.#padded.subarray(0, target);
    const kept = Math.min(target, waveform.length);
    out.set(waveform.subarray(0, kept));
    out.fill(0, kept);
    return out;
  }

  /** Whether `values` lies in one of this pipeline's buffers (so it may be changed in place). */
  owns(values: Float32Array): boolean {
    const b = values.buffer;
    return (
      b === this.#waveform.buffer ||
      b === this.#padded.buffer ||
      b === this.#features[0]!.buffer ||
      b === this.#features[1]!.buffer
    );
  }

  /** A feature buffer of at least `count` values; the two buffers alternate between calls. */
  features(count: number): Float32Array {
    const slot = this.#nextFeatures;
    this.#nextFeatures = 1 - slot;
    const current = this.#features[slot]!;
    if (current.length < count) this.#features[slot] = new Float32Array(grown(current.length, count));
    return this.#features[slot]!;
  }
}

/** A new capacity of at least `need`, growing `current` by 1.5x so slowly rising sizes stay cheap. */
function grown(current: number, need: number): number {
  return Math.max(need, Math.ceil(current * 1.5));
}
