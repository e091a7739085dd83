import type { MetadataInput } from '../contracts/dataset-parts';

/** metadata.json from bytes, a string or a Blob (browsers): `name` appears in error messages. */
export function bytesMetadata(name: string, content: Uint8Array | string | Blob): MetadataInput {
  return {
    name,
    read: async () => {
      if (typeof content === 'string') return new TextEncoder().encode(content);
      if (content instanceof Uint8Array) return content;
      return new Uint8Array(await content.arrayBuffer());
    },
  };
}
