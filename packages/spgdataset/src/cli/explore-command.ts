import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpgError } from '@spgdataset/core';
import type { Command } from 'commander';
import { openExploreSources } from '../explore/open-explore-sources';
import { startExploreServer } from '../explore/start-explore-server';
import type { CliContext } from './cli-context';
import { CliUsageError } from './cli-usage-error';
import { wholeNumber } from './number-arguments';

export interface ExploreFlags {
  port: number;
  host?: string;
  /** The command line as typed (`explore ...`), to suggest the matching `build`. */
  rawArgs: readonly string[];
  /** Folder of the built page (default: `explore/` beside the CLI bundle). */
  pageRoot?: string;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  until?: Promise<unknown>;
}

/** The default port; `--port 0` takes any free one. */
export const EXPLORE_PORT = 7431;

/** The flags `explore` adds to the dataset flags. */
export interface ExploreOptions {
  port?: number;
  host?: string;
}

/** Adds the description and the --port and --host flags of `explore` to `command`. */
export function exploreOptions(command: Command): Command {
  return command
    .description('serve a read-only page over the built dataset: overview, items, spectrograms, audio')
    .option('--port <n>', `port to listen on (default ${EXPLORE_PORT}; 0: any free port)`, wholeNumber(0))
    .option('--host <host>', 'address to listen on (default 127.0.0.1: this machine only)');
}

/** The flags of one `explore` command line; commander keeps the typed arguments on the program. */
export function exploreFlags(opts: ExploreOptions, command: Command): ExploreFlags {
  const raw = (command.parent as { rawArgs?: unknown } | null)?.rawArgs;
  return {
    port: opts.port ?? EXPLORE_PORT,
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    rawArgs: Array.isArray(raw) ? (raw as string[]) : [],
  };
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `spgdataset build ...` with the dataset arguments of an `explore` command line. */
export function buildCommandLine(rawArgs: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const word = rawArgs[i]!;
    if (word === '--port' || word === '--host') i++;
    else if (!word.startsWith('--port=') && !word.startsWith('--host=')) words.push(word);
  }
  const at = words.indexOf('explore');
  if (at >= 0) words[at] = 'build';
  else words.unshift('build');
  return `spgdataset ${words.map(shellWord).join(' ')}`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `spgdataset explore`: serves a page over the BUILT dataset (overview, item list, item and file
 * views) until interrupted. Opens it read-only: a dataset that was not built is an error saying
 * which `spgdataset build` to run; nothing is indexed, generated or written.
 */
export async function exploreCommand(
  options: Record<string, unknown>,
  mode: number | undefined,
  flags: ExploreFlags,
  ctx: CliContext,
): Promise<void> {
  let sources: Awaited<ReturnType<typeof openExploreSources>>;
  try {
    sources = await openExploreSources(options, mode, ctx.open);
  } catch (error) {
    if (SpgError.isInstance(error) && error.code === 'SPG_DATASET_NOT_BUILT')
      throw new CliUsageError(
        `explore shows a built dataset and builds nothing: ${error.message.replace(/; build it first.*$/, '')}.\nBuild it first with the same options:\n  ${buildCommandLine(flags.rawArgs)}`,
      );
    throw error;
  }
  const pageRoot = flags.pageRoot ?? fileURLToPath(new URL('./explore/', import.meta.url));
  if (!existsSync(join(pageRoot, 'index.html'))) {
    sources.dispose();
    throw new CliUsageError(
      `the explore page is missing (${join(pageRoot, 'index.html')}); reinstall spgdataset, or in its repository run pnpm build.`,
    );
  }
  let server: Awaited<ReturnType<typeof startExploreServer>>;
  try {
    server = await startExploreServer({
      sources,
      pageRoot,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      port: flags.port,
    });
  } catch (error) {
    sources.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new CliUsageError(
        `cannot listen on ${flags.host ?? '127.0.0.1'} port ${flags.port} (${code}); choose another with --port (0 takes any free port) or --host.`,
      );
    throw error;
  }
  const { summary } = sources;
  if (flags.host !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(flags.host))
    ctx.stderr.write(
      `warning: listening on ${flags.host}: other machines that reach it can read this dataset.\n`,
    );
  ctx.stdout.write(
    `explore  ${summary.title}: ${summary.files} files, ${summary.items} windows\n${server.url}\n(read-only; Ctrl-C stops the server)\n`,
  );
  try {
    await (flags.until ?? untilSignal());
  } finally {
    await server.close();
    sources.dispose();
  }
}
