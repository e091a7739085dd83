import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliUsageError } from './cli-usage-error';
import { CONFIG_KEYS, type GivenFlags, isObject, mergeOptions, optionsFromFlags } from './dataset-flags';

const PATH_KEYS = ['audioRoot', 'spectrogramsRoot', 'indexRoot', 'metadataJsonPath'] as const;

/** Makes the path options absolute against `base` (the cwd for flags, the file's folder for --config). */
function resolvePaths(options: Record<string, unknown>, base: string): Record<string, unknown> {
  const out = { ...options };
  for (const key of PATH_KEYS) if (typeof out[key] === 'string') out[key] = resolve(base, out[key] as string);
  return out;
}

/** Reads a --config file: a JSON object of openSpectrogramDataset options; paths relative to the file. */
export async function loadConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(
      `--config ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--config ${path}: not valid JSON (${(error as Error).message}).`);
  }
  if (!isObject(json))
    throw new CliUsageError(`--config ${path}: must hold a JSON object of options, e.g. { "nMels": 64 }.`);
  const unknown = Object.keys(json).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
  if (unknown.length)
    throw new CliUsageError(
      `--config ${path}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${CONFIG_KEYS.join(', ')}.`,
    );
  return resolvePaths(json, dirname(resolve(path)));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The openSpectrogramDataset options of one command line: --config (if any) overridden by the
 * flags, paths made absolute, and the three folders present. Fails with a CliUsageError naming the
 * flag when something required is missing or a path does not exist.
 */
export async function resolveDatasetOptions(
  given: GivenFlags & { config?: string },
  cwd: string,
): Promise<Record<string, unknown>> {
  const config = given.config ? await loadConfigFile(resolve(cwd, given.config)) : {};
  const options = mergeOptions(config, resolvePaths(optionsFromFlags(given), cwd));
  const missing: string[] = [];
  if (typeof options.audioRoot !== 'string')
    missing.push('<audioRoot> (the first argument, or "audioRoot" in --config)');
  if (typeof options.spectrogramsRoot !== 'string' && options.cache === undefined)
    missing.push('--cache <dir> (or "spectrogramsRoot" or a "cache" plugin reference in --config)');
  if (typeof options.indexRoot !== 'string') missing.push('--index <dir> (or "indexRoot" in --config)');
  if (missing.length) throw new CliUsageError(`missing ${missing.join('; ')}.`);
  if (!(await isDirectory(options.audioRoot as string)))
    throw new CliUsageError(
      `audioRoot ${options.audioRoot} is not a folder; give the folder that holds the audio files.`,
    );
  const metadata = options.metadataJsonPath;
  if (typeof metadata === 'string' && !(await isFile(metadata)))
    throw new CliUsageError(`--metadata ${metadata}: no such file.`);
  return options;
}
