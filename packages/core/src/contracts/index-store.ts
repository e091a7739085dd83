import type { Json } from './json';

/**
 * Persists the dataset index as readable JSON under a fingerprint of its inputs (docs/behaviour.md#caches).
 * Node: a folder (`fileIndexStore(indexRoot)` in `@spgdataset/core/node`); browser: memory.
 * Writes are atomic: a reader never sees a half-written index.
 */
export interface IndexStore {
  load(fingerprint: string): Promise<Json | undefined>;
  save(fingerprint: string, index: Json): Promise<void>;
}
