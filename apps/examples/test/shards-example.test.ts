import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the shards example exports, streams two equal ranks and resumes exactly', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync('pnpm', ['exec', 'tsx', 'src/shards-example.ts'], { cwd, encoding: 'utf8' });
  const [, items, shards] = /^exported (\d+) items in (\d+) shards$/m.exec(out)!;
  expect(Number(shards)).toBe(Math.ceil(Number(items) / 16));
  const batches = [...out.matchAll(/^rank (\d): shards split, (\d+) batches of up to 8$/gm)].map((m) => m[2]);
  expect(batches).toHaveLength(2);
  expect(batches[0]).toBe(batches[1]);
  expect(out).toMatch(/^state \{"version":1,.*"epoch":0,"consumed":16\}$/m);
  expect(out).toContain('resumed stream equals an uninterrupted epoch: true');
});
