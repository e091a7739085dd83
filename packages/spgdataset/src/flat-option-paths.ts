/** Which plugin slots the flat options filled themselves (their option paths then read as flat names). */
export interface MadeSlots {
  cache: boolean;
  extractor: boolean;
}

const direct: Record<string, string> = {
  source: 'audioRoot',
  'source.options.root': 'audioRoot',
  'source.options.changeToken': 'changeToken',
  'indexStore.options.root': 'indexRoot',
  metadata: 'metadataJsonPath',
  output: 'outputConfiguration',
  'split.seed': 'seed',
  'split.splitBy': 'splitBy',
};

/**
 * The name an `openSpectrogramDataset` user knows for a builder path: `windows.windowSizeSec` ->
 * `windowSizeSec`, `extractor.options.nMels` -> `nMels` (`extractor.features.rows` too),
 * `cache.options.root` -> `spectrogramsRoot`...
 * Paths under a plugin the user gave (an instance or reference) stay as they are.
 */
export function flatOptionPath(path: string, made: MadeSlots): string {
  if (direct[path]) return direct[path];
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  switch (head) {
    case 'windows':
    case 'memory':
      return tail || path;
    case 'output':
      return `outputConfiguration.${tail}`;
    case 'split':
      return tail.startsWith('split') ? tail : path;
    case 'cache':
      if (!made.cache) return path;
      return tail === 'options.root' ? 'spectrogramsRoot' : tail === 'options.dtype' ? 'dtype' : path;
    case 'extractor':
      if (!made.extractor) return path;
      if (tail === 'features.rows') return 'nMels';
      return tail.startsWith('options.') || tail.startsWith('params.') || tail.startsWith('features.')
        ? tail.slice(tail.indexOf('.') + 1)
        : path;
    default:
      return path;
  }
}
