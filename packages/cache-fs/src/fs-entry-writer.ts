import { type FileHandle, rename, unlink } from 'node:fs/promises';
import { type EntryWriter, encodeNpyHeader, float32ArrayToFloat16, type NpyDtype } from '@spgdataset/core';
import { cacheIoError } from './cache-io-error';
import { InFlight, pipelinedPass } from './pipelined-blocks';
import { bytesOf, createTemp, RESERVED_HEADER, writeAt } from './spill-io';
import { writeEntryAtomic } from './write-entry-atomic';

/** Frame-major float32 buffers reused by the writers of one cache (two: one commits while the next fills). */
export class WriterBuffers {
  readonly #free: Float32Array[] = [];
  readonly #kept: number;

  constructor(kept = 2) {
    this.#kept = kept;
  }

  take(): Float32Array {
    return this.#free.pop() ?? new Float32Array(0);
  }

  give(buffer: Float32Array): void {
    if (this.#free.length < this.#kept) this.#free.push(buffer);
  }
}

export interface FsEntryWriterInit {
  /** The entry's final path. */
  file: string;
  keyId: string;
  rows: number;
  dtype: NpyDtype;
  fsync: boolean;
  /** Bytes of frames kept in memory before the entry spills to a temporary file. */
  spillBytes: number;
  buffers: WriterBuffers;
  /** Makes the entry's folder exist (before the first file is created in it). */
  ensureDirectory(): Promise<void>;
  /** Called after the entry was renamed into place. */
  committed(): void;
}

/** Blocks the spilled values are written from while appending (one fills while the other is written). */
const APPEND_BLOCKS = 2;
/** Blocks of a pass over the spill file: one visited, the others read ahead or written behind. */
const PASS_BLOCKS = 4;

/**
 * `fsCache`'s `EntryWriter`: frames (frame-major float32) are kept in a reused buffer; an entry that
 * outgrows `spillBytes` spills to a temporary file next to the entry (`<entry>.npy.<digits>`, 128
 * bytes left for the header, then the float32 values), which `pass` reads back and rewrites in
 * blocks. `commit` writes the .npy header (Fortran order: `[rows, frames]` stored frame after frame,
 * as numpy reads it) and renames the file into place: a short entry in one `writev` of header and
 * values, a spilled float32 entry by writing its header and renaming the temporary file, a spilled
 * float16 entry by converting block by block into a second temporary file. Until `commit`, the key
 * keeps what it had; a process killed midway leaves only temporary files (removed by
 * `removeStrays`, never read as entries).
 *
 * Spilled I/O runs behind the caller: the buffer (never more than `spillBytes`) is cut into blocks,
 * appended frames fill one block while the last full one is written, and a pass reads the next
 * blocks while the caller visits one and the visited ones are written back. A long file's thread
 * keeps computing while the file system copies (it waited for every write and read before).
 */
export class FsEntryWriter implements EntryWriter {
  readonly #init: FsEntryWriterInit;
  readonly #rows: number;
  readonly #capacity: number;
  #buffer: Float32Array;
  /** Values in the buffer (not yet in the spill file). */
  #buffered = 0;
  /** Values in the spill file or on their way to it (after its header). */
  #spilled = 0;
  #spill: { path: string; handle: FileHandle } | undefined;
  /** Once spilled: the blocks appended values fill, the one filling, and each one's write in flight. */
  #blocks: Float32Array[] = [];
  #filling = 0;
  #writes: (Promise<void> | undefined)[] = [];
  readonly #inFlight = new InFlight();
  #frames = 0;
  #closed = false;

  constructor(init: FsEntryWriterInit) {
    this.#init = init;
    this.#rows = init.rows;
    // Whole frames, at least one.
    this.#capacity = Math.max(init.rows, Math.floor(init.spillBytes / 4 / init.rows) * init.rows);
    this.#buffer = init.buffers.take();
  }

  get frames(): number {
    return this.#frames;
  }

  /**
   * A frame-major scratch array of `values` values for the caller to fill and pass to `append` (put
   * uses it to transpose a tensor without a new array per entry): the end of this writer's own
   * buffer when it has room, else a new array.
   */
  scratch(values: number): Float32Array {
    if (this.#buffered !== 0 || this.#spill || values > this.#capacity) return new Float32Array(values);
    this.#grow(values);
    return this.#buffer.subarray(0, values);
  }

  async append(values: Float32Array): Promise<void> {
    this.#checkOpen('append');
    if (values.length % this.#rows !== 0)
      throw new RangeError(`append() takes whole frames of ${this.#rows} values (got ${values.length})`);
    const need = this.#buffered + values.length;
    if (!this.#spill && need <= this.#capacity) {
      this.#grow(need);
      // Values already in place (from `scratch`) need no copy.
      if (values.buffer !== this.#buffer.buffer || values.byteOffset !== this.#buffered * 4)
        this.#buffer.set(values, this.#buffered);
      this.#buffered = need;
    } else {
      await this.#io(async () => {
        if (!this.#spill) await this.#startSpill();
        await this.#appendSpilled(values);
      });
    }
    this.#frames += values.length / this.#rows;
  }

  async pass(visit: (block: Float32Array, first: number) => void, rewrite: boolean): Promise<void> {
    this.#checkOpen('pass');
    if (!this.#spill) {
      visit(this.#buffer.subarray(0, this.#buffered), 0);
      return;
    }
    await this.#io(async () => {
      await this.#drain();
      const { handle } = this.#spill!;
      const blocks = this.#carve(PASS_BLOCKS);
      const size = blocks[0]!.length;
      await pipelinedPass({
        handle,
        total: this.#spilled,
        rows: this.#rows,
        blocks,
        visit,
        ...(rewrite && {
          sink: (block, index) => writeAt(handle, bytesOf(block), RESERVED_HEADER + index * size * 4),
        }),
      });
    });
  }

  async commit(): Promise<boolean> {
    this.#checkOpen('commit');
    this.#closed = true;
    const { file, dtype, fsync, rows } = this.#init;
    const shape = [rows, this.#frames];
    try {
      await this.#io(async () => {
        if (!this.#spill) {
          const values = this.#buffer.subarray(0, this.#buffered);
          const stored = dtype === 'float16' ? float32ArrayToFloat16(values) : values;
          await this.#init.ensureDirectory();
          await writeEntryAtomic(file, [encodeNpyHeader(shape, dtype, 'F'), bytesOf(stored)], { fsync });
          return;
        }
        await this.#drain();
        const spill = this.#spill;
        if (dtype === 'float32') {
          const header = encodeNpyHeader(shape, 'float32', 'F', RESERVED_HEADER);
          // Every 2-D header fits in 128 bytes (dims below 2^53 take at most 16 digits each).
          if (header.length !== RESERVED_HEADER)
            throw new Error(`the header of shape (${shape}) does not fit ${RESERVED_HEADER} bytes`);
          await writeAt(spill.handle, header, 0);
          if (fsync) await spill.handle.datasync();
          await spill.handle.close();
          await rename(spill.path, file);
        } else {
          await this.#commitHalf(shape);
        }
        this.#spill = undefined;
      });
      this.#init.committed();
    } catch (error) {
      await this.#discard();
      throw error;
    } finally {
      this.#release();
    }
    return true;
  }

  async abort(): Promise<void> {
    if (this.#closed && !this.#spill) return;
    this.#closed = true;
    await this.#discard();
    this.#release();
  }

  /** float16: the spilled float32 values converted block by block into a second temporary file. */
  async #commitHalf(shape: number[]): Promise<void> {
    const spill = this.#spill!;
    const { file, fsync } = this.#init;
    const target = await createTemp(file);
    try {
      const header = encodeNpyHeader(shape, 'float16', 'F');
      await writeAt(target.handle, header, 0);
      const blocks = this.#carve(PASS_BLOCKS);
      // One float16 block per float32 block: a block's conversion is reused once its write finished.
      const halves = blocks.map((block) => new Uint16Array(block.length));
      await pipelinedPass({
        handle: spill.handle,
        total: this.#spilled,
        rows: this.#rows,
        blocks,
        visit() {},
        sink: (block, index) => {
          const half = float32ArrayToFloat16(block, halves[index % halves.length]!.subarray(0, block.length));
          return writeAt(target.handle, bytesOf(half), header.length + index * blocks[0]!.length * 2);
        },
      });
      if (fsync) await target.handle.datasync();
      await target.handle.close();
      await rename(target.path, file);
    } catch (error) {
      await target.handle.close().catch(() => {});
      await unlink(target.path).catch(() => {});
      throw error;
    }
    await spill.handle.close().catch(() => {});
    await unlink(spill.path).catch(() => {});
  }

  /** Creates the spill file and writes the buffered values after its reserved header. */
  async #startSpill(): Promise<void> {
    await this.#init.ensureDirectory();
    this.#spill = await createTemp(this.#init.file);
    if (this.#buffered > 0) {
      await writeAt(this.#spill.handle, bytesOf(this.#buffer.subarray(0, this.#buffered)), RESERVED_HEADER);
      this.#spilled = this.#buffered;
      this.#buffered = 0;
    }
    this.#blocks = this.#carve(APPEND_BLOCKS);
    this.#filling = 0;
    this.#writes = [];
  }

  /** Copies `values` into the filling block, writing each block that fills behind the caller. */
  async #appendSpilled(values: Float32Array): Promise<void> {
    const blockSize = this.#blocks[0]!.length;
    if (values.length >= blockSize) {
      // Big pieces go straight to the file; the caller may reuse them once this resolves.
      this.#seal();
      const at = this.#spilled;
      this.#spilled += values.length;
      await writeAt(this.#spill!.handle, bytesOf(values), RESERVED_HEADER + at * 4);
      await this.#blockFree();
      return;
    }
    for (let at = 0; at < values.length; ) {
      const block = this.#blocks[this.#filling]!;
      const count = Math.min(blockSize - this.#buffered, values.length - at);
      block.set(values.subarray(at, at + count), this.#buffered);
      this.#buffered += count;
      at += count;
      if (this.#buffered === blockSize) {
        this.#seal();
        await this.#blockFree();
      }
    }
  }

  /** Starts writing the filling block's values and moves on to the next block. */
  #seal(): void {
    if (this.#buffered === 0) return;
    const values = this.#blocks[this.#filling]!.subarray(0, this.#buffered);
    this.#writes[this.#filling] = this.#inFlight.track(
      writeAt(this.#spill!.handle, bytesOf(values), RESERVED_HEADER + this.#spilled * 4),
    );
    this.#spilled += this.#buffered;
    this.#buffered = 0;
    this.#filling = (this.#filling + 1) % this.#blocks.length;
  }

  /** Waits for the filling block's last write (its values must be in the file before it is refilled). */
  async #blockFree(): Promise<void> {
    const write = this.#writes[this.#filling];
    this.#writes[this.#filling] = undefined;
    await write;
  }

  /** Writes what the blocks hold and waits for every write. */
  async #drain(): Promise<void> {
    this.#seal();
    const writes = this.#writes;
    this.#writes = [];
    await Promise.all(writes);
  }

  /** `count` equal blocks of whole frames cut from the buffer (grown to the capacity if needed). */
  #carve(count: number): Float32Array[] {
    const rows = this.#rows;
    const size = Math.max(rows, Math.floor(this.#capacity / count / rows) * rows);
    if (this.#buffer.length < size * count) this.#buffer = new Float32Array(size * count);
    return Array.from({ length: count }, (_, i) => this.#buffer.subarray(i * size, (i + 1) * size));
  }

  /** Makes the buffer hold at least `values` values (keeping what it holds), up to the capacity. */
  #grow(values: number): void {
    if (this.#buffer.length >= values) return;
    const grown = new Float32Array(
      Math.min(this.#capacity, Math.max(values, Math.ceil(this.#buffer.length * 1.5))),
    );
    grown.set(this.#buffer.subarray(0, this.#buffered));
    this.#buffer = grown;
  }

  async #discard(): Promise<void> {
    // No write may land in (or hold) a file that is being removed.
    await this.#inFlight.settle();
    const spill = this.#spill;
    this.#spill = undefined;
    if (!spill) return;
    await spill.handle.close().catch(() => {});
    await unlink(spill.path).catch(() => {});
  }

  #release(): void {
    if (this.#buffer.length > 0) this.#init.buffers.give(this.#buffer);
    this.#buffer = new Float32Array(0);
    this.#blocks = [];
  }

  #checkOpen(method: string): void {
    if (this.#closed)
      throw new Error(`fsCache writer of ${this.#init.file}: ${method}() after commit() or abort()`);
  }

  /** Runs file work, turning file system errors into `SpgCacheError`s naming the entry. */
  async #io(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw cacheIoError('put', this.#spill?.path ?? this.#init.file, error, this.#init.keyId);
    }
  }
}
