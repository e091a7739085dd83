import { Command, Option } from 'commander';
// Bundled into dist/cli.js at build time (only this field), so the executable reads no file to answer.
import { version } from '../../package.json';
import { buildCommand } from './build-command';
import type { CliContext } from './cli-context';
import { addDatasetOptions } from './dataset-flags';
import { type ExploreOptions, exploreCommand, exploreFlags, exploreOptions } from './explore-command';
import { type ExportFlags, exportCommand } from './export-command';
import { inspectCommand } from './inspect-command';
import { anyWholeNumber, nameList, wholeNumber } from './number-arguments';
import { previewCommand } from './preview-command';
import { resolveDatasetOptions } from './resolve-dataset-options';
import { type WorkerFlags, workerCommand } from './worker-command';

/** The flags the user typed (not commander's defaults, e.g. normalize = true). */
function givenValues(command: Command): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') values[key] = value;
  }
  return values;
}

async function datasetOptions(audioRoot: string | undefined, command: Command, ctx: CliContext) {
  const values = givenValues(command);
  const options = await resolveDatasetOptions(
    { audioRoot, values, config: values.config as string | undefined },
    ctx.cwd,
  );
  return { options, mode: values.mode as number | undefined };
}

/** The `spgdataset` program; errors are thrown (exitOverride), never `process.exit`. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('spgdataset')
    .description(
      'Log-mel spectrogram datasets with masks, labels and splits: build, inspect, preview, export; worker for distributed builds.',
    )
    .version(version, '-V, --version', 'print the spgdataset version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.stdout.write(text),
      writeErr: (text) => void ctx.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');

  addDatasetOptions(
    program
      .command('build')
      .description('index the audio and generate every spectrogram, with progress; then print a summary'),
  ).action(async (audioRoot: string | undefined, _opts: unknown, command: Command) => {
    const { options, mode } = await datasetOptions(audioRoot, command, ctx);
    await buildCommand(options, mode, ctx);
  });

  addDatasetOptions(
    program
      .command('inspect')
      .description('print files, hours, windows per split, classes, mask coverage and skipped files'),
  ).action(async (audioRoot: string | undefined, _opts: unknown, command: Command) => {
    const { options, mode } = await datasetOptions(audioRoot, command, ctx);
    await inspectCommand(options, mode, ctx);
  });

  addDatasetOptions(
    program
      .command('preview')
      .description("draw item i's spectrogram with its masks as bands to a PNG")
      .requiredOption('--item <i>', 'item index in the current mode (default mode: train)', wholeNumber(0))
      .requiredOption('--out <file>', 'PNG file to write'),
  ).action(async (audioRoot: string | undefined, opts: { item: number; out: string }, command: Command) => {
    const { options, mode } = await datasetOptions(audioRoot, command, ctx);
    await previewCommand(options, { mode, item: opts.item, out: opts.out }, ctx);
  });

  addDatasetOptions(
    program
      .command('export')
      .description(
        'write a split (--mode, default train) as WebDataset tar shards plus manifest.json; rerun to resume',
      )
      .addOption(
        new Option('--format <format>', 'shard format').choices(['webdataset']).default('webdataset'),
      )
      .requiredOption('--out <dir>', 'folder for the shards and manifest.json (one export per folder)')
      .option('--max-items <n>', 'samples per shard', wholeNumber(1))
      .option('--max-bytes <n>', 'bytes per shard at most (default 268435456 = 256 MiB)', wholeNumber(1))
      .option('--shuffle-seed <n>', 'write the items in a seeded random order', anyWholeNumber)
      .option('--prefix <name>', 'shard names <prefix>-000000.tar (default: the split name)')
      .option('--overwrite', 'replace an export of other items or options found in --out'),
  ).action(async (audioRoot: string | undefined, opts: ExportFlags, command: Command) => {
    const { options, mode } = await datasetOptions(audioRoot, command, ctx);
    await exportCommand(options, mode, opts, ctx);
  });

  addDatasetOptions(exploreOptions(program.command('explore'))).action(
    async (audioRoot: string | undefined, opts: ExploreOptions, command: Command) => {
      const { options, mode } = await datasetOptions(audioRoot, command, ctx);
      await exploreCommand(options, mode, exploreFlags(opts, command), ctx);
    },
  );

  program
    .command('worker')
    .description(
      'generate spectrograms for builds run with --scheduler bullmq: take jobs from Redis until stopped',
    )
    .requiredOption('--redis <url>', 'the Redis of the builds, e.g. redis://host:6379')
    .option('--concurrency <n>', 'jobs at once, one thread each (default: one per core)', wholeNumber(1))
    .option('--queue <name>', 'queue to take jobs from (default spgdataset)')
    .option(
      '--plugins <packages>',
      'plugin packages to load (and check) before starting, e.g. @acme/spg-s3',
      nameList,
    )
    .option(
      '--lock-duration-ms <ms>',
      'how long a dead worker keeps its job locked before another takes it (default 30000)',
      wholeNumber(1),
    )
    .option(
      '--stalled-interval-ms <ms>',
      'how often to look for jobs of dead workers (default 30000)',
      wholeNumber(1),
    )
    .action(async (opts: WorkerFlags) => {
      await workerCommand(opts, ctx);
    });

  return program;
}
