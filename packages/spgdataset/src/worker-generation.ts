import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { DatasetParts, Json, PluginBase, PluginKind } from '@spgdataset/core';
import { createGenerationPool, type GenerationPool, type WorkerPluginReference } from '@spgdataset/core/node';

/** Where a worker thread finds the definition of each plugin the Node defaults use, by plugin id. */
const definitionsById: Record<string, { specifier: string; export: string }> = {
  'core/fs': { specifier: '@spgdataset/core/node', export: 'fsSourceDefinition' },
  'core/audio-decode': { specifier: '@spgdataset/core', export: 'audioDecodeDecoderDefinition' },
  'core/sinc': { specifier: '@spgdataset/core', export: 'sincResamplerDefinition' },
  'dsp-js/log-mel': { specifier: '@spgdataset/dsp-js', export: 'jsMelExtractorDefinition' },
  'dsp-wasm/log-mel': { specifier: '@spgdataset/dsp-wasm', export: 'wasmMelExtractorDefinition' },
};

/**
 * The module URL a worker imports, resolved from this package (where the plugins are declared
 * dependencies): the ESM entry when this is the ESM build (`import.meta.resolve`), else the CJS one.
 */
function resolveModule(specifier: string): string {
  const resolveEsm = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolveEsm === 'function') return resolveEsm(specifier);
  return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href;
}

function reference(plugin: PluginBase<PluginKind>): WorkerPluginReference | undefined {
  const known = definitionsById[plugin.id];
  if (!known) return undefined;
  return {
    module: resolveModule(known.specifier),
    export: known.export,
    options: plugin.options as Json,
  };
}

/**
 * A pool of `parts.numWorkers` generation threads when every plugin can be recreated in a worker
 * (the Node defaults can; a custom instance cannot cross threads). Returns the reason otherwise.
 */
export async function generationPoolFor(
  parts: DatasetParts,
  grid: { sampleRate: number; windowSize: number; windowOffset: number },
): Promise<GenerationPool | string> {
  const plugins = [parts.source, parts.decoder, parts.resampler, parts.extractor] as const;
  const [source, decoder, resampler, extractor] = plugins.map(reference);
  if (!source || !decoder || !resampler || !extractor) {
    const custom = plugins.filter((p) => !definitionsById[p.id]).map((p) => `${p.kind} ${p.id}`);
    return `${custom.join(', ')} cannot be recreated in a worker thread`;
  }
  return createGenerationPool(
    { source, decoder, resampler, extractor, ...grid, dtype: parts.memory.dtype },
    { numWorkers: parts.numWorkers },
  );
}
