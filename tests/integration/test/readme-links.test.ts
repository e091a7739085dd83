// The README link rule scripts/check-packages.mjs applies to every packed README (npm shows the
// README alone, so relative links lead nowhere).
import { expect, it } from 'vitest';
import { relativeLinks } from '../../../scripts/readme-links.mjs';

it('finds relative markdown links, images, reference definitions and HTML links', () => {
  const markdown = [
    'See [the root](../../README.md) and ![a picture](docs/explore.png).',
    'A [section](../core/README.md#tar-shards) elsewhere.',
    '[ref]: ./CONTRIBUTING.md',
    '<img src="docs/a.png"> <a href=\'LICENSE\'>license</a>',
  ].join('\n');
  expect(relativeLinks(markdown)).toEqual([
    '../../README.md',
    'docs/explore.png',
    '../core/README.md#tar-shards',
    './CONTRIBUTING.md',
    'docs/a.png',
    'LICENSE',
  ]);
});

it('accepts absolute URLs, mailto:, anchors, and anything inside code', () => {
  const markdown = [
    '[repo](https://github.com/spgdataset/spgdataset-ts/blob/main/README.md) [http](http://example.com)',
    '[mail](mailto:someone@example.com) [below](#error-codes) [ref]: https://example.com/x',
    '`a[0](x)` is code, and so is this block:',
    '```ts',
    'const f = table[i](relative);',
    '```',
  ].join('\n');
  expect(relativeLinks(markdown)).toEqual([]);
});
