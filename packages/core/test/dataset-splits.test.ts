import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignSplits, fractionSubset, validateMode, validateSplit } from '../src/dataset/split-assignment';
import { SpgConfigError } from '../src/index';

function configError(fn: () => unknown): SpgConfigError {
  try {
    fn();
  } catch (e) {
    expect(SpgConfigError.isInstance(e)).toBe(true);
    return e as SpgConfigError;
  }
  throw new Error('expected SpgConfigError');
}

const unitsArb = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), size: fc.integer({ min: 0, max: 30 }) }),
  { selector: (u) => u.key, maxLength: 60 },
);

describe('validateSplit (docs/behaviour.md#splits)', () => {
  it('accepts ratios summing to 1 within 1e-9', () => {
    validateSplit([1]);
    validateSplit([0.8, 0.1, 0.1]);
    validateSplit([0.7, 0.2, 0.1 + 5e-10]);
  });
  it('rejects ratios that do not sum to 1, naming split and the value', () => {
    const e = configError(() => validateSplit([0.8, 0.1]));
    expect(e.issues[0]?.path).toBe('split');
    expect(e.message).toContain('[0.8,0.1]');
    expect(e.message).toMatch(/sum 0\.9/);
  });
  it('rejects a negative ratio and an empty split', () => {
    expect(configError(() => validateSplit([1.5, -0.5])).issues[0]?.path).toBe('split[1]');
    expect(configError(() => validateSplit([])).message).toContain('[]');
  });
});

describe('assignSplits', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const units = Array.from({ length: 50 }, (_, i) => ({ key: `f${i}.wav`, size: 3 }));
    const a = assignSplits(units, [0.5, 0.5], 1);
    expect(assignSplits(units, [0.5, 0.5], 1)).toEqual(a);
    expect(assignSplits(units, [0.5, 0.5], 2)).not.toEqual(a);
  });

  it('gives every unit exactly one split in range, and split [1] puts all in 0 (property)', () => {
    fc.assert(
      fc.property(unitsArb, fc.integer(), (units, seed) => {
        const one = assignSplits(units, [1], seed);
        const three = assignSplits(units, [0.8, 0.1, 0.1], seed);
        return (
          one.every((k) => k === 0) && three.length === units.length && three.every((k) => k >= 0 && k < 3)
        );
      }),
    );
  });

  it("a unit's split does not depend on the input order (property)", () => {
    fc.assert(
      fc.property(unitsArb, fc.integer(), (units, seed) => {
        const forward = assignSplits(units, [0.6, 0.4], seed);
        const reversed = assignSplits([...units].reverse(), [0.6, 0.4], seed);
        return units.every((_, i) => forward[i] === reversed[units.length - 1 - i]);
      }),
    );
  });

  it('split sizes follow the ratios within one unit (property)', () => {
    fc.assert(
      fc.property(unitsArb, fc.integer(), (units, seed) => {
        const split = [0.7, 0.2, 0.1];
        const got = assignSplits(units, split, seed);
        const total = units.reduce((n, u) => n + u.size, 0);
        const maxUnit = units.reduce((n, u) => Math.max(n, u.size), 0);
        return split.every((r, k) => {
          const size = units.reduce((n, u, i) => n + (got[i] === k ? u.size : 0), 0);
          return Math.abs(size - r * total) <= maxUnit;
        });
      }),
    );
  });

  it('a zero ratio receives nothing', () => {
    const units = Array.from({ length: 40 }, (_, i) => ({ key: String(i), size: 1 }));
    expect([...assignSplits(units, [0.5, 0, 0.5], 3)].filter((k) => k === 1)).toEqual([]);
  });
});

describe('modes and fraction', () => {
  it('a mode the split does not have is an error naming the call and the split', () => {
    const e = configError(() => validateMode(2, [0.8, 0.2], 1));
    expect(e.issues[0]?.path).toBe('mode');
    expect(e.message).toContain('test()');
    expect(e.message).toContain('[0.8,0.2]');
    expect(configError(() => validateMode(-1, [1], 1)).message).toContain('-1');
    expect(configError(() => validateMode(0.5, [0.5, 0.5], 1)).message).toContain('0.5');
  });
  it.each([0, -0.1, 1.5, Number.NaN])('fraction %s is an error naming fraction', (fraction) => {
    const e = configError(() => validateMode(0, [1], fraction));
    expect(e.issues[0]?.path).toBe('fraction');
  });
  it('fraction subsets are deterministic, ordered, nested and of the expected size', () => {
    const ids = Int32Array.from({ length: 100 }, (_, i) => i * 2);
    const quarter = fractionSubset(ids, 0.25, 7);
    const half = fractionSubset(ids, 0.5, 7);
    expect(quarter.length).toBe(25);
    expect(half.length).toBe(50);
    expect(fractionSubset(ids, 0.25, 7)).toEqual(quarter);
    expect([...quarter]).toEqual([...quarter].sort((a, b) => a - b));
    expect([...quarter].every((id) => half.includes(id))).toBe(true);
    expect(fractionSubset(ids, 0.25, 8)).not.toEqual(quarter);
    expect(fractionSubset(ids, 0.001, 7).length).toBe(1);
    expect(fractionSubset(ids, 1, 7)).toEqual(ids);
  });
});
