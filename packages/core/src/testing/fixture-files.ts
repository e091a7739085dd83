// Reading the reference fixtures of `@spgdataset/golden-fixtures`: an index (JSON) naming a binary
// file that holds the signals and expected outputs as runs of float32 / float64 values.

/** Where the suites read fixture files from: `read('index.json')`, `read('golden.bin')`. */
export interface FixtureReader {
  read(name: string): Promise<Uint8Array>;
}

/** A run of values in a fixture binary: byte offset and number of values. */
export interface FixtureSlice {
  offset: number;
  length: number;
}

/**
 * Reads the index `indexName` and the binary it names, as one ArrayBuffer that float32 and float64
 * views can sit on.
 */
export async function readFixtureFiles<Index extends { binary: string }>(
  fixtures: FixtureReader,
  indexName: string,
): Promise<{ index: Index; buffer: ArrayBuffer }> {
  const index = JSON.parse(new TextDecoder().decode(await fixtures.read(indexName))) as Index;
  const bytes = await fixtures.read(index.binary);
  // Float64 views need an 8-byte-aligned buffer of their own (a Node Buffer may sit in a shared pool).
  const buffer =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : bytes.slice().buffer;
  return { index, buffer };
}

/** `read`, done once per reader (a failed read is tried again on the next call). */
export function oncePerReader<T>(
  read: (fixtures: FixtureReader) => Promise<T>,
): (fixtures: FixtureReader) => Promise<T> {
  const loaded = new WeakMap<FixtureReader, Promise<T>>();
  return (fixtures) => {
    let result = loaded.get(fixtures);
    if (!result) {
      result = read(fixtures);
      result.catch(() => loaded.delete(fixtures));
      loaded.set(fixtures, result);
    }
    return result;
  };
}
