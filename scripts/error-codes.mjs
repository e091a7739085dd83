// Every error code the packages can throw, for the check that the spgdataset README documents each.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

/**
 * The `SPG_*` codes written out in packages/<name>/src, plus those dsp-wasm builds at run time
 * (`SPG_EXTRACTOR_<reason>` / `SPG_RESAMPLER_<reason>` for each reason of its error table, and
 * `UNKNOWN`), sorted.
 */
export function errorCodes(repo) {
  const codes = new Set();
  for (const name of readdirSync(join(repo, 'packages'))) {
    const src = join(repo, 'packages', name, 'src');
    let files;
    try {
      files = sourceFiles(src);
    } catch {
      continue;
    }
    for (const file of files)
      for (const [code] of readFileSync(file, 'utf8').matchAll(/\bSPG_[A-Z0-9]+(?:_[A-Z0-9]+)+\b/g))
        codes.add(code);
  }
  const table = readFileSync(join(repo, 'packages', 'dsp-wasm', 'src', 'dsp-errors.ts'), 'utf8');
  const reasons = [...table.matchAll(/reason: '([A-Z_]+)'/g)].map((m) => m[1]).filter((r) => r !== 'OK');
  for (const reason of [...reasons, 'UNKNOWN'])
    for (const area of ['EXTRACTOR', 'RESAMPLER']) codes.add(`SPG_${area}_${reason}`);
  return [...codes].sort();
}
