// Node entry: reads the fixtures shipped in this package's golden/ folder.
import { fileURLToPath } from 'node:url';
import type { FixtureReader } from './fixture-reader';
import { directoryFixtureReader } from './node/directory-fixture-reader';

export { assertFixtureName, type FixtureReader, GOLDEN_FIXTURE_FILES } from './fixture-reader';
export { directoryFixtureReader } from './node/directory-fixture-reader';
export { urlFixtureReader } from './url-fixture-reader';

/**
 * Absolute path of the golden/ folder shipped with this package. This entry sits one level below
 * the package root both as source (src/) and built (dist/), so one relative URL serves both.
 */
export const goldenFixturesDirectory: string = fileURLToPath(new URL('../golden/', import.meta.url));

/** Reads the shipped golden fixtures from disk: the extractor suite's `fixtures` option in Node. */
export function goldenFixtureReader(): FixtureReader {
  return directoryFixtureReader(goldenFixturesDirectory);
}
