import { describe, joinPath } from '../config/config-issues';
import type { Json } from '../contracts/json';
import type {
  MadeByKind,
  Registry,
  RegistryEntry,
  RegistryKind,
  RegistryOptions,
} from '../contracts/registry';
import type { StandardSchemaV1 } from '../contracts/standard-schema';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { SpgError } from '../errors/spg-error';
import type { PluginReference } from './plugin-reference';

function issuePath(path: ReadonlyArray<PropertyKey | StandardSchemaV1.PathSegment> | undefined): string {
  return (path ?? [])
    .map((p) => (typeof p === 'object' ? p.key : p))
    .map((k) => (typeof k === 'number' ? `[${k}]` : String(k)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** The message plus the offending value (`(got -160)`), when the schema's message does not show it. */
function withValue(
  message: string,
  options: unknown,
  path: ReadonlyArray<PropertyKey | StandardSchemaV1.PathSegment> | undefined,
): string {
  if (/\(got /.test(message)) return message;
  let value = options;
  for (const p of path ?? []) {
    const key = typeof p === 'object' ? p.key : p;
    value =
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return path?.length ? `${message} (got ${describe(value)})` : message;
}

/**
 * Makes a registry from definitions (each plugin package exports `<factory>Definition`).
 *
 * @example
 * const registry = createRegistry([audioDecodeDecoderDefinition, sincResamplerDefinition, jsMelExtractorDefinition]);
 * const extractor = await registry.create('extractor', { use: 'dsp-js/log-mel', options: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 } });
 */
export function createRegistry(entries: readonly RegistryEntry[], options: RegistryOptions = {}): Registry {
  const byKey = new Map<string, RegistryEntry>();
  const problems: ConfigIssue[] = [];
  entries.forEach((entry, i) => {
    if (!entry || typeof entry.id !== 'string' || typeof entry.create !== 'function' || !entry.schema) {
      problems.push({ path: `[${i}]`, message: 'is not a plugin definition { kind, id, schema, create }' });
      return;
    }
    const key = `${entry.kind}:${entry.id}`;
    if (byKey.has(key))
      problems.push({ path: `[${i}]`, message: `registers ${entry.kind} "${entry.id}" a second time` });
    byKey.set(key, entry);
  });
  if (problems.length) throw new SpgConfigError(problems, 'SPG_CONFIG_REGISTRY');

  const ids = (kind: RegistryKind) =>
    entries
      .filter((e) => e.kind === kind)
      .map((e) => e.id)
      .sort();

  return {
    entries: [...entries],
    openMetadata: options.openMetadata,
    ids,
    has: (kind, id) => byKey.has(`${kind}:${id}`),
    definition: (kind, id) => byKey.get(`${kind}:${id}`),
    with: (more) => createRegistry([...entries, ...more], options),
    async create(kind, reference, path = kind) {
      const entry = byKey.get(`${kind}:${reference.use}`);
      if (!entry) {
        const known = ids(kind);
        throw new SpgConfigError([
          {
            path: joinPath(path, 'use'),
            message: `no ${kind} "${reference.use}" is registered; registered ${kind} ids: ${known.length ? known.join(', ') : '(none)'}`,
          },
        ]);
      }
      let result = entry.schema['~standard'].validate(reference.options ?? {});
      if (result instanceof Promise) result = await result;
      if (result.issues) {
        throw new SpgConfigError(
          result.issues.map((issue) => ({
            path: joinPath(joinPath(path, 'options'), issuePath(issue.path)),
            message: withValue(issue.message, reference.options, issue.path),
          })),
        );
      }
      let made: unknown;
      try {
        made = await (entry.create as (o: unknown) => unknown)(result.value);
      } catch (error) {
        if (SpgConfigError.isInstance(error)) {
          throw new SpgConfigError(
            error.issues.map((i) => ({
              path: joinPath(joinPath(path, 'options'), i.path),
              message: i.message,
            })),
          );
        }
        const message = SpgError.isInstance(error) || error instanceof Error ? error.message : String(error);
        throw new SpgConfigError([{ path, message: `${reference.use} could not be created: ${message}` }]);
      }
      if (kind !== 'index-store' && (made as { kind?: unknown })?.kind !== kind) {
        throw new SpgConfigError([
          {
            path,
            message: `${reference.use} made a ${String((made as { kind?: unknown })?.kind)}, not a ${kind}`,
          },
        ]);
      }
      return made as MadeByKind<typeof kind>;
    },
  };
}

/** The reference that recreates a plugin instance: `{ use: id, options }`. */
export function referenceOf(plugin: { id: string; options: Json }): PluginReference {
  return { use: plugin.id, options: plugin.options };
}
