import {
  floorDiv,
  type KernelBuffers,
  runHalfbandDecimate,
  runHalfbandInterpolate,
  runPolyphase,
} from './resample-kernels';
import type { HalfbandStage, PolyphaseStage } from './resampler-design-types';

/** What the streaming engine needs to know about a stage: which inputs each output reads. */
export interface StageRunner {
  /** First input index output `m` reads. */
  firstInput(m: number): number;
  /** Last input index output `m` may read (non-decreasing in m). */
  lastInput(m: number): number;
  /** One past the last output whose inputs all have indices <= `limit`. */
  availableUpTo(limit: number): number;
  /** Outputs `first ..` of the stage, from and into the given buffers. */
  run(...buffers: KernelBuffers): void;
}

/** The runner of one designed stage. */
export function stageRunner(stage: PolyphaseStage | HalfbandStage): StageRunner {
  if (stage.kind === 'polyphase') {
    const { up, down, half } = stage;
    return {
      firstInput: (m) => floorDiv(m * down, up) - half + 1,
      lastInput: (m) => floorDiv(m * down, up) + half,
      // floor(m down / up) + half <= limit  <=>  m down < (limit - half + 1) up.
      availableUpTo: (limit) => Math.ceil(((limit - half + 1) * up) / down),
      run: (...buffers) => runPolyphase(stage, ...buffers),
    };
  }
  const k = stage.pairs;
  if (stage.direction === 'decimate') {
    return {
      firstInput: (m) => 2 * m - 2 * k + 1,
      lastInput: (m) => 2 * m + 2 * k - 1,
      availableUpTo: (limit) => floorDiv(limit - 2 * k + 1, 2) + 1,
      run: (...buffers) => runHalfbandDecimate(stage, ...buffers),
    };
  }
  return {
    firstInput: (m) => floorDiv(m, 2) - k + 1,
    // Even outputs read only x[m / 2]; counting them like odd ones keeps this monotonic.
    lastInput: (m) => floorDiv(m, 2) + k,
    availableUpTo: (limit) => 2 * (limit - k) + 2,
    run: (...buffers) => runHalfbandInterpolate(stage, ...buffers),
  };
}
