// Shows that fsCache files load in Python: writes a few entries (float32 and float16) with the built
// package and loads each with numpy.load, checking shape, dtype and values. Skips (exit 0) without
// /usr/bin/python3 + numpy. Run after `pnpm build`: pnpm --filter @spgdataset/cache-fs check:numpy
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey } from '@spgdataset/core';
import { fsCache } from '../dist/index.js';

const python = process.env.SPG_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(`skipped: ${python} with numpy not found`);
  process.exit(0);
}

const root = await mkdtemp(join(tmpdir(), 'spg-cache-numpy-'));
const checks = [];
try {
  for (const dtype of ['float32', 'float16']) {
    const cache = fsCache({ root: join(root, dtype), dtype });
    for (const [i, frames] of [192, 1001, 7].entries()) {
      const key = cacheKey({ path: `speaker ${i}/utt-${i}.wav`, size: 100 + i, changeToken: 'x' }, 'numpy');
      const data = new Float32Array(80 * frames);
      // Values float16 holds exactly, so both dtypes compare exactly: (m mod 2048) / 64.
      for (let j = 0; j < data.length; j++) data[j] = ((j * 31 + i) % 2048) / 64 - 16;
      await cache.put(key, { data, shape: [80, frames] });
      checks.push({ file: cache.pathOf(key), shape: [80, frames], dtype, i });
      // The same values streamed frame by frame through a writer that spills to disk (a long entry).
      const streamed = cacheKey(
        { path: `streamed ${i}/utt-${i}.wav`, size: 100 + i, changeToken: 'x' },
        'numpy',
      );
      const small = fsCache({ root: join(root, dtype), dtype, spillBytes: 80 * 4 * 5 });
      const writer = await small.writer(streamed, 80);
      const frame = new Float32Array(80);
      for (let t = 0; t < frames; t++) {
        for (let m = 0; m < 80; m++) frame[m] = data[m * frames + t];
        await writer.append(frame);
      }
      await writer.commit();
      checks.push({ file: small.pathOf(streamed), shape: [80, frames], dtype, i });
    }
  }
  const script = `
import json, sys, numpy as np
ok = True
for c in json.load(sys.stdin):
    a = np.load(c["file"])
    n = c["shape"][0] * c["shape"][1]
    want = ((np.arange(n) * 31 + c["i"]) % 2048 / 64 - 16).reshape(c["shape"])
    # Entries are stored frame after frame (Fortran order): the same [nMels, frames] array for numpy.
    good = list(a.shape) == c["shape"] and a.dtype == np.dtype(c["dtype"]) and a.flags.f_contiguous and np.array_equal(a, want)
    ok = ok and good
    print(("ok  " if good else "BAD ") + f"{a.dtype} {a.shape} {c['file']}")
sys.exit(0 if ok else 1)
`;
  const run = spawnSync(python, ['-c', script], { input: JSON.stringify(checks), encoding: 'utf8' });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  console.log(run.status === 0 ? `numpy ${probe.stdout.trim()} loaded every entry` : 'numpy check FAILED');
  process.exitCode = run.status ?? 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
