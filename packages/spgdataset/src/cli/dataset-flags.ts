import { type Command, Option } from 'commander';
import { CliUsageError } from './cli-usage-error';
import {
  anyWholeNumber,
  modeArgument,
  nameList,
  nonNegativeNumber,
  numberList,
  positiveNumber,
  ratio,
  wholeNumber,
} from './number-arguments';

/**
 * The dataset flags every command takes, as `[flag, openSpectrogramDataset option, help, parser]`.
 * Options not listed here (masks, meta, label, paths, mode, config) are mapped by hand below.
 */
const valueFlags: [string, string, string, ((text: string) => unknown)?][] = [
  ['--sample-rate <hz>', 'sampleRate', 'sample rate in Hz (default 16000)', wholeNumber(1)],
  ['--window-size-sec <s>', 'windowSizeSec', 'seconds per window (default 1.92)', positiveNumber],
  ['--window-offset-sec <s>', 'windowOffsetSec', 'seconds between windows (default 0.1)', positiveNumber],
  [
    '--window-content-ratio <r>',
    'windowContentRatio',
    'keep windows whose share of the masks is >= r (default 0.5)',
    ratio,
  ],
  ['--hop-length <n>', 'hopLength', 'samples per frame (default 160)', wholeNumber(1)],
  ['--n-mels <n>', 'nMels', 'mel bands (default 80)', wholeNumber(1)],
  ['--n-fft <n>', 'nFft', 'FFT size (default 400)', wholeNumber(1)],
  [
    '--max-memory-cache <mb>',
    'maxMemoryCache',
    'MB of spectrograms kept in memory (default 0)',
    nonNegativeNumber,
  ],
  ['--workers <n>', 'numWorkers', 'worker threads for generation (default 0)', wholeNumber(0)],
  ['--seed <n>', 'seed', 'seed of the split and fraction subsets (default 0)', anyWholeNumber],
  ['--split-by <key>', 'splitBy', "'file' (default), 'window' or a metadata key such as speaker"],
];

const choiceFlags: [string, string, string, string[]][] = [
  [
    '--dtype <dtype>',
    'dtype',
    'storage precision of cached spectrograms (default float32)',
    ['float32', 'float16'],
  ],
  ['--on-error <what>', 'onError', 'throw (default) or skip bad files', ['throw', 'skip']],
  ['--extractor <name>', 'extractor', 'log-mel extractor: wasm (default) or js', ['wasm', 'js']],
  ['--resampler <name>', 'resampler', 'resampler: wasm (default) or js', ['wasm', 'js']],
  [
    '--change-token <mode>',
    'changeToken',
    'what identifies a file version in cache keys: mtime (default), size or content (the same on every machine)',
    ['mtime', 'size', 'content'],
  ],
];

/** The openSpectrogramDataset options the CLI and a --config file may set (docs/behaviour.md#options names). */
export const CONFIG_KEYS = [
  'audioRoot',
  'spectrogramsRoot',
  'indexRoot',
  'metadataJsonPath',
  'sampleRate',
  'windowSizeSec',
  'windowOffsetSec',
  'windowContentRatio',
  'hopLength',
  'nMels',
  'nFft',
  'normalize',
  'dtype',
  'split',
  'outputConfiguration',
  'maxMemoryCache',
  'numWorkers',
  'seed',
  'splitBy',
  'extractor',
  'resampler',
  'cache',
  'scheduler',
  'plugins',
  'onError',
  'changeToken',
] as const;

/** Adds `[audioRoot]` and every dataset flag to a command. */
export function addDatasetOptions(command: Command): Command {
  command
    .argument('[audioRoot]', 'folder of audio files (or "audioRoot" in --config)')
    .option('--cache <dir>', 'spectrogram cache folder (spectrogramsRoot)')
    .option('--index <dir>', 'index folder (indexRoot)')
    .option('--metadata <file>', 'metadata.json (metadataJsonPath)')
    .option('--masks <names>', 'interval names returned as frame masks, e.g. speech,noise', nameList)
    .option('--meta <fields>', 'metadata fields returned in meta, e.g. gender,speaker', nameList)
    .option('--label <key>', 'metadata field enumerated into the label')
    .option('--split <ratios>', 'split ratios summing to 1, e.g. 0.8,0.1,0.1', numberList)
    .option('--mode <mode>', 'train, validate or test', modeArgument)
    .option('--no-normalize', 'no per-file standardisation')
    .addOption(
      new Option(
        '--scheduler <name>',
        'where generation runs: threads (default, --workers n) or bullmq (worker processes, needs --redis)',
      ).choices(['threads', 'bullmq']),
    )
    .option('--redis <url>', 'Redis of a bullmq build, e.g. redis://host:6379 (implies --scheduler bullmq)')
    .option('--queue <name>', 'queue of a bullmq build (default spgdataset)')
    .option('--config <file>', 'JSON file of openSpectrogramDataset options; flags override it');
  for (const [flags, , help, parse] of valueFlags) {
    const option = new Option(flags, help);
    if (parse) option.argParser(parse);
    command.addOption(option);
  }
  for (const [flags, , help, choices] of choiceFlags)
    command.addOption(new Option(flags, help).choices(choices));
  return command;
}

/** What the command line said, before merging with --config. */
export interface GivenFlags {
  audioRoot?: string;
  /** Commander's option values, only those given on the command line. */
  values: Record<string, unknown>;
}

/** Command-line flags as openSpectrogramDataset options (only the ones given). */
export function optionsFromFlags(given: GivenFlags): Record<string, unknown> {
  const v = given.values;
  const out: Record<string, unknown> = {};
  if (given.audioRoot !== undefined) out.audioRoot = given.audioRoot;
  if (v.cache !== undefined) out.spectrogramsRoot = v.cache;
  if (v.index !== undefined) out.indexRoot = v.index;
  if (v.metadata !== undefined) out.metadataJsonPath = v.metadata;
  if (v.split !== undefined) out.split = v.split;
  if (v.normalize !== undefined) out.normalize = v.normalize;
  for (const [flags, key] of [...valueFlags, ...choiceFlags]) {
    const attribute = camel(flags.split(' ')[0]!.slice(2));
    if (v[attribute] !== undefined) out[key] = v[attribute];
  }
  const scheduler = schedulerFromFlags(v);
  if (scheduler) out.scheduler = scheduler;
  const output: Record<string, unknown> = {};
  if (v.masks !== undefined) output.masks = v.masks;
  if (v.meta !== undefined) output.meta = v.meta;
  if (v.label !== undefined) output.label = v.label;
  if (Object.keys(output).length) out.outputConfiguration = output;
  return out;
}

/** `--scheduler bullmq --redis <url> [--queue <name>]` as a scheduler reference (the flags checked together). */
function schedulerFromFlags(v: Record<string, unknown>): Record<string, unknown> | undefined {
  const bullmq = v.scheduler === 'bullmq' || (v.scheduler === undefined && v.redis !== undefined);
  if (!bullmq) {
    if (v.redis !== undefined || v.queue !== undefined)
      throw new CliUsageError(
        `--redis and --queue are for --scheduler bullmq, not --scheduler ${v.scheduler}; leave them out or use --scheduler bullmq.`,
      );
    return undefined;
  }
  if (v.redis === undefined)
    throw new CliUsageError(
      '--scheduler bullmq needs --redis <url>, the Redis the workers listen on (e.g. --redis redis://host:6379).',
    );
  const options: Record<string, unknown> = { connection: v.redis };
  if (v.queue !== undefined) options.queueName = v.queue;
  return { use: 'scheduler-bullmq/queue', options };
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Config file options overridden by flags; outputConfiguration is merged field by field. */
export function mergeOptions(
  config: Record<string, unknown>,
  flags: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...config, ...flags };
  const a = config.outputConfiguration;
  const b = flags.outputConfiguration;
  if (isObject(a) && isObject(b)) merged.outputConfiguration = { ...a, ...b };
  return merged;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
