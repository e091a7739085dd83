import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { type EntryWriter, encodeNpyHeader, float32ArrayToFloat16, type NpyDtype } from '@spgdataset/core';
import { cacheIoError } from './cache-io-error';
import { writeEntryAtomic } from './write-entry-atomic';

/** Header bytes reserved at the start of a spilled entry: the header of any `[rows, frames]` shape fits. */
export const RESERVED_HEADER = 128;
const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

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

/** A temporary file next to the entry, named `<entry>.<digits>` (what `removeStrays` recognises). */
async function createTemp(file: string): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const path = `${file}.${Math.floor(Math.random() * 2 ** 47)}`;
    try {
      return { path, handle: await open(path, 'wx+') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

function bytesOf(values: Float32Array | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (littleEndianHost) return bytes;
  const copy = bytes.slice();
  const width = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  return copy;
}

async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

async function readAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
    if (bytesRead === 0) throw new Error(`the temporary file ended at byte ${position + done}`);
    done += bytesRead;
  }
}

/**
 * `fsCache`'s `EntryWriter`: frames (frame-major float32) are kept in a reused buffer; an entry that
 * outgrows `spillBytes` spills to a temporary file next to the entry (`<entry>.npy.<digits>`, 128
 * bytes left for the header, then the float32 values), which `pass` reads back and rewrites in
 * blocks of the buffer's size. `commit` writes the .npy header (Fortran order: `[rows, frames]`
 * stored frame after frame, as numpy reads it) and renames the file into place: a short entry in one
 * `writev` of header and values, a spilled float32 entry by writing its header and renaming the
 * temporary file, a spilled float16 entry by converting block by block into a second temporary
 * file. Until `commit`, the key keeps what it had; a process killed midway leaves only temporary
 * files (removed by `removeStrays`, never read as entries).
 */
export class FsEntryWriter implements EntryWriter {
  readonly #init: FsEntryWriterInit;
  readonly #rows: number;
  readonly #capacity: number;
  #buffer: Float32Array;
  /** Values in the buffer (not yet in the spill file). */
  #buffered = 0;
  /** Values already in the spill file (after its header). */
  #spilled = 0;
  #spill: { path: string; handle: FileHandle } | undefined;
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
        if (need > this.#capacity) await this.#flush();
        if (values.length >= this.#capacity) {
          await writeAt(this.#spill!.handle, bytesOf(values), RESERVED_HEADER + this.#spilled * 4);
          this.#spilled += values.length;
        } else {
          this.#grow(this.#buffered + values.length);
          this.#buffer.set(values, this.#buffered);
          this.#buffered += values.length;
        }
      });
    }
    this.#frames += values.length / this.#rows;
  }

  async pass(visit: (block: Float32Array, first: number) => void, rewrite: boolean): Promise<void> {
    this.#checkOpen('pass');
    const rows = this.#rows;
    if (!this.#spill) {
      visit(this.#buffer.subarray(0, this.#buffered), 0);
      return;
    }
    await this.#io(async () => {
      await this.#flush();
      this.#grow(this.#capacity);
      const total = this.#spilled;
      for (let at = 0; at < total; at += this.#capacity) {
        const block = this.#buffer.subarray(0, Math.min(this.#capacity, total - at));
        const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
        await readAt(this.#spill!.handle, bytes, RESERVED_HEADER + at * 4);
        if (!littleEndianHost) bytes.set(bytesOf(new Float32Array(bytes.slice().buffer)));
        visit(block, at / rows);
        if (rewrite) await writeAt(this.#spill!.handle, bytesOf(block), RESERVED_HEADER + at * 4);
      }
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
        await this.#flush();
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
      this.#grow(this.#capacity);
      const half = new Uint16Array(this.#capacity);
      for (let at = 0; at < this.#spilled; at += this.#capacity) {
        const block = this.#buffer.subarray(0, Math.min(this.#capacity, this.#spilled - at));
        const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
        await readAt(spill.handle, bytes, RESERVED_HEADER + at * 4);
        if (!littleEndianHost) bytes.set(bytesOf(new Float32Array(bytes.slice().buffer)));
        const converted = float32ArrayToFloat16(block, half.subarray(0, block.length));
        await writeAt(target.handle, bytesOf(converted), header.length + at * 2);
      }
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
    await this.#flush();
  }

  /** Writes the buffered values to the spill file. */
  async #flush(): Promise<void> {
    if (this.#buffered === 0) return;
    const values = this.#buffer.subarray(0, this.#buffered);
    await writeAt(this.#spill!.handle, bytesOf(values), RESERVED_HEADER + this.#spilled * 4);
    this.#spilled += this.#buffered;
    this.#buffered = 0;
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
    const spill = this.#spill;
    this.#spill = undefined;
    if (!spill) return;
    await spill.handle.close().catch(() => {});
    await unlink(spill.path).catch(() => {});
  }

  #release(): void {
    if (this.#buffer.length > 0) this.#init.buffers.give(this.#buffer);
    this.#buffer = new Float32Array(0);
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
