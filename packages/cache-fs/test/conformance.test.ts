import { describeSpectrogramCache } from '@spgdataset/core/testing';
import { type FsCache, fsCache } from '../src/fs-cache';
import { freshRoots } from './fresh-roots';

const freshRoot = freshRoots('spg-cache-conformance-');

// Accounting = file size: a 128-byte .npy v1.0 header (for these small shapes) + 4 or 2 bytes per value.
describeSpectrogramCache('fsCache (float32)', {
  create: async () => fsCache({ root: await freshRoot() }),
  reopen: (cache) => fsCache((cache as FsCache).options),
  entryBytes: (t) => 128 + 4 * t.data.length,
});

describeSpectrogramCache('fsCache (float16)', {
  create: async () => fsCache({ root: await freshRoot(), dtype: 'float16', fsync: false }),
  reopen: (cache) => fsCache((cache as FsCache).options),
  storage: 'float16',
  entryBytes: (t) => 128 + 2 * t.data.length,
});

// Writers that spill after 5 frames of 80 mels: every writer case runs through the temporary file
// (spill, passes read back and rewritten block by block, header patched, float16 converted).
describeSpectrogramCache('fsCache (float32, spilling writers)', {
  create: async () => fsCache({ root: await freshRoot(), spillBytes: 80 * 4 * 5 }),
  reopen: (cache) => fsCache((cache as FsCache).options),
  entryBytes: (t) => 128 + 4 * t.data.length,
});

describeSpectrogramCache('fsCache (float16, spilling writers)', {
  create: async () => fsCache({ root: await freshRoot(), dtype: 'float16', spillBytes: 80 * 4 * 5 }),
  reopen: (cache) => fsCache((cache as FsCache).options),
  storage: 'float16',
  entryBytes: (t) => 128 + 2 * t.data.length,
});
