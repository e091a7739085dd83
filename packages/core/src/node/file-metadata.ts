import { readFile } from 'node:fs/promises';
import type { MetadataInput } from '../contracts/dataset-parts';
import { SpgMetadataError } from '../errors/spg-metadata-error';

/**
 * metadata.json read from disk; also the registry's `openMetadata` for JSON configs
 * (`createRegistry(definitions, { openMetadata: fileMetadata })`).
 */
export function fileMetadata(path: string): MetadataInput {
  return {
    name: path,
    read: async () => {
      try {
        return new Uint8Array(await readFile(path));
      } catch (cause) {
        throw new SpgMetadataError(
          'SPG_METADATA_UNREADABLE',
          `metadata file "${path}" could not be read: ${(cause as Error).message}`,
          { file: path },
        );
      }
    },
  };
}
