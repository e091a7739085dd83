import { resolveMelParams } from '../config/mel-options-schema';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import { check, sameBits } from './check';
import type { ExtractorCaseContext } from './extractor-case-context';
import type { GoldenCase } from './extractor-golden-fixtures';

/** Raw (unfinished) frames of one stream over `samples`: pushed whole, then `end()` unless `open`. */
function rawFrames(extractor: FeatureExtractor, samples: Float32Array, open = false): Float32Array {
  const stream = extractor.stream!();
  const pushed = stream.push(samples).slice();
  if (open) return pushed;
  const tail = stream.end();
  const all = new Float32Array(pushed.length + tail.length);
  all.set(pushed);
  all.set(tail, pushed.length);
  stream.finish();
  return all;
}

/**
 * The piece cases (for extractors with `params` and a stream with `observe`), what lets the dataset
 * compute a long file's frames on several threads: a stream started `ceil(nFft / 2 / hop)` frames
 * before frame `a`, at a multiple of hop, gives the whole stream's raw frames from `a` on, bit for
 * bit (ended at the signal's end, or open at a piece's end), and `observe` of frames another stream
 * computed gives the same finish as computing them.
 */
export function extractorPieceCases(ctx: ExtractorCaseContext, golden: readonly GoldenCase[]): void {
  const { add, create } = ctx;
  const group = 'pieces: frames of a long signal computed by several streams';
  const notApplicable = !ctx.hasParams
    ? 'the extractor declares no params'
    : !ctx.hasObserve
      ? 'its stream has no observe()'
      : undefined;
  // One signal per parameter set is enough: what is checked is where frames start, not accuracy.
  const seen = new Set<string>();
  const cases = golden.filter((c) => {
    const key = JSON.stringify(c.params);
    if (seen.has(key) || c.signal.length < 4 * c.params.nFft) return false;
    seen.add(key);
    return true;
  });
  for (const c of cases) {
    add(
      group,
      `${c.name}: a stream started at a hop multiple, nFft/2 early, gives the whole stream's frames`,
      async () => {
        const extractor = await create(c.params);
        const { nFft, hopLength: hop } = resolveMelParams(c.params);
        const rows = extractor.features.rows;
        const whole = rawFrames(extractor, c.signal);
        const frames = whole.length / rows;
        const lead = Math.ceil(Math.floor(nFft / 2) / hop) * hop;
        for (const a of [1, lead / hop, Math.floor(frames / 3), frames - 2]) {
          const origin = Math.max(0, a * hop - lead);
          const skip = (a * hop - origin) / hop;
          const tail = rawFrames(extractor, c.signal.subarray(origin));
          check(
            sameBits(tail.subarray(skip * rows), whole.subarray(a * rows)),
            `frames ${a}.. of a stream from sample ${origin}`,
          ).toBe(true);
          // A piece [a, b): pushed up to the last sample frame b - 1 reads, not ended.
          const b = Math.min(frames - 1, a + 5);
          if (b <= a) continue;
          const end = (b - 1) * hop - Math.floor(nFft / 2) + nFft;
          const piece = rawFrames(extractor, c.signal.subarray(origin, end), true);
          check(
            sameBits(piece.subarray(skip * rows, (skip + b - a) * rows), whole.subarray(a * rows, b * rows)),
            `frames ${a}..${b} of an open stream from sample ${origin} to ${end}`,
          ).toBe(true);
        }
        await extractor.dispose?.();
      },
      notApplicable,
    );
    add(
      group,
      `${c.name}: observe() counts frames another stream computed toward finish()`,
      async () => {
        const extractor = await create(c.params);
        const rows = extractor.features.rows;
        const whole = rawFrames(extractor, c.signal);
        const computed = extractor.stream!();
        computed.push(c.signal);
        computed.end();
        const expected = whole.slice();
        const finish = computed.finish();
        finish.scan?.(expected);
        finish.apply(expected);
        // Nothing pushed: every frame observed, in two calls.
        const observing = extractor.stream!();
        const cut = rows * Math.floor(whole.length / rows / 2);
        observing.observe!(whole.subarray(0, cut));
        observing.observe!(whole.subarray(cut));
        check(observing.end().length, 'frames of a stream given no samples').toBe(0);
        const observed = whole.slice();
        const other = observing.finish();
        other.scan?.(observed);
        other.apply(observed);
        check(sameBits(observed, expected), 'finished values of observed frames').toBe(true);
        await extractor.dispose?.();
      },
      notApplicable,
    );
  }
}
