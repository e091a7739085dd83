import type { IndexStore } from './index-store';
import type { MetadataInput } from './metadata-input';
import type { PluginKind } from './plugin';
import type { PluginByKind, PluginDefinition } from './plugin-definition';
import type { PluginReference } from './plugin-reference';
import type { StandardSchemaV1 } from './standard-schema';

/** An index store has no plugin base; its definition makes one from JSON options all the same. */
export interface IndexStoreDefinition<Options = unknown> {
  readonly kind: 'index-store';
  readonly id: string;
  readonly schema: StandardSchemaV1<unknown, Options>;
  /** The package exporting this definition (see `PluginDefinition.module`). */
  readonly module?: string;
  create(options: Options): IndexStore | Promise<IndexStore>;
}

/** What a registry holds: plugin definitions of every kind, and index store definitions. */
// biome-ignore lint/suspicious/noExplicitAny: each definition validates its own options type.
export type RegistryEntry = PluginDefinition<PluginKind, any> | IndexStoreDefinition<any>;

/** What each registry kind makes. */
export type RegistryKind = PluginKind | 'index-store';
export type MadeByKind<K extends RegistryKind> = K extends PluginKind ? PluginByKind[K] : IndexStore;

/** Opens the metadata.json a config names by location (a path in Node, a URL in browsers). */
export type MetadataOpener = (location: string) => MetadataInput | null;

export interface RegistryOptions {
  /** Resolves `"metadata": "<location>"` in configs, e.g. `fileMetadata` from `@spgdataset/core/node`. */
  openMetadata?: MetadataOpener;
}

/**
 * Plugin definitions by kind and id, made from a plain list (no global state: two registries, or
 * two copies of core, never meet). Resolves `{ use, options }` references from JSON configs.
 */
export interface Registry {
  readonly entries: readonly RegistryEntry[];
  readonly openMetadata: MetadataOpener | undefined;
  /** Registered ids of one kind, sorted. */
  ids(kind: RegistryKind): string[];
  has(kind: RegistryKind, id: string): boolean;
  /** The definition registered for `kind` and `id`, if any. */
  definition(kind: RegistryKind, id: string): RegistryEntry | undefined;
  /** A new registry with these definitions added (same metadata opener); ids must stay unique. */
  with(entries: readonly RegistryEntry[]): Registry;
  /**
   * Validates the reference's options with the definition's schema and creates the plugin. Throws
   * ONE `SpgConfigError` (paths under `path`): unknown id (listing the registered ones), invalid
   * options, or a plugin of another kind.
   */
  create<K extends RegistryKind>(kind: K, reference: PluginReference, path?: string): Promise<MadeByKind<K>>;
}
