/** The keys a metadata.json entry may have. */
export const ENTRY_KEYS = ['length', 'intervals', 'metadata'] as const;

/** Levenshtein distance (insertions, deletions, substitutions), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The candidate closest to `key`; on equal distance the one sharing the longer prefix ("meta" -> "metadata"). */
export function nearest(key: string, candidates: readonly string[]): string {
  const score = (c: string) => editDistance(key, c) - commonPrefix(key, c) / (key.length + 1);
  let best = candidates[0]!;
  for (const c of candidates) if (score(c) < score(best)) best = c;
  return best;
}

/**
 * One warning per unknown entry key of metadata.json (a typo such as "lenght" would otherwise be
 * ignored silently and its data lost): the metadata file, the key, how many entries carry it (the
 * first few named) and the nearest valid key.
 */
export function unknownEntryKeyWarnings(raw: Record<string, unknown>, metadataName: string): string[] {
  const entriesByKey = new Map<string, string[]>();
  for (const [path, entry] of Object.entries(raw)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    for (const key of Object.keys(entry)) {
      if ((ENTRY_KEYS as readonly string[]).includes(key)) continue;
      const paths = entriesByKey.get(key) ?? [];
      paths.push(path);
      entriesByKey.set(key, paths);
    }
  }
  return [...entriesByKey].map(([key, paths]) => {
    const examples = paths
      .slice(0, 3)
      .map((p) => `"${p}"`)
      .join(', ');
    const where =
      paths.length === 1
        ? `entry ${examples}`
        : `${paths.length} entries (${examples}${paths.length > 3 ? ', ...' : ''})`;
    return `${metadataName}: ${where}: unknown key "${key}" is ignored; did you mean "${nearest(key, ENTRY_KEYS)}"? An entry may have ${ENTRY_KEYS.join(', ')}.`;
  });
}
