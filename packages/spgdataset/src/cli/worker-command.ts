import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadPluginModules } from '@spgdataset/core/node';
import { type BullmqWorkerEvent, runBullmqWorker } from '@spgdataset/scheduler-bullmq';
import type { CliContext } from './cli-context';
import { CliUsageError } from './cli-usage-error';

/** The flags of `spgdataset worker`. */
export interface WorkerFlags {
  redis: string;
  concurrency?: number;
  queue?: string;
  plugins?: string[];
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

function line(event: BullmqWorkerEvent): string {
  if (event.type === 'done')
    return `done    ${event.path} (${event.frames} frames, ${Math.round(event.ms)} ms)\n`;
  if (event.type === 'failed')
    return `failed  ${event.path}: ${event.message.replace(/\s*\n\s*/g, ' ')} (${event.final ? 'final' : 'will be retried'})\n`;
  return `warning: Redis: ${event.message}\n`;
}

/**
 * `spgdataset worker --redis <url>`: generates spectrograms for any build queued with
 * `--scheduler bullmq` until stopped, one line per job. SIGTERM or a first Ctrl-C finishes the running
 * jobs and exits 0; a second Ctrl-C stops at once (the running jobs go back to the queue when their
 * locks expire).
 */
export async function workerCommand(flags: WorkerFlags, ctx: CliContext): Promise<void> {
  if (!/^rediss?:\/\/[^/:]/.test(flags.redis))
    throw new CliUsageError(
      `--redis ${flags.redis}: not a Redis URL; use redis://host:6379 (rediss:// for TLS, redis://:password@host:6379/0).`,
    );
  const here = import.meta.url;
  // Checked now, so a missing plugin package is reported before any job is taken.
  if (flags.plugins?.length)
    await loadPluginModules(flags.plugins, [pathToFileURL(`${ctx.cwd}/`).href, here]);
  const concurrency = flags.concurrency ?? availableParallelism();
  const worker = await runBullmqWorker({
    connection: flags.redis,
    concurrency,
    ...(flags.queue !== undefined && { queueName: flags.queue }),
    // Plan modules are found from the app folder, then from this package (it depends on every plugin it ships).
    anchors: [pathToFileURL(`${ctx.cwd}/`).href, here],
    ...(flags.lockDurationMs !== undefined && { lockDurationMs: flags.lockDurationMs }),
    ...(flags.stalledIntervalMs !== undefined && { stalledIntervalMs: flags.stalledIntervalMs }),
    onEvent: (event) => void (event.type === 'done' ? ctx.stdout : ctx.stderr).write(line(event)),
  });
  ctx.stderr.write(
    `worker ${worker.name}: ${concurrency} job${concurrency === 1 ? '' : 's'} at once from queue "${flags.queue ?? 'spgdataset'}"; SIGTERM or Ctrl-C finishes the running jobs and stops\n`,
  );
  let interrupts = 0;
  const stop = () => {
    ctx.stderr.write('stopping: finishing the running jobs (Ctrl-C again stops at once)\n');
    void worker.close();
  };
  const interrupt = () => {
    if (++interrupts === 1) return stop();
    ctx.stderr.write('stopped at once; the running jobs go back to the queue when their locks expire\n');
    process.exit(130);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', interrupt);
  try {
    await worker.closed;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', interrupt);
  }
}
