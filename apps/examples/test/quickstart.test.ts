import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the quickstart runs on the bundled samples and lists every file', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync('pnpm', ['exec', 'tsx', 'src/quickstart.ts'], { cwd, encoding: 'utf8' });
  expect(out).toMatch(/speech\/f01_tones\.wav\s+4\.00 s/);
  expect(out).toMatch(/metadata fingerprint: [0-9a-f]{16}/);
});
