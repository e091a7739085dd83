import { pathToFileURL } from 'node:url';
import type { RegistryEntry } from '../contracts/registry';
import { SpgConfigError } from '../errors/spg-config-error';

const kinds = new Set(['source', 'decoder', 'resampler', 'extractor', 'cache', 'scheduler', 'index-store']);

function isDefinition(value: unknown): value is RegistryEntry {
  const d = value as Partial<RegistryEntry> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    kinds.has(d.kind as string) &&
    typeof d.id === 'string' &&
    typeof d.create === 'function' &&
    typeof d.schema === 'object'
  );
}

/** Where package names are looked up by default: the current folder (the app) and core itself. */
export function defaultAnchors(): string[] {
  return [pathToFileURL(`${process.cwd()}/`).href, import.meta.url];
}

/**
 * The ESM URL of package `specifier` (e.g. `@spgdataset/dsp-wasm`, `@acme/spg-s3/node`) as Node
 * would resolve an `import` of it from each anchor in turn (a file URL or folder URL).
 */
export async function resolvePluginModule(specifier: string, anchors: readonly string[]): Promise<string> {
  const { resolve } = await import('import-meta-resolve');
  for (const anchor of anchors) {
    try {
      return resolve(specifier, anchor);
    } catch {}
  }
  throw new SpgConfigError([
    {
      path: 'plugins',
      message: `cannot find the package "${specifier}" from ${anchors.join(', ')}; install it where the workers run (npm i ${specifier})`,
    },
  ]);
}

/**
 * Imports packages by name and returns every plugin definition they export (each once, by kind
 * and id). How worker threads and worker processes learn the plugins of a plan. `resolved` gives
 * URLs already resolved for the same specifiers (a coordinator in the same process resolves them
 * once for all its threads; resolving costs each thread more than importing).
 */
export async function loadPluginModules(
  specifiers: readonly string[],
  anchors: readonly string[] = defaultAnchors(),
  resolved?: readonly string[],
): Promise<RegistryEntry[]> {
  const found = new Map<string, RegistryEntry>();
  for (const [i, specifier] of specifiers.entries()) {
    const url = resolved?.[i] ?? (await resolvePluginModule(specifier, anchors));
    const module = (await import(url)) as Record<string, unknown>;
    // A CommonJS module may expose its exports only as `default`.
    const exports = { ...(module.default as Record<string, unknown> | undefined), ...module };
    for (const value of Object.values(exports))
      if (isDefinition(value) && !found.has(`${value.kind}:${value.id}`))
        // Found through this name, so workers can find it through the same name.
        found.set(`${value.kind}:${value.id}`, value.module ? value : { ...value, module: specifier });
  }
  return [...found.values()];
}
