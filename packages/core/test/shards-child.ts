// Child process of shards-process.test.ts, run with `node --import tsx`:
//   read <manifest> <options JSON> <state JSON | -> <count>  prints one key per line ("key <k>"), then
//                                                            "state <JSON>" (count -1: to the end)
//   export <dir> <kill after n items>                        exports the shard test dataset and
//                                                            SIGKILLs itself after n items
import { openShardedDataset } from '../src/index';
import { exportShards, nodeShardSource } from '../src/node';
import { shardTestDataset } from './shard-fakes';

const [command, ...args] = process.argv.slice(2);

if (command === 'read') {
  const [manifest, options, state, count] = args as [string, string, string, string];
  const shards = await openShardedDataset({ manifest, source: nodeShardSource(), ...JSON.parse(options) });
  if (state !== '-') shards.resume(JSON.parse(state));
  const limit = Number(count);
  let n = 0;
  if (limit !== 0)
    for await (const item of shards) {
      process.stdout.write(`key ${item.key}\n`);
      if (++n === limit) break;
    }
  process.stdout.write(`state ${JSON.stringify(shards.state())}\n`);
} else if (command === 'export') {
  const [dir, killAfter] = args as [string, string];
  const ds = await shardTestDataset();
  await exportShards(ds, {
    dir,
    maxItemsPerShard: 8,
    onProgress: (event) => {
      if (event.done === Number(killAfter) && event.path) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('finished\n');
} else {
  throw new Error(`unknown command ${command}`);
}
