import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '@noble/hashes/utils';
import { SpgShardError } from '../errors/spg-shard-error';
import { decodeShardSample, type ShardItem, type ShardSampleSpec, tensorFields } from './shard-sample';
import type { ShardSource } from './shard-source';
import { TarParser } from './tar-parser';

/** SHA-256 (hex) of bytes, asynchronously (Web Crypto where present: native, off the main thread in Node). */
export type AsyncDigest = (bytes: Uint8Array) => Promise<string>;

/** Web Crypto's SHA-256 when the platform has it (browsers in secure contexts, Node >= 19), else @noble/hashes. */
export const defaultDigest: AsyncDigest = async (bytes) => {
  const subtle = globalThis.crypto?.subtle;
  if (subtle)
    return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  return bytesToHex(sha256(bytes));
};

/** What one shard is, for the reader. */
export interface ShardTarget {
  /** Manifest index. */
  index: number;
  url: string;
  items: number;
  bytes: number;
}

/** The key of a member name (webdataset's rule: the basename up to its first dot) and its field. */
function splitName(name: string): [key: string, field: string] {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot < 0 ? [base, ''] : [base.slice(0, dot), base.slice(dot + 1)];
}

/**
 * Reads samples of one shard in increasing sample order, skipping (without copying or decoding)
 * those not asked for. Each sample comes back as a promise that settles once its digest is checked
 * (when `digest` is given), so several checks run while the stream goes on.
 */
export class ShardStream {
  readonly shard: ShardTarget;
  readonly #spec: ShardSampleSpec;
  readonly #digest: AsyncDigest | undefined;
  readonly #parser: TarParser;
  readonly #chunks: AsyncIterator<Uint8Array>;
  readonly #expected: number;
  /** Sample index of the member header parsed last, -1 before the first. */
  #headerIndex = -1;
  #headerKey: string | undefined;
  #target = 0;
  /** The next sample index `take` may ask for. */
  #next = 0;
  #closed = false;

  constructor(
    shard: ShardTarget,
    source: ShardSource,
    spec: ShardSampleSpec,
    digest: AsyncDigest | undefined,
  ) {
    this.shard = shard;
    this.#spec = spec;
    this.#digest = digest;
    this.#parser = new TarParser(shard.url);
    this.#chunks = source.open(shard.url, { bytes: shard.bytes })[Symbol.asyncIterator]();
    this.#expected = tensorFields(spec.outputConfiguration).length + 1;
  }

  /** The smallest sample index `take` accepts next. */
  get nextIndex(): number {
    return this.#next;
  }

  readonly #want = (name: string): boolean => {
    const [key] = splitName(name);
    if (key !== this.#headerKey) {
      this.#headerKey = key;
      this.#headerIndex++;
    }
    return this.#headerIndex === this.#target;
  };

  async #member() {
    for (;;) {
      const member = this.#parser.next(this.#want);
      if (member !== undefined) return member;
      const chunk = await this.#chunks.next();
      if (chunk.done) this.#parser.finish();
      else this.#parser.push(chunk.value);
    }
  }

  #corrupt(offset: number, problem: string): SpgShardError {
    const url = this.shard.url;
    return new SpgShardError(
      'SPG_SHARD_CORRUPT',
      `Shard ${url} is corrupt at byte ${offset}: ${problem}. Export the shard again (or restore it from a copy).`,
      { url, offset },
    );
  }

  /**
   * Sample `index` (>= nextIndex); the samples before it are skipped. The item comes wrapped so
   * that its digest check goes on while the caller reads further.
   */
  async take(index: number): Promise<{ item: Promise<ShardItem> }> {
    if (index < this.#next || index >= this.shard.items)
      throw new RangeError(
        `sample ${index} of ${this.shard.url}: expected an index in [${this.#next}, ${this.shard.items})`,
      );
    this.#target = index;
    const members = new Map<string, Uint8Array>();
    let key: string | undefined;
    let offset = -1;
    while (members.size < this.#expected) {
      const member = await this.#member();
      if (member === null) {
        if (this.#headerIndex < index)
          throw this.#corrupt(
            this.#parser.offset,
            `the archive ends after ${this.#headerIndex + 1} samples; the manifest says ${this.shard.items}`,
          );
        throw this.#corrupt(this.#parser.offset, `sample ${key} ends without all its members`);
      }
      if (this.#headerIndex < index) continue;
      const [memberKey, field] = splitName(member.name);
      if (this.#headerIndex > index)
        throw this.#corrupt(member.offset, `sample ${key} lacks members (next sample ${memberKey} began)`);
      if (key === undefined) {
        key = memberKey;
        offset = member.offset;
      }
      if (members.has(field)) throw this.#corrupt(member.offset, `sample ${key} has ${field} twice`);
      members.set(field, member.data!);
    }
    this.#next = index + 1;
    const where = { url: this.shard.url, offset };
    const decoded = decodeShardSample(key!, members, this.#spec, where);
    const digest = this.#digest;
    if (!digest) return { item: Promise.resolve(decoded.item) };
    const checked = digest(decoded.digestInput).then((hex) => {
      if (hex !== decoded.sha256)
        throw this.#corrupt(
          offset,
          `sample ${key}'s bytes do not match its sha256 (${hex} != ${decoded.sha256}): a tensor or its record changed`,
        );
      return decoded.item;
    });
    // Checked when the item is awaited; a reader that stops before never sees the rejection.
    checked.catch(() => {});
    return { item: checked };
  }

  /**
   * After the last sample: reads on to the end-of-archive marker and checks the shard holds
   * exactly the manifest's samples and bytes.
   */
  async finish(): Promise<void> {
    this.#target = -1;
    for (;;) {
      const member = await this.#member();
      if (member === null) break;
    }
    const samples = this.#headerIndex + 1;
    if (samples !== this.shard.items)
      throw this.#corrupt(
        this.#parser.offset,
        `it holds ${samples} samples; the manifest says ${this.shard.items}`,
      );
    if (this.#parser.offset !== this.shard.bytes)
      throw this.#corrupt(
        this.#parser.offset,
        `the archive ends at byte ${this.#parser.offset}; the manifest says the shard has ${this.shard.bytes} bytes`,
      );
    await this.close();
  }

  /** Releases the file or connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chunks.return?.();
  }
}
