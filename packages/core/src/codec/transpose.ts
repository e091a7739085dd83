/** Rows of the source handled per block: a block's reads and writes both stay in the L1 cache. */
const BLOCK = 16;

/**
 * Writes the transpose of `source` (`rows` x `columns`, row-major) into `target` (`columns` x `rows`,
 * row-major): `target[c * rows + r] = source[r * columns + c]`. Used to turn frame-major frames
 * (`[frames, nMels]`) into the mel-major layout of a tensor (`[nMels, frames]`) and back.
 */
export function transposeInto(
  source: Float32Array,
  rows: number,
  columns: number,
  target: Float32Array,
  targetOffset = 0,
): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = Math.min(rows, r0 + BLOCK);
    for (let c0 = 0; c0 < columns; c0 += BLOCK) {
      const c1 = Math.min(columns, c0 + BLOCK);
      for (let r = r0; r < r1; r++) {
        const from = r * columns;
        for (let c = c0, to = targetOffset + c0 * rows + r; c < c1; c++, to += rows)
          target[to] = source[from + c]!;
      }
    }
  }
}
