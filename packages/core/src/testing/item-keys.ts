import { definedKeys } from './check';

/** A string that differs whenever two items' values differ (bytes of tensors, labels, meta). */
export function itemSignature(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    // FNV-1a over the bytes, with the type and length.
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return `${value.constructor.name}(${bytes.length}):${(h >>> 0).toString(16)}`;
  }
  if (Array.isArray(value)) return `[${value.map(itemSignature).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = definedKeys(value).map(
      (k) => `${JSON.stringify(k)}:${itemSignature((value as Record<string, unknown>)[k])}`,
    );
    return `{${entries.join(',')}}`;
  }
  return Object.is(value, -0) ? '-0' : (JSON.stringify(value) ?? String(value));
}

/**
 * Where an item lives, as a string: a location with `path` and `window` (possibly nested under
 * `location`, as a router wraps its member's, after the member number `dataset`) names the same
 * item in every mode; any other location only within its mode (`scope`).
 */
export function locationKey(location: unknown, scope: string): string {
  const l = location as { path?: unknown; window?: unknown; dataset?: unknown; location?: unknown } | null;
  if (l && typeof l.path === 'string' && l.window !== undefined) return `${l.path}#${String(l.window)}`;
  if (l && l.location !== undefined && l.dataset !== undefined)
    return `${String(l.dataset)}/${locationKey(l.location, scope)}`;
  return `${scope}:${JSON.stringify(location)}`;
}
