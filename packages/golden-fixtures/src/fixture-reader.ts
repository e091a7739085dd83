/**
 * Reads fixture files by name (`index.json`, `golden.bin`): what `@spgdataset/core/conformance`'s
 * `loadGoldenFixtures` and the extractor suite's `fixtures` option take.
 */
export interface FixtureReader {
  read(name: string): Promise<Uint8Array>;
}

/**
 * The files of the golden fixtures, e.g. to serve them to a browser page: the log-mel cases
 * (`index.json`, `golden.bin`) and the resampler references (`resample-index.json`, `resample.bin`).
 */
export const GOLDEN_FIXTURE_FILES = [
  'index.json',
  'golden.bin',
  'resample-index.json',
  'resample.bin',
] as const;

/** Throws unless `name` is a plain file name (no directories, no leading dot). */
export function assertFixtureName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(name)) {
    throw new Error(
      `Fixture name ${JSON.stringify(name)} is not a plain file name; fixtures are read by name, e.g. "index.json".`,
    );
  }
}
