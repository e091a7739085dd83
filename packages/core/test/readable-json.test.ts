import { describe, expect, it } from 'vitest';
import { readableJson } from '../src/node/readable-json';

/** The layout it must give: JSON.stringify indented by 1, then every two-number array on one line. */
const NUMBER_PAIR = /\[\n\s+(-?[\d.eE+-]+),\n\s+(-?[\d.eE+-]+)\n\s+\]/g;
const reference = (value: unknown) => JSON.stringify(value, null, 1).replace(NUMBER_PAIR, '[$1, $2]');

describe('readableJson', () => {
  it('equals indented JSON with number pairs on one line', () => {
    const values: unknown[] = [
      {
        format: 2,
        files: [
          {
            path: 'a "quoted" \n naïve 日本 ☃.wav',
            windows: [
              [0, 1],
              [1, 0.25],
              [2, 1e-7],
              [-3, 1.5e21],
            ],
          },
        ],
      },
      { empty: {}, none: [], nested: [[[1, 2]], [1, 2, 3], [1], ['a', 2], [1, null], [true, 1]] },
      { skip: undefined, fn: () => 1, keep: null, list: [undefined, 1], deep: { a: { b: { c: [[4, 5]] } } } },
      [[0.1, 0.2], { x: [[1, 2]] }],
      'text',
      12,
      null,
      [],
      {},
    ];
    for (const value of values) {
      const text = new TextDecoder().decode(readableJson(value));
      expect(text).toBe(reference(value));
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });
});
