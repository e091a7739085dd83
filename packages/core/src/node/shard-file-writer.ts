import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes one shard to a temporary file in the shard's folder (`.<name>.<pid>.tmp`), hashing as it
 * goes, and renames it to its final name only when complete and synced: a crash never leaves a
 * partial shard under its final name.
 */
export class ShardFileWriter {
  readonly name: string;
  readonly path: string;
  readonly #temp: string;
  readonly #handle: FileHandle;
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;

  private constructor(dir: string, name: string, handle: FileHandle, temp: string) {
    this.name = name;
    this.path = join(dir, name);
    this.#handle = handle;
    this.#temp = temp;
  }

  static async create(dir: string, name: string): Promise<ShardFileWriter> {
    const temp = join(dir, `.${name}.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    return new ShardFileWriter(dir, name, handle, temp);
  }

  get bytes(): number {
    return this.#bytes;
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    for (const chunk of chunks) this.#hash.update(chunk);
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    let written = 0;
    const views = [...chunks];
    while (written < size) {
      const { bytesWritten } = await this.#handle.writev(views);
      written += bytesWritten;
      if (written < size) {
        // A short write: go on from where it stopped.
        let skip = bytesWritten;
        while (views.length && skip >= views[0]!.length) skip -= views.shift()!.length;
        if (skip > 0) views[0] = views[0]!.subarray(skip);
      }
    }
    this.#bytes += size;
  }

  /** Syncs (unless told not to), closes and renames; returns the shard's SHA-256 (hex). */
  async finish(fsync: boolean): Promise<string> {
    if (fsync) await this.#handle.sync();
    await this.#handle.close();
    await rename(this.#temp, this.path);
    return this.#hash.digest('hex');
  }

  /** Closes and deletes the temporary file (after a failure). */
  async abort(): Promise<void> {
    await this.#handle.close().catch(() => {});
    await rm(this.#temp, { force: true });
  }
}
