import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '@noble/hashes/utils';
import { npyByteLength } from '../codec/npy';
import { SpgShardError } from '../errors/spg-shard-error';
import {
  decodeShardSample,
  npyHeaderBytes,
  type ShardItem,
  type ShardSampleSpec,
  tensorFields,
} from './shard-sample';
import type { ShardSource } from './shard-source';
import { type TarMember, TarParser, type TarWant } from './tar-parser';

/** SHA-256 (hex) of bytes, asynchronously (Web Crypto where present: native, off the main thread in Node). */
export type AsyncDigest = (bytes: Uint8Array) => Promise<string>;

/** Web Crypto's SHA-256 when the platform has it (browsers in secure contexts, Node >= 19), else @noble/hashes. */
export const defaultDigest: AsyncDigest = async (bytes) => {
  const subtle = globalThis.crypto?.subtle;
  if (subtle)
    return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  return bytesToHex(sha256(bytes));
};

/**
 * Sample buffers handed back once their items were copied into a batch, so a long read allocates
 * them once rather than per item (fewer allocations, less garbage collection).
 */
export class SampleBufferPool {
  readonly #size: number;
  readonly #free: ArrayBuffer[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  take(): ArrayBuffer | undefined {
    return this.#free.pop();
  }

  /** Returns the buffers the item's tensors sit in (those of the pool's size; others are left alone). */
  giveBack(tensors: readonly ({ data: Float32Array } | undefined)[]): void {
    let last: ArrayBufferLike | undefined;
    for (const tensor of tensors) {
      const buffer = tensor?.data.buffer;
      if (!buffer || buffer === last || buffer.byteLength !== this.#size || !(buffer instanceof ArrayBuffer))
        continue;
      last = buffer;
      this.#free.push(buffer);
    }
  }
}

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
  /** Byte offset of each tensor field in a sample's buffer (whole .npy files, in member order). */
  readonly #layout: Map<string, { at: number; size: number }>;
  readonly #tensorBytes: number;
  readonly #npyHeaders: Record<string, Uint8Array>;
  /** The buffer the target sample's tensor members are copied into, with room for the digest trailer. */
  #sample: Uint8Array = new Uint8Array(0);
  readonly #pool: SampleBufferPool | undefined;
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
    pool?: SampleBufferPool,
  ) {
    this.#pool = pool;
    this.shard = shard;
    this.#spec = spec;
    this.#digest = digest;
    this.#parser = new TarParser(shard.url);
    this.#chunks = source.open(shard.url, { bytes: shard.bytes })[Symbol.asyncIterator]();
    const fields = tensorFields(spec.outputConfiguration);
    this.#expected = fields.length + 1;
    this.#layout = new Map();
    this.#npyHeaders = {};
    let at = 0;
    for (const field of fields) {
      const shape = spec.tensors[field] ?? [];
      const size = npyByteLength(shape);
      this.#layout.set(field, { at, size });
      this.#npyHeaders[field] = npyHeaderBytes(shape);
      at += size;
    }
    this.#tensorBytes = at;
  }

  /** Bytes of the buffer each sample's tensors land in: the tensors, then room for the digest trailer. */
  get sampleBytes(): number {
    return this.#tensorBytes + 1024;
  }

  /** The smallest sample index `take` accepts next. */
  get nextIndex(): number {
    return this.#next;
  }

  /**
   * Counts samples by key as headers arrive; the target sample's tensor members are copied straight
   * into their place in the sample buffer (so the digest needs no further copy).
   */
  readonly #want: TarWant = (name, size) => {
    const [key, field] = splitName(name);
    if (key !== this.#headerKey) {
      this.#headerKey = key;
      this.#headerIndex++;
    }
    if (this.#headerIndex !== this.#target) return false;
    const place = this.#layout.get(field);
    return place && place.size === size ? this.#sample.subarray(place.at, place.at + size) : true;
  };

  /** The next member, reading more input only when the parser needs it. */
  #member(): TarMember | null | Promise<TarMember | null> {
    const member = this.#parser.next(this.#want);
    return member !== undefined ? member : this.#fill();
  }

  async #fill(): Promise<TarMember | null> {
    for (;;) {
      const chunk = await this.#chunks.next();
      if (chunk.done) this.#parser.finish();
      else this.#parser.push(chunk.value);
      const member = this.#parser.next(this.#want);
      if (member !== undefined) return member;
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
    // Room after the tensors for the digest trailer (the record's canonical JSON, usually short).
    this.#sample = new Uint8Array(this.#pool?.take() ?? new ArrayBuffer(this.sampleBytes));
    const members = new Map<string, Uint8Array>();
    let key: string | undefined;
    let offset = -1;
    while (members.size < this.#expected) {
      let member = this.#member();
      if (member instanceof Promise) member = await member;
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
    const digest = this.#digest;
    const decoded = decodeShardSample(key!, members, this.#spec, where, this.#npyHeaders);
    if (!digest) return { item: Promise.resolve(decoded.item) };
    const checked = digest(this.#digestInput(members, decoded.trailer())).then((hex) => {
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

  /** The tensor members in order and the trailer, contiguous: in place in the sample buffer when they are there. */
  #digestInput(members: ReadonlyMap<string, Uint8Array>, trailer: Uint8Array): Uint8Array {
    const sample = this.#sample;
    const inPlace = [...this.#layout].every(([field, { at }]) => {
      const bytes = members.get(field)!;
      return bytes.buffer === sample.buffer && bytes.byteOffset === sample.byteOffset + at;
    });
    if (inPlace && trailer.length <= sample.length - this.#tensorBytes) {
      sample.set(trailer, this.#tensorBytes);
      return sample.subarray(0, this.#tensorBytes + trailer.length);
    }
    const parts = [...this.#layout.keys()].map((field) => members.get(field)!);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, trailer.length));
    let at = 0;
    for (const bytes of parts) {
      out.set(bytes, at);
      at += bytes.length;
    }
    out.set(trailer, at);
    return out;
  }

  /**
   * After the last sample: reads on to the end-of-archive marker and checks the shard holds
   * exactly the manifest's samples and bytes.
   */
  async finish(): Promise<void> {
    this.#target = -1;
    for (;;) {
      let member = this.#member();
      if (member instanceof Promise) member = await member;
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
