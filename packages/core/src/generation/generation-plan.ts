import type { DatasetParts } from '../contracts/dataset-parts';
import type { GenerationPlan } from '../contracts/generation-scheduler';
import type { PluginKind } from '../contracts/plugin';
import type { Registry } from '../contracts/registry';

type PlanGrid = Pick<
  GenerationPlan,
  'sampleRate' | 'windowSize' | 'windowOffset' | 'dtype' | 'featureFingerprint'
>;

/**
 * The JSON plan workers re-create the dataset's plugins from, or why there is none: a plugin whose
 * id the registry does not know, a definition that names no package to import it from, or no
 * persistent cache for the workers to write into (memory only).
 */
export function generationPlan(
  parts: DatasetParts,
  registry: Registry | undefined,
  grid: PlanGrid,
): GenerationPlan | { unavailable: string } {
  if (!parts.cache)
    return { unavailable: 'there is no persistent cache for workers to write into (memory cache only)' };
  const plugins = {
    source: parts.source,
    decoder: parts.decoder,
    resampler: parts.resampler,
    extractor: parts.extractor,
    cache: parts.cache,
  } as const;
  const modules = new Set<string>();
  const problems: string[] = [];
  for (const plugin of Object.values(plugins)) {
    const definition = registry?.definition(plugin.kind as PluginKind, plugin.id);
    if (!definition)
      problems.push(
        `${plugin.kind} ${plugin.id} cannot be recreated in a worker (it is not in the registry)`,
      );
    else if (!definition.module)
      problems.push(
        `${plugin.kind} ${plugin.id} cannot be recreated in a worker (its definition names no module)`,
      );
    else modules.add(definition.module);
  }
  if (problems.length)
    return {
      unavailable: `${problems.join('; ')}: register its definition, with the package that exports it as \`module\``,
    };
  const reference = (plugin: { id: string; options: unknown }) => ({
    use: plugin.id,
    options: structuredClone(plugin.options) as GenerationPlan['source']['options'],
  });
  return {
    source: reference(plugins.source),
    decoder: reference(plugins.decoder),
    resampler: reference(plugins.resampler),
    extractor: reference(plugins.extractor),
    cache: reference(plugins.cache),
    modules: [...modules].sort(),
    ...grid,
  };
}
