// A plain static file server for the shards bench (a separate process, as a real server would be):
// serves the files of one folder on 127.0.0.1 at a free port and prints the port.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const dir = process.argv[2];
const server = createServer((req, res) => {
  const name = (req.url ?? '/').slice(1);
  let size;
  try {
    if (!/^[\w.-]+$/.test(name)) throw new Error('bad name');
    size = statSync(join(dir, name)).size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  createReadStream(join(dir, name), { highWaterMark: 1 << 20 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
