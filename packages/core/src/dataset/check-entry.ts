import type { CacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import { SpgCacheError } from '../errors/spg-cache-error';
import type { IndexedFile } from './dataset-index';
import { notBuiltError } from './not-built-error';
import type { SpectrogramProducer } from './spectrogram-producer';

/**
 * Whether `file`'s entry is present and sound, missing, or damaged (then reported and deleted, to
 * be generated again). With `peek` the entry's header and size are checked without reading its
 * values, and its shape must hold every kept window; a cache without `peek` is asked `has` only
 * (its entries are checked when read).
 */
export async function checkEntry(
  store: SpectrogramCache,
  key: CacheKey,
  file: IndexedFile,
  producer: SpectrogramProducer,
  warn: (message: string) => void,
  readOnly = false,
): Promise<'present' | 'missing' | 'damaged'> {
  if (!store.peek) return (await store.has(key)) ? 'present' : 'missing';
  try {
    const entry = await store.peek(key);
    if (!entry) return 'missing';
    if (producer.shapeFits(entry.shape, file)) return 'present';
    if (readOnly) throw notBuiltError('spectrograms', { missing: [file.path] });
    warn(`cache entry of "${file.path}" has shape [${entry.shape.join(', ')}]; repairing it.`);
  } catch (error) {
    if (!SpgCacheError.isInstance(error) || error.code === 'SPG_CACHE_BAD_KEY' || readOnly) throw error;
    warn(`cache entry of "${file.path}" is damaged (${error.message}); repairing it.`);
  }
  await store.delete(key).catch(() => false);
  return 'damaged';
}
