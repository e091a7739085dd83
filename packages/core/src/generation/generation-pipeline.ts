import type { CacheKey } from '../cache/cache-key';
import type { EntryWriter, SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { GenerationBuffers } from './generation-buffers';
import type { GeneratorParts } from './generator-parts';

/**
 * Files up to this size are read whole (in one read, the next one read ahead while the current one
 * is computed); longer ones, from a source with `readRange`, are read in ranges (bounded memory).
 */
export const WHOLE_READ_LIMIT = 8 * 2 ** 20;

interface PendingRead {
  path: string;
  slot: number;
  bytes: Promise<Uint8Array>;
}

/**
 * Generation of one file after the other in one thread, overlapped and without fresh memory:
 * - the next file (from `expect`) is read while the current one is decoded and computed;
 * - every array comes from `buffers` (reused from file to file);
 * - an entry is written while the next file is computed (`store` waits for the previous write
 *   only), so its tensor stays untouched until that write is done: feature buffers alternate.
 * Everything it hands out is borrowed: a waveform until the next `read`, a tensor until the
 * `store` after next. `finish()` waits for the last write and reports its error.
 */
export class GenerationPipeline {
  readonly parts: GeneratorParts;
  readonly buffers = new GenerationBuffers();
  #upcoming: readonly string[] = [];
  #sizes: ReadonlyMap<string, number> = new Map();
  #position = 0;
  #pending: PendingRead | undefined;
  #writing: Promise<unknown> | undefined;
  #busy = false;

  constructor(parts: GeneratorParts) {
    this.parts = parts;
  }

  /**
   * Takes the pipeline for one file's work, or returns false when another task of this thread has it
   * (that task then works with fresh arrays). Give it back with `release()`.
   */
  acquire(): boolean {
    if (this.#busy) return false;
    this.#busy = true;
    return true;
  }

  release(): void {
    this.#busy = false;
  }

  /**
   * The paths `read` will be asked for next, in order, so each can be read while the one before is
   * computed. With `sizes` (bytes, in the same order), only files that are read whole are read ahead
   * (see `readsWhole`).
   */
  expect(paths: readonly string[], sizes?: readonly number[]): void {
    this.#upcoming = paths;
    this.#position = 0;
    this.#sizes = new Map(sizes ? paths.map((p, i) => [p, sizes[i]!]) : []);
  }

  /**
   * Whether `path` (of `size` bytes, when known) is read whole with `read`: always from a source
   * without `readRange`; from one with it, when its size is known and at most `WHOLE_READ_LIMIT`.
   */
  readsWhole(path: string, size = this.#sizes.get(path)): boolean {
    return !this.parts.source.readRange || (size !== undefined && size <= WHOLE_READ_LIMIT);
  }

  /** The bytes of `path` (borrowed: valid until the read after next). */
  async read(path: string): Promise<Uint8Array> {
    let pending = this.#pending;
    this.#pending = undefined;
    if (pending && pending.path !== path) {
      // Not the file expected: let that read end before its buffer is used again.
      await pending.bytes.catch(() => undefined);
      pending = undefined;
    }
    const current = pending ?? this.#start(path);
    // Start the next expected file now, into the other buffer.
    const at = this.#upcoming.indexOf(path, this.#position);
    if (at >= 0) {
      this.#position = at + 1;
      const next = this.#upcoming[this.#position];
      if (next !== undefined && this.readsWhole(next)) {
        this.#pending = this.#start(next);
        this.#pending.bytes.catch(() => {}); // reported when (if) it is asked for
      }
    }
    return current.bytes;
  }

  #start(path: string): PendingRead {
    const { slot, buffer } = this.buffers.takeReadBuffer();
    const bytes = this.parts.source.read(path, buffer).then((read) => {
      this.buffers.readDone(slot, read);
      return read;
    });
    return { path, slot, bytes };
  }

  /**
   * Writes `tensor` under `key` once the previous write is done, without waiting for this one (its
   * error surfaces at the next `store` or at `finish`).
   */
  async store(cache: SpectrogramCache, key: CacheKey, tensor: Tensor): Promise<void> {
    await this.#writing;
    const writing = cache.put(key, tensor);
    writing.catch(() => {});
    this.#writing = writing;
  }

  /**
   * Commits `writer` once the previous write is done, without waiting for this one (its error
   * surfaces at the next `store`/`commit` or at `finish`). Resolves to the previous write's result.
   */
  async commit(writer: EntryWriter): Promise<void> {
    await this.#writing;
    const writing = writer.commit();
    writing.catch(() => {});
    this.#writing = writing;
  }

  /** Waits for the write in flight (and rethrows its error), e.g. before a memory writer's result is needed. */
  async written(): Promise<unknown> {
    return this.#writing;
  }

  /**
   * Calls `callback` once every write started so far is done (now, when none is in flight), so a
   * progress report never runs ahead of what is on disk. Not called when that write fails.
   */
  whenWritten(callback: () => void): void {
    const writing = this.#writing;
    if (writing) writing.then(callback, () => {});
    else callback();
  }

  /** Waits for the last write (and rethrows its error); drops a read started for a file never asked for. */
  async finish(): Promise<void> {
    const writing = this.#writing;
    this.#writing = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    await pending?.bytes.catch(() => undefined);
    await writing;
  }
}
