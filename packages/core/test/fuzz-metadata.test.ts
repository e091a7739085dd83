import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, parseMetadataFile } from '../src/dataset/metadata-schema';
import { SpgMetadataError } from '../src/index';

// Fuzzing of metadata.json: random JSON shapes, random intervals and hostile keys. The parser must
// either accept (and then hold its guarantees) or throw an SpgMetadataError naming the file; nothing else.

const encode = (text: string) => new TextEncoder().encode(text);

/** Parses, and checks the outcome is one of the two documented ones. */
function parseChecked(text: string): void {
  let parsed: ReturnType<typeof parseMetadataFile>;
  try {
    parsed = parseMetadataFile(encode(text), 'metadata.json');
  } catch (error) {
    expect(SpgMetadataError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('metadata.json');
    expect((error as Error).message.length).toBeLessThan(2000);
    return;
  }
  for (const [key, entry] of Object.entries(parsed)) {
    expect(isSafeRelativePath(key)).toBe(true);
    if (entry.length !== undefined) expect(Number.isInteger(entry.length) && entry.length >= 1).toBe(true);
    expect(Array.isArray(entry.intervals)).toBe(false);
    expect(Array.isArray(entry.metadata)).toBe(false);
    for (const list of Object.values(entry.intervals))
      for (const [a, b] of list)
        expect(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b).toBe(true);
  }
}

const hostileKey = fc.oneof(
  fc.constantFrom(
    '../x.wav',
    '/abs.wav',
    'a/../../b.wav',
    'C:/x.wav',
    'a\\b.wav',
    './a.wav',
    '',
    'a//b.wav',
    'a/./b.wav',
    '__proto__',
    'constructor',
    'a\u0000.wav',
  ),
  fc.string(),
  fc.stringMatching(/^[a-z]{1,3}(\/[a-z.]{1,4}){0,3}\.wav$/),
);
const bound = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e308, -0),
);
const interval = fc.oneof(
  fc.tuple(bound, bound),
  fc.array(bound, { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const entry = fc.oneof(
  fc.record(
    {
      length: fc.oneof(bound, fc.jsonValue({ maxDepth: 1 })),
      intervals: fc.oneof(
        fc.dictionary(
          fc.oneof(fc.string(), fc.constantFrom('speech', '__proto__')),
          fc.array(interval, { maxLength: 4 }),
          { maxKeys: 3 },
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      metadata: fc.oneof(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('fuzz: metadata.json parser', () => {
  it('random JSON values of any shape', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => parseChecked(JSON.stringify(value))),
      { numRuns: 800 },
    );
  });

  it('objects of random entries, intervals and hostile keys', () => {
    fc.assert(
      fc.property(fc.dictionary(hostileKey, entry, { maxKeys: 5 }), (value) =>
        parseChecked(JSON.stringify(value)),
      ),
      { numRuns: 1500 },
    );
  });

  it('random text and cut-short JSON', () => {
    const valid = JSON.stringify({
      'a.wav': { length: 16000, intervals: { speech: [[0, 8000]] }, metadata: { kind: 'x' } },
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.nat(valid.length).map((n) => valid.slice(0, n)),
        ),
        (text) => parseChecked(text),
      ),
      { numRuns: 600 },
    );
  });
});
