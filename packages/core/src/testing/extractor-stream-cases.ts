import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { Tensor } from '../contracts/tensor';
import { check, sameBits } from './check';
import type { ExtractorCaseContext } from './extractor-case-context';
import { type GoldenCase, goldenErrorStats } from './extractor-golden-fixtures';
import { goldenCaseTolerance } from './golden-case-tolerance';

/** A way to cut a signal of `n` samples: the size of chunk `i` (the last one is cut to what is left). */
interface Cut {
  label: string;
  size: (n: number, i: number) => number;
}

/**
 * The cuts every stream must be indifferent to: single samples, prime sizes, boundaries inside the
 * STFT overlap (a frame's window spans nFft samples, frames start every hop, so a cut there splits
 * samples two or more frames share, and near nFft/2 it splits the first frame's reflect padding),
 * empty pushes, and boundaries at the end (the last sample alone; the end's reflect padding split).
 */
function cuts(nFft: number, hop: number): Cut[] {
  const half = Math.floor(nFft / 2);
  return [
    { label: 'whole', size: (n) => n },
    { label: 'primes 7, 13, 101', size: (_, i) => [7, 13, 101][i % 3]! },
    { label: 'prime 1009', size: () => 1009 },
    {
      label: `inside the overlap (nFft/2 + 1, hop - 1, nFft - 1, 0, hop + 1)`,
      size: (_, i) => [half + 1, hop - 1, nFft - 1, 0, hop + 1][i % 5]!,
    },
    { label: 'the last sample alone', size: (n, i) => (i === 0 ? n - 1 : 1) },
    { label: 'the end within nFft/2', size: (n, i) => (i === 0 ? n - half + 1 : [3, half][i % 2]!) },
  ];
}

/** The extractor's stream fed `signal` cut by `cut`, finished block by block as it came: `[rows, frames]`. */
function streamed(extractor: FeatureExtractor, signal: Float32Array, cut: Cut): Tensor {
  const rows = extractor.features.rows;
  const stream = extractor.stream!();
  const blocks: Float32Array[] = [];
  // Pushed output is borrowed until the next call: copied.
  for (let at = 0, i = 0; at < signal.length; i++) {
    const size = Math.max(0, Math.min(cut.size(signal.length, i), signal.length - at));
    blocks.push(stream.push(signal.subarray(at, at + size)).slice());
    at += size;
  }
  blocks.push(stream.end().slice());
  const finish = stream.finish();
  if (finish.scan) for (const block of blocks) finish.scan(block);
  for (const block of blocks) finish.apply(block);
  const frames = blocks.reduce((sum, b) => sum + b.length, 0) / rows;
  const data = new Float32Array(rows * frames);
  let t = 0;
  for (const block of blocks)
    for (let f = 0; f < block.length / rows; f++, t++)
      for (let m = 0; m < rows; m++) data[m * frames + t] = block[f * rows + m]!;
  return { data, shape: [rows, frames] };
}

/**
 * The stream cases (for extractors with `stream`): every golden signal cut in every way of `cuts`,
 * and single samples for one signal kind per parameter set, gives exactly `extract`'s values (bit
 * for bit: the cut changes nothing) and so meets the float64 golden tolerance.
 */
export function extractorStreamCases(ctx: ExtractorCaseContext, golden: readonly GoldenCase[]): void {
  const { add, create, extract } = ctx;
  const group = 'streaming: any cut of the signal gives the whole-signal output';
  const noStream = ctx.hasStream ? undefined : 'the extractor has no stream()';
  for (const c of golden) {
    add(
      group,
      c.name,
      async () => {
        const extractor = await create(c.params);
        const whole = await extract(extractor, c.signal);
        const tolerance = goldenCaseTolerance(c);
        const all = cuts(c.params.nFft, c.params.hopLength);
        if (c.signalKind === 'chirp' || c.signalKind === 'short')
          all.push({ label: 'single samples', size: () => 1 });
        for (const cut of all) {
          const tensor = streamed(extractor, c.signal, cut);
          check(tensor.shape, `shape cut by ${cut.label}`).toEqual(c.shape);
          check(sameBits(tensor.data, whole.data), `values cut by ${cut.label} equal extract()`).toBe(true);
          const stats = goldenErrorStats(tensor.data, c.expected);
          check(stats.maxAbs, `max abs error cut by ${cut.label}`).toBeLessThanOrEqual(tolerance.maxAbs);
          check(stats.p999, `p99.9 error cut by ${cut.label}`).toBeLessThanOrEqual(tolerance.p999);
        }
        await extractor.dispose?.();
      },
      noStream,
    );
  }
}
