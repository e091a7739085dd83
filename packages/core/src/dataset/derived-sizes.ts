import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';

/** Every size of the window grid, in samples and in spectrogram frames (docs/behaviour.md#sizes). */
export interface DerivedSizes {
  sampleRate: number;
  hopLength: number;
  /** Spectrogram frames per second: sampleRate / hopLength. */
  spgFps: number;
  /** Samples per window. */
  windowSize: number;
  /** Samples between window starts. */
  windowOffset: number;
  /** Frames per window. */
  spgLength: number;
  /** Frames between window starts. */
  spgOffset: number;
}

export interface DerivedSizesInput {
  sampleRate: number;
  hopLength: number;
  windowSizeSec: number;
  windowOffsetSec: number;
}

const tolerance = 1e-9;

function whole(x: number): number | undefined {
  const r = Math.round(x);
  return Number.isFinite(x) && Math.abs(x - r) <= tolerance ? r : undefined;
}

/** Rounds away float noise in suggestions (0.30000000000000004 -> 0.3). */
function tidy(x: number): number {
  return Number.parseFloat(x.toPrecision(12));
}

/** The hop length closest to `hopLength` that divides `sampleRate`. */
function nearestDivisor(sampleRate: number, hopLength: number): number {
  let best = 1;
  for (let d = 1; d <= sampleRate; d++) {
    if (sampleRate % d === 0 && Math.abs(d - hopLength) < Math.abs(best - hopLength)) best = d;
  }
  return best;
}

/**
 * Computes the window grid and checks every size is a whole number (docs/behaviour.md#sizes). Fails with ONE
 * `SpgConfigError` naming each bad option and a value that would work, never by rounding.
 */
export function deriveSizes(input: DerivedSizesInput): DerivedSizes {
  const { sampleRate, hopLength, windowSizeSec, windowOffsetSec } = input;
  const issues: ConfigIssue[] = [];
  if (!(Number.isInteger(sampleRate) && sampleRate > 0))
    issues.push({ path: 'sampleRate', message: `must be a positive whole number (got ${sampleRate})` });
  if (!(Number.isInteger(hopLength) && hopLength > 0))
    issues.push({ path: 'hopLength', message: `must be a positive whole number (got ${hopLength})` });
  if (!(windowSizeSec > 0))
    issues.push({ path: 'windowSizeSec', message: `must be > 0 (got ${windowSizeSec})` });
  if (!(windowOffsetSec > 0))
    issues.push({ path: 'windowOffsetSec', message: `must be > 0 (got ${windowOffsetSec})` });
  if (issues.length) throw new SpgConfigError(issues);

  const spgFps = whole(sampleRate / hopLength);
  if (spgFps === undefined) {
    throw new SpgConfigError([
      {
        path: 'hopLength',
        message: `sampleRate / hopLength = ${sampleRate} / ${hopLength} = ${tidy(sampleRate / hopLength)} frames per second is not a whole number; a hopLength that divides ${sampleRate} works, e.g. ${nearestDivisor(sampleRate, hopLength)}`,
      },
    ]);
  }
  // Frames are whole iff samples are (spgFps is whole and hop divides the sample counts).
  const frameSec = hopLength / sampleRate;
  const check = (option: 'windowSizeSec' | 'windowOffsetSec', seconds: number) => {
    const samples = whole(seconds * sampleRate);
    const frames = whole(seconds * spgFps);
    if (samples === undefined || frames === undefined) {
      const suggestion = tidy(Math.max(1, Math.round(seconds / frameSec)) * frameSec);
      const what = samples === undefined ? 'samples' : 'spectrogram frames';
      issues.push({
        path: option,
        message: `${seconds} s is not a whole number of ${what} (${tidy(seconds * sampleRate)} samples, ${tidy(seconds * spgFps)} frames at sampleRate ${sampleRate}, hopLength ${hopLength}); use a multiple of ${tidy(frameSec)} s, e.g. ${suggestion}`,
      });
    }
    return { samples: samples ?? 0, frames: frames ?? 0 };
  };
  const size = check('windowSizeSec', windowSizeSec);
  const offset = check('windowOffsetSec', windowOffsetSec);
  if (issues.length) throw new SpgConfigError(issues);
  return {
    sampleRate,
    hopLength,
    spgFps,
    windowSize: size.samples,
    windowOffset: offset.samples,
    spgLength: size.frames,
    spgOffset: offset.frames,
  };
}
