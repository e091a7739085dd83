// The bundled samples/basic folder (8 audio files, metadata.json, a README) that CLI and explore tests run on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
export const metadataPath = join(samples, 'metadata.json');

/** The samples' metadata.json, typed as the test reads it. */
export function samplesMetadata<T>(): Record<string, T> {
  return JSON.parse(readFileSync(metadataPath, 'utf8')) as Record<string, T>;
}

/** CLI arguments for a dataset of the samples in `cache`/`index`, split 0.5/0.25/0.25, then `more`. */
export function samplesFlags(cache: string, index: string, ...more: string[]): string[] {
  return [
    samples,
    '--metadata',
    metadataPath,
    '--cache',
    cache,
    '--index',
    index,
    '--split',
    '0.5,0.25,0.25',
    ...more,
  ];
}
