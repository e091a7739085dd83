// Plugins the generation bench hands to worker threads by module URL (bundled to JavaScript by the
// bench): a minimal filesystem source plus core's decoder and resampler definitions.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioSource, PluginDefinition, StandardSchemaV1 } from '../src/index';

export { audioDecodeDecoderDefinition, sincResamplerDefinition } from '../src/index';

const rootSchema: StandardSchemaV1<unknown, { root: string }> = {
  '~standard': {
    version: 1,
    vendor: 'bench',
    validate: (value) =>
      typeof (value as { root?: unknown })?.root === 'string'
        ? { value: value as { root: string } }
        : { issues: [{ message: 'needs { root: string }' }] },
  },
};

export const benchFsSourceDefinition: PluginDefinition<'source', { root: string }> = {
  kind: 'source',
  id: 'bench/fs',
  schema: rootSchema,
  create: ({ root }): AudioSource => ({
    kind: 'source',
    id: 'bench/fs',
    options: { root },
    list: async () => [],
    read: async (path) => new Uint8Array(await readFile(join(root, path))),
    stat: async (path) => {
      const s = await stat(join(root, path));
      return { size: s.size, changeToken: String(s.mtimeMs) };
    },
  }),
};
