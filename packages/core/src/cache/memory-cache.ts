import { float16ArrayToFloat32, float32ArrayToFloat16 } from '../codec/float16';
import type { ProgressCallback } from '../contracts/progress';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import { shapeSize, type Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import type { CacheKey } from './cache-key';
import { checkColumns, columnsOf } from './columns-of';
import { HalfSlabs } from './half-slabs';

/**
 * Bytes counted per entry on top of its typed array: a generous estimate of what V8 spends on the
 * Map slot, the key string, the entry and tensor objects, the shape array and the typed array's
 * header and backing-store record (measured at roughly 150-250 bytes for short keys).
 */
export const MEMORY_CACHE_ENTRY_OVERHEAD = 256;

// Most a preloaded array's buffer may exceed its data by to be kept without a copy (an .npy header is 128).
const ADOPT_SLACK_BYTES = 256;

/** Options of `MemoryCache`. */
export interface MemoryCacheOptions {
  /** Byte budget (the dataset passes `maxMemoryCache * 2 ** 20`). 0 holds nothing. */
  maxBytes: number;
  /** Storage precision: 'float16' halves the memory; `get` still returns a Float32Array. */
  dtype?: 'float32' | 'float16';
}

/** Options of `MemoryCache.preload`. */
export interface PreloadOptions {
  /** Called after each key with phase 'preload' (done/total keys, bytes held). */
  onProgress?: ProgressCallback;
  /** Stops the preload (it then rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** What `preload` did. */
export interface PreloadResult {
  /** Entries copied into memory. */
  loaded: number;
  /** Keys missing or corrupt in the source (left for the dataset to regenerate). */
  skipped: number;
  /** Bytes held afterwards, in this cache's accounting. */
  bytes: number;
  /** 'budget' when it stopped because the next entry did not fit, 'end' when the keys ran out. */
  stoppedBy: 'budget' | 'end';
}

interface Entry {
  readonly key: CacheKey;
  readonly shape: readonly number[];
  readonly data: Float32Array | Uint16Array;
  readonly bytes: number;
}

/**
 * In-memory `SpectrogramCache` (id `core/memory`) bounded by a byte budget.
 *
 * Accounting: an entry costs its stored typed array (4 bytes per value, 2 with `dtype: 'float16'`)
 * plus `MEMORY_CACHE_ENTRY_OVERHEAD` (256) bytes; `byteSize()` is the sum and never exceeds `maxBytes`.
 *
 * Policy: fill until full, never evict (as the Python seed does). A training loop visits every item
 * once per epoch; under LRU a dataset larger than the budget evicts each entry before its next use
 * (0% hits on sequential epochs) and churns allocations, while a fixed resident set keeps
 * budget/size of the hits with no churn and a flat memory profile. `put` of an entry that does not
 * fit is declined (`putSync` returns false); overwriting a key always drops the old value first, so
 * a stale value is never served.
 *
 * `get` with float32 storage returns the stored array without copying: treat it as read-only.
 *
 * Keys are trusted, not checked: the cache only indexes a Map by `key.id`, so a malformed key
 * cannot reach any storage. The dataset reaches it through `layeredCache`, which checks every key.
 */
export class MemoryCache implements SpectrogramCache {
  readonly kind = 'cache' as const;
  readonly id = 'core/memory';
  readonly options: { maxBytes: number; dtype: 'float32' | 'float16' };
  readonly maxBytes: number;
  readonly dtype: 'float32' | 'float16';
  readonly #entries = new Map<string, Entry>();
  readonly #halves = new HalfSlabs();
  #bytes = 0;

  constructor(options: MemoryCacheOptions) {
    const issues: ConfigIssue[] = [];
    const { maxBytes, dtype = 'float32' } = options ?? ({} as MemoryCacheOptions);
    if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes < 0)
      issues.push({
        path: 'maxBytes',
        message: `must be a finite number >= 0 (got ${JSON.stringify(maxBytes)})`,
      });
    if (dtype !== 'float32' && dtype !== 'float16')
      issues.push({
        path: 'dtype',
        message: `must be 'float32' or 'float16' (got ${JSON.stringify(dtype)})`,
      });
    if (issues.length) throw new SpgConfigError(issues);
    this.maxBytes = Math.floor(maxBytes);
    this.dtype = dtype;
    this.options = { maxBytes: this.maxBytes, dtype };
  }

  /** Bytes an entry of `elements` values costs in this cache's accounting. */
  entryBytes(elements: number): number {
    return elements * (this.dtype === 'float16' ? 2 : 4) + MEMORY_CACHE_ENTRY_OVERHEAD;
  }

  /** Bytes held (same as `byteSize()`, synchronously). */
  get usedBytes(): number {
    return this.#bytes;
  }

  /** Bytes left in the budget. */
  get freeBytes(): number {
    return this.maxBytes - this.#bytes;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Synchronous `get`. */
  getSync(key: CacheKey): Tensor | undefined {
    const entry = this.#entries.get(key.id);
    if (!entry) return undefined;
    const data = entry.data instanceof Float32Array ? entry.data : float16ArrayToFloat32(entry.data);
    return { data, shape: [...entry.shape] };
  }

  /**
   * The stored values of `key` when they are kept as float32 (no copy: read-only), else undefined
   * (missing, or float16 storage, whose `getSync` converts the whole entry). For serving hot paths.
   */
  getStored(key: CacheKey): Tensor | undefined {
    const entry = this.#entries.get(key.id);
    return entry && entry.data instanceof Float32Array
      ? { data: entry.data, shape: entry.shape as number[] }
      : undefined;
  }

  /**
   * Stores a copy of `tensor` if it fits in the budget and returns whether it did. Any previous
   * value of `key` is dropped either way.
   */
  putSync(key: CacheKey, tensor: Tensor): boolean {
    return this.#store(key, tensor, false);
  }

  #store(key: CacheKey, tensor: Tensor, adopt: boolean): boolean {
    const { data, shape } = tensor ?? {};
    if (
      !(data instanceof Float32Array) ||
      !Array.isArray(shape) ||
      shape.some((d) => !Number.isSafeInteger(d) || d < 0) ||
      shapeSize(shape) !== data.length
    ) {
      throw new SpgCacheError(
        'SPG_CACHE_BAD_TENSOR',
        `Cannot store tensor with shape ${JSON.stringify(shape)} under key "${key.id}": expected a Float32Array whose length is the product of the shape.`,
        { key: key.id, operation: 'put' },
      );
    }
    this.#drop(key.id);
    const bytes = this.entryBytes(data.length);
    if (this.#bytes + bytes > this.maxBytes) return false;
    // A fresh tensor from a persistent cache (preload) is kept as is when its buffer is no bigger
    // than the data plus a small header (an .npy read): copying it would only double the garbage.
    const owned = adopt && data.buffer.byteLength - data.byteLength <= ADOPT_SLACK_BYTES;
    const stored =
      this.dtype === 'float16'
        ? float32ArrayToFloat16(data, this.#halves.allocate(data.length, this.freeBytes))
        : owned
          ? data
          : data.slice();
    this.#entries.set(key.id, { key, shape: Object.freeze([...shape]), data: stored, bytes });
    this.#bytes += bytes;
    return true;
  }

  async get(key: CacheKey): Promise<Tensor | undefined> {
    return this.getSync(key);
  }

  /** Stores a copy of `tensor` if it fits; resolves to `false` when the budget declined it. */
  async put(key: CacheKey, tensor: Tensor): Promise<boolean> {
    return this.putSync(key, tensor);
  }

  /**
   * Columns `[first, first + count)` of `key`'s entry as `[rows, count]` (into `into` when given),
   * converting only those values from float16 storage; undefined when the entry is not held.
   */
  readWindowSync(key: CacheKey, first: number, count: number, into?: Float32Array): Tensor | undefined {
    const entry = this.#entries.get(key.id);
    if (!entry) return undefined;
    if (entry.data instanceof Float32Array)
      return columnsOf({ data: entry.data, shape: entry.shape as number[] }, first, count, into, key);
    const [rows, columns] = entry.shape as [number, number];
    checkColumns(columns, first, count, key);
    const data = (into ?? new Float32Array(rows * count)).subarray(0, rows * count);
    for (let r = 0; r < rows; r++)
      data.set(
        float16ArrayToFloat32(entry.data.subarray(r * columns + first, r * columns + first + count)),
        r * count,
      );
    return { data, shape: [rows, count] };
  }

  async readWindow(
    key: CacheKey,
    first: number,
    count: number,
    into?: Float32Array,
  ): Promise<Tensor | undefined> {
    return this.readWindowSync(key, first, count, into);
  }

  async has(key: CacheKey): Promise<boolean> {
    return this.#entries.has(key.id);
  }

  /** The shape of `key`'s entry, or undefined (entries in memory cannot be damaged). */
  async peek(key: CacheKey): Promise<{ shape: number[] } | undefined> {
    const entry = this.#entries.get(key.id);
    return entry ? { shape: [...entry.shape] } : undefined;
  }

  async delete(key: CacheKey): Promise<boolean> {
    return this.#drop(key.id);
  }

  async *keys(): AsyncIterable<CacheKey> {
    for (const entry of [...this.#entries.values()]) yield entry.key;
  }

  async byteSize(): Promise<number> {
    return this.#bytes;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#halves.reset();
    this.#bytes = 0;
  }

  dispose(): void {
    this.clear();
  }

  /**
   * Copies entries of `source` (a persistent cache) for `keys`, in order, until the next entry does
   * not fit the budget. Keys already held are skipped without reading; keys missing or corrupt in
   * the source are counted in `skipped` (the dataset regenerates them). Reports progress with phase
   * 'preload' after each key. Runs in the background when not awaited. The source's returned
   * arrays are kept without a copy when they own their buffer (read-only by contract).
   */
  async preload(
    source: SpectrogramCache,
    keys: Iterable<CacheKey>,
    { onProgress, signal }: PreloadOptions = {},
  ): Promise<PreloadResult> {
    const total = Array.isArray(keys) ? keys.length : undefined;
    const started = globalThis.performance?.now() ?? Date.now();
    let done = 0;
    let loaded = 0;
    let skipped = 0;
    let stoppedBy: PreloadResult['stoppedBy'] = 'end';
    for (const key of keys) {
      signal?.throwIfAborted();
      if (this.freeBytes < MEMORY_CACHE_ENTRY_OVERHEAD) {
        stoppedBy = 'budget';
        break;
      }
      if (!this.#entries.has(key.id)) {
        let tensor: Tensor | undefined;
        try {
          // An entry that cannot fit is never read (a long recording's entry can be gigabytes).
          const shape = source.peek ? (await source.peek(key))?.shape : undefined;
          if (shape && this.entryBytes(shapeSize(shape)) > this.freeBytes) {
            stoppedBy = 'budget';
            break;
          }
          tensor = await source.get(key);
        } catch (error) {
          if (!SpgCacheError.isInstance(error) || error.code === 'SPG_CACHE_BAD_KEY') throw error;
        }
        signal?.throwIfAborted();
        if (!tensor) skipped++;
        else if (this.#store(key, tensor, true)) loaded++;
        else {
          stoppedBy = 'budget';
          break;
        }
      }
      done++;
      if (onProgress) {
        const seconds = ((globalThis.performance?.now() ?? Date.now()) - started) / 1000;
        const rate = seconds > 0 ? done / seconds : undefined;
        onProgress({
          phase: 'preload',
          done,
          total,
          bytes: this.#bytes,
          rate,
          etaSeconds: total !== undefined && rate ? (total - done) / rate : undefined,
          path: key.path,
        });
      }
    }
    return { loaded, skipped, bytes: this.#bytes, stoppedBy };
  }

  #drop(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
    return true;
  }
}

/** Factory form of `new MemoryCache(options)`. */
export function memoryCache(options: MemoryCacheOptions): MemoryCache {
  return new MemoryCache(options);
}
