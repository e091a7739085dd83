// A BullMQ worker process whose jobs do nothing: the engine's own ceiling in the scale-out bench.
// Arguments: <redis url> <queue> <concurrency>. Prints "ready" once listening; SIGTERM closes it.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, queue, concurrency] = process.argv.slice(2);
const connection = new Redis(url, { maxRetriesPerRequest: null });
const worker = new Worker(queue, async () => null, { connection, concurrency: Number(concurrency) });
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
