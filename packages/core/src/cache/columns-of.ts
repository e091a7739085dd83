import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import type { CacheKey } from './cache-key';

/**
 * Columns `[first, first + count)` of a row-major `[rows, columns]` tensor as a `[rows, count]`
 * tensor, written into `into` when given (else a new array): what `readWindow` returns for an entry
 * held whole. Columns outside the entry are an `SpgCacheError` naming the key.
 */
export function columnsOf(
  tensor: Tensor,
  first: number,
  count: number,
  into: Float32Array | undefined,
  key: CacheKey,
): Tensor {
  const [rows, columns] = tensor.shape as [number, number];
  checkColumns(columns, first, count, key);
  const data = (into ?? new Float32Array(rows * count)).subarray(0, rows * count);
  for (let r = 0; r < rows; r++)
    data.set(tensor.data.subarray(r * columns + first, r * columns + first + count), r * count);
  return { data, shape: [rows, count] };
}

/** Throws `SpgCacheError` (`SPG_CACHE_BAD_WINDOW`) unless columns `[first, first + count)` lie in `[0, columns)`. */
export function checkColumns(
  columns: number,
  first: number,
  count: number,
  key: CacheKey,
  path?: string,
): void {
  const whole = Number.isSafeInteger(first) && Number.isSafeInteger(count);
  if (!(whole && first >= 0 && count >= 0 && first + count <= columns))
    throw new SpgCacheError(
      'SPG_CACHE_BAD_WINDOW',
      `Columns [${first}, ${first + count}) are not inside the entry "${key.id}" of ${columns} columns.`,
      { key: key.id, operation: 'get', ...(path && { path }) },
    );
}
