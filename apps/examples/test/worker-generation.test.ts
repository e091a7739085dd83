import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the worker example generates every spectrogram on 2 workers, reports progress, and reuses them', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync('pnpm', ['exec', 'tsx', 'src/worker-generation.ts'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // samples/basic: 8 files, all generated on the first open and all cached on the second.
  expect(out).toMatch(/built \d+ items on 2 workers/);
  expect(out).toMatch(/spectrograms: 8 generated, 0 cached/);
  expect(out).toMatch(/second open: 0 generated, 8 cached/);
});
