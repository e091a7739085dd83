import { describe, expect, it } from 'vitest';
import { deriveSizes } from '../src/dataset/derived-sizes';
import { SpgConfigError } from '../src/index';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('deriveSizes (docs/behaviour.md#sizes)', () => {
  it('gives the documented sizes for the defaults', () => {
    expect(
      deriveSizes({ sampleRate: 16000, hopLength: 160, windowSizeSec: 1.92, windowOffsetSec: 0.1 }),
    ).toEqual({
      sampleRate: 16000,
      hopLength: 160,
      spgFps: 100,
      windowSize: 30720,
      windowOffset: 1600,
      spgLength: 192,
      spgOffset: 10,
    });
  });

  it('names windowSizeSec and a value that works when frames are not whole', () => {
    const e = caught(() =>
      deriveSizes({ sampleRate: 16000, hopLength: 160, windowSizeSec: 1.925, windowOffsetSec: 0.1 }),
    );
    expect(SpgConfigError.isInstance(e)).toBe(true);
    const err = e as SpgConfigError;
    expect(err.issues[0]?.path).toBe('windowSizeSec');
    expect(err.message).toContain('1.925');
    expect(err.message).toMatch(/e\.g\. 1\.93/);
  });

  it('names windowOffsetSec when samples are not whole', () => {
    const err = caught(() =>
      deriveSizes({ sampleRate: 16000, hopLength: 160, windowSizeSec: 1, windowOffsetSec: 0.00001 }),
    ) as SpgConfigError;
    expect(err.issues.map((i) => i.path)).toEqual(['windowOffsetSec']);
    expect(err.message).toContain('0.00001 s');
    expect(err.message).toMatch(/e\.g\. 0\.01/);
  });

  it('names hopLength and a divisor of sampleRate when frames per second are not whole', () => {
    const err = caught(() =>
      deriveSizes({ sampleRate: 16000, hopLength: 300, windowSizeSec: 1, windowOffsetSec: 0.1 }),
    ) as SpgConfigError;
    expect(err.issues[0]?.path).toBe('hopLength');
    expect(err.message).toContain('300');
    // 320 divides 16000 and is the nearest divisor to 300 (250 is 50 away, 320 is 20 away)
    expect(err.message).toMatch(/e\.g\. 320/);
  });

  it('lists both bad window options at once', () => {
    const err = caught(() =>
      deriveSizes({ sampleRate: 16000, hopLength: 160, windowSizeSec: 1.001, windowOffsetSec: 0.105 }),
    ) as SpgConfigError;
    expect(err.issues.map((i) => i.path)).toEqual(['windowSizeSec', 'windowOffsetSec']);
  });
});
