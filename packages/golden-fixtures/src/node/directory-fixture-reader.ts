import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertFixtureName, type FixtureReader } from '../fixture-reader';

/** Reads fixtures from files in `directory` (Node). */
export function directoryFixtureReader(directory: string): FixtureReader {
  return {
    async read(name) {
      assertFixtureName(name);
      const file = join(directory, name);
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        throw new Error(
          `Cannot read fixture ${file}: ${(error as Error).message}. Regenerate the golden fixtures with tools/golden/generate.py.`,
          { cause: error },
        );
      }
    },
  };
}
