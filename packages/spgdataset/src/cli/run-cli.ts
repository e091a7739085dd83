import { openSpectrogramDataset } from '../open-spectrogram-dataset';
import type { TextStream } from './cli-context';
import { type ExitCode, runCliWith } from './run-cli-with';

export interface CliStreams {
  stdout: TextStream;
  stderr: TextStream;
  /** Folder relative paths are resolved against (default: process.cwd()). */
  cwd?: string;
}

/**
 * Runs `spgdataset <argv...>` (argv without "node" and the script) with the real
 * `openSpectrogramDataset`, and returns the exit code: 0 ok, 1 user error, 2 internal error.
 *
 * @example
 * const code = await runCli(['inspect', 'samples/basic', '--cache', '.c', '--index', '.i']);
 */
export function runCli(
  argv: readonly string[],
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<ExitCode> {
  return runCliWith(argv, {
    stdout: streams.stdout,
    stderr: streams.stderr,
    cwd: streams.cwd ?? process.cwd(),
    now: () => performance.now(),
    open: (options) => openSpectrogramDataset(options as never),
    onInterrupt: (handler) => {
      // 128 + SIGINT(2), as shells report a process that Ctrl-C stopped.
      const listener = () => {
        handler();
        process.exit(130);
      };
      process.once('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  });
}
