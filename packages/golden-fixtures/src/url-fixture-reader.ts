import { assertFixtureName, type FixtureReader } from './fixture-reader';

/**
 * Reads fixtures with `fetch` from `base` (a URL ending in `/`), e.g. in a browser page after
 * serving this package's `golden/` folder: `urlFixtureReader(new URL('/golden/', location.href))`.
 */
export function urlFixtureReader(base: string | URL): FixtureReader {
  const root = new URL(base);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return {
    async read(name) {
      assertFixtureName(name);
      const url = new URL(name, root);
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(
          `GET ${url.href} answered ${response.status} ${response.statusText}; serve the golden/ folder of @spgdataset/golden-fixtures there.`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
